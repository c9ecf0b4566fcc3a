import type { MeasureFigure, MeasureId } from '@tandem/domain';
import type { Expected } from './oracle';

/** One row of the oracle's table: what the cohort implies, what the API reports, and whether they agree. */
export interface OracleRow {
  id: MeasureId;
  expected?: { numerator?: number; denominator?: number; value: number | null };
  reported?: { numerator?: number | null; denominator?: number | null; value: number | null };
  /** reported − expected (value); null when either is null. */
  difference: number | null;
  /** The measure agrees in numerator, denominator and value (undefined: the simulator cannot say). */
  matches?: boolean;
  why?: string;
  /** The middle 95% the parameters imply for a cohort of this size (apps/simulator/src/implied.ts). */
  implied?: [number, number];
}

/** Pairs every expected figure with the API's (and the range the parameters imply, when given). */
export function compareMeasures(
  expected: readonly Expected[],
  reported: readonly MeasureFigure[],
  implied: ReadonlyMap<MeasureId, [number, number]> = new Map(),
): OracleRow[] {
  const byId = new Map(reported.map((m) => [m.id, m]));
  return expected.map((e) => {
    const r = byId.get(e.id);
    const rep = r ? { numerator: r.numerator, denominator: r.denominator, value: r.value } : undefined;
    if ('unknown' in e) return { id: e.id, ...(rep ? { reported: rep } : {}), difference: null, why: e.unknown };
    const exp = {
      ...(e.numerator !== undefined ? { numerator: e.numerator } : {}),
      ...(e.denominator !== undefined ? { denominator: e.denominator } : {}),
      value: e.value,
    };
    const difference = rep && rep.value !== null && e.value !== null ? Math.round((rep.value - e.value) * 10) / 10 : null;
    const matches =
      rep !== undefined &&
      rep.value === e.value &&
      (e.numerator === undefined || rep.numerator === e.numerator) &&
      (e.denominator === undefined || rep.denominator === e.denominator);
    const range = implied.get(e.id);
    return { id: e.id, expected: exp, ...(rep ? { reported: rep } : {}), difference, matches, ...(range ? { implied: range } : {}) };
  });
}

const show = (f?: { numerator?: number | null; denominator?: number | null; value: number | null }) =>
  f === undefined
    ? '—'
    : `${f.value ?? 'none'}${f.numerator != null && f.denominator != null ? ` (${f.numerator}/${f.denominator})` : f.denominator != null ? ` (n ${f.denominator})` : ''}`;

/** The table `simulate` prints: a line per measure, the ones it cannot compute with why. */
export function oracleTable(rows: readonly OracleRow[]): string {
  const width = Math.max(...rows.map((r) => r.id.length));
  const lines = [
    '',
    'What the cohort implies, and what /api/v1/measures reports',
    `  ${'measure'.padEnd(width)}  ${'simulated'.padEnd(18)}  ${'reported'.padEnd(18)}  ${'parameters imply'.padEnd(16)}  difference`,
  ];
  for (const r of rows) {
    const verdict = r.matches === undefined ? `not computed: ${r.why}` : r.matches ? 'matches' : `DIFFERS by ${r.difference ?? 'n/a'}`;
    const range = r.implied ? `${r.implied[0]}–${r.implied[1]}` : '';
    lines.push(`  ${r.id.padEnd(width)}  ${show(r.expected).padEnd(18)}  ${show(r.reported).padEnd(18)}  ${range.padEnd(16)}  ${verdict}`);
  }
  const computed = rows.filter((r) => r.matches !== undefined);
  lines.push(
    `  ${computed.filter((r) => r.matches).length} of ${computed.length} computed measures match; ${rows.length - computed.length} not computed (reason given)`,
    '',
  );
  return lines.join('\n');
}
