import type { EquityGroup, MeasureId } from './catalogue';
import { EQUITY_GROUP_NAMES, EQUITY_GROUPS, EQUITY_LABELS, MEASURE_CATALOGUE, MEASURE_FAMILIES } from './catalogue';
import type { MeasureFamily } from './catalogue';
import type { MeasureFigure, MeasureGroupFigure, MeasuresReport, Tally } from './figures';
import { figureOf, meetsTarget } from './figures';

/** Every tally a report is made from: a total per measure and, where split, one per group key. */
export type MeasureTallies = Partial<Record<MeasureId, { total: Tally; groups?: Map<string, Tally> }>>;

const EMPTY: Tally = { n: 0, k: 0, value: null };

/**
 * The measures report (docs/contract.md section 7) from the tallies: every catalogue id, in catalogue order,
 * whether or not anything was counted. With an equity `group`, every cohort measure carries one
 * entry per key of that split (zeros included, so the groups line up side by side); operations
 * counts carry their queues. A live figure that could not be read (Kafka down) is null.
 */
export function buildReport(
  tallies: MeasureTallies,
  opts: { from: string; to: string; team?: string; group?: EquityGroup; generatedAt: string },
): MeasuresReport {
  const measures = MEASURE_CATALOGUE.map((def): MeasureFigure => {
    const t = tallies[def.id];
    const base = figureOf(def, t?.total ?? EMPTY);
    const out: MeasureFigure = { id: def.id, family: def.family, label: def.label, unit: def.unit, ...base };
    if (def.target) {
      out.target = def.target;
      out.meetsTarget = meetsTarget(def.target, out.value);
    }
    let groups: MeasureGroupFigure[] | undefined;
    if (def.basis === 'cohort' && !('split' in def) && opts.group) {
      groups = EQUITY_GROUPS[opts.group].map((key) => ({ key, ...figureOf(def, t?.groups?.get(key) ?? EMPTY) }));
    } else if ('byQueue' in def && def.byQueue) {
      groups = [...(t?.groups ?? new Map<string, Tally>())].map(([key, g]) => ({ key, ...figureOf(def, g) }));
    }
    if (groups) out.groups = groups;
    return out;
  });
  return {
    from: opts.from,
    to: opts.to,
    ...(opts.team ? { team: opts.team } : {}),
    ...(opts.group ? { group: opts.group } : {}),
    generatedAt: opts.generatedAt,
    measures,
    families: (Object.keys(MEASURE_FAMILIES) as MeasureFamily[]).map((id) => ({ id, label: MEASURE_FAMILIES[id] })),
    groups: EQUITY_GROUP_NAMES.map((id) => ({ id, label: EQUITY_LABELS[id], keys: EQUITY_GROUPS[id] })),
  };
}
