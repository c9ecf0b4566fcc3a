import type { PathwayPolicy } from '@tandem/domain';
import type { SimulatedEvent, SimulatedPatient } from './journey';
import { DAY, simulatePatient } from './journey';
import type { CohortParameters } from './parameters';
import { COHORT_PARAMETERS } from './parameters';

export interface CohortOptions {
  patients: number;
  seed: number;
  months: number;
  /** The clinical time the window starts at (backfill: `months` before now; live: now). */
  startMs: number;
  policy: PathwayPolicy;
  parameters?: CohortParameters;
  /** Patient ids are `<idPrefix>-<n>` (default `sim-<seed>`): a test gives each run its own, so pathways left by an earlier run are not met again. */
  idPrefix?: string;
}

export interface Cohort {
  patients: SimulatedPatient[];
  /** Every patient's events in clinical order (ties by id), `at` ms after `startMs`. */
  events: SimulatedEvent[];
  windowMs: number;
}

/** A whole cohort: diagnoses spread over the window, each patient drawn from its own seeded stream. */
export function simulateCohort(o: CohortOptions): Cohort {
  const windowMs = Math.round(o.months * 30.44 * DAY);
  const p = o.parameters ?? COHORT_PARAMETERS;
  const patients = Array.from({ length: o.patients }, (_, index) =>
    simulatePatient(p, o.policy, { seed: o.seed, index, windowMs, startMs: o.startMs, ...(o.idPrefix ? { idPrefix: o.idPrefix } : {}) }),
  );
  const events = patients.flatMap((x) => x.events).sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  return { patients, events, windowMs };
}

/**
 * The event as it goes on `clinical-events`: a CloudEvents 1.0 envelope with its clinical time. A
 * backfill marks it as a history being loaded, which a new pathway steps on its clinical clock (ADR 0019).
 */
export function envelope(e: SimulatedEvent, timeMs: number, history = false): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: e.id,
    source: 'tandem/simulator',
    type: e.type,
    subject: e.patientId,
    time: new Date(timeMs).toISOString(),
    datacontenttype: 'application/json',
    ...(history ? { history: true } : {}),
    data: e.data,
  };
}
