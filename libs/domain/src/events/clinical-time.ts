import type { ClinicalEvent } from './envelope';

/**
 * How far in the future an event's clinical `time` may be: clocks drift, a clinical fact is never
 * in the future. The one place this bound is set (the API and the kafka-bridge both read it).
 */
export const CLINICAL_TIME_SKEW_MS = 5 * 60_000;

/** A birth date (YYYY-MM-DD) holds in every time zone from this instant on: its midnight at UTC+14. */
const EARLIEST_ZONE_MS = 14 * 3_600_000;

export type ClinicalTimeRefusal = { reason: 'time-in-future' | 'time-before-birth'; detail: string };

/**
 * Why an event's clinical time cannot be true, if it cannot: more than the skew ahead of `now`, or
 * before the patient's birth (the birth date the system holds, or the registration's own). Details
 * never quote the event (a birth date is PHI).
 */
export function clinicalTimeRefusal(event: ClinicalEvent, now: number, birthDate?: string): ClinicalTimeRefusal | undefined {
  const at = Date.parse(event.time);
  if (at > now + CLINICAL_TIME_SKEW_MS)
    return { reason: 'time-in-future', detail: `the event's time is more than ${CLINICAL_TIME_SKEW_MS / 60_000} minutes in the future` };
  const born = event.type === 'patient.registered' ? event.data.birthDate : birthDate;
  if (born !== undefined && at < Date.parse(`${born}T00:00:00Z`) - EARLIEST_ZONE_MS)
    return { reason: 'time-before-birth', detail: "the event's time is before the patient's birth date" };
  return undefined;
}
