import { loadConfigOrExit } from '@tandem/config';
import { createPool } from '@tandem/db';
import { createKafka, topicNames } from '@tandem/kafka';
import { replayDlq } from '../dlq-replay';

/**
 * `npm run -s dlq:replay [-- --dry-run]`: re-submits the records parked on clinical-events.dlq
 * that are valid now (after a fix), once each, and reports what stays parked and why.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--dry-run');
  if (unknown.length) throw new Error(`unknown option ${unknown[0]}; usage: npm run -s dlq:replay [-- --dry-run]`);
  const dryRun = args.includes('--dry-run');
  const config = loadConfigOrExit();
  const topics = topicNames(config.kafka.topicSuffix);
  const pool = createPool(config, { max: 2, service: 'bridge' });
  try {
    process.stdout.write(`dlq:replay: reading ${topics.clinicalEventsDlq}${dryRun ? ' (dry run: nothing is sent)' : ''}…\n`);
    const s = await replayDlq({
      kafka: createKafka(config, 'tandem-dlq-replay'),
      pool,
      topics: { in: topics.clinicalEvents, dlq: topics.clinicalEventsDlq },
      dryRun,
    });
    const invalid = Object.entries(s.stillInvalid);
    process.stdout.write(
      [
        `dlq:replay: ${s.scanned} parked record(s) read`,
        `  ${dryRun ? 'would re-submit' : 're-submitted'} to ${topics.clinicalEvents}: ${s.replayed}`,
        `  already re-submitted by an earlier replay: ${s.alreadyReplayed}`,
        `  still invalid, left parked: ${invalid.length ? invalid.map(([k, n]) => `${n} ${k}`).join(', ') : 0}`,
      ].join('\n') + '\n',
    );
  } finally {
    await pool.end();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`dlq:replay: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
