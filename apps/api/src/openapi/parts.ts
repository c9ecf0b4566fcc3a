import { z } from 'zod';
import { errorSchema } from '../tasks/tasks.schemas';
import { HOST_CHECKED_ROUTES } from '../security';

type Io = 'input' | 'output';
const jsonSchema = (schema: z.ZodType, io: Io) =>
  z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: ({ jsonSchema: js }) => {
      // zod checks an e-mail address by its pattern (also in the document), not by RFC 5321's grammar.
      if (js.format === 'email' && js.pattern) delete js.format;
    },
  });
const json = (schema: z.ZodType, io: Io = 'output') => ({ 'application/json': { schema: jsonSchema(schema, io) } });
const error = (description: string) => ({ description, content: json(errorSchema) });

/** The building blocks every part of the OpenAPI document uses. */
export const openApiParts = {
  json,
  error,
  /** A request body as the server reads it: fields with defaults are optional (zod's input side). */
  body: (schema: z.ZodType) => ({ required: true, content: json(schema, 'input') }),
  /** A path or query parameter's schema as the server validates it (patterns, lengths, formats). */
  param: (schema: z.ZodType) => jsonSchema(schema, 'input'),
  authErrors: { '401': error('missing, invalid or expired bearer token'), '403': error('the caller’s roles do not allow this') },
  queryParameters: (schema: z.ZodType) => {
    const js = jsonSchema(schema, 'input') as { properties: Record<string, object> };
    return Object.entries(js.properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
  },
};
export type OpenApiParts = typeof openApiParts;

type Operation = { parameters?: unknown[]; requestBody?: unknown; security?: unknown[]; responses: Record<string, unknown> };

/**
 * The statuses every operation of a kind can answer, added where an operation does not describe
 * them itself: 400 when it takes input, 413/415 when it takes a body, 401/403 when it needs a token,
 * 503 when it needs PostgreSQL (/api/v1 and the PROM page's API), 429 on the rate-limited routes, 421 on
 * the routes that answer only known Host values (security.ts).
 */
export function withStandardResponses(paths: Record<string, Record<string, Operation>>, rateLimited: readonly string[]): void {
  for (const [path, operations] of Object.entries(paths)) {
    for (const op of Object.values(operations)) {
      const add = (code: string, description: string) => {
        op.responses[code] ??= error(description);
      };
      if (!path.startsWith('/api/') || path.startsWith('/api/docs')) continue;
      if ((op.parameters?.length ?? 0) > 0 || op.requestBody) add('400', 'invalid parameters or body; `details` names each problem');
      if (op.requestBody) {
        add('413', 'the body is larger than the API accepts');
        add('415', 'the body is not application/json');
      }
      if (op.security === undefined) Object.entries(openApiParts.authErrors).forEach(([code, r]) => (op.responses[code] ??= r));
      if (rateLimited.some((prefix) => path.startsWith(prefix))) add('429', 'too many requests from this client; try again in a minute');
      if (HOST_CHECKED_ROUTES.some((prefix) => path.startsWith(prefix)))
        add('421', 'the Host header is not one this route answers (TANDEM_ALLOWED_HOSTS: DNS rebinding)');
      if (path.startsWith('/api/v1/') || path.startsWith('/api/p/'))
        add('503', 'a service the API depends on (or the audit, for a read: `audit-unavailable`, no data) is unavailable; nothing was recorded, try again');
    }
  }
}
