import type { ClinicalEvent } from '../events/envelope';
import type { Priority, Queue, Reason, TaskType } from '../tasks/vocabulary';
import type { TimerPurpose } from './timers';
import type { NOTIFICATION_CHANNELS } from '../notifications/schema';
import type { RuleId } from '../rules/catalogue';
import type { TaskMemory } from './memory';

/**
 * What the workflow feeds the rules. `at` is workflow time when the input was handled; clinical
 * judgements use the event's own `time`.
 */
export type PathwayInput =
  | { kind: 'event'; event: ClinicalEvent; at: string }
  | { kind: 'timer'; timerId: string; purpose: TimerPurpose; at: string }
  | { kind: 'task.completed'; commandId: string; outcome: string; completedAt: string; at: string };

export const NOTIFICATION_KINDS = ['prom-request', 'prom-reminder', 'clinician-reminder', 'escalation', 'gp-update', 'caregiver-information'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const RECIPIENT_ROLES = ['patient', 'caregiver', 'gp', 'key-worker', 'queue', 'team'] as const;
export type RecipientRole = (typeof RECIPIENT_ROLES)[number];
/** How the notifier delivers (docs/notifications.md); the policy's `delivery` says which, per recipient. */
export const DELIVERY_CHANNELS = ['email', 'sms', 'in-app'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

export interface NotificationSpec {
  kind: NotificationKind;
  recipient: { role: RecipientRole; id?: string };
  channel: (typeof NOTIFICATION_CHANNELS)[number];
  text: string;
  /** The task this notification is about, by the command that opened it. */
  taskCommandId?: string;
  /** Patient-facing notifications are suppressed once death is known (invariant 1). */
  patientFacing: boolean;
  reason: Reason;
}

/** A task as the rules specify it; `subject` tells apart several of one type (a caregiver, an overdue task). */
export interface TaskSpec {
  type: TaskType;
  subject: string;
  queue: Queue;
  priority: Priority;
  dueAt: string;
  openedAt: string;
  reason: Reason;
  patientFacing: boolean;
  /** What later decisions need of the task (memory.ts); absent in tasks opened before 2026-12-07. */
  memory?: TaskMemory;
}

/** What the rules ask the workflow to do. Every command that touches the world carries a reason. */
export type PathwayCommand =
  | { kind: 'open-task'; commandId: string; task: TaskSpec }
  | { kind: 'update-task'; commandId: string; target: string; priority: Priority; dueAt: string; escalationLevel?: number; reason: Reason; memory?: TaskMemory }
  | { kind: 'close-task'; commandId: string; target: string; status: 'done' | 'cancelled'; why: string; at: string; rule: RuleId }
  | { kind: 'notify'; commandId: string; notification: NotificationSpec }
  | { kind: 'record-fact'; commandId: string; fact: { name: string; value: unknown; at: string; reason: Reason } }
  /** An event the pathway cannot keep: parked on the dead-letter topic with its reason, for replay (invariant 7). */
  | { kind: 'park-event'; commandId: string; event: ClinicalEvent; reason: string; detail: string }
  | { kind: 'schedule-timer'; timerId: string; fireAt: string; purpose: TimerPurpose }
  | { kind: 'cancel-timer'; timerId: string };

export type CommandKind = PathwayCommand['kind'];
