import { z } from 'zod';
import type { ClinicalEventType, EventData } from './data';
import { eventDataSchemas } from './data';

/** Patient ids become Kafka keys and workflow ids: opaque, bounded, no spaces or PHI-like free text. */
export const patientIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected an opaque id of letters, digits, . _ - (at most 64)');

/** CloudEvents 1.0 structured-mode envelope (CONTRACT.md section 3). */
export const envelopeSchema = z.object({
  specversion: z.literal('1.0', { error: 'must be "1.0"' }),
  id: z.string().min(1).max(128),
  source: z.string().min(1).max(256),
  type: z.string().min(1).max(64),
  subject: patientIdSchema,
  time: z.iso.datetime({ offset: true, error: 'expected an RFC 3339 timestamp' }),
  datacontenttype: z.literal('application/json').optional(),
  data: z.record(z.string(), z.unknown(), { error: 'expected an object' }),
});

export type ClinicalEvent<T extends ClinicalEventType = ClinicalEventType> = {
  [K in T]: Omit<z.infer<typeof envelopeSchema>, 'type' | 'data'> & { type: K; data: EventData<K> };
}[T];

export type EventRejection = { reason: 'invalid-envelope' | 'unknown-type' | 'invalid-data'; detail: string };
export type ParsedEvent = { ok: true; event: ClinicalEvent } | ({ ok: false } & EventRejection);

function describe(error: z.ZodError, prefix = ''): string {
  return error.issues.map((i) => `${prefix}${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Validates an untrusted record: envelope first, then the type, then the data for that type. */
export function parseClinicalEvent(raw: unknown): ParsedEvent {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, reason: 'invalid-envelope', detail: describe(envelope.error) };
  const type = envelope.data.type;
  if (!Object.hasOwn(eventDataSchemas, type)) {
    return { ok: false, reason: 'unknown-type', detail: `unknown event type "${type.slice(0, 64)}"` };
  }
  const schema = eventDataSchemas[type as ClinicalEventType];
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, reason: 'invalid-data', detail: describe(data.error, 'data.') };
  return { ok: true, event: { ...envelope.data, type, data: data.data } as ClinicalEvent };
}
