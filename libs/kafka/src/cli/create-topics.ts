import { loadConfigOrExit } from '@tandem/config';
import { createKafka, ensureTopics } from '../client';
import { topicNames } from '../topics';

/** Creates Tandem's topics (docs/contract.md section 2) if missing; safe to run any number of times. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const kafka = createKafka(config, 'tandem-admin');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await ensureTopics(admin, Object.values(topicNames(config.kafka.topicSuffix)));
    process.stdout.write(`tandem: topics: ${created.length ? `created ${created.join(', ')}` : 'all present'}\n`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`tandem: creating topics failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
