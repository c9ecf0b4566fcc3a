import type { Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from '@tandem/config';
import { eventToTaskSeconds, leadership, markSent, pruneOutbox, unsentOutbox } from '@tandem/db';
import { dlqHeaders, TOPICS } from '@tandem/kafka';
import type { LeadershipOptions, OutboxRow } from '@tandem/db';
import type { BridgeMetrics } from './metrics';

export interface OutboxRelayOptions {
  pool: Pool;
  producer: Producer;
  log: Logger;
  /** Topic names by outbox topic (tests map to their own topics). */
  topicFor?: (topic: string) => string;
  intervalMs?: number;
  batch?: number;
  metrics?: Pick<BridgeMetrics, 'eventToTask' | 'published'>;
  /** Relayed rows older than this are deleted (TANDEM_OUTBOX_RETENTION_HOURS); unset, they are kept. */
  retentionMs?: number;
  /** Test hook: runs between publishing and marking sent (a crash there must republish, never lose). */
  afterPublish?: (ids: string[]) => Promise<void>;
  /** How the lead is re-checked (`leadership`'s defaults unless a test sets them). */
  leadership?: LeadershipOptions;
}

/**
 * The record for an outbox row. A parked event (the pathway could not keep it: migration 007) goes
 * to the dead-letter topic as the original envelope with the DLQ headers, so `dlq:replay` can
 * re-submit it; everything else carries the row id in its value and an `id` header.
 */
function message(r: OutboxRow) {
  if (r.topic !== TOPICS.clinicalEventsDlq) return { key: r.patientId, value: JSON.stringify({ ...r.payload, id: r.id }), headers: { id: r.id } };
  const { record, error, detail } = r.payload as { record: unknown; error: string; detail: string };
  const headers = dlqHeaders({ error, detail, topic: TOPICS.clinicalEvents, partition: -1, offset: '-1' });
  return { key: r.patientId, value: JSON.stringify(record), headers: { ...headers, id: r.id } };
}

/**
 * Outbox → Kafka, at least once, by one relay at a time (the others stand by: `leadership`): publish a batch (keyed by patient, so in order per patient; the
 * row id in the value and an `id` header so consumers can de-duplicate), then mark it sent. A crash
 * between the two republishes the batch with the same ids; nothing is lost.
 */
/** The advisory lock's name: one relay publishes at a time, however many bridges run (docs/scaling.md). */
export const RELAY_LEADERSHIP = 'tandem-outbox-relay';
/** Pruning runs once a minute, or as often as the retention if that is shorter (a time-scaled demo or benchmark). */
const pruneEveryMs = (retentionMs: number) => Math.min(60_000, Math.max(1_000, retentionMs));

export function createOutboxRelay(o: OutboxRelayOptions) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const lead = leadership(o.pool, RELAY_LEADERSHIP, o.leadership);
  let prunedAt = 0;

  /** Rows published this pass; 0 when another relay leads (this one stands by). */
  const pass = async (): Promise<number> => {
    if (!(await lead.lead())) return 0;
    if (o.retentionMs !== undefined && Date.now() - prunedAt >= pruneEveryMs(o.retentionMs)) {
      prunedAt = Date.now();
      await pruneOutbox(o.pool, o.retentionMs);
    }
    const rows = await unsentOutbox(o.pool, o.batch ?? 200);
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, typeof rows>();
    for (const r of rows) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
    await o.producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, rs]) => ({
        topic: o.topicFor ? o.topicFor(topic) : topic,
        messages: rs.map(message),
      })),
    });
    await o.afterPublish?.(rows.map((r) => r.id));
    await markSent(
      o.pool,
      rows.map((r) => r.id),
    );
    // Metrics are best effort: the rows are sent and marked; a failed latency lookup must not fail the pass.
    if (o.metrics) await observe(rows, o.metrics).catch(() => undefined);
    return rows.length;
  };

  const observe = async (rows: Awaited<ReturnType<typeof unsentOutbox>>, m: NonNullable<OutboxRelayOptions['metrics']>) => {
    for (const r of rows) m.published.inc({ topic: r.topic });
    const opened = rows.filter((r) => r.payload.type === 'tandem.task.opened').map((r) => (r.payload.data as { taskId?: string } | undefined)?.taskId);
    const seconds = await eventToTaskSeconds(
      o.pool,
      opened.filter((id): id is string => typeof id === 'string'),
    );
    for (const s of seconds) m.eventToTask.observe(s);
  };

  const loop = () => {
    if (stopped) return;
    running = pass()
      .then((n) => {
        // A full batch: more is waiting, go on at once. A partial one: let rows gather for a moment,
        // so that under load the relay sends fewer, larger batches (measured: docs/benchmarks.md).
        const full = n >= (o.batch ?? 200);
        timer = setTimeout(loop, full ? 0 : n > 0 ? Math.min(150, o.intervalMs ?? 250) : (o.intervalMs ?? 250));
      })
      .catch((e: unknown) => {
        o.log.warn('outbox relay pass failed; retrying', { error: (e as Error).message });
        timer = setTimeout(loop, 1_000);
      });
  };

  return {
    start: () => loop(),
    pass,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await lead.release();
    },
  };
}
