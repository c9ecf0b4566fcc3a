import type { RuleId } from '../rules/catalogue';
/** The task vocabulary of docs/contract.md section 5: each type and its default queue. */
export const TASK_TYPES = {
  'assign-key-worker': 'coordination',
  'baseline-assessment': 'oncology',
  'psychosocial-assessment': 'psychosocial',
  'explain-palliative-care': 'oncology',
  'acp-conversation': 'oncology',
  'prom-not-returned': 'coordination',
  'symptom-review': 'oncology',
  'specialist-referral-proposal': 'oncology',
  'specialist-referral-triage': 'specialist-palliative',
  'hospice-referral-discussion': 'oncology',
  'mdt-review': 'oncology',
  'discharge-follow-up': 'community-nursing',
  'caregiver-assessment': 'psychosocial',
  'eol-care-plan': 'specialist-palliative',
  'bereavement-contact': 'bereavement',
  'bereavement-check-in': 'bereavement',
  'grief-screening': 'bereavement',
  escalation: 'escalations',
} as const;

export type TaskType = keyof typeof TASK_TYPES;
export type Queue = (typeof TASK_TYPES)[TaskType] | 'on-call';
export const QUEUES = [...new Set<Queue>([...Object.values(TASK_TYPES), 'on-call'])];

export const PRIORITIES = ['urgent', 'soon', 'routine'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TASK_STATUSES = ['open', 'claimed', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Outcomes a completion may record, per type. Types not listed accept `done`. */
export const TASK_OUTCOMES: Partial<Record<TaskType, readonly string[]>> = {
  'assign-key-worker': ['assigned'],
  'specialist-referral-proposal': ['agreed', 'declined'],
  'specialist-referral-triage': ['seen'],
  'acp-conversation': ['ready', 'not-ready', 'declined', 'documented'],
  // docs/clinical-rules.md 2.7: high caregiver distress leads to a psychosocial referral.
  'caregiver-assessment': ['done', 'high-distress'],
};

export function allowedOutcomes(type: TaskType): readonly string[] {
  return TASK_OUTCOMES[type] ?? ['done'];
}

/** Task types, their default queue and the outcomes a completion may record, as docs/contract.md section 5 shows them. */
export function taskTypesTable(): string {
  const rows = (Object.keys(TASK_TYPES) as TaskType[]).map(
    (t) => `| \`${t}\` | \`${TASK_TYPES[t]}\`${t === 'escalation' ? ' (or `on-call`)' : ''} | ${allowedOutcomes(t).map((o) => `\`${o}\``).join(', ')} |`,
  );
  return ['| type | default queue | outcomes |', '|---|---|---|', ...rows].join('\n');
}

export function isTaskType(value: string): value is TaskType {
  return Object.hasOwn(TASK_TYPES, value);
}

/** Why a task or notification exists (docs/clinical-rules.md invariant 5): the rule id and its evidence. */
export interface Reason {
  rule: RuleId;
  evidence: Record<string, unknown>;
}

/** Task JSON of docs/contract.md section 5. */
export interface Task {
  id: string;
  patientId: string;
  type: TaskType;
  queue: Queue;
  priority: Priority;
  status: TaskStatus;
  dueAt: string;
  createdAt: string;
  /** A task opened while its pathway caught up with a loaded history (ADR 0019): when, clinically. */
  openedAt?: string;
  claimedBy?: string;
  completedAt?: string;
  outcome?: string;
  note?: string;
  escalationLevel: number;
  reason: Reason;
}
