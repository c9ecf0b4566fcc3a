import type { MeasureId } from '@tandem/domain';
import { daysOf, MEASURE_IDS, percent } from '@tandem/domain';
import type { Cohort } from './cohort';
import type { SimulatedEvent, SimulatedPatient } from './journey';

const DAY = 86_400_000;

/** What the simulated staff did that a measure counts (apps/simulator/src/staff.ts keeps it). */
export interface StaffRecord {
  /** Caregivers whose assessment task the staff completed (`caregiver-assessment`, by caregiver id). */
  caregiversAssessed: ReadonlySet<string>;
  /** When the staff made each family's bereavement contact (`bereavement-contact`, by patient; epoch ms). */
  bereavementContacts: ReadonlyMap<string, number>;
}

/** The value a measure should show, from the cohort's own ground truth, or why the simulator cannot say. */
export type Expected = { id: MeasureId; numerator?: number; denominator?: number; value: number | null } | { id: MeasureId; unknown: string };

interface Query {
  /** docs/contract.md section 7's period, as dates (YYYY-MM-DD), `to` included. */
  from: string;
  to: string;
  /** When the measures are read (the follow-up rule counts results known by then). */
  nowMs: number;
}

/**
 * Why a measure is not computed here. Each depends on when the simulated staff got to the engine's
 * tasks, or on the running system (Kafka, the event log), which a model of the world does not say.
 */
const UNKNOWN: Partial<Record<MeasureId, string>> = {
  'timeliness.triage-within-deadline': 'when a triage is done is the simulated staff’s draw against the engine’s due time, not a figure of the world',
  'symptoms.severe-reviewed-in-time': 'when a review is done is the simulated staff’s draw against the engine’s due time, not a figure of the world',
  'symptoms.follow-up-done': 'a follow-up goes out a week after the review is completed; in a backfill that is after the history is loaded',
  'symptoms.follow-up-change': 'a follow-up goes out a week after the review is completed; in a backfill that is after the history is loaded',
  'ops.open-tasks': 'an operations figure of the running system',
  'ops.overdue-tasks': 'an operations figure of the running system',
  'ops.sla-attainment': 'task due times are the engine’s',
  'ops.escalations': 'escalations are opened by the engine',
  'ops.caseload-median': 'an operations figure of the running system',
  'ops.event-to-task-p95': 'an operations figure of the running system',
  'ops.consumer-lag': 'an operations figure of the running system',
  'ops.parked-events': 'an operations figure of the running system',
};

const STAFF_MEASURES: readonly MeasureId[] = ['caregivers.assessed', 'caregivers.bereavement-contact-14d'];

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
};
const round1 = (x: number) => Math.round(x * 10) / 10;
const utcDay = (ms: number) => Math.floor(ms / DAY);

/** One patient's facts as the measures read them: absolute clinical times (ms), first of each. */
function factsOf(p: SimulatedPatient, startMs: number) {
  const patientId = p.patientId;
  const at = (e: SimulatedEvent) => startMs + e.at;
  const first = (pred: (e: SimulatedEvent) => boolean) => {
    const e = p.events.find(pred);
    return e ? at(e) : undefined;
  };
  const dx = p.events.find((e) => e.type === 'diagnosis.recorded')!;
  const died = p.events.find((e) => e.type === 'patient.died');
  const acp = p.events.filter((e) => e.type === 'acp.documented');
  return {
    patientId,
    /** The advanced diagnosis date, as a UTC day number. */
    dxDay: Date.parse(`${dx.data.diagnosedAt as string}T00:00:00Z`) / DAY,
    contact: first((e) => e.type === 'palliative.contact' && e.data.team === 'specialist'),
    acpAt: acp[0] ? at(acp[0]) : undefined,
    codeStatus: acp.some((e) => e.data.codeStatus !== undefined),
    preferredPlace: acp.some((e) => e.data.preferredPlaceOfDeath !== undefined),
    death: died
      ? { at: at(died), place: died.data.placeOfDeath as string, preferred: acp.at(-1)?.data.preferredPlaceOfDeath as string | undefined }
      : undefined,
    admissions: p.events.filter((e) => e.type === 'encounter.admitted').map((e) => ({ at: at(e), setting: e.data.setting as string })),
    sact: p.events.filter((e) => e.type === 'sact.administered').map(at),
    caregivers: p.events.filter((e) => e.type === 'caregiver.registered').map((e) => ({ id: e.data.caregiverId as string, at: at(e) })),
  };
}
type Facts = ReturnType<typeof factsOf>;

/**
 * One patient's PROM requests as the measure counts them: each request the service sent in the
 * period (the journey's `promTimes`: proms.ts), answered in time or not; left out when unanswered
 * and stopped by death or a declined consent before it was due back; not known yet while unanswered
 * and not yet due back.
 */
function promItems(p: SimulatedPatient, startMs: number, inPeriod: (ms: number) => boolean, nowMs: number): boolean[] {
  const when = (type: string, pred: (e: SimulatedEvent) => boolean = () => true) => {
    const e = p.events.find((x) => x.type === type && pred(x));
    return e ? startMs + e.at : undefined;
  };
  const stops = [when('patient.died'), when('consent.changed', (e) => e.data.scope === 'proms' && e.data.decision === 'declined')];
  return p.promTimes.flatMap((r) => {
    const at = startMs + r.at;
    if (!inPeriod(at)) return [];
    const dueBack = startMs + r.notReturnedAt;
    if (!r.answered && stops.some((s) => s !== undefined && s >= at && s < dueBack)) return [];
    return r.answered || dueBack <= nowMs ? [r.answered] : [];
  });
}

const rate = (id: MeasureId, items: boolean[]): Expected => {
  const k = items.filter(Boolean).length;
  return { id, numerator: k, denominator: items.length, value: percent(k, items.length) };
};

/**
 * docs/contract.md section 7, computed from what the simulator generated and what its staff did:
 * every measure it can know, the others with the reason it cannot. The same definitions as the
 * measures' SQL (libs/db/src/measures/cohorts.ts), written again from the contract on purpose —
 * an oracle that shared the code would agree with any mistake in it.
 */
export function expectedMeasures(c: Cohort, startMs: number, q: Query, staff?: StaffRecord): Expected[] {
  const start = Date.parse(`${q.from}T00:00:00Z`);
  const end = Date.parse(`${q.to}T00:00:00Z`) + DAY;
  const inPeriod = (ms: number) => ms >= start && ms < end;
  const facts = c.patients.map((p) => factsOf(p, startMs));
  const diagnosed = facts.filter((f) => inPeriod(f.dxDay * DAY));
  const deaths = facts.filter((f): f is Facts & { death: NonNullable<Facts['death']> } => f.death !== undefined && inPeriod(f.death.at));

  /** "Within N days" of the diagnosis, with the follow-up rule: a result not known yet is left out. */
  const withinDays = (id: MeasureId, when: (f: Facts) => number | undefined): Expected => {
    const days = daysOf(id, 'withinDays');
    const items = diagnosed.flatMap((f) => {
      const at = when(f);
      const inTime = at !== undefined && utcDay(at) - f.dxDay <= days;
      const known = inTime || (f.dxDay + days + 1) * DAY <= q.nowMs;
      return known ? [inTime] : [];
    });
    return rate(id, items);
  };
  const beforeDeath = (d: { at: number }, days: number, ms: number) => ms >= d.at - days * DAY && ms <= d.at;
  const admissions = (id: MeasureId, setting: string, more: number) =>
    rate(
      id,
      deaths.map((f) => f.admissions.filter((a) => a.setting === setting && beforeDeath(f.death, daysOf(id, 'lookbackDays'), a.at)).length > more),
    );

  const known: Partial<Record<MeasureId, Expected>> = {
    'symptoms.prom-completion': rate(
      'symptoms.prom-completion',
      c.patients.flatMap((p) => promItems(p, startMs, inPeriod, q.nowMs)),
    ),
    'timeliness.days-to-specialist-median': (() => {
      const days = diagnosed.flatMap((f) => (f.contact === undefined ? [] : [utcDay(f.contact) - f.dxDay]));
      const m = median(days);
      return { id: 'timeliness.days-to-specialist-median', denominator: days.length, value: m === null ? null : round1(m) };
    })(),
    'timeliness.specialist-within-8w': withinDays('timeliness.specialist-within-8w', (f) => f.contact),
    'timeliness.specialist-within-12w': withinDays('timeliness.specialist-within-12w', (f) => f.contact),
    'acp.documented-within-30d': withinDays('acp.documented-within-30d', (f) => f.acpAt),
    'acp.documented-within-90d': withinDays('acp.documented-within-90d', (f) => f.acpAt),
    'acp.code-status-recorded': rate(
      'acp.code-status-recorded',
      diagnosed.map((f) => f.codeStatus),
    ),
    'acp.preferred-place-recorded': rate(
      'acp.preferred-place-recorded',
      diagnosed.map((f) => f.preferredPlace),
    ),
    'eol.sact-last-14d': rate(
      'eol.sact-last-14d',
      deaths.map((f) => f.sact.some((s) => beforeDeath(f.death, daysOf('eol.sact-last-14d', 'lookbackDays'), s))),
    ),
    'eol.ed-visits-gt1-last-30d': admissions('eol.ed-visits-gt1-last-30d', 'emergency', 1),
    'eol.admissions-gt1-last-30d': admissions('eol.admissions-gt1-last-30d', 'inpatient', 1),
    'eol.icu-last-30d': admissions('eol.icu-last-30d', 'icu', 0),
    'eol.death-in-hospital': rate(
      'eol.death-in-hospital',
      deaths.map((f) => f.death.place === 'hospital'),
    ),
    'eol.specialist-late-or-never': rate(
      'eol.specialist-late-or-never',
      deaths.map((f) => f.contact === undefined || f.contact > f.death.at - daysOf('eol.specialist-late-or-never', 'lookbackDays') * DAY),
    ),
    'eol.place-of-death-concordant': rate(
      'eol.place-of-death-concordant',
      deaths.filter((f) => f.death.preferred !== undefined).map((f) => f.death.place === f.death.preferred),
    ),
    ...(staff
      ? {
          'caregivers.assessed': rate(
            'caregivers.assessed',
            facts.flatMap((f) => f.caregivers.filter((g) => inPeriod(g.at)).map((g) => staff.caregiversAssessed.has(g.id))),
          ),
          // Every death opens the family's bereavement contact (docs/clinical-rules.md 2.9); the follow-up rule applies.
          'caregivers.bereavement-contact-14d': (() => {
            const days = daysOf('caregivers.bereavement-contact-14d', 'withinDays');
            return rate(
              'caregivers.bereavement-contact-14d',
              deaths.flatMap((f) => {
                const contact = staff.bereavementContacts.get(f.patientId);
                const inTime = contact !== undefined && contact <= f.death.at + days * DAY;
                return inTime || f.death.at + days * DAY <= q.nowMs ? [inTime] : [];
              }),
            );
          })(),
        }
      : {}),
  };
  return MEASURE_IDS.map(
    (id) =>
      known[id] ?? {
        id,
        unknown: UNKNOWN[id] ?? (STAFF_MEASURES.includes(id) ? 'a staff action, and no staff worked this run' : 'not modelled'),
      },
  );
}
