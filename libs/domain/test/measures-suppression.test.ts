import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EquityGroup, MeasureFigure, MeasureId, MeasuresReport, MeasureTallies, Tally } from '../src';
import { additiveFields, buildReport, complementaryHidden, EQUITY_GROUP_NAMES, EQUITY_GROUPS, measureById, QUEUES, suppressReport } from '../src';
import { propertyParams } from './support';

/**
 * Suppression that holds (docs/measures.md "Suppression"): an attacker with every answer `ops` can
 * read for a period — the total, every split's groups, every team's figures and every team's split —
 * writes down every sum those figures must satisfy (a split adds up to its total, the teams add up
 * to the whole, team by team each group adds up to the whole group, a numerator is at most its
 * denominator, no count is negative, a hidden total of the whole is 1 to 4) and narrows the range
 * of every hidden count until nothing changes. No hidden count may come out as one number.
 */

/** Measures of each kind: a task-based rate and mean (split by team), a rate and a median that are not. */
const MEASURES = [
  'timeliness.triage-within-deadline',
  'symptoms.follow-up-change',
  'acp.code-status-recorded',
  'timeliness.days-to-specialist-median',
] as const;
type Id = (typeof MEASURES)[number];
const TEAMS = ['coordination', 'oncology', 'specialist-palliative'] as const;

interface Item {
  measure: Id;
  team: (typeof TEAMS)[number];
  inNumerator: boolean;
  value: number;
  keys: Record<EquityGroup, string>;
}

/** Skewed choices, so that small cells are common. */
const skewed = <T>(xs: readonly T[]) => fc.oneof({ weight: 6, arbitrary: fc.constant(xs[0]!) }, { weight: 4, arbitrary: fc.constantFrom(...xs) });
const itemArb: fc.Arbitrary<Item> = fc.record({
  measure: fc.constantFrom(...MEASURES),
  team: skewed(TEAMS),
  inNumerator: fc.boolean(),
  value: fc.integer({ min: -5, max: 90 }),
  keys: fc.record(Object.fromEntries(EQUITY_GROUP_NAMES.map((g) => [g, skewed(EQUITY_GROUPS[g])])) as Record<EquityGroup, fc.Arbitrary<string>>),
});
const datasetArb = fc.array(itemArb, { minLength: 0, maxLength: 90 });

const tallyOf = (items: readonly Item[]): Tally => {
  const values = items.map((i) => i.value).sort((a, b) => a - b);
  const mid = values.length / 2;
  const median = values.length === 0 ? null : values.length % 2 ? values[Math.floor(mid)]! : (values[mid - 1]! + values[mid]!) / 2;
  return { n: items.length, k: items.filter((i) => i.inNumerator).length, value: values.length === 0 ? null : median };
};

function exactReport(items: readonly Item[], team?: string, group?: EquityGroup): MeasuresReport {
  const tallies: MeasureTallies = {};
  for (const id of MEASURES) {
    const def = measureById(id)!;
    const mine = items.filter((i) => i.measure === id && (!team || !def.byTeam || i.team === team));
    const groups = group ? new Map(EQUITY_GROUPS[group].map((k) => [k, tallyOf(mine.filter((i) => i.keys[group] === k))])) : undefined;
    tallies[id] = { total: tallyOf(mine), ...(groups ? { groups } : {}) };
  }
  return buildReport(tallies, { from: '2026-01-01', to: '2026-06-30', team, group, generatedAt: '2026-06-30T12:00:00.000Z' });
}

/** Every report ops can ask for the period: each team or none, each split or none; with the exact figures beside. */
function everything(items: readonly Item[]) {
  const all = exactReport(items);
  const teams = Object.fromEntries(TEAMS.map((q) => [q, exactReport(items, q)]));
  const out: Array<{ team?: string; group?: EquityGroup; exact: MeasuresReport; ops: MeasuresReport }> = [];
  for (const team of [undefined, ...TEAMS])
    for (const group of [undefined, ...EQUITY_GROUP_NAMES]) {
      const exact = exactReport(items, team, group);
      out.push({ team, group, exact, ops: suppressReport(exact, team ? { team, all, teams } : undefined) });
    }
  return out;
}

type Bound = [number, number];
const BIG = 1e9;

/** The attacker: interval propagation over every equation and inequality the published figures satisfy. */
function attack(reports: ReturnType<typeof everything>) {
  const bounds = new Map<string, Bound>();
  const exact = new Map<string, number>();
  const hidden = new Set<string>();
  const equations: string[][][] = []; // [lhs vars, rhs vars]: Σ lhs = Σ rhs
  const atMost: Array<[string, string]> = []; // numerator ≤ denominator
  const cell = (id: MeasureId, field: string, team: string, group: string, key: string) => `${id}|${field}|${team}|${key === 'T' ? '-' : group}|${key}`;
  const see = (name: string, shown: number | null | undefined, truth: number | null | undefined) => {
    if (typeof truth !== 'number') return;
    exact.set(name, truth);
    if (typeof shown === 'number') bounds.set(name, [shown, shown]);
    else {
      hidden.add(name);
      if (!bounds.has(name)) bounds.set(name, [0, BIG]);
    }
  };
  for (const r of reports) {
    r.ops.measures.forEach((m: MeasureFigure, i) => {
      const e = r.exact.measures[i]!;
      const def = measureById(m.id)!;
      const team = r.team && def.byTeam ? r.team : '*';
      for (const f of additiveFields(def)) {
        see(cell(m.id, f, team, '-', 'T'), m[f], e[f]);
        // The whole's total is hidden only when it is small.
        if (team === '*' && m[f] === null && typeof e[f] === 'number') bounds.set(cell(m.id, f, team, '-', 'T'), [1, 4]);
        if (r.group && m.groups) {
          m.groups.forEach((g, j) => see(cell(m.id, f, team, r.group!, g.key), g[f], e.groups![j]![f]));
          equations.push([[cell(m.id, f, team, '-', 'T')], m.groups.map((g) => cell(m.id, f, team, r.group!, g.key))]);
        }
      }
      if (def.aggregate === 'rate') {
        atMost.push([cell(m.id, 'numerator', team, '-', 'T'), cell(m.id, 'denominator', team, '-', 'T')]);
        for (const g of m.groups ?? []) atMost.push([cell(m.id, 'numerator', team, r.group!, g.key), cell(m.id, 'denominator', team, r.group!, g.key)]);
      }
    });
  }
  // The teams add up to the whole: totals, and group by group.
  for (const id of MEASURES.filter((x) => measureById(x)!.byTeam))
    for (const f of additiveFields(measureById(id)!)) {
      equations.push([[cell(id, f, '*', '-', 'T')], TEAMS.map((q) => cell(id, f, q, '-', 'T'))]);
      for (const g of EQUITY_GROUP_NAMES) for (const k of EQUITY_GROUPS[g]) equations.push([[cell(id, f, '*', g, k)], TEAMS.map((q) => cell(id, f, q, g, k))]);
    }
  const get = (v: string): Bound => bounds.get(v) ?? [0, BIG];
  const tighten = (v: string, lo: number, hi: number): boolean => {
    const [a, b] = get(v);
    const next: Bound = [Math.max(a, lo), Math.min(b, hi)];
    if (next[0] === a && next[1] === b) return false;
    bounds.set(v, next);
    return true;
  };
  for (let changed = true, rounds = 0; changed && rounds < 200; rounds++) {
    changed = false;
    for (const [lhs, rhs] of equations) {
      const terms = [...lhs!.map((v) => [v, 1] as const), ...rhs!.map((v) => [v, -1] as const)];
      terms.forEach(([v, c], j) => {
        // c·v = −Σ others
        let lo = 0;
        let hi = 0;
        terms.forEach(([w, d], i) => {
          if (i === j) return;
          const [a, b] = get(w);
          lo += d > 0 ? -d * b : -d * a;
          hi += d > 0 ? -d * a : -d * b;
        });
        if (c > 0) changed = tighten(v, lo, hi) || changed;
        else changed = tighten(v, -hi, -lo) || changed;
      });
    }
    for (const [k, n] of atMost) {
      changed = tighten(k, 0, get(n)[1]) || changed;
      changed = tighten(n, get(k)[0], BIG) || changed;
    }
  }
  return [...hidden].map((v) => ({ cell: v, truth: exact.get(v)!, range: get(v) }));
}

describe('suppression that holds against subtraction', () => {
  it('recovers no suppressed cell from the totals, every split, across splits and across teams, over many random datasets', () => {
    fc.assert(
      fc.property(datasetArb, (items) => {
        const results = attack(everything(items));
        for (const r of results) {
          // The attacker is sound (the truth is in its range) and never narrows a hidden count to one number.
          expect(r.truth).toBeGreaterThanOrEqual(r.range[0]);
          expect(r.truth).toBeLessThanOrEqual(r.range[1]);
          expect({ cell: r.cell, recovered: r.range[0] === r.range[1] }).toEqual({ cell: r.cell, recovered: false });
        }
      }),
      propertyParams(60),
    );
  }, 60_000);

  it('without complementary suppression the same attacker recovers cells (the finding: total minus the visible groups)', () => {
    // 3 people in one group, 20 in another: the total, 23, less the 20 shown gives the 3.
    expect(complementaryHidden(23, [3, 20, 0])).toEqual([true, true, false]);
    const items: Item[] = [
      ...Array.from({ length: 3 }, () => ({ keys: { age: '<75' } }) as const),
      ...Array.from({ length: 20 }, () => ({ keys: { age: '>=75' } }) as const),
    ].map((x, i) => ({
      measure: 'acp.code-status-recorded',
      team: 'coordination',
      inNumerator: i % 2 === 0,
      value: 1,
      keys: { livesAlone: 'true', rural: 'true', interpreterNeeded: 'true', deprivation: '1', ...x.keys },
    }));
    const primaryOnly = exactReport(items, undefined, 'age').measures.find((m) => m.id === 'acp.code-status-recorded')!;
    const small = primaryOnly.groups!.find((g) => g.key === '<75')!;
    const visible = primaryOnly.groups!.filter((g) => g.key !== '<75' && !(g.denominator! >= 1 && g.denominator! <= 4));
    expect(primaryOnly.denominator! - visible.reduce((s, g) => s + g.denominator!, 0)).toBe(small.denominator);
    // With it: the 20 is hidden beside the 3, and the attacker learns only that they add up to 23.
    const ops = attack(everything(items)).filter((r) => r.cell.startsWith('acp.code-status-recorded|denominator|*|age|'));
    expect(ops.map((r) => r.cell).sort()).toEqual(['acp.code-status-recorded|denominator|*|age|<75', 'acp.code-status-recorded|denominator|*|age|>=75']);
    for (const r of ops) expect(r.range[0]).toBeLessThan(r.range[1]);
  });

  it('hides a team’s task-based figure as the complement of another team’s small one, in the team’s own answer', () => {
    const items: Item[] = [...Array.from({ length: 2 }, () => 'oncology' as const), ...Array.from({ length: 30 }, () => 'coordination' as const)].map(
      (team) => ({
        measure: 'timeliness.triage-within-deadline',
        team,
        inNumerator: false,
        value: 1,
        keys: { age: '<75', livesAlone: 'true', rural: 'true', interpreterNeeded: 'true', deprivation: '1' },
      }),
    );
    const all = exactReport(items);
    const teams = Object.fromEntries(TEAMS.map((q) => [q, exactReport(items, q)]));
    const coordination = suppressReport(exactReport(items, 'coordination'), { team: 'coordination', all, teams }).measures.find(
      (m) => m.id === 'timeliness.triage-within-deadline',
    )!;
    expect(coordination).toMatchObject({ denominator: null, value: null, suppressed: true });
    expect(suppressReport(all).measures.find((m) => m.id === 'timeliness.triage-within-deadline')).toMatchObject({ denominator: 32 });
    expect(QUEUES).toEqual(expect.arrayContaining([...TEAMS]));
  });
});
