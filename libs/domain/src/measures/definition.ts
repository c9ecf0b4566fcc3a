/** The shape of a measure definition (docs/measures.md); the definitions are in ./definitions/. */
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
  /** "Within N days" measures: the follow-up window (docs/contract.md section 7's follow-up rule). */
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
  /** Operations measures have no equity split (docs/contract.md section 7), even when kept as items. */
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
