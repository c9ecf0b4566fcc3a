import { z } from 'zod';
import { errorSchema } from '../tasks/tasks.schemas';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) } });
const error = (description: string) => ({ description, content: json(errorSchema) });

/** The building blocks every part of the OpenAPI document uses. */
export const openApiParts = {
  json,
  error,
  authErrors: { '401': error('missing, invalid or expired bearer token'), '403': error('the caller’s roles do not allow this') },
  queryParameters: (schema: z.ZodType) => {
    const js = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, object> };
    return Object.entries(js.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
  },
};
export type OpenApiParts = typeof openApiParts;
