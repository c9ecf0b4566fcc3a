import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '@tandem/config';
import { createTemporalClient } from '@tandem/temporal';
import { digestScheduleId, DIGEST_WORKFLOW_TYPE } from '@tandem/workflows/contract';
import type { WeeklyDigestInput, WeeklyDigestResult } from '@tandem/workflows/contract';

const usage = `usage: npm run -s digest -- --now     make last week's digest for every team at once (needs a running worker)
       npm run -s digest                when the weekly digest schedule runs next`;
/** Long enough for a worker to pick it up and compute every team's week; past it the command says why. */
const WAIT_MS = 120_000;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { now: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${usage}`);
  }
  if (values.help) return void process.stdout.write(`${usage}\n`);
  const config = loadConfigOrExit();
  const temporal = await createTemporalClient(config).catch((e: unknown) => {
    throw new Error(`cannot reach Temporal at ${config.temporal.address} (${(e as Error).message}); is Tandem running (npm start)?`);
  });
  try {
    if (!values.now) {
      const id = digestScheduleId(config.temporal.taskQueue);
      const d = await temporal.client.schedule.getHandle(id).describe();
      const next = d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString());
      process.stdout.write(`weekly digest schedule ${id}: next runs ${next.join(', ')}\n${usage}\n`);
      return;
    }
    process.stdout.write('digest: making last week’s digest for every team…\n');
    const handle = await temporal.client.workflow.start(DIGEST_WORKFLOW_TYPE, {
      taskQueue: config.temporal.taskQueue,
      workflowId: `weekly-digest-now-${Date.now()}`,
      args: [{ at: new Date().toISOString() } satisfies WeeklyDigestInput],
    });
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no worker finished it within ${WAIT_MS / 1000} s; is the worker running (npm start)?`)), WAIT_MS).unref(),
    );
    const result = await Promise.race([handle.result() as Promise<WeeklyDigestResult>, timeout]);
    const made = result.digests.filter((d) => d.created).length;
    process.stdout.write(`digest: week ${result.weekStart} to ${result.weekEnd}: ${made} new, ${result.digests.length - made} already made\n`);
    for (const d of result.digests) process.stdout.write(`  ${d.team.padEnd(22)} ${d.id}${d.created ? '' : ' (already made)'}\n`);
  } finally {
    await temporal.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`digest: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
