import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Records on the partition the group has not committed past. */
  lag: number;
}

/** The consumer group's lag per partition: high-water mark minus committed offset (all of it when nothing is committed). */
export async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<PartitionLag[]> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.map((e) => {
    const high = Number(e.high);
    const low = Number(e.low);
    const at = done.get(e.partition);
    const from = at === undefined || at < 0 ? low : at;
    return { topic, partition: e.partition, lag: Math.max(0, high - from) };
  });
}

/**
 * Records parked on the dead-letter topic and not yet replayed (docs/contract.md section 7 `ops.parked-events`):
 * each partition's retained records (low to high-water mark) less those `dlq:replay` has re-submitted.
 */
export async function parkedRecords(admin: Admin, dlqTopic: string, replayed: (partition: number) => Promise<ReadonlySet<string>>): Promise<number> {
  const ends = await admin.fetchTopicOffsets(dlqTopic);
  const perPartition = await Promise.all(
    ends.map(async (e) => {
      const low = Number(e.low);
      const high = Number(e.high);
      const done = [...(await replayed(e.partition))].map(Number).filter((o) => o >= low && o < high).length;
      return Math.max(0, high - low - done);
    }),
  );
  return perPartition.reduce((a, b) => a + b, 0);
}
