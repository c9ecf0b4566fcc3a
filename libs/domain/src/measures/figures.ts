import type { EquityGroup, MeasureDefinition, MeasureFamily, MeasureId, MeasureTarget, MeasureUnit } from './catalogue';

/** One group of a split (an equity group's key, or a queue for the operations counts). */
export interface MeasureGroupFigure {
  key: string;
  numerator?: number | null;
  denominator?: number | null;
  value: number | null;
  ci?: [number, number] | null;
  suppressed?: true;
}

/** docs/contract.md section 7 `Measure`, plus `ci` (95% Wilson interval of a percent) and `meetsTarget`. */
export interface MeasureFigure {
  id: MeasureId;
  family: MeasureFamily;
  label: string;
  unit: MeasureUnit;
  numerator?: number | null;
  denominator?: number | null;
  value: number | null;
  ci?: [number, number] | null;
  target?: MeasureTarget;
  /** Whether the value is on the right side of the target line (null: no value). */
  meetsTarget?: boolean | null;
  suppressed?: true;
  groups?: MeasureGroupFigure[];
}

export interface MeasuresReport {
  from: string;
  to: string;
  team?: string;
  group?: EquityGroup;
  generatedAt: string;
  measures: MeasureFigure[];
  /** Added to docs/contract.md section 7: the families and equity splits in words, for a dashboard to show. */
  families: Array<{ id: MeasureFamily; label: string }>;
  groups: Array<{ id: EquityGroup; label: string; keys: readonly string[] }>;
}

/** What a query counted for one measure (or one group of it): n things, k in the numerator, a value. */
export interface Tally {
  n: number;
  k: number;
  /** The median, mean, 95th percentile or count the SQL computed (null: nothing to compute it from). */
  value: number | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** A percent with one decimal; null when the denominator is 0. */
export function percent(k: number, n: number): number | null {
  return n === 0 ? null : round1((100 * k) / n);
}

/**
 * The 95% Wilson score interval of k out of n, in percent with one decimal: unlike k/n ± 1.96·SE it
 * stays within 0–100 and is honest for a handful of patients (2 of 2 is 34.2–100, not 100–100).
 */
export function wilson(k: number, n: number, z = 1.959964): [number, number] | null {
  if (n === 0) return null;
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [round1(Math.max(0, 100 * (centre - half))), round1(Math.min(100, 100 * (centre + half)))];
}

/** The numbers a tally shows, by how its measure aggregates. */
export function figureOf(def: Pick<MeasureDefinition, 'aggregate'>, t: Tally): Omit<MeasureGroupFigure, 'key'> {
  switch (def.aggregate) {
    case 'rate':
      return { numerator: t.k, denominator: t.n, value: percent(t.k, t.n), ci: wilson(t.k, t.n) };
    case 'median':
    case 'mean':
    case 'p95':
      return { denominator: t.n, value: t.n === 0 || t.value === null ? null : round1(t.value) };
    case 'count':
      return { value: t.value ?? t.n };
    default:
      return def.aggregate satisfies never;
  }
}

export function meetsTarget(target: MeasureTarget | undefined, value: number | null): boolean | null | undefined {
  if (!target) return undefined;
  if (value === null) return null;
  return target.op === '<' ? value < target.value : value >= target.value;
}

/** docs/contract.md section 7: counts from 1 to 4 are small enough to identify someone. */
export const isSmall = (x: number | null | undefined): boolean => typeof x === 'number' && x >= 1 && x <= 4;

/**
 * Small-number suppression for the `ops` role (docs/contract.md section 7): every numerator, denominator or
 * count from 1 to 4 becomes null with `suppressed: true`, and so do the value and interval it would
 * reveal. A count is the value of a `count` measure.
 */
export function suppressSmall<F extends Omit<MeasureGroupFigure, 'key'>>(f: F, unit: MeasureUnit): F {
  const countIsSmall = unit === 'count' && isSmall(f.value);
  if (!isSmall(f.numerator) && !isSmall(f.denominator) && !countIsSmall) return f;
  const out: F = { ...f, value: null, suppressed: true };
  if (isSmall(f.numerator)) out.numerator = null;
  if (isSmall(f.denominator)) out.denominator = null;
  if ('ci' in f) out.ci = null;
  return out;
}
