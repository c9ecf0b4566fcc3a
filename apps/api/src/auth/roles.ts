export const ROLES = ['coordinator', 'clinician', 'specialist', 'ops', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}

export interface Principal {
  sub: string;
  roles: Role[];
}
