import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { refreshDirtyMeasures } from '../src';
import { CohortWriter, scratchDatabase } from './support/measure-fixtures';

/**
 * A change's mark outlives a refresh that did not see it. A task completed in a transaction still
 * open while the refresher runs (the API keeps it open while it tells the workflow, ADR 0004) must be
 * refreshed later. The mark was one row per patient, and the change found it already there from an
 * earlier change; the refresher took that row and derived the items without the change, so the
 * caregiver stayed "not assessed" until the patient's next change. The simulator's oracle found it.
 */
let db: { pool: pg.Pool; drop: () => Promise<void> };

beforeAll(async () => {
  db = await scratchDatabase(inject('databaseUrl'), 'dirty');
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

const assessed = async (patientId: string) =>
  (
    await db.pool.query<{ in_numerator: boolean }>(`SELECT in_numerator FROM measure_item WHERE measure_id = 'caregivers.assessed' AND patient_id = $1`, [
      patientId,
    ])
  ).rows.map((r) => r.in_numerator);

describe('measure_dirty', () => {
  it('a completion committed after a refresh began is refreshed by the next one, though its patient was marked already', async () => {
    const w = new CohortWriter(db.pool);
    const patientId = 'p-race';
    await w.diagnosed(patientId, '2026-01-10');
    await w.fact(patientId, 'caregiver-consent-to-share', true, '2026-01-12T10:00:00Z', { caregiverId: 'cg-1' });
    const taskId = await w.task(patientId, { type: 'caregiver-assessment', subject: 'caregiver:cg-1', queue: 'psychosocial', dueAt: '2026-02-11T10:00:00Z' });
    await refreshDirtyMeasures(db.pool);
    expect(await assessed(patientId)).toEqual([false]);
    // Another change marks the patient, committed: the mark is there when the completion comes.
    await w.fact(patientId, 'admission', { setting: 'emergency' }, '2026-01-20T10:00:00Z');

    const completion = await db.pool.connect();
    try {
      await completion.query('BEGIN');
      await completion.query(`UPDATE task SET status = 'done', completed_at = '2026-01-25T10:00:00Z' WHERE id = $1`, [taskId]);
      // The refresher runs while the completion is not committed: it cannot see it.
      await refreshDirtyMeasures(db.pool);
      expect(await assessed(patientId)).toEqual([false]);
      await completion.query('COMMIT');
    } finally {
      completion.release();
    }
    // The completion's own mark is still there for the next refresh.
    const marks = await db.pool.query(`SELECT 1 FROM measure_dirty WHERE patient_id = $1`, [patientId]);
    expect(marks.rowCount).toBeGreaterThan(0);
    await refreshDirtyMeasures(db.pool);
    expect(await assessed(patientId)).toEqual([true]);
  });
});
