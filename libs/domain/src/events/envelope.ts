import { z } from 'zod';
import type { ClinicalEventType, EventData } from './data';
import { eventDataSchemas, STORABLE_TEXT, UNSTORABLE_TEXT_MESSAGE } from './data';

/** Patient ids become Kafka keys and workflow ids: opaque, bounded, no spaces or PHI-like free text. */
export const patientIdSchema = z.string().max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected an opaque id of letters, digits, . _ - (at most 64)');

/** An event's identity is (source, id), as CloudEvents defines it: both printable (no control characters), both bounded. */
const printable = (max: number) =>
  z.string().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]+$/, 'expected printable text (no control characters)').regex(STORABLE_TEXT, UNSTORABLE_TEXT_MESSAGE);
export const MAX_EVENT_ID_LENGTH = 128;
export const MAX_EVENT_SOURCE_LENGTH = 256;

/** CloudEvents 1.0 structured-mode envelope (docs/contract.md section 3). */
export const envelopeSchema = z.object({
  specversion: z.literal('1.0', { error: 'must be "1.0"' }),
  id: printable(MAX_EVENT_ID_LENGTH),
  source: printable(MAX_EVENT_SOURCE_LENGTH),
  type: z.string().min(1).max(64),
  subject: patientIdSchema,
  time: z.iso.datetime({ offset: true, error: 'expected an RFC 3339 timestamp' }).max(64),
  datacontenttype: z.literal('application/json').optional(),
  /**
   * CloudEvents extension: the event is part of a history being loaded (a service's past), to be
   * stepped on its own clinical clock by a pathway catching up (ADR 0019). Only an integration or an
   * administrator may mark it so.
   */
  history: z.boolean({ error: 'expected true or false' }).optional(),
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

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

/**
 * The path of the first string (or object key) PostgreSQL cannot store — a NUL character or a lone
 * UTF-16 surrogate — anywhere in a value; undefined when there is none. Such an event would be
 * accepted, then fail to be stored for ever: it is refused at the door instead (issue 26, finding 13).
 */
export function unstorableTextAt(value: unknown, path: string[] = [], depth = 0): string[] | undefined {
  if (typeof value === 'string') return unstorable(value) ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const at = [...path, String(k)];
    if (typeof k === 'string' && unstorable(k)) return at;
    const found = unstorableTextAt(v, at, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Validates an untrusted record: the envelope, then the type, then the data for that type. Both
 * doors (the API, the kafka-bridge) and the workflow use it. Every string the event keeps says it
 * holds text PostgreSQL can store (data.ts `text`, in the published schemas too); fields the schemas
 * do not know are dropped, never stored, so what they hold does not matter.
 */
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
  const event = { ...envelope.data, type, data: data.data } as ClinicalEvent;
  // What is kept, checked whole: a field added to a schema without `text` cannot let such text through.
  const bad = unstorableTextAt(event);
  if (bad) return { ok: false, reason: bad[0] === 'data' ? 'invalid-data' : 'invalid-envelope', detail: `${bad.join('.')}: ${UNSTORABLE_TEXT_MESSAGE}` };
  return { ok: true, event };
}
