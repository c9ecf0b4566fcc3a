import { z } from 'zod';
import { LANGUAGES } from '@tandem/prom-page';
import { langQuerySchema, promAnswersSchema } from '../prom-page/prom-page.schemas';
import type { OpenApiParts } from './parts';

const STATES = ['open', 'submitted', 'used', 'expired', 'revoked', 'replaced', 'died', 'withdrawn', 'declined', 'invalid'] as const;

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

/** The patient's PROM page and its API (docs/patient-page.md): no bearer token, the sealed link is the key. */
export function promPagePaths({ json, error, queryParameters }: OpenApiParts): Record<string, unknown> {
  const token = { name: 'token', in: 'path', required: true, schema: { type: 'string', maxLength: 7600 } };
  const refused = {
    description: 'the link cannot be answered: used, expired, revoked, replaced, the patient died or withdrew, or PROMs declined',
    content: json(linkSchema),
  };
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
          '404': { description: 'not a genuine link (tampered or malformed)', content: json(linkSchema) },
          '410': refused,
          '429': error('too many requests from this client'),
        },
      },
      post: {
        summary: 'Answer the questionnaire: becomes prom.submitted events naming the request (as POST /api/v1/events); once per link',
        security: [],
        parameters: [token],
        requestBody: { required: true, content: json(promAnswersSchema) },
        responses: {
          '202': { description: 'queued; `severe` lists the answers that call for the 24/7 advice', content: json(linkSchema) },
          '400': error('invalid answers'),
          '404': { description: 'not a genuine link', content: json(linkSchema) },
          '410': refused,
          '429': error('too many requests from this client'),
          '503': error('the answers could not be queued; nothing was recorded and the link still works'),
        },
      },
    },
  };
}
