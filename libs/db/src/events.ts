import type { Pool } from 'pg';
import type { ClinicalEvent } from '@tandem/domain';

// The statements run for every event or relay pass are named (prepared once per connection).

/** Stores a batch of accepted events in one statement (one commit); each once, redeliveries are no-ops. */
export async function recordEvents(pool: Pool, rows: ReadonlyArray<{ event: ClinicalEvent; producedAt?: Date }>): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  await pool.query({
    name: 'tandem-record-events',
    text: `INSERT INTO clinical_event (id, patient_id, type, time, source, envelope, produced_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::jsonb[], $7::timestamptz[])
     ON CONFLICT (id) DO NOTHING`,
    values: [
      col((r) => r.event.id),
      col((r) => r.event.subject),
      col((r) => r.event.type),
      col((r) => r.event.time),
      col((r) => r.event.source),
      col((r) => JSON.stringify(r.event)),
      col((r) => r.producedAt ?? null),
    ],
  });
}

export interface OutboxRow {
  id: string;
  topic: string;
  patientId: string;
  payload: Record<string, unknown>;
}

/** The oldest unsent outbox rows, in creation order (so per patient in order). */
export async function unsentOutbox(pool: Pool, limit: number): Promise<OutboxRow[]> {
  const r = await pool.query<{ id: string; topic: string; patient_id: string; payload: Record<string, unknown> }>({
    name: 'tandem-unsent-outbox',
    text: `SELECT id, topic, patient_id, payload FROM outbox WHERE sent_at IS NULL ORDER BY created_at, seq LIMIT $1`,
    values: [limit],
  });
  return r.rows.map((x) => ({ id: x.id, topic: x.topic, patientId: x.patient_id, payload: x.payload }));
}

export async function markSent(pool: Pool, ids: string[]): Promise<void> {
  if (ids.length)
    await pool.query({ name: 'tandem-mark-sent', text: `UPDATE outbox SET sent_at = now() WHERE id = ANY($1::uuid[]) AND sent_at IS NULL`, values: [ids] });
}

/**
 * Deletes relayed outbox rows older than the retention, a batch at a time (short transactions, no
 * long lock); returns how many went. Several bridges may prune at once: each takes rows the others
 * have not locked.
 */
export async function pruneOutbox(pool: Pool, retentionMs: number, batch = 5_000): Promise<number> {
  const r = await pool.query({
    name: 'tandem-prune-outbox',
    text: `DELETE FROM outbox WHERE id IN (
             SELECT id FROM outbox WHERE sent_at IS NOT NULL AND sent_at < now() - make_interval(secs => $1::float8 / 1000)
             ORDER BY sent_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    values: [retentionMs, batch],
  });
  return r.rowCount ?? 0;
}

/** Outbox rows not yet relayed and the age of the oldest, for the backlog gauges. */
export async function outboxBacklog(pool: Pool): Promise<{ rows: number; oldestSeconds: number }> {
  const r = await pool.query<{ rows: string; oldest: number | null }>(
    `SELECT count(*) AS rows, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest FROM outbox WHERE sent_at IS NULL`,
  );
  return { rows: Number(r.rows[0]?.rows ?? 0), oldestSeconds: r.rows[0]?.oldest ?? 0 };
}

/**
 * Seconds from each event's production to the commit of the task it opened, for the tasks given
 * (those whose opening the relay just published). Tasks opened by timers have no source event.
 */
export async function eventToTaskSeconds(pool: Pool, taskIds: string[]): Promise<number[]> {
  if (taskIds.length === 0) return [];
  const r = await pool.query<{ seconds: number }>({
    name: 'tandem-event-to-task',
    text: `SELECT EXTRACT(EPOCH FROM t.created_at - e.produced_at)::float8 AS seconds
       FROM task t JOIN clinical_event e ON e.id = t.source_event_id
      WHERE t.id = ANY($1::uuid[]) AND e.produced_at IS NOT NULL`,
    values: [taskIds],
  });
  return r.rows.map((x) => Math.max(0, x.seconds));
}

/** Which of these dead-letter offsets were already re-submitted. */
export async function replayedDlqOffsets(pool: Pool, topic: string, partition: number): Promise<Set<string>> {
  const r = await pool.query<{ dlq_offset: string }>(`SELECT dlq_offset FROM dlq_replay WHERE dlq_topic = $1 AND dlq_partition = $2`, [topic, partition]);
  return new Set(r.rows.map((x) => x.dlq_offset));
}

export async function markDlqReplayed(pool: Pool, topic: string, partition: number, offset: string, error: string): Promise<void> {
  await pool.query(`INSERT INTO dlq_replay (dlq_topic, dlq_partition, dlq_offset, error) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
    topic,
    partition,
    offset,
    error,
  ]);
}
