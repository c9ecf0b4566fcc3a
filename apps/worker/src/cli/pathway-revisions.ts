import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@tandem/config';
import { RULES_REVISION } from '@tandem/domain';
import { createTemporalClient } from '@tandem/temporal';
import { pathwayRevisions } from '../pathway-revisions';

const usage = `usage: npm run -s pathway-revisions [-- --started-before <ISO time>]
  Counts the running pathways by rules revision (docs/rule-revisions.md, retiring a revision or a patch).
  --started-before  also count the runs started before a release (they may still need a patch's old branch)`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { 'started-before': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${usage}`);
  }
  if (values.help) return void process.stdout.write(`${usage}\n`);
  const startedBefore = values['started-before'] === undefined ? undefined : new Date(values['started-before']);
  if (startedBefore && Number.isNaN(startedBefore.getTime())) throw new Error(`--started-before: not a time: ${values['started-before']}\n${usage}`);
  const config = loadConfigOrExit();
  const temporal = await createTemporalClient(config).catch((e: unknown) => {
    throw new Error(`cannot reach Temporal at ${config.temporal.address} (${(e as Error).message}); is Tandem running (npm start)?`);
  });
  try {
    process.stdout.write('pathway-revisions: asking every running pathway its rules revision (a worker must be running)…\n');
    const r = await pathwayRevisions(temporal.client, {
      ...(startedBefore ? { startedBefore } : {}),
      onProgress: (n) => {
        if (n % 1000 === 0) process.stdout.write(`  ${n} pathways asked\n`);
      },
    });
    process.stdout.write(`running pathways: ${r.running}\n`);
    for (const [revision, n] of Object.entries(r.byRevision)) process.stdout.write(`  revision ${revision}${Number(revision) === RULES_REVISION ? ' (current)' : ''}: ${n}\n`);
    if (r.unanswered) process.stdout.write(`  no answer within the deadline: ${r.unanswered} (run again once the workers keep up)\n`);
    if (r.startedBefore !== undefined) process.stdout.write(`runs started before ${startedBefore!.toISOString()}: ${r.startedBefore}\n`);
  } finally {
    await temporal.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`pathway-revisions: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
