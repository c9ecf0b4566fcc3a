import type { Priority, Reason, TaskType } from '../tasks/vocabulary';

/** DOMAIN.md section 2 stages; `none` before enrolment. */
export const STAGES = ['none', 'enrolled', 'concurrent-care', 'specialist-involvement', 'end-of-life', 'bereavement', 'closed'] as const;
export type Stage = (typeof STAGES)[number];
export type Level = 'primary' | 'secondary' | 'tertiary';

/** A task the pathway opened, keyed by the command that opened it (its idempotency key). */
export interface PathwayTask {
  commandId: string;
  type: TaskType;
  priority: Priority;
  dueAt: string;
  reason: Reason;
  status: 'open' | 'done' | 'cancelled';
  outcome?: string;
  closedAt?: string;
}

export interface PathwayState {
  patientId: string;
  stage: Stage;
  level: Level;
  enrolledAt?: string;
  diagnosis?: { cancerType: string; diagnosedAt: string; eventId: string };
  flags: string[];
  tasks: Record<string, PathwayTask>;
}

export function initialState(patientId: string): PathwayState {
  return { patientId, stage: 'none', level: 'secondary', flags: [], tasks: {} };
}
