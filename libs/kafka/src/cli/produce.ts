import { readFileSync } from 'node:fs';
import { loadConfigOrExit } from '@tandem/config';
import { createKafka, partitioner } from '../client';
import { topicNames } from '../topics';

/**
 * Produces clinical events by hand: one JSON event per line (or one JSON document) from a file or
 * stdin, keyed by its `subject` (the patient id), to clinical-events. The bridge validates them;
 * this tool deliberately does not, so malformed records can be tried too.
 *   npm run -s produce -- events.jsonl        echo '{…}' | npm run -s produce
 */
async function main(): Promise<void> {
  const file = process.argv[2];
  const text = readFileSync(file && file !== '-' ? file : 0, 'utf8').trim();
  if (!text) throw new Error('no input: pass a file of JSON events (one per line) or pipe them in');
  const records = text.startsWith('[') ? (JSON.parse(text) as unknown[]).map((e) => JSON.stringify(e)) : text.split('\n').filter((l) => l.trim());
  const messages = records.map((value) => {
    let key: string | null = null;
    try {
      const subject = (JSON.parse(value) as { subject?: unknown }).subject;
      key = typeof subject === 'string' ? subject : null;
    } catch {
      // not JSON: sent as is, unkeyed, and the bridge will park it
    }
    return { key, value };
  });
  const config = loadConfigOrExit();
  const topic = topicNames(config.kafka.topicSuffix).clinicalEvents;
  const producer = createKafka(config, 'tandem-produce').producer({ createPartitioner: partitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: topic, messages });
    process.stdout.write(`produced ${messages.length} record(s) to ${topic}\n`);
  } finally {
    await producer.disconnect();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`produce: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
