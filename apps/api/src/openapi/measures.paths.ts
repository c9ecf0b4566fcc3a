import { MEASURE_IDS } from '@tandem/domain';
import {
  digestIdSchema,
  digestListSchema,
  digestSchema,
  digestsQuerySchema,
  drillDownQuerySchema,
  drillDownSchema,
  measuresQuerySchema,
  measuresReportSchema,
  trendQuerySchema,
  trendSchema,
} from '../measures/measures.schemas';
import type { OpenApiParts } from './parts';

/** The measures and digests routes of the OpenAPI document (docs/contract.md section 7). */
export function measuresPaths({ json, error, param, queryParameters }: OpenApiParts): Record<string, unknown> {
  const measureId = { name: 'measureId', in: 'path', required: true, schema: { type: 'string', enum: MEASURE_IDS } };
  return {
    '/api/v1/measures': {
      get: {
        summary: 'Every operations measure for a period (default: the last 365 days), team and equity split; small numbers suppressed for ops',
        parameters: queryParameters(measuresQuerySchema),
        responses: {
          '200': { description: 'the measures', content: json(measuresReportSchema) },
          '400': error('invalid period, team or group'),
        },
      },
    },
    '/api/v1/measures/{measureId}/patients': {
      get: {
        summary: 'Drill-down: the patients behind a measure (never for ops; audited)',
        parameters: [measureId, ...queryParameters(drillDownQuerySchema)],
        responses: {
          '200': { description: 'a page of patients with their index dates', content: json(drillDownSchema) },
          '400': error('invalid query or cursor'),
          '404': error('an operations figure: no patients behind it'),
        },
      },
    },
    '/api/v1/measures/{measureId}/trend': {
      get: {
        summary: 'A measure month by month (default: the last 12 months)',
        parameters: [measureId, ...queryParameters(trendQuerySchema)],
        responses: {
          '200': { description: 'monthly values', content: json(trendSchema) },
          '400': error('invalid months or team'),
          '404': error('a figure of now: no trend'),
        },
      },
    },
    '/api/v1/digests': {
      get: {
        summary: 'Weekly per-team digests, newest first',
        parameters: queryParameters(digestsQuerySchema),
        responses: { '200': { description: 'the digests', content: json(digestListSchema) }, '400': error('unknown team') },
      },
    },
    '/api/v1/digests/{id}': {
      get: {
        summary: "One digest: the week's measures with the change from the week before",
        parameters: [{ name: 'id', in: 'path', required: true, schema: param(digestIdSchema) }],
        responses: {
          '200': { description: 'the digest', content: json(digestSchema) },
          '400': error('not a digest id'),
          '404': error('no such digest'),
        },
      },
    },
  };
}
