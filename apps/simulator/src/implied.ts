import type { MeasureId, PathwayPolicy } from '@tandem/domain';
import { parseDuration } from '@tandem/domain';
import type { Cohort } from './cohort';
import { simulateCohort } from './cohort';
import type { CohortParameters } from './parameters';
import { COHORT_PARAMETERS } from './parameters';
import type { StaffRecord } from './oracle';
import { expectedMeasures } from './oracle';
import { Draws } from './random';

const DAY = 86_400_000;

/** A drawn share of the time a task was given, as the simulated staff draw it (apps/simulator/src/staff.ts). */
export function staffShare(p: CohortParameters, d: Draws): number {
  const s = p.staff;
  const r = d.next();
  return r < s.onTime ? d.between(0.1, 0.9) : r < s.onTime + s.late ? d.between(1.1, 2) : d.between(2, 5);
}

/**
 * What the simulated staff would have done of a backfilled cohort's past by `nowMs`, from the
 * parameters alone: a reachable caregiver assessed a drawn share of the policy's time after being
 * registered; each family contacted a drawn share of 14 days after the death (the first contact of
 * its caregivers counts). The staff's own draws differ; this is their distribution.
 */
export function modelStaff(c: Cohort, startMs: number, nowMs: number, policy: PathwayPolicy, p: CohortParameters, seed: number): StaffRecord {
  const d = new Draws(seed, 2_000_003);
  const assessDue = parseDuration(policy.caregivers.assessment.due);
  const contactDue = parseDuration(policy.bereavement.contact.due);
  const caregiversAssessed = new Set<string>();
  const bereavementContacts = new Map<string, number>();
  for (const patient of c.patients) {
    for (const e of patient.events) {
      if (e.type !== 'caregiver.registered') continue;
      const id = e.data.caregiverId as string;
      const unreachable = patient.caregivers.find((g) => g.caregiverId === id)?.unreachable ?? false;
      if (!unreachable && startMs + e.at + assessDue * staffShare(p, d) <= nowMs) caregiversAssessed.add(id);
    }
    const died = patient.events.find((e) => e.type === 'patient.died');
    if (!died) continue;
    const families = Math.max(1, patient.events.filter((e) => e.type === 'caregiver.registered').length);
    const first = Math.min(...Array.from({ length: families }, () => startMs + died.at + contactDue * staffShare(p, d)));
    if (first <= nowMs) bereavementContacts.set(patient.patientId, first);
  }
  return { caregiversAssessed, bereavementContacts };
}

/**
 * The range the parameters imply for each computed measure, for a cohort of this size over this
 * window: the middle 95% of its value over `cohorts` other cohorts drawn from the same parameters
 * (other seeds), each with its staff modelled. A run's value outside it says the system, or the
 * parameters' wiring, is not what the sources describe.
 */
export function impliedRanges(o: {
  patients: number;
  months: number;
  startMs: number;
  nowMs: number;
  policy: PathwayPolicy;
  parameters?: CohortParameters;
  cohorts?: number;
}): Map<MeasureId, [number, number]> {
  const p = o.parameters ?? COHORT_PARAMETERS;
  const values = new Map<MeasureId, number[]>();
  const q = { from: new Date(o.startMs - DAY).toISOString().slice(0, 10), to: new Date(o.nowMs).toISOString().slice(0, 10), nowMs: o.nowMs };
  for (let i = 0; i < (o.cohorts ?? 40); i++) {
    const seed = 1_000_000 + i;
    const c = simulateCohort({ patients: o.patients, seed, months: o.months, startMs: o.startMs, policy: o.policy, parameters: p });
    for (const e of expectedMeasures(c, o.startMs, q, modelStaff(c, o.startMs, o.nowMs, o.policy, p, seed)))
      if (!('unknown' in e) && e.value !== null) values.set(e.id, [...(values.get(e.id) ?? []), e.value]);
  }
  const at = (xs: number[], f: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.round(f * (xs.length - 1))))]!;
  return new Map(
    [...values].map(([id, xs]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return [id, [at(sorted, 0.025), at(sorted, 0.975)]];
    }),
  );
}
