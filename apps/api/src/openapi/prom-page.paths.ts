import { z } from 'zod';
import { LANGUAGES } from '@tandem/prom-page';
import { langQuerySchema, promAnswersSchema } from '../prom-page/prom-page.schemas';
import type { OpenApiParts } from './parts';

const STATES = ['open', 'submitted', 'used', 'expired', 'revoked', 'replaced', 'closed', 'invalid'] as const;

/** What the PROM page's API answers (prom-page.service.ts `OpenedLink` / `Submitted`). */
const linkSchema = z.object({
  state: z.enum(STATES),
  language: z.enum(LANGUAGES as [string, ...string[]]),
  languages: z.array(z.object({ code: z.string(), name: z.string() })),
  onCallNumber: z.string(),
  emergencyNumber: z.string(),
  severeAtLeast: z.number().int(),
  instruments: z.array(z.enum(['ESAS-r', 'DT'])).optional(),
  expiresAt: z.iso.datetime().optional(),
  severe: z.array(z.object({ instrument: z.string(), item: z.string(), score: z.number().int() })).optional(),
});

/** A link that cannot be answered: why, in `error` and `message`, with what the page shows. */
const refusalSchema = linkSchema.extend({ error: z.string(), message: z.string() });
/** security.ts `patientPageLimiter`. */
const limitedSchema = z.object({ error: z.literal('rate-limited'), state: z.literal('rate-limited'), message: z.string() });

/** The patient's PROM page and its API (docs/patient-page.md): no bearer token, the sealed link is the key. */
export function promPagePaths({ json, error, body, queryParameters }: OpenApiParts): Record<string, unknown> {
  // Any string: the server opens the sealed token and answers 404 for one it did not seal (a wrong
  // length included). The page is the same document for every address.
  const token = { name: 'token', in: 'path', required: true, schema: { type: 'string' } };
  const refused = {
    description: 'the link cannot be answered: used, expired, revoked, replaced, or closed (the pathway closed: the same answer whatever the reason)',
    content: json(refusalSchema),
  };
  const limited = { description: 'too many requests from this client; try again in a minute', content: json(limitedSchema) };
  return {
    '/p/{token}': {
      get: {
        summary: 'The PROM page a prom-request or reminder links to (HTML)',
        security: [],
        parameters: [token],
        responses: { '200': { description: 'the page' } },
      },
    },
    '/api/p/{token}': {
      get: {
        summary: 'What a PROM link may do: the questionnaire to show, in the patient’s language, or why it cannot be answered',
        security: [],
        parameters: [token, ...queryParameters(langQuerySchema)],
        responses: {
          '200': { description: 'open: the instruments to ask and until when', content: json(linkSchema) },
          '400': error('invalid language'),
          '404': { description: 'not a genuine link (tampered or malformed, or never queued)', content: json(refusalSchema) },
          '410': refused,
          '429': limited,
        },
      },
      post: {
        summary: 'Answer the questionnaire: becomes prom.submitted events naming the request (as POST /api/v1/events); once per link',
        security: [],
        parameters: [token],
        requestBody: body(promAnswersSchema),
        responses: {
          '202': { description: 'queued; `severe` lists the answers that call for the 24/7 advice', content: json(linkSchema) },
          '400': error('invalid answers'),
          '404': { description: 'not a genuine link', content: json(refusalSchema) },
          '410': refused,
          '429': limited,
          '503': error('the answers could not be queued; nothing was recorded and the link still works'),
        },
      },
    },
  };
}
