import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { markDlqReplayed, replayedDlqOffsets } from '@tandem/db';
import { DLQ_HEADERS, headerOf, partitioner } from '@tandem/kafka';
import { classifyRecord } from './classify';

export interface ReplaySummary {
  /** Records on the DLQ when the replay began. */
  scanned: number;
  /** Re-submitted to clinical-events by this run. */
  replayed: number;
  /** Re-submitted by an earlier run, so not sent again. */
  alreadyReplayed: number;
  /** Still not valid events with the current code: left parked, by reason. */
  stillInvalid: Record<string, number>;
}

export interface ReplayOptions {
  kafka: Kafka;
  pool: Pool;
  topics: { in: string; dlq: string };
  /** Count what would happen, send nothing. */
  dryRun?: boolean;
  timeoutMs?: number;
}

/**
 * Re-submits parked records to clinical-events after a fix, idempotently. Reads the DLQ from its
 * start to where it ended when the replay began; each record that is now a valid event is produced
 * again (original key and bytes, plus `x-replayed-from`) and remembered in dlq_replay, so a second
 * replay sends none of them again. Records still invalid stay parked and are counted by reason.
 * Even a record sent twice (a crash between producing and remembering) opens nothing twice: the
 * event log and the pathway de-duplicate by event id.
 */
export async function replayDlq(o: ReplayOptions): Promise<ReplaySummary> {
  const summary: ReplaySummary = { scanned: 0, replayed: 0, alreadyReplayed: 0, stillInvalid: {} };
  const admin = o.kafka.admin();
  await admin.connect();
  const groupId = `tandem-dlq-replay-${randomUUID()}`;
  const consumer = o.kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const producer = o.kafka.producer({ createPartitioner: partitioner, allowAutoTopicCreation: false });
  try {
    // Where each partition ends now: records parked after this are the next replay's.
    const ends = new Map((await admin.fetchTopicOffsets(o.topics.dlq)).map((p) => [p.partition, { low: Number(p.low), high: Number(p.high) }]));
    const pending = new Set([...ends].filter(([, e]) => e.high > e.low).map(([p]) => p));
    if (pending.size === 0) return summary;
    const replayed = new Map<number, Set<string>>();
    for (const p of pending) replayed.set(p, await replayedDlqOffsets(o.pool, o.topics.dlq, p));

    await Promise.all([producer.connect(), consumer.connect()]);
    await consumer.subscribe({ topic: o.topics.dlq, fromBeginning: true });
    let finish: () => void = () => undefined;
    let fail: (e: unknown) => void = () => undefined;
    const finished = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const timer = setTimeout(() => fail(new Error(`the DLQ was not read to its end within ${(o.timeoutMs ?? 60_000) / 1000} s`)), o.timeoutMs ?? 60_000);

    await consumer.run({
      eachBatch: async ({ batch }) => {
        const end = ends.get(batch.partition)?.high ?? 0;
        for (const m of batch.messages) {
          if (Number(m.offset) >= end) break;
          summary.scanned++;
          if (replayed.get(batch.partition)?.has(m.offset)) {
            summary.alreadyReplayed++;
            continue;
          }
          const verdict = classifyRecord(m.key, m.value);
          if (!verdict.ok) {
            summary.stillInvalid[verdict.error] = (summary.stillInvalid[verdict.error] ?? 0) + 1;
            continue;
          }
          if (!o.dryRun) {
            await producer.send({
              topic: o.topics.in,
              messages: [{ key: verdict.event.subject, value: m.value, headers: { 'x-replayed-from': `${o.topics.dlq}/${batch.partition}/${m.offset}` } }],
            });
            await markDlqReplayed(o.pool, o.topics.dlq, batch.partition, m.offset, headerOf(m, DLQ_HEADERS.error) ?? 'unknown');
          }
          summary.replayed++;
        }
        if (Number(batch.lastOffset()) >= end - 1) {
          pending.delete(batch.partition);
          if (pending.size === 0) finish();
        }
      },
    });
    try {
      await finished;
    } finally {
      clearTimeout(timer);
    }
    return summary;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
