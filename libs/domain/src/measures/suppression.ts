import type { MeasureUnit } from './catalogue';
import { measureById } from './catalogue';
import type { MeasureDefinition } from './definition';
import type { MeasureFigure, MeasureGroupFigure, MeasuresReport } from './figures';
import { isSmall, meetsTarget, suppressSmall } from './figures';

/**
 * Small-number suppression that holds against subtraction (docs/measures.md "Suppression"): primary
 * cell suppression of every count from 1 to 4 (docs/contract.md section 7), then complementary (secondary)
 * cell suppression, the method of the Eurostat Handbook on Statistical Disclosure Control
 * (Hundepool et al., 2010, section 4.2 "secondary cell suppression") for additive tables. A table is
 * a total and cells that add up to it: an equity split's groups, the queues of an operations count,
 * the teams of a task-based measure. Each count a figure carries (numerator, denominator, or the
 * count itself) is its own additive row, protected on its own:
 *   - a visible total with exactly one hidden cell would give that cell by subtraction, so the
 *     smallest visible non-zero cell is hidden with it (one always exists: the total is at least 5);
 *   - a hidden total hides every non-zero cell, so no split adds back up to it;
 *   - a total is never hidden to protect a cell (it is the figure every split shares), so the
 *     splits cannot be played against each other: each adds up to the same visible total.
 * The choice depends on the counts alone, so the same figures are hidden in every answer that
 * shows them (a team's total and that queue's group, a split asked twice).
 */

/** Which cells of one additive row to hide: the small ones, and their complements. */
export function complementaryHidden(total: number | null | undefined, cells: ReadonlyArray<number | null | undefined>, keys?: readonly string[]): boolean[] {
  const value = (i: number) => cells[i] ?? 0;
  // Ties go to the first key in code order, so the same cells are chosen whatever order they came in.
  const before = (i: number, j: number) => value(i) < value(j) || (value(i) === value(j) && keys !== undefined && keys[i]! < keys[j]!);
  const hidden = cells.map((c) => isSmall(c));
  if (typeof total !== 'number' || isSmall(total)) return cells.map((_, i) => hidden[i]! || value(i) !== 0);
  if (hidden.filter(Boolean).length !== 1) return hidden;
  let pick = -1;
  cells.forEach((_, i) => {
    if (!hidden[i] && value(i) > 0 && (pick < 0 || before(i, pick))) pick = i;
  });
  // Unreachable while the cells add up to the total; if they did not, hide them all rather than one.
  if (pick < 0) return cells.map((_, i) => hidden[i]! || value(i) !== 0);
  hidden[pick] = true;
  return hidden;
}

type Field = 'numerator' | 'denominator' | 'value';
type Figure = Omit<MeasureGroupFigure, 'key'>;

/** The counts of a figure that add up across a split, by how its measure aggregates. */
export function additiveFields(def: Pick<MeasureDefinition, 'aggregate'>): Field[] {
  switch (def.aggregate) {
    case 'rate':
      return ['numerator', 'denominator'];
    case 'median':
    case 'mean':
    case 'p95':
      return ['denominator'];
    case 'count':
      return ['value'];
    default:
      return def.aggregate satisfies never;
  }
}

/** A figure with these counts hidden: null, with its value and interval, and flagged. */
function hide<F extends Figure>(f: F, fields: readonly Field[]): F {
  if (fields.length === 0) return f;
  const out: F = { ...f, value: null, suppressed: true };
  for (const k of fields) if (k !== 'value') out[k] = null;
  if ('ci' in f) out.ci = null;
  return out;
}

/**
 * One additive table as `ops` sees it: `total` as already shown (primary suppression, and any
 * hiding from a table it is itself a cell of) and `cells` exact; cells hidden where small and as
 * complements. `hideAll`: the total is a cell of a table whose other cells are not shown here
 * (a team's figure): its split is not shown at all.
 */
export function protectCells<F extends Figure>(
  def: Pick<MeasureDefinition, 'aggregate'>,
  unit: MeasureUnit,
  shownTotal: Figure,
  cells: readonly F[],
  keys: readonly string[],
  hideAll = false,
): F[] {
  const fields = additiveFields(def);
  const hiddenBy = fields.map((k) =>
    complementaryHidden(
      hideAll ? null : shownTotal[k],
      cells.map((c) => c[k] ?? 0),
      keys,
    ),
  );
  return cells.map((c, i) => {
    const primary = suppressSmall(c, unit);
    const hidden = fields.filter((_, j) => hiddenBy[j]![i]);
    return primary.suppressed ? hide(primary, hidden) : hide(c, hidden);
  });
}

/** Figures of the same period for every team, to protect a team's figure among its teams (a split of the whole). */
export interface TeamTable {
  team: string;
  /** The whole (no team), exact, without a split. */
  all: MeasuresReport;
  /** Every team's report, exact, without a split. */
  teams: Record<string, MeasuresReport>;
}

const withTarget = (m: MeasureFigure, shown: MeasureFigure): MeasureFigure =>
  m.target ? { ...shown, meetsTarget: meetsTarget(m.target, shown.value) } : shown;

/** A task-based figure of one team, as `ops` sees it: hidden where small, or as the complement of another team's. */
function teamTotal(def: MeasureDefinition, m: MeasureFigure, t: TeamTable): MeasureFigure {
  const whole = t.all.measures.find((x) => x.id === m.id)!;
  const names = Object.keys(t.teams).sort();
  const cells = names.map((q) => t.teams[q]!.measures.find((x) => x.id === m.id)!);
  const shown = protectCells(def, m.unit, suppressSmall(whole, whole.unit), cells, names)[names.indexOf(t.team)];
  if (!shown) return suppressSmall(m, m.unit);
  const fields = additiveFields(def).filter((k) => shown[k] === null || (k === 'value' && shown.suppressed));
  return hide(suppressSmall(m, m.unit), fields);
}

/**
 * The whole report as the `ops` role sees it: every figure suppressed where small, every split's
 * groups protected by complementary suppression against the total, and with a team, each task-based
 * total protected among the teams' totals (`teams`: required whenever the report has a team).
 */
export function suppressReport(report: MeasuresReport, teams?: TeamTable): MeasuresReport {
  return {
    ...report,
    measures: report.measures.map((m) => {
      const def = measureById(m.id) as MeasureDefinition | undefined;
      const byTeam = !!report.team && !!def?.byTeam;
      if (byTeam && !teams) throw new Error('a team report for ops needs every team’s figures (TeamTable)');
      const total = def && byTeam ? teamTotal(def, m, teams!) : suppressSmall(m, m.unit);
      // A team's split would be a table inside a table (teams by groups): ops sees a team's figures whole.
      const groups =
        m.groups && def
          ? protectCells(
              def,
              m.unit,
              total,
              m.groups,
              m.groups.map((g) => g.key),
              byTeam && def.basis === 'cohort',
            )
          : m.groups?.map((g) => suppressSmall(g, m.unit));
      return { ...withTarget(m, total), ...(groups ? { groups } : {}) };
    }),
  };
}
