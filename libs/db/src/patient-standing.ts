import type { Pool, PoolClient } from 'pg';

type Db = Pool | PoolClient;

/** Who a completed `assign-key-worker` task named (the completion's `keyWorker`, else its completer). */
export const KEY_WORKER = `COALESCE(key_worker, completed_by)`;

/**
 * Which registration is the latest (docs/security.md, "contact details"): by clinical time, but never
 * later than when it was received. A registration claiming a time in the future (9999-12-31) counts
 * from its arrival, so it cannot outrank a genuine one received after it; an older registration that
 * arrives late still counts from its own clinical time. Who may assert a registration at all is the
 * event intake's authorship table.
 */
const LATEST = `ORDER BY LEAST(time, received_at) DESC, received_at DESC, id DESC LIMIT 1`;

/**
 * What the event log says of a patient, whatever the pathway or the outbox hold: a death or a
 * withdrawal is known here as soon as its event is accepted (docs/clinical-rules.md invariant 1;
 * the notifier's and the PROM page's defence in depth).
 */
export interface PatientStanding {
  died: boolean;
  /** Withdrew from (or declined) the pathway. */
  withdrawn: boolean;
  /** The latest PROM consent decision is declined or withdrawn. */
  promsDeclined: boolean;
  /** From the latest `patient.registered` (as sent: a language tag or name). */
  preferredLanguage: string | undefined;
}

export async function patientStanding(db: Db, patientId: string): Promise<PatientStanding> {
  const r = await db.query<{ died: boolean; withdrawn: boolean; proms: string | null; language: string | null }>(
    `SELECT
       EXISTS (SELECT 1 FROM clinical_event WHERE patient_id = $1 AND type = 'patient.died') AS died,
       EXISTS (SELECT 1 FROM clinical_event WHERE patient_id = $1 AND type = 'consent.changed'
                 AND envelope->'data'->>'scope' = 'pathway' AND envelope->'data'->>'decision' IN ('withdrawn', 'declined')) AS withdrawn,
       (SELECT envelope->'data'->>'decision' FROM clinical_event WHERE patient_id = $1 AND type = 'consent.changed'
          AND envelope->'data'->>'scope' = 'proms' ORDER BY time DESC, received_at DESC LIMIT 1) AS proms,
       (SELECT envelope->'data'->>'preferredLanguage' FROM clinical_event WHERE patient_id = $1 AND type = 'patient.registered'
          ${LATEST}) AS language`,
    [patientId],
  );
  const row = r.rows[0];
  return {
    died: row?.died ?? false,
    withdrawn: row?.withdrawn ?? false,
    promsDeclined: row?.proms === 'declined' || row?.proms === 'withdrawn',
    preferredLanguage: row?.language ?? undefined,
  };
}

/** How to reach a patient or one of their caregivers, from their latest registration (never logged). */
export interface Contact {
  email?: string;
  phone?: string;
}

/** The patient's contact and GP practice, from their latest registration. */
export async function patientContact(db: Db, patientId: string): Promise<Contact & { gpPracticeId?: string }> {
  const r = await db.query<{ contact: unknown; gp: string | null }>(
    `SELECT envelope->'data'->'contact' AS contact, envelope->'data'->>'gpPracticeId' AS gp FROM clinical_event
      WHERE patient_id = $1 AND type = 'patient.registered' ${LATEST}`,
    [patientId],
  );
  const row = r.rows[0];
  return { ...contactOf(row?.contact), ...(row?.gp ? { gpPracticeId: row.gp } : {}) };
}

export async function caregiverContact(db: Db, patientId: string, caregiverId: string): Promise<Contact> {
  const r = await db.query<{ contact: unknown }>(
    `SELECT envelope->'data'->'contact' AS contact FROM clinical_event WHERE patient_id = $1 AND type = 'caregiver.registered'
        AND envelope->'data'->>'caregiverId' = $2 ${LATEST}`,
    [patientId, caregiverId],
  );
  return contactOf(r.rows[0]?.contact);
}

/** The patient's key worker: named when `assign-key-worker` was completed (by default, whoever completed it). */
export async function keyWorkerOf(db: Db, patientId: string): Promise<string | undefined> {
  const r = await db.query<{ key_worker: string }>(
    `SELECT ${KEY_WORKER} AS key_worker FROM task WHERE patient_id = $1 AND type = 'assign-key-worker' AND status = 'done'
      ORDER BY completed_at DESC NULLS LAST LIMIT 1`,
    [patientId],
  );
  return r.rows[0]?.key_worker;
}

/** A contact is `{ email?, phone? }` (docs/contract.md section 3), or for a caregiver possibly a bare address or number. */
function contactOf(raw: unknown): Contact {
  if (typeof raw === 'string') return raw.includes('@') ? { email: raw } : /^[+\d][\d\s()-]{5,}$/.test(raw) ? { phone: raw } : {};
  if (typeof raw !== 'object' || raw === null) return {};
  const c = raw as Record<string, unknown>;
  return {
    ...(typeof c.email === 'string' && c.email.includes('@') ? { email: c.email } : {}),
    ...(typeof c.phone === 'string' && c.phone.length > 0 ? { phone: c.phone } : {}),
  };
}

/** Every PROM response of a patient in clinical order (the symptom trajectories), at most `limit`, the latest kept. */
export async function promResponses(
  db: Db,
  patientId: string,
  limit = 1000,
): Promise<Array<{ at: string; instrument: 'ESAS-r' | 'DT'; scores: Record<string, number> }>> {
  const r = await db.query<{ at: Date; instrument: 'ESAS-r' | 'DT'; scores: Record<string, number> }>(
    `SELECT * FROM (SELECT time AS at, envelope->'data'->>'instrument' AS instrument, envelope->'data'->'scores' AS scores
                      FROM clinical_event WHERE patient_id = $1 AND type = 'prom.submitted' ORDER BY time DESC LIMIT $2) latest ORDER BY at`,
    [patientId, limit],
  );
  return r.rows.map((x) => ({ at: x.at.toISOString(), instrument: x.instrument, scores: x.scores }));
}
