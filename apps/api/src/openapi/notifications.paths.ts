import { z } from 'zod';
import { patientIdSchema } from '@tandem/domain';
import {
  listQuerySchema,
  notificationIdSchema,
  notificationListSchema,
  notificationsQuerySchema,
  requestHandleSchema,
  revokeBodySchema,
} from '../notifications/notifications.schemas';
import type { OpenApiParts } from './parts';

/** Notifications, reminders and the vocabulary (docs/notifications.md, docs/console.md). */
export function notificationsPaths({ json, error, body, param, queryParameters }: OpenApiParts): Record<string, unknown> {
  const patientId = { name: 'patientId', in: 'path', required: true, schema: param(patientIdSchema) };
  const id = { name: 'id', in: 'path', required: true, schema: param(notificationIdSchema) };
  const list = (description: string) => ({ description, content: json(notificationListSchema) });
  return {
    '/api/v1/patients/{patientId}/notifications': {
      get: {
        summary: 'The notifications sent about a patient, newest first, with how each delivery fared (never a PROM link)',
        parameters: [patientId, ...queryParameters(listQuerySchema)],
        responses: {
          '200': { description: 'the notifications', content: json(notificationListSchema.extend({ patientId: z.string() })) },
          '400': error('invalid patient id or limit'),
        },
      },
    },
    '/api/v1/reminders': {
      get: {
        summary: 'Reminders and escalations addressed to the caller: their queues, teams of those names, or them as key worker',
        parameters: queryParameters(listQuerySchema),
        responses: { '200': list('the reminders, newest first'), '400': error('invalid limit') },
      },
    },
    '/api/v1/notifications': {
      get: {
        summary: 'Notifications by delivery status (e.g. parked: could not be delivered, with why); coordinators and admins',
        parameters: queryParameters(notificationsQuerySchema),
        responses: { '200': list('the notifications'), '400': error('invalid status or limit') },
      },
    },
    '/api/v1/patients/{patientId}/prom-requests/{requestHandle}/revoke': {
      post: {
        summary:
          'Withdraw a questionnaire link before it is used (coordinators, admins): its page then says so and takes no answer. The request is named by its handle (`requestHandle` of its notification)',
        parameters: [patientId, { name: 'requestHandle', in: 'path', required: true, schema: param(requestHandleSchema) }],
        requestBody: body(revokeBodySchema),
        responses: {
          '200': { description: 'withdrawn', content: json(z.object({ requestId: z.string(), revoked: z.literal(true) })) },
          '400': error('invalid patient id, handle or reason'),
          '404': error('not a questionnaire request of this patient'),
          '409': error('answered or withdrawn already'),
        },
      },
    },
    '/api/v1/notifications/{id}/retry': {
      post: {
        summary: 'Try a notification’s parked deliveries again now (admin), once what stopped them is fixed',
        parameters: [id],
        responses: {
          '200': { description: 'queued again', content: json(z.object({ id: z.uuid(), retried: z.number().int() })) },
          '400': error('invalid id'),
          '409': error('nothing parked to retry'),
        },
      },
    },
    '/api/v1/vocabulary': {
      get: {
        summary: 'The words for every code: task types, queues, outcomes, stages, levels, notification kinds, PROM items, flags, rules',
        responses: { '200': { description: 'labels by code', content: json(z.record(z.string(), z.unknown())) } },
      },
    },
  };
}
