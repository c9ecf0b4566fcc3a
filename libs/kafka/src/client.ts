import type { Admin, ITopicConfig, logCreator } from 'kafkajs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { TandemConfig } from '@tandem/config';
import { DEFAULT_PARTITIONS, MAX_TOPIC_MESSAGE_BYTES, TOPICS } from './topics';

/** kafkajs logs through this: one line per entry, no payloads, errors and warnings only. */
const quietLogCreator: logCreator =
  () =>
  ({ namespace, level, log }) => {
    // Connection-level errors are retried by kafkajs and reported by the caller if they persist.
    if (level > logLevel.WARN || namespace === 'Connection') return;
    const { message, error } = log as { message?: string; error?: string };
    process.stderr.write(`kafka ${namespace}: ${message ?? ''}${error ? ` (${error})` : ''}\n`);
  };

export function createKafka(config: Pick<TandemConfig, 'kafka'>, clientId = config.kafka.clientId): Kafka {
  return new Kafka({
    clientId,
    brokers: config.kafka.brokers,
    logLevel: logLevel.WARN,
    logCreator: quietLogCreator,
    retry: { initialRetryTime: 300, retries: 8 },
  });
}

/** Java-client-compatible (murmur2) partitioning, so any producer puts a patient's events on the same partition. */
export const partitioner = Partitioners.DefaultPartitioner;

/** Creates the given topics if missing (idempotent). Returns the names it created. */
export async function ensureTopics(admin: Admin, names: readonly string[] = Object.values(TOPICS), partitions = DEFAULT_PARTITIONS): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = names.filter((n) => !existing.has(n));
  if (missing.length === 0) return [];
  // Records up to 8 MB reach the bridge, so that one over the 1 MB event limit is parked with its
  // reason (on a DLQ that takes it too) instead of being refused to its producer unexplained.
  const configEntries = [{ name: 'max.message.bytes', value: String(MAX_TOPIC_MESSAGE_BYTES) }];
  const topics: ITopicConfig[] = missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1, configEntries }));
  await admin.createTopics({ topics, waitForLeaders: false });
  await waitForLeaders(admin, missing);
  return missing;
}

/**
 * Waits until every partition of the topics has a leader. kafkajs's own wait (`waitForLeaders`)
 * gives up when the broker briefly answers "does not host this topic-partition" right after a
 * create, which this single-node broker does now and then; here that just means "not yet".
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      if (meta.length === topics.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Kafka topics ${topics.join(', ')} have no leader after ${timeoutMs / 1000} s${last ? ` (${(last as Error).message})` : ''}`);
}
