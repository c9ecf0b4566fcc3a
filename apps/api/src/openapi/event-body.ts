import { z } from 'zod';
import type { ClinicalEventType } from '@tandem/domain';
import { CLINICAL_EVENT_TYPES, envelopeSchema, eventDataSchemas } from '@tandem/domain';

/**
 * POST /api/v1/events as the server validates it (`parseClinicalEvent`): the envelope with one of
 * the known types and that type's data — one alternative per type, so a document reader (or a
 * fuzzer) knows every event the API accepts.
 */
export const eventBodySchema = z.discriminatedUnion(
  'type',
  CLINICAL_EVENT_TYPES.map((type: ClinicalEventType) => envelopeSchema.extend({ type: z.literal(type), data: eventDataSchemas[type] })) as unknown as [
    z.ZodObject,
    ...z.ZodObject[],
  ],
);
