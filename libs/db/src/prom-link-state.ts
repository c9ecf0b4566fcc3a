import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { PromLinkClaims } from './prom-links';
import { patientStanding } from './patient-standing';

/**
 * Whether a (genuine, unexpired) PROM-page link may still be answered, and if not, why. A link of a
 * pathway that has closed — the patient died, withdrew or declined, declined questionnaires, or was
 * transferred out — is `closed`, whatever the reason: the page must not tell whoever holds the link
 * why (docs/patient-page.md), nor the patient's language.
 */
export type PromLinkState =
  | { state: 'open'; preferredLanguage: string | undefined }
  | { state: 'used' | 'revoked' | 'replaced'; preferredLanguage: string | undefined }
  | { state: 'closed' };

/** The SHA-256 of a link's token: what `prom_link` keeps of it (migration 015). */
export const promTokenHash = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * Whether this token is one Tandem queued for this request and patient, found by its hash: the table
 * the page reads holds no usable link (docs/security.md "Secrets at rest").
 */
export async function promLinkIssued(db: Pool, token: string, claims: PromLinkClaims): Promise<boolean> {
  const r = await db.query(`SELECT 1 FROM prom_link WHERE token_hash = $1 AND request_id = $2 AND patient_id = $3`, [
    promTokenHash(token),
    claims.rid,
    claims.pid,
  ]);
  return (r.rowCount ?? 0) > 0;
}

export async function promLinkState(db: Pool, claims: PromLinkClaims): Promise<PromLinkState> {
  const [standing, r] = await Promise.all([
    patientStanding(db, claims.pid),
    db.query<{ used: boolean; revoked: boolean; replaced: boolean; transferred: boolean; closed: boolean }>(
      `SELECT
         EXISTS (SELECT 1 FROM prom_link_use WHERE request_id = $1)
           OR EXISTS (SELECT 1 FROM pathway_fact WHERE patient_id = $2 AND name = 'prom-answered' AND value->>'requestId' = $1) AS used,
         EXISTS (SELECT 1 FROM prom_link_revocation WHERE request_id = $1) AS revoked,
         EXISTS (SELECT 1 FROM pathway_fact later JOIN pathway_fact this
                   ON this.patient_id = later.patient_id AND this.name = later.name AND this.value->>'requestId' = $1
                  WHERE later.patient_id = $2 AND later.name = 'prom-requested' AND later.at > this.at) AS replaced,
         -- A transfer out closes every request made before it (a re-enrolment's new requests are after it).
         EXISTS (SELECT 1 FROM clinical_event t WHERE t.patient_id = $2 AND t.type = 'patient.transferred'
                   AND NOT EXISTS (SELECT 1 FROM pathway_fact q WHERE q.patient_id = $2 AND q.name = 'prom-requested'
                                     AND q.value->>'requestId' = $1 AND q.at > t.time)) AS transferred,
         EXISTS (SELECT 1 FROM pathway_stage WHERE patient_id = $2 AND stage = 'closed') AS closed`,
      [claims.rid, claims.pid],
    ),
  ]);
  const row = r.rows[0];
  // Closed first: its page must never read like a reminder, and says nothing of why.
  if (standing.died || standing.withdrawn || standing.promsDeclined || row?.transferred || row?.closed) return { state: 'closed' };
  const preferredLanguage = standing.preferredLanguage;
  if (row?.used) return { state: 'used', preferredLanguage };
  if (row?.revoked) return { state: 'revoked', preferredLanguage };
  if (row?.replaced) return { state: 'replaced', preferredLanguage };
  return { state: 'open', preferredLanguage };
}

/**
 * Claims a request for an answer from its link, once: false when it was claimed already. The caller
 * releases the claim (`releasePromLink`) when the answer could not be queued, so a retry can succeed.
 */
export async function claimPromLink(db: Pool, claims: PromLinkClaims, responseIds: string[]): Promise<boolean> {
  const r = await db.query(`INSERT INTO prom_link_use (request_id, patient_id, response_ids) VALUES ($1, $2, $3) ON CONFLICT (request_id) DO NOTHING`, [
    claims.rid,
    claims.pid,
    responseIds,
  ]);
  return r.rowCount === 1;
}

export async function releasePromLink(db: Pool, requestId: string): Promise<void> {
  await db.query(`DELETE FROM prom_link_use WHERE request_id = $1`, [requestId]);
}

/** Staff withdraw a link before it is used; false when there was nothing to revoke (already used or revoked). */
export async function revokePromLink(db: Pool, r: { requestId: string; patientId: string; by: string; reason: string }): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO prom_link_revocation (request_id, patient_id, revoked_by, reason)
     SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM prom_link_use WHERE request_id = $1)
     ON CONFLICT (request_id) DO NOTHING`,
    [r.requestId, r.patientId, r.by, r.reason],
  );
  return res.rowCount === 1;
}
