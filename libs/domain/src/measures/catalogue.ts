/**
 * The operations measures (docs/measures.md; docs/clinical-rules.md section 4): every id the
 * measures API answers, written once. Each entry says what is counted (its cohort and index date),
 * what the number is, and the benchmark it is judged against; the entries are in ./definitions/ by
 * family. How a cohort is found in the stored data is libs/db/src/measures/cohorts.ts, keyed by
 * these ids (a missing one fails the compiler).
 */
import type { MeasureDefinition } from './definition';
import { CARE_MEASURES } from './definitions/care';
import { OPERATIONS_MEASURES } from './definitions/operations';
import { OUTCOMES_MEASURES } from './definitions/outcomes';

export * from './definition';
export * from './equity';

const defs = [...CARE_MEASURES, ...OUTCOMES_MEASURES, ...OPERATIONS_MEASURES] as const;

export type MeasureId = (typeof defs)[number]['id'];
export type CohortMeasureId = Extract<(typeof defs)[number], { basis: 'cohort' }>['id'];
export type LiveMeasureId = Extract<(typeof defs)[number], { basis: 'live' }>['id'];

export const MEASURE_CATALOGUE: readonly (MeasureDefinition & { id: MeasureId })[] = defs;
export const MEASURE_IDS: readonly MeasureId[] = defs.map((d) => d.id);
export const measureById = (id: string): (MeasureDefinition & { id: MeasureId }) | undefined => MEASURE_CATALOGUE.find((m) => m.id === id);
export const isMeasureId = (id: string): id is MeasureId => MEASURE_IDS.includes(id as MeasureId);

/** A measure's window or look-back in days (the catalogue holds every number of a definition). */
export function daysOf(id: MeasureId, which: 'withinDays' | 'lookbackDays'): number {
  const days = (measureById(id) as MeasureDefinition | undefined)?.[which];
  if (days === undefined) throw new Error(`${id} has no ${which}`);
  return days;
}
