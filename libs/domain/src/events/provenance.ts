/**
 * Who brought a clinical event (issue 26, finding 1). Every event reaches the event log through
 * the clinical-events topic; the kafka-bridge records where it read it (topic, partition, offset)
 * and, for an event the API produced, the author the API names in the `tandem-author` record
 * header: the authenticated principal of `POST /api/v1/events`, or the patient's PROM link (its
 * request id, never the token). The header is a claim: whoever may produce to the topic (the API
 * and the integrations, by the broker's ACLs) could write one, so the topic, partition and offset
 * are always recorded beside it, and the console shows both.
 */
export const AUTHOR_HEADER = 'tandem-author';

export type EventAuthor = { via: 'api'; sub: string; roles: string[] } | { via: 'prom-page'; link: string };

/** Where the bridge read an event. */
export interface KafkaOrigin {
  topic: string;
  partition: number;
  offset: string;
}

export interface Provenance {
  /** The author the API named (absent: produced to the topic by an integration). */
  author?: EventAuthor;
  kafka: KafkaOrigin;
}

const PRINTABLE = /^[\x21-\x7e][\x20-\x7e]{0,255}$/;
const ROLE = /^[a-z][a-z-]{0,31}$/;

export function encodeAuthor(a: EventAuthor): string {
  return JSON.stringify(a);
}

/** A header's author, when it is a well-formed one; anything else is ignored (the record is then an integration's). */
export function decodeAuthor(raw: string | undefined): EventAuthor | undefined {
  if (raw === undefined || raw.length > 1024) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (o.via === 'api' && typeof o.sub === 'string' && PRINTABLE.test(o.sub) && Array.isArray(o.roles) && o.roles.length <= 8)
    if (o.roles.every((r): r is string => typeof r === 'string' && ROLE.test(r))) return { via: 'api', sub: o.sub, roles: o.roles };
  if (o.via === 'prom-page' && typeof o.link === 'string' && PRINTABLE.test(o.link)) return { via: 'prom-page', link: o.link };
  return undefined;
}
