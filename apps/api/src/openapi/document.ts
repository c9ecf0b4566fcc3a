import { z } from 'zod';
import { patientIdSchema } from '@tandem/domain';
import { devTokenBodySchema } from '../session/session.controller';
import { pathwaySchema, symptomsSchema } from '../pathways/pathways.schemas';
import { completeTaskBodySchema, listTasksQuerySchema, queueCountsSchema, reassignBodySchema, taskIdSchema, taskSchema } from '../tasks/tasks.schemas';
import { RATE_LIMITED_ROUTES } from '../security';
import { eventBodySchema } from './event-body';
import { codecPaths } from './codec.paths';
import { measuresPaths } from './measures.paths';
import { promPagePaths } from './prom-page.paths';
import { notificationsPaths } from './notifications.paths';
import { openApiParts, withStandardResponses } from './parts';

const { json, error, body, param, queryParameters } = openApiParts;

/** An unauthenticated route with plain responses (docs, health, metrics). */
const publicGet = (summary: string, responses: Record<string, string>) => ({
  get: { summary, security: [], responses: Object.fromEntries(Object.entries(responses).map(([code, description]) => [code, { description }])) },
});

const idParam = { name: 'id', in: 'path', required: true, schema: param(taskIdSchema) };
const patientIdParam = { name: 'patientId', in: 'path', required: true, schema: param(patientIdSchema) };

/** Stateful fuzzing and clients follow these: a task's id, from a list or one task, feeds the operations on it. */
const taskLinks = (id: string) =>
  Object.fromEntries(
    ['getTask', 'claimTask', 'unclaimTask', 'completeTask', 'reassignTask'].map((operationId) => [operationId, { operationId, parameters: { id } }]),
  );
const oneTask = (description: string) => ({ description, content: json(taskSchema), links: taskLinks('$response.body#/id') });

/** The paths of the OpenAPI document, each operation with every status it answers. */
export function openApiPaths(): Record<string, Record<string, { responses: Record<string, unknown> }>> {
  const paths = {
    '/api/v1/tasks': {
      get: {
        operationId: 'listTasks',
        summary: 'Task inbox: most urgent first, then earliest due',
        parameters: queryParameters(listTasksQuerySchema),
        responses: {
          '200': {
            description: 'a page of tasks',
            content: json(z.object({ items: z.array(taskSchema), nextCursor: z.string().nullable() })),
            links: taskLinks('$response.body#/items/0/id'),
          },
          '400': error('invalid filters or cursor'),
        },
      },
    },
    '/api/v1/tasks/{id}': {
      get: {
        operationId: 'getTask',
        summary: 'One task',
        parameters: [idParam],
        responses: { '200': oneTask('the task'), '404': error('no such task') },
      },
    },
    '/api/v1/tasks/{id}/complete': {
      post: {
        operationId: 'completeTask',
        summary: 'Complete a task with an outcome its type allows; the pathway workflow is told',
        parameters: [idParam],
        requestBody: body(completeTaskBodySchema),
        responses: {
          '200': { description: 'the completed task', content: json(taskSchema) },
          '400': error('invalid body'),
          '404': error('no such task'),
          '409': error(
            'the task is already closed, the outcome is not one its type allows (`allowedOutcomes`), or it is claimed by someone else (`claimed-by-another`: send `takeOver: true` to take it over, recorded)',
          ),
          '422': error('`keyWorker` is not a known member of staff (`unknown-key-worker`)'),
          '503': error('the pathway could not be reached; nothing was recorded'),
        },
      },
    },
    '/api/v1/tasks/{id}/claim': {
      post: {
        operationId: 'claimTask',
        summary: 'Claim a task for the caller (race-safe: exactly one of concurrent callers wins)',
        parameters: [idParam],
        responses: { '200': oneTask('the claimed task'), '404': error('no such task in your queues'), '409': error('claimed by someone else, or closed') },
      },
    },
    '/api/v1/tasks/{id}/unclaim': {
      post: {
        operationId: 'unclaimTask',
        summary: 'Return a claimed task to its queue (the claimer, or an admin)',
        parameters: [idParam],
        responses: { '200': oneTask('the task, open again'), '404': error('no such task in your queues'), '409': error('not claimed by you') },
      },
    },
    '/api/v1/tasks/{id}/reassign': {
      post: {
        operationId: 'reassignTask',
        summary: 'Hand a task to another user (the claimer, or an admin)',
        parameters: [idParam],
        requestBody: body(reassignBodySchema),
        responses: { '200': oneTask('the task, claimed by its new owner'), '404': error('no such task in your queues'), '409': error('not yours to reassign') },
      },
    },
    '/api/v1/events': {
      post: {
        operationId: 'postEvent',
        summary: 'Accept a clinical event (a CloudEvents envelope; schemas in docs/schemas) and queue it on clinical-events',
        requestBody: body(eventBodySchema),
        responses: {
          '202': {
            description: 'queued; `source` is the one stored, the caller’s own (`tandem/api/<sub>`), whatever the body said',
            content: json(z.object({ id: z.string(), source: z.string(), status: z.literal('queued') })),
          },
          '400': error('not a valid clinical event, with the reasons; or its time is more than the skew in the future, or before the patient’s birth'),
          '403': error('the caller’s roles do not allow this, or may not assert events of this type (docs/security.md)'),
          '503': error('Kafka unavailable; nothing was recorded'),
        },
      },
    },
    '/api/v1/patients/{patientId}/pathway': {
      get: {
        operationId: 'getPathway',
        summary: "A patient's pathway: stage, level, flags, referral, ACP, consent, caregivers, open tasks with their reasons, next timers, timeline",
        parameters: [patientIdParam],
        responses: { '200': { description: 'the pathway', content: json(pathwaySchema) }, '404': error('no pathway for this patient') },
      },
    },
    '/api/v1/patients/{patientId}/pathway/history-loaded': {
      post: {
        operationId: 'historyLoaded',
        summary:
          "The history being loaded for a patient is all in (integrations, admins): a pathway still catching up with it (events marked `history: true`) fires what fell due since the history's last event, then runs in the present (docs/contract.md, ADR 0019)",
        parameters: [patientIdParam],
        responses: {
          '202': { description: 'told; or nothing to do, the pathway has ended', content: json(z.object({ status: z.enum(['told', 'ended']) })) },
          '400': error('invalid patient id'),
          '404': error('no pathway for this patient'),
        },
      },
    },
    '/api/v1/patients/{patientId}/symptoms': {
      get: {
        operationId: 'getSymptoms',
        summary: 'Every PROM response of a patient over time (ESAS-r items and the Distress Thermometer), with the severity bands',
        parameters: [patientIdParam],
        responses: { '200': { description: 'the responses, oldest first', content: json(symptomsSchema) }, '400': error('invalid patient id') },
      },
    },
    '/api/v1/queues': {
      get: {
        operationId: 'getQueues',
        summary: "The caller's queues with their counts of open, claimed, overdue and urgent tasks",
        responses: { '200': { description: 'the counts', content: json(queueCountsSchema) } },
      },
    },
    '/api/v1/me': {
      get: {
        operationId: 'getMe',
        summary: 'The caller: user id, roles and the queues they work from',
        responses: {
          '200': { description: 'the caller', content: json(z.object({ sub: z.string(), roles: z.array(z.string()), queues: z.array(z.string()) })) },
        },
      },
    },
    '/api/v1/sign-out': {
      post: {
        operationId: 'signOut',
        summary: 'Sign out: the caller’s token is refused from now on, by every replica within seconds (the console’s Sign out)',
        responses: { '204': { description: 'signed out' } },
      },
    },
    '/api/dev/token': {
      post: {
        operationId: 'devToken',
        summary: 'Development only: a token for a role (the console’s sign-in), for clients on the loopback interface; 404 in production',
        security: [],
        requestBody: body(devTokenBodySchema),
        responses: {
          '200': { description: 'a token', content: json(z.object({ token: z.string() })) },
          '400': error('unknown role or invalid user id'),
          '403': error('the client is not on this machine’s loopback interface'),
          '404': error('not available'),
        },
      },
    },
    ...measuresPaths(openApiParts),
    ...promPagePaths(openApiParts),
    ...notificationsPaths(openApiParts),
    ...codecPaths(openApiParts),
    '/api/docs': publicGet('This OpenAPI document (JSON), or the Swagger UI page for a browser asking for HTML', { '200': 'OpenAPI 3.1 JSON or HTML' }),
    '/api/docs.json': publicGet('This OpenAPI document', { '200': 'OpenAPI 3.1 JSON' }),
    '/api/docs-init.js': publicGet('The Swagger UI page’s start script', { '200': 'JavaScript' }),
    '/metrics': publicGet('Prometheus metrics (process, requests by matched route template and status)', { '200': 'text exposition format' }),
    '/healthz': publicGet('Liveness', { '200': 'the process is up' }),
    '/readyz': publicGet('Readiness: PostgreSQL, Temporal and Kafka reachable', { '200': 'ready', '503': 'a dependency is unreachable' }),
  } as Record<string, Record<string, { responses: Record<string, unknown> }>>;
  withStandardResponses(paths, RATE_LIMITED_ROUTES);
  return paths;
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tandem API',
      version: '0.1.0',
      description:
        'Integrated palliative care orchestration: task queues, pathways and the operations measures. ' +
        'A method a path does not list answers 405 with an `Allow` header.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths: openApiPaths(),
  };
}
