import type { ClinicalEvent } from '@tandem/domain';
import { clinicalTimeRefusal, parseClinicalEvent } from '@tandem/domain';
import { MAX_RECORD_BYTES } from '@tandem/kafka';

export type Classified =
  | { ok: true; event: ClinicalEvent }
  | {
      ok: false;
      error: 'too-large' | 'invalid-json' | 'invalid-envelope' | 'unknown-type' | 'invalid-data' | 'key-mismatch' | 'time-in-future' | 'time-before-birth';
      detail: string;
    };

/** Decides whether a raw `clinical-events` record is a valid clinical event. Pure; details never quote the record. */
export function classifyRecord(key: Buffer | null, value: Buffer | null, now = Date.now()): Classified {
  if (!value || value.length === 0) return { ok: false, error: 'invalid-json', detail: 'empty record value' };
  if (value.length > MAX_RECORD_BYTES) return { ok: false, error: 'too-large', detail: `record is ${value.length} bytes; the limit is ${MAX_RECORD_BYTES}` };
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, error: 'invalid-json', detail: 'record value is not valid JSON' };
  }
  const parsed = parseClinicalEvent(raw);
  if (!parsed.ok) return { ok: false, error: parsed.reason, detail: parsed.detail };
  // The key routes a patient's events to one partition (their order); a key naming another patient is a producer bug.
  if (key && key.length > 0 && key.toString('utf8') !== parsed.event.subject) {
    return { ok: false, error: 'key-mismatch', detail: 'record key does not match the event subject (patient id)' };
  }
  // A clinical time that cannot be true (beyond the skew in the future; a registration before its own birth date) is parked, never lost.
  const refusal = clinicalTimeRefusal(parsed.event, now);
  if (refusal) return { ok: false, error: refusal.reason, detail: refusal.detail };
  return { ok: true, event: parsed.event };
}
