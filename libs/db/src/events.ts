import type { Pool } from 'pg';
import type { ClinicalEvent, Provenance } from '@tandem/domain';

// The statements run for every event or relay pass are named (prepared once per connection).

/**
 * Stores a batch of accepted events in one statement (one commit); each once, redeliveries are no-ops.
 * `provenance`: who brought each event (migration 013): where the bridge read it and the author the
 * API named, if any (absent: an integration produced it to the topic).
 */
export async function recordEvents(pool: Pool, rows: ReadonlyArray<{ event: ClinicalEvent; producedAt?: Date; provenance?: Provenance }>): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  await pool.query({
    name: 'tandem-record-events',
    text: `INSERT INTO clinical_event (id, patient_id, type, time, source, envelope, produced_at,
                                   brought_via, brought_by, brought_by_roles, kafka_topic, kafka_partition, kafka_offset)
     SELECT id, patient_id, type, time, source, envelope, produced_at,
            brought_via, brought_by, string_to_array(roles, ','), kafka_topic, kafka_partition, kafka_offset
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::jsonb[], $7::timestamptz[],
                   $8::text[], $9::text[], $10::text[], $11::text[], $12::int[], $13::bigint[])
         AS r(id, patient_id, type, time, source, envelope, produced_at, brought_via, brought_by, roles, kafka_topic, kafka_partition, kafka_offset)
     ON CONFLICT (source, id) DO NOTHING`,
    values: [
      col((r) => r.event.id),
      col((r) => r.event.subject),
      col((r) => r.event.type),
      col((r) => r.event.time),
      col((r) => r.event.source),
      col((r) => JSON.stringify(r.event)),
      col((r) => r.producedAt ?? null),
      col((r) => (r.provenance ? (r.provenance.author?.via ?? 'kafka') : null)),
      col((r) => (r.provenance?.author ? (r.provenance.author.via === 'api' ? r.provenance.author.sub : `patient-link ${r.provenance.author.link}`) : null)),
      col((r) => (r.provenance?.author?.via === 'api' ? r.provenance.author.roles.join(',') : null)),
      col((r) => r.provenance?.kafka.topic ?? null),
      col((r) => r.provenance?.kafka.partition ?? null),
      col((r) => r.provenance?.kafka.offset ?? null),
    ],
  });
}

/**
 * Which of these events conflict with the event log: the log holds their identity (source, id) with
 * other content — another subject, type, clinical time (as an instant) or data (as JSON, whatever
 * its key order). Asked after `recordEvents`, so every pair is in the log, by this event or an
 * earlier one (the log is append-only: the answer never changes). The same pair with the same
 * content is a redelivery, with the effect of one; another content is parked as
 * `conflicting-duplicate` (issue 26, finding 2), never applied. What counts: subject, type, time and
 * data; not `specversion`, `datacontenttype`, nor where or by whom it was brought.
 */
export async function conflictingEvents(pool: Pool, events: readonly ClinicalEvent[]): Promise<boolean[]> {
  if (events.length === 0) return [];
  const col = <T>(f: (e: ClinicalEvent) => T) => events.map(f);
  const r = await pool.query<{ ord: string }>({
    name: 'tandem-conflicting-events',
    text: `SELECT i.ord FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[])
                               WITH ORDINALITY AS i(source, id, patient_id, type, time, data, ord)
             JOIN clinical_event e ON e.source = i.source AND e.id = i.id
            WHERE e.patient_id <> i.patient_id OR e.type <> i.type OR e.time <> i.time OR e.envelope->'data' IS DISTINCT FROM i.data`,
    values: [col((e) => e.source), col((e) => e.id), col((e) => e.subject), col((e) => e.type), col((e) => e.time), col((e) => JSON.stringify(e.data))],
  });
  const conflicting = new Set(r.rows.map((x) => Number(x.ord) - 1));
  return events.map((_, i) => conflicting.has(i));
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
 * A task names its event by (source, id) (migration 014); one written by a step recorded before
 * names it by id alone.
 */
export async function eventToTaskSeconds(pool: Pool, taskIds: string[]): Promise<number[]> {
  if (taskIds.length === 0) return [];
  const r = await pool.query<{ seconds: number }>({
    name: 'tandem-event-to-task',
    text: `SELECT EXTRACT(EPOCH FROM t.created_at - e.produced_at)::float8 AS seconds
       FROM task t JOIN clinical_event e ON e.id = t.source_event_id AND e.source = coalesce(t.source_event_source, e.source)
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
