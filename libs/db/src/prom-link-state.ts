import type { Pool } from 'pg';
import type { PromLinkClaims } from './prom-links';
import { patientStanding } from './patient-standing';

/**
 * Whether a (genuine, unexpired) PROM-page link may still be answered, and if not, why: each reason
 * has its own page in the patient's language (docs/patient-page.md).
 */
export type PromLinkState =
  | { state: 'open'; preferredLanguage: string | undefined }
  | { state: 'used' | 'revoked' | 'replaced' | 'died' | 'withdrawn' | 'declined'; preferredLanguage: string | undefined };

export async function promLinkState(db: Pool, claims: PromLinkClaims): Promise<PromLinkState> {
  const [standing, r] = await Promise.all([
    patientStanding(db, claims.pid),
    db.query<{ used: boolean; revoked: boolean; replaced: boolean }>(
      `SELECT
         EXISTS (SELECT 1 FROM prom_link_use WHERE request_id = $1)
           OR EXISTS (SELECT 1 FROM pathway_fact WHERE patient_id = $2 AND name = 'prom-answered' AND value->>'requestId' = $1) AS used,
         EXISTS (SELECT 1 FROM prom_link_revocation WHERE request_id = $1) AS revoked,
         EXISTS (SELECT 1 FROM pathway_fact later JOIN pathway_fact this
                   ON this.patient_id = later.patient_id AND this.name = later.name AND this.value->>'requestId' = $1
                  WHERE later.patient_id = $2 AND later.name = 'prom-requested' AND later.at > this.at) AS replaced`,
      [claims.rid, claims.pid],
    ),
  ]);
  const preferredLanguage = standing.preferredLanguage;
  // A death first: its page must never read like a reminder.
  if (standing.died) return { state: 'died', preferredLanguage };
  if (standing.withdrawn) return { state: 'withdrawn', preferredLanguage };
  if (standing.promsDeclined) return { state: 'declined', preferredLanguage };
  const row = r.rows[0];
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
