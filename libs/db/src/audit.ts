import type { Pool } from 'pg';

export interface AuditEntry {
  actor: string;
  roles: string[];
  action: string;
  patientIds: string[];
  resource?: string;
  status: number;
}

/** Appends audit rows: one per patient touched (or one without a patient). */
export async function writeAudit(pool: Pool, e: AuditEntry): Promise<void> {
  const patients = e.patientIds.length ? [...new Set(e.patientIds)] : [null];
  await pool.query(
    `INSERT INTO audit (actor, roles, action, patient_id, resource, status)
     SELECT $1, $2, $3, p, $5, $6 FROM unnest($4::text[]) AS p`,
    [e.actor, e.roles, e.action, patients, e.resource ?? null, e.status],
  );
}
