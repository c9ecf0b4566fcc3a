import type { Pool, PoolClient } from 'pg';

type Db = Pool | PoolClient;

/**
 * The birth date the event log holds for each of these patients: from their latest accepted
 * registration by arrival (registration is an integration's or an administrator's; a forged
 * clinical time cannot pick it). Patients not registered yet are absent.
 */
export async function birthDates(db: Db, patientIds: readonly string[]): Promise<Map<string, string>> {
  if (patientIds.length === 0) return new Map();
  const r = await db.query<{ patient_id: string; birth_date: string }>({
    name: 'tandem-birth-dates',
    text: `SELECT DISTINCT ON (patient_id) patient_id, envelope->'data'->>'birthDate' AS birth_date FROM clinical_event
            WHERE patient_id = ANY($1::text[]) AND type = 'patient.registered' AND envelope->'data'->>'birthDate' IS NOT NULL
            ORDER BY patient_id, received_at DESC`,
    values: [[...new Set(patientIds)]],
  });
  return new Map(r.rows.map((x) => [x.patient_id, x.birth_date]));
}
