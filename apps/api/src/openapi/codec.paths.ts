import { payloadsSchema } from '../codec/codec.schemas';
import type { OpenApiParts } from './parts';

/** The codec server for the Temporal UI (apps/api/src/codec, docs/operations.md). */
export function codecPaths({ json, error, body }: OpenApiParts): Record<string, unknown> {
  const operation = (operationId: string, summary: string) => ({
    post: {
      operationId,
      summary,
      // Loopback mode (development): no token. Token mode (production): an admin's bearer token.
      security: [{}, { bearer: [] }],
      requestBody: body(payloadsSchema),
      responses: {
        '200': { description: 'the payloads, in the same order', content: json(payloadsSchema) },
        '400': error('not protobuf-JSON Payloads, a payload the configured keys cannot open, or another namespace (X-Namespace)'),
        '401': error('token mode: no valid bearer token'),
        '403': error('loopback mode: not on this machine; token mode: not an administrator'),
        '503': error('the audit could not be written; nothing was decoded'),
      },
    },
    options: {
      operationId: `${operationId}Preflight`,
      summary: 'CORS preflight for the Temporal UI’s origin (TANDEM_CODEC_CORS_ORIGINS)',
      security: [],
      responses: { '204': { description: 'the origin, methods and headers allowed (none for another origin)' } },
    },
  });
  return {
    '/api/codec/decode': operation('codecDecode', 'Temporal codec server: decrypt payloads (each decode audited: who, which workflow)'),
    '/api/codec/encode': operation('codecEncode', 'Temporal codec server: encrypt payloads with the current key'),
  };
}
