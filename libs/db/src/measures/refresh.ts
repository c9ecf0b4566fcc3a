import type { Pool, PoolClient } from 'pg';
import { INSERT_ITEMS, UPSERT_PATIENTS } from './cohorts';

/** Derives the measure items of these patients afresh from their facts and tasks (one transaction). */
export async function refreshPatients(client: PoolClient, patientIds: readonly string[]): Promise<void> {
  if (patientIds.length === 0) return;
  const ids = [...patientIds];
  await client.query('DELETE FROM measure_item WHERE patient_id = ANY($1::text[])', [ids]);
  await client.query({ name: 'measure-items', text: INSERT_ITEMS, values: [ids] });
  await client.query({ name: 'measure-patients', text: UPSERT_PATIENTS, values: [ids] });
}

/**
 * Brings the measure items up to date with every change since the last refresh: takes the patients
 * the triggers marked (migration 009), a batch at a time, skipping those another refresher holds.
 * A patient changed again while being refreshed is marked again and taken by the next pass.
 * Returns how many patients were refreshed.
 */
export async function refreshDirtyMeasures(pool: Pool, batch = 2000): Promise<number> {
  let total = 0;
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ patient_id: string }>(
        `DELETE FROM measure_dirty WHERE patient_id IN (
           SELECT patient_id FROM measure_dirty ORDER BY since LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING patient_id`,
        [batch],
      );
      await refreshPatients(
        client,
        rows.map((r) => r.patient_id),
      );
      await client.query('COMMIT');
      total += rows.length;
      if (rows.length < batch) return total;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
}
