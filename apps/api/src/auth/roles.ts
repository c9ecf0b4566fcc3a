/** The people who use Tandem: each signs in and works with patient data (or, `ops`, with measures only). */
export const STAFF_ROLES = ['coordinator', 'clinician', 'specialist', 'ops', 'admin'] as const;
/**
 * Every role a token may carry: the staff's, and `integration`, a service account (a hospital system
 * sending events over HTTP) that may only post clinical events (apps/api/src/events/authorship.ts).
 */
export const ROLES = [...STAFF_ROLES, 'integration'] as const;
export type Role = (typeof ROLES)[number];

/** The roles that work with patient data (everyone but `ops`, who sees measures only). */
export const PATIENT_WORK_ROLES = ['coordinator', 'clinician', 'specialist', 'admin'] as const satisfies readonly Role[];

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

export interface Principal {
  sub: string;
  roles: Role[];
}
