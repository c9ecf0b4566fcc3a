import { z } from 'zod';
import { NOTIFICATION_KINDS, RECIPIENT_ROLES } from '../pathway/inputs';

/** The channels a rule may name (docs/contract.md section 4); the notifier maps them to the ones it delivers by. */
export const NOTIFICATION_CHANNELS = ['app', 'sms', 'email', 'phone', 'worklist', 'shared-record'] as const;

/**
 * A record on `care-notifications` (docs/contract.md section 4), written once here: the step that queues it
 * (libs/db step-ops) builds this shape and the notifier parses it with this schema.
 */
export const careNotificationSchema = z.object({
  id: z.uuid(),
  patientId: z.string().min(1).max(200),
  kind: z.enum(NOTIFICATION_KINDS),
  recipient: z.object({ role: z.enum(RECIPIENT_ROLES), id: z.string().min(1).max(200).optional() }),
  channel: z.enum(NOTIFICATION_CHANNELS),
  text: z.string().min(1).max(2000),
  taskId: z.uuid().optional(),
  createdAt: z.iso.datetime({ offset: true }),
  reason: z.object({ rule: z.string().min(1), evidence: z.record(z.string(), z.unknown()) }),
  /** A prom-request's or prom-reminder's link to the patient's PROM page. */
  link: z.url().optional(),
});

export type CareNotification = z.infer<typeof careNotificationSchema>;

/** What a step writes; PostgreSQL adds the `id` and the `taskId` (tandem_carry_out, libs/db/migrations/R__carry_out.sql). */
export type QueuedNotification = Omit<CareNotification, 'id' | 'taskId'>;

/** Notifications that take the patient to their PROM page. */
export const carriesPromLink = (kind: CareNotification['kind']): boolean => kind === 'prom-request' || kind === 'prom-reminder';
