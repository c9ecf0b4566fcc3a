import type { Pool, PoolClient } from 'pg';
import { INSERT_ITEMS, ITEM_COLUMNS, UPSERT_PATIENTS } from './cohorts';

/** Any fixed 64-bit number: one refresher at a time keeps the tallies' row locks in one order (no deadlocks). */
const REFRESH_LOCK = 7_245_110_309;
const columns = ITEM_COLUMNS.split(', ');
const same = (a: string, b: string) =>
  `ROW(${columns.map((c) => `${a}.${c}`).join(', ')}) IS NOT DISTINCT FROM ROW(${columns.map((c) => `${b}.${c}`).join(', ')})`;

/**
 * Derives the measure items of these patients afresh from their facts and tasks, and applies only
 * the difference: items gone or changed are deleted, new or changed ones inserted (the tallies follow
 * by trigger, migration 009). Runs inside the caller's transaction.
 */
export async function refreshPatients(client: PoolClient, patientIds: readonly string[]): Promise<void> {
  if (patientIds.length === 0) return;
  const ids = [...patientIds];
  await client.query('CREATE TEMP TABLE IF NOT EXISTS measure_item_fresh (LIKE measure_item INCLUDING INDEXES) ON COMMIT DELETE ROWS');
  await client.query({ name: 'measure-items-derive', text: INSERT_ITEMS, values: [ids] });
  await client.query('ANALYZE measure_item_fresh');
  await client.query({
    name: 'measure-items-remove',
    text: `DELETE FROM measure_item m WHERE m.patient_id = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM measure_item_fresh n
              WHERE n.measure_id = m.measure_id AND n.patient_id = m.patient_id AND n.item_key = m.item_key AND ${same('n', 'm')})`,
    values: [ids],
  });
  await client.query({
    name: 'measure-items-add',
    text: `INSERT INTO measure_item (${ITEM_COLUMNS}) SELECT ${ITEM_COLUMNS} FROM measure_item_fresh n
            WHERE NOT EXISTS (SELECT 1 FROM measure_item m WHERE m.measure_id = n.measure_id AND m.patient_id = n.patient_id AND m.item_key = n.item_key)`,
  });
  await client.query({ name: 'measure-patients', text: UPSERT_PATIENTS, values: [ids] });
}

/**
 * Brings the measure items up to date with every change since the last refresh: takes the patients
 * the triggers marked (migrations 009 and 020), a batch of marks at a time. A change committed while
 * a pass runs left a mark that pass could not see, and the next pass takes it. Returns how many
 * patients were refreshed.
 */
export async function refreshDirtyMeasures(pool: Pool, batch = 2000): Promise<number> {
  let total = 0;
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [REFRESH_LOCK]);
      const { rows } = await client.query<{ patient_id: string }>(
        // A batch of patients (each may have many marks: one per transaction), the longest waiting first.
        `DELETE FROM measure_dirty WHERE patient_id IN (SELECT patient_id FROM measure_dirty GROUP BY patient_id ORDER BY min(since) LIMIT $1) RETURNING patient_id`,
        [batch],
      );
      // A patient has a mark per transaction that changed it (migration 020): refreshed once.
      const patients = [...new Set(rows.map((r) => r.patient_id))];
      await refreshPatients(client, patients);
      await client.query('COMMIT');
      total += patients.length;
      if (patients.length < batch) return total;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
}
