import { z } from 'zod';
import { patientIdSchema, QUEUES, TASK_STATUSES, TASK_TYPES } from '@tandem/domain';
import { TASK_CURSOR_PATTERN } from '@tandem/db';

export const taskIdSchema = z.uuid({ error: 'task id must be a UUID' });

export const listTasksQuerySchema = z.strictObject({
  queue: z.enum(QUEUES).optional(),
  status: z.enum(TASK_STATUSES).optional(),
  patientId: patientIdSchema.optional(),
  type: z.enum(Object.keys(TASK_TYPES) as [keyof typeof TASK_TYPES, ...(keyof typeof TASK_TYPES)[]]).optional(),
  priority: z.enum(['urgent', 'soon', 'routine']).optional(),
  /** Claimed by this user ("my tasks"). */
  claimedBy: z
    .string()
    .regex(/^[A-Za-z0-9._@-]{1,64}$/, 'a user id')
    .optional(),
  /** `true`: only tasks past their due time. */
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** `nextCursor` of the page before. */
  cursor: z.string().regex(TASK_CURSOR_PATTERN, 'the nextCursor of a page').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const queueCountsSchema = z.object({
  items: z.array(z.object({ queue: z.enum(QUEUES), open: z.number().int(), claimed: z.number().int(), overdue: z.number().int(), urgent: z.number().int() })),
});

const userId = z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'a user id: letters, digits, . _ @ - (at most 64)');

export const completeTaskBodySchema = z.strictObject({
  outcome: z.string().min(1).max(64),
  note: z.string().max(2_000).optional(),
  /**
   * `assign-key-worker` only: who the key worker is (default: the one completing it), a known member
   * of staff (someone Tandem has admitted with a care role; else 422). docs/contract.md section 7 caseload.
   */
  keyWorker: userId.optional(),
  /** Complete a task someone else has claimed: recorded on the task and in the audit (ADR 0004); without it, 409. */
  takeOver: z.boolean().optional().describe('complete a task claimed by someone else (recorded on the task and in the audit)'),
  /**
   * When the work was done, if earlier than now: a call made yesterday and recorded today. No later
   * than now (a few minutes' clock skew allowed) and no earlier than the clinical time of the event
   * that opened the task (else 400). Default: now. docs/contract.md section 5.
   */
  completedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('when it was done, if earlier than now (RFC 3339): not in the future, not before what opened the task'),
});

export const reassignBodySchema = z.strictObject({ to: userId });

export type ListTasksQuery = z.infer<typeof listTasksQuerySchema>;
export type CompleteTaskBody = z.infer<typeof completeTaskBodySchema>;

/** Task JSON of docs/contract.md section 5, for the OpenAPI document. */
export const taskSchema = z.object({
  id: z.uuid(),
  patientId: z.string(),
  type: z.enum(Object.keys(TASK_TYPES) as [keyof typeof TASK_TYPES, ...(keyof typeof TASK_TYPES)[]]),
  queue: z.enum(QUEUES),
  priority: z.enum(['urgent', 'soon', 'routine']),
  status: z.enum(TASK_STATUSES),
  dueAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  openedAt: z.iso.datetime().optional().describe('for a task opened while its pathway caught up with a loaded history: when, clinically (ADR 0019)'),
  claimedBy: z.string().optional(),
  completedAt: z.iso.datetime().optional(),
  outcome: z.string().optional(),
  note: z.string().optional(),
  escalationLevel: z.number().int(),
  allowedOutcomes: z.array(z.string()).describe('outcomes POST /complete accepts for this task type'),
  summary: z.string().describe('the task in words, e.g. "Symptom review — pain 8/10, severe, reported 30 Nov"'),
  reason: z.object({ rule: z.string().describe('docs/clinical-rules.md rule id'), evidence: z.record(z.string(), z.unknown()) }),
});

export const errorSchema = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional() });
