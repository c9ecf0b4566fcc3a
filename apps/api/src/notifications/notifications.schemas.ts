import { z } from 'zod';
import { DELIVERY_CHANNELS, NOTIFICATION_KINDS, RECIPIENT_ROLES } from '@tandem/domain';
import type { NotificationView } from '@tandem/db';
import { REQUEST_HANDLE_PATTERN } from './request-handle';

export const NOTIFICATION_STATUSES = ['pending', 'delivered', 'parked', 'dropped'] as const;

export const notificationsQuerySchema = z.strictObject({
  status: z.enum(NOTIFICATION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const listQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const notificationIdSchema = z.uuid({ error: 'notification id must be a UUID' });

/** A PROM request's id (the `requestId` of its prom-request's evidence and of `prom.submitted`). */
export const requestIdSchema = z.string().min(1).max(200);
/** How a URL names a PROM request: its handle (`requestHandle` of its notification), not its guessable id. */
export const requestHandleSchema = z.string().regex(REQUEST_HANDLE_PATTERN, 'a request handle: the requestHandle of the request’s notification');
export const revokeBodySchema = z.strictObject({
  reason: z
    .string()
    .max(500)
    .regex(/\S/, 'a reason in words')
    .regex(/^[^\u0000]*$/, 'a reason in words, without NUL characters')
    .trim(),
});

/** A notification and how each of its deliveries fared (libs/db `NotificationView`). */
export const notificationSchema = z.object({
  id: z.uuid(),
  patientId: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  recipient: z.object({ role: z.enum(RECIPIENT_ROLES), id: z.string().optional() }),
  text: z.string(),
  taskId: z.uuid().optional(),
  createdAt: z.string(),
  reason: z.object({ rule: z.string(), evidence: z.record(z.string(), z.unknown()) }),
  status: z.enum(NOTIFICATION_STATUSES),
  droppedWhy: z.string().optional(),
  requestHandle: z.string().optional().describe('a questionnaire request’s handle, for POST …/prom-requests/{requestHandle}/revoke'),
  deliveries: z.array(
    z.object({
      channel: z.enum(DELIVERY_CHANNELS),
      status: z.enum(['pending', 'sending', 'delivered', 'parked', 'dropped']),
      attempts: z.number().int(),
      why: z.string().optional(),
      deliveredTo: z.string().optional(),
      deliveredAt: z.string().optional(),
    }),
  ),
}) satisfies z.ZodType<NotificationView>;

export const notificationListSchema = z.object({ items: z.array(notificationSchema) });
