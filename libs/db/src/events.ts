import type { Pool } from 'pg';
import type { ClinicalEvent } from '@tandem/domain';

/** Stores an accepted event once; a redelivery is a no-op. Returns whether this call stored it. */
export async function recordEvent(pool: Pool, e: ClinicalEvent): Promise<boolean> {
  const r = await pool.query(
    `INSERT INTO clinical_event (id, patient_id, type, time, source, envelope) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
    [e.id, e.subject, e.type, e.time, e.source, JSON.stringify(e)],
  );
  return r.rowCount === 1;
}

export interface OutboxRow {
  id: string;
  topic: string;
  patientId: string;
  payload: Record<string, unknown>;
}

/** The oldest unsent outbox rows, in creation order (so per patient in order). */
export async function unsentOutbox(pool: Pool, limit: number): Promise<OutboxRow[]> {
  const r = await pool.query<{ id: string; topic: string; patient_id: string; payload: Record<string, unknown> }>(
    `SELECT id, topic, patient_id, payload FROM outbox WHERE sent_at IS NULL ORDER BY created_at, id LIMIT $1`,
    [limit],
  );
  return r.rows.map((x) => ({ id: x.id, topic: x.topic, patientId: x.patient_id, payload: x.payload }));
}

export async function markSent(pool: Pool, ids: string[]): Promise<void> {
  if (ids.length) await pool.query(`UPDATE outbox SET sent_at = now() WHERE id = ANY($1::uuid[]) AND sent_at IS NULL`, [ids]);
}
