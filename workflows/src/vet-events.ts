import { parseClinicalEvent } from '@tandem/domain';
import type { EventVerdict } from './contract';

/** A value's JSON with object keys sorted, so two values compare by content whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * One signalled event against the domain's own schema (parseClinicalEvent, as the API and the bridge
 * check it at the door): null if the workflow may take it in. An event with fields the schema does
 * not know is refused too (the door strips them, so only a signal sent around the door has them, and
 * they would be carried in the pathway's state). The verdict names field paths, never values.
 */
export function vetEvent(raw: unknown): EventVerdict {
  const parsed = parseClinicalEvent(raw);
  if (!parsed.ok) {
    const fields = [...new Set(parsed.detail.split('; ').map((issue) => issue.split(':')[0]!.slice(0, 64)))].join(', ');
    return { reason: parsed.reason, fields: parsed.reason === 'unknown-type' ? 'type' : fields.slice(0, 200) };
  }
  if (canonical(parsed.event) !== canonical(raw)) return { reason: 'unknown-fields', fields: 'fields the event schema does not know' };
  return null;
}

/** The `vetEvents` local activity (contract.ts): pure, no I/O. Run by the worker, never bundled into the workflow (zod). */
export const vetEvents = (request: { events: unknown[] }): Promise<EventVerdict[]> => Promise.resolve(request.events.map(vetEvent));
