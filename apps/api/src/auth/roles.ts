export const ROLES = ['coordinator', 'clinician', 'specialist', 'ops', 'admin'] as const;
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
