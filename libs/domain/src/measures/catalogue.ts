/**
 * The operations measures (docs/measures.md; docs/clinical-rules.md section 4): every id the
 * measures API answers, written once. Each entry says what is counted (its cohort and index date),
 * what the number is, and the benchmark it is judged against. How a cohort is found in the stored
 * data is libs/db/src/measures/cohorts.ts, keyed by these ids (a missing one fails the compiler).
 */
export type MeasureUnit = 'percent' | 'days' | 'points' | 'count' | 'seconds';
export type MeasureFamily = 'timeliness' | 'symptoms' | 'acp' | 'eol' | 'caregivers' | 'ops';

/**
 * How the number is made: `rate` numerator / denominator in percent; `median` / `mean` of the cohort's
 * values; `count` of things now or in the period; `p95` the 95th percentile of seconds.
 */
export type MeasureAggregate = 'rate' | 'median' | 'mean' | 'count' | 'p95';

export interface MeasureTarget {
  op: '<' | '>=';
  value: number;
  source: string;
}

export interface MeasureDefinition {
  id: string;
  family: MeasureFamily;
  label: string;
  unit: MeasureUnit;
  aggregate: MeasureAggregate;
  /** The index date: a thing counts in the period its index date falls in. */
  cohort: string;
  /** What the value is (for the docs and the dashboard's help text). */
  counts: string;
  /** "Within N days" measures: the follow-up window (CONTRACT section 7's follow-up rule). */
  withinDays?: number;
  /** End-of-life measures: how far before the death they look (days). */
  lookbackDays?: number;
  target?: MeasureTarget;
  /**
   * `cohort`: derived per patient into measure items (equity splits, drill-down, trend), summed by day;
   * `live`: an operations figure read from tasks, Kafka or the event log when asked.
   */
  basis: 'cohort' | 'live';
  /** Task-based: `team` restricts it to that queue. */
  byTeam: boolean;
  /** Operations figures split by queue in every response. */
  byQueue?: boolean;
  /** Operations measures have no equity split (CONTRACT section 7), even when kept as items. */
  split?: false;
}

/** The families in the order the dashboard and docs show them, with their names in words. */
export const MEASURE_FAMILIES: Record<MeasureFamily, string> = {
  timeliness: 'Timeliness of specialist palliative care',
  symptoms: 'Symptom care',
  acp: 'Advance care planning',
  eol: 'Quality of care at the end of life',
  caregivers: 'Caregivers and bereavement',
  ops: 'Operations',
};

const EARLE = 'Earle et al. 2005 (J Clin Oncol 23:1359): aggressive end-of-life care benchmarks';

const defs = [
  {
    id: 'timeliness.days-to-specialist-median',
    family: 'timeliness',
    label: 'Days from advanced diagnosis to first specialist palliative contact (median)',
    unit: 'days',
    aggregate: 'median',
    cohort: 'advanced diagnosis (diagnosedAt)',
    counts: 'median days from diagnosis to the first specialist palliative contact, among those with a contact',
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'timeliness.specialist-within-8w',
    family: 'timeliness',
    label: 'Specialist palliative contact within 8 weeks of diagnosis',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'advanced diagnosis (diagnosedAt)',
    counts: 'first specialist contact no more than 56 days after diagnosis',
    withinDays: 56,
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'timeliness.specialist-within-12w',
    family: 'timeliness',
    label: 'Specialist palliative contact within 12 weeks of diagnosis',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'advanced diagnosis (diagnosedAt)',
    counts: 'first specialist contact no more than 84 days after diagnosis',
    withinDays: 84,
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'timeliness.triage-within-deadline',
    family: 'timeliness',
    label: 'Specialist referrals triaged by their deadline',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'triage task due date',
    counts: '`specialist-referral-triage` tasks completed by their due time, of those due (cancelled tasks left out)',
    basis: 'cohort',
    byTeam: true,
  },
  {
    id: 'symptoms.prom-completion',
    family: 'symptoms',
    label: 'Symptom questionnaires answered',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'PROM request sent',
    counts: 'requests answered before the next request or the not-returned call, of requests sent (those cancelled by death, withdrawal or decline left out)',
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'symptoms.severe-reviewed-in-time',
    family: 'symptoms',
    label: 'Severe symptom scores reviewed in time',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'severe score (any item 7 or more)',
    counts: 'severe scores whose symptom review was completed by its due time (reviews cancelled left out)',
    basis: 'cohort',
    byTeam: true,
  },
  {
    id: 'symptoms.follow-up-done',
    family: 'symptoms',
    label: 'Follow-up questionnaires answered after a symptom review',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'completed symptom review',
    counts: 'follow-up PROMs answered, of follow-ups sent',
    basis: 'cohort',
    byTeam: true,
  },
  {
    id: 'symptoms.follow-up-change',
    family: 'symptoms',
    label: 'Change in the triggering symptom at follow-up (mean, points)',
    unit: 'points',
    aggregate: 'mean',
    cohort: 'follow-up answered',
    counts: 'mean of (follow-up score − triggering score) over each triggering item; below 0 is better',
    basis: 'cohort',
    byTeam: true,
  },
  {
    id: 'acp.documented-within-30d',
    family: 'acp',
    label: 'Advance care plan documented within 30 days of diagnosis',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'advanced diagnosis (diagnosedAt)',
    counts: '`acp.documented` no more than 30 days after diagnosis',
    withinDays: 30,
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'acp.documented-within-90d',
    family: 'acp',
    label: 'Advance care plan documented within 90 days of diagnosis',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'advanced diagnosis (diagnosedAt)',
    counts: '`acp.documented` no more than 90 days after diagnosis',
    withinDays: 90,
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'acp.code-status-recorded',
    family: 'acp',
    label: 'Resuscitation (code) status recorded',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'advanced diagnosis (diagnosedAt)',
    counts: 'a code status recorded (by today)',
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'acp.preferred-place-recorded',
    family: 'acp',
    label: 'Preferred place of death recorded',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'advanced diagnosis (diagnosedAt)',
    counts: 'a preferred place of death recorded (by today)',
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'eol.sact-last-14d',
    family: 'eol',
    label: 'Anticancer treatment (SACT) in the last 14 days of life',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'death (enrolled patients who died)',
    counts: 'SACT given in the 14 days before death',
    lookbackDays: 14,
    target: { op: '<', value: 10, source: EARLE },
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'eol.ed-visits-gt1-last-30d',
    family: 'eol',
    label: 'More than one emergency department visit in the last 30 days of life',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'death (enrolled patients who died)',
    counts: 'more than one `encounter.admitted` with setting `emergency` in the 30 days before death',
    lookbackDays: 30,
    target: { op: '<', value: 4, source: EARLE },
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'eol.admissions-gt1-last-30d',
    family: 'eol',
    label: 'More than one hospital admission in the last 30 days of life',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'death (enrolled patients who died)',
    counts: 'more than one inpatient admission in the 30 days before death',
    lookbackDays: 30,
    target: { op: '<', value: 4, source: EARLE },
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'eol.icu-last-30d',
    family: 'eol',
    label: 'Intensive care admission in the last 30 days of life',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'death (enrolled patients who died)',
    counts: 'an ICU admission in the 30 days before death',
    lookbackDays: 30,
    target: { op: '<', value: 4, source: EARLE },
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'eol.death-in-hospital',
    family: 'eol',
    label: 'Died in an acute hospital',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'death (enrolled patients who died)',
    counts: 'place of death `hospital`',
    target: { op: '<', value: 17, source: EARLE },
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'eol.specialist-late-or-never',
    family: 'eol',
    label: 'First specialist palliative contact under 3 days before death, or never',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'death (enrolled patients who died)',
    counts: 'first specialist contact fewer than 3 days before death, or none',
    lookbackDays: 3,
    target: { op: '<', value: 8, source: `${EARLE} (hospice admission within 3 days of death)` },
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'eol.place-of-death-concordant',
    family: 'eol',
    label: 'Died in the place they preferred',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'death with a recorded preferred place of death',
    counts: 'place of death the same as the preferred place of death',
    basis: 'cohort',
    byTeam: false,
  },
  {
    id: 'caregivers.assessed',
    family: 'caregivers',
    label: 'Caregivers assessed',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'caregiver registered',
    counts: 'caregivers with a completed caregiver assessment',
    basis: 'cohort',
    byTeam: true,
  },
  {
    id: 'caregivers.bereavement-contact-14d',
    family: 'caregivers',
    label: 'Bereaved families contacted within 14 days',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'death with a bereavement-contact task',
    counts: '`bereavement-contact` completed no more than 14 days after the death',
    withinDays: 14,
    basis: 'cohort',
    byTeam: true,
  },
  {
    id: 'ops.open-tasks',
    family: 'ops',
    label: 'Open tasks',
    unit: 'count',
    aggregate: 'count',
    cohort: 'now',
    counts: 'open and claimed tasks, by queue',
    basis: 'live',
    byTeam: true,
    byQueue: true,
  },
  {
    id: 'ops.overdue-tasks',
    family: 'ops',
    label: 'Overdue tasks',
    unit: 'count',
    aggregate: 'count',
    cohort: 'now',
    counts: 'open and claimed tasks past their due time, by queue',
    basis: 'live',
    byTeam: true,
    byQueue: true,
  },
  {
    id: 'ops.sla-attainment',
    family: 'ops',
    label: 'Tasks done by their due time',
    unit: 'percent',
    aggregate: 'rate',
    cohort: 'task due date',
    counts: 'tasks closed as done by their due time, of tasks due in the period (cancelled tasks left out)',
    basis: 'cohort',
    split: false,
    byTeam: true,
  },
  {
    id: 'ops.escalations',
    family: 'ops',
    label: 'Escalations opened',
    unit: 'count',
    aggregate: 'count',
    cohort: 'escalation opened',
    counts: 'escalation tasks opened in the period',
    basis: 'cohort',
    split: false,
    byTeam: true,
  },
  {
    id: 'ops.caseload-median',
    family: 'ops',
    label: 'Open pathways per key worker (median)',
    unit: 'count',
    aggregate: 'median',
    cohort: 'now',
    counts: 'median open pathways per key worker (named when `assign-key-worker` is completed, else the one who completed it)',
    basis: 'live',
    byTeam: false,
  },
  {
    id: 'ops.event-to-task-p95',
    family: 'ops',
    label: 'Seconds from a clinical event to its task (95th percentile, last 24 hours)',
    unit: 'seconds',
    aggregate: 'p95',
    cohort: 'last 24 hours',
    counts: '95th percentile seconds from the event being produced to the task being committed',
    basis: 'live',
    byTeam: true,
  },
  {
    id: 'ops.consumer-lag',
    family: 'ops',
    label: 'Clinical events waiting to be taken in',
    unit: 'count',
    aggregate: 'count',
    cohort: 'now',
    counts: 'records on `clinical-events` not yet consumed by the bridge, all partitions',
    basis: 'live',
    byTeam: false,
  },
  {
    id: 'ops.parked-events',
    family: 'ops',
    label: 'Clinical events parked and not replayed',
    unit: 'count',
    aggregate: 'count',
    cohort: 'now',
    counts: 'records on the dead-letter topic not yet replayed',
    basis: 'live',
    byTeam: false,
  },
] as const satisfies readonly MeasureDefinition[];

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

/** The age split's threshold: age at the index date below it, or at or above it (CONTRACT section 7). */
export const AGE_SPLIT_YEARS = 75;

/** CONTRACT section 7 equity splits; operations measures have none. */
export const EQUITY_GROUPS = {
  age: ['<75', '>=75', 'unknown'],
  livesAlone: ['true', 'false', 'unknown'],
  rural: ['true', 'false', 'unknown'],
  interpreterNeeded: ['true', 'false', 'unknown'],
  deprivation: ['1', '2', '3', '4', '5', 'unknown'],
} as const;
export type EquityGroup = keyof typeof EQUITY_GROUPS;
export const EQUITY_GROUP_NAMES = Object.keys(EQUITY_GROUPS) as EquityGroup[];
export const EQUITY_LABELS: Record<EquityGroup, string> = {
  age: 'Age at the index date',
  livesAlone: 'Lives alone',
  rural: 'Lives rurally',
  interpreterNeeded: 'Needs an interpreter',
  deprivation: 'Deprivation quintile (1 most deprived)',
};
