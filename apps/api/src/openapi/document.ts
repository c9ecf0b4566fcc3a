import { z } from 'zod';
import { completeTaskBodySchema, errorSchema, listTasksQuerySchema, taskSchema } from '../tasks/tasks.schemas';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) } });
const error = (description: string) => ({ description, content: json(errorSchema) });
const authErrors = { '401': error('missing, invalid or expired bearer token'), '403': error('the caller’s roles do not allow this') };

function queryParameters(schema: z.ZodObject) {
  const js = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, object> };
  return Object.entries(js.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
}

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Tandem API', version: '0.1.0', description: 'Integrated palliative care orchestration: task queues and pathways (CONTRACT.md section 6).' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/tasks': {
        get: {
          summary: 'Task inbox: most urgent first, then earliest due',
          parameters: queryParameters(listTasksQuerySchema),
          responses: {
            '200': { description: 'a page of tasks', content: json(z.object({ items: z.array(taskSchema), nextCursor: z.string().nullable() })) },
            '400': error('invalid filters'),
            ...authErrors,
          },
        },
      },
      '/api/v1/tasks/{id}': {
        get: {
          summary: 'One task',
          parameters: [idParam],
          responses: { '200': { description: 'the task', content: json(taskSchema) }, '404': error('no such task'), ...authErrors },
        },
      },
      '/api/v1/tasks/{id}/complete': {
        post: {
          summary: 'Complete a task with an outcome its type allows; the pathway workflow is told',
          parameters: [idParam],
          requestBody: { required: true, content: json(completeTaskBodySchema) },
          responses: {
            '200': { description: 'the completed task', content: json(taskSchema) },
            '400': error('invalid body or an outcome the task type does not allow'),
            '404': error('no such task'),
            '409': error('the task is already closed'),
            '503': error('the pathway could not be reached; nothing was recorded'),
            ...authErrors,
          },
        },
      },
      '/api/docs': { get: { summary: 'This OpenAPI document', security: [], responses: { '200': { description: 'OpenAPI 3.1 JSON' } } } },
      '/api/docs.json': { get: { summary: 'This OpenAPI document', security: [], responses: { '200': { description: 'OpenAPI 3.1 JSON' } } } },
      '/healthz': { get: { summary: 'Liveness', security: [], responses: { '200': { description: 'the process is up' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness: PostgreSQL and Temporal reachable',
          security: [],
          responses: { '200': { description: 'ready' }, '503': { description: 'a dependency is unreachable' } },
        },
      },
    },
  };
}
