import type { Queue } from '@tandem/domain';
import { QUEUES } from '@tandem/domain';
import type { Principal, Role } from './roles';

/**
 * Which task queues each role works from. `ops` sees measures only, never patient data; `admin`
 * sees everything. A caller may read and act on a task only in one of their queues.
 */
const QUEUE_ACCESS: Record<Role, readonly Queue[]> = {
  coordinator: ['coordination', 'escalations', 'community-nursing', 'bereavement', 'psychosocial'],
  clinician: ['oncology', 'on-call', 'psychosocial'],
  specialist: ['specialist-palliative', 'on-call'],
  ops: [],
  admin: QUEUES,
  integration: [],
};

export function queuesOf(p: Principal): Queue[] {
  return [...new Set(p.roles.flatMap((r) => QUEUE_ACCESS[r]))];
}

/** The role-to-queue map as docs/contract.md section 5 shows it (a test holds the document to it). */
export function queuesByRoleTable(): string {
  const rows = (Object.keys(QUEUE_ACCESS) as Role[]).map(
    (r) => `| \`${r}\` | ${QUEUE_ACCESS[r].length === 0 ? '— (no patient data)' : QUEUE_ACCESS[r].map((q) => `\`${q}\``).join(', ')} |`,
  );
  return ['| role | queues it works |', '|---|---|', ...rows].join('\n');
}

export function mayUseQueue(p: Principal, queue: string): boolean {
  return queuesOf(p).includes(queue as Queue);
}
