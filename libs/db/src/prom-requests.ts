import type { Pool } from 'pg';

/**
 * The PROM requests made for a patient, by their internal ids: recorded by the pathway
 * (`prom-requested` facts) or delivered by the notifier (`prom-request` notifications). A request
 * that is not among them does not exist for this patient, whatever its id says.
 */
export async function promRequestIds(db: Pool, patientId: string): Promise<string[]> {
  const r = await db.query<{ request_id: string }>(
    `SELECT DISTINCT request_id FROM (
       SELECT value->>'requestId' AS request_id FROM pathway_fact WHERE patient_id = $1 AND name = 'prom-requested'
       UNION ALL
       SELECT payload->'reason'->'evidence'->>'requestId' FROM notification WHERE patient_id = $1 AND kind = 'prom-request'
     ) r WHERE request_id IS NOT NULL`,
    [patientId],
  );
  return r.rows.map((x) => x.request_id);
}
