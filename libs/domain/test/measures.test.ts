import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MeasureTallies } from '../src';
import {
  buildReport,
  defaultPeriod,
  EQUITY_GROUPS,
  lastMonths,
  MEASURE_CATALOGUE,
  MEASURE_IDS,
  percent,
  previousWeeks,
  requestedPeriod,
  suppressReport,
  suppressSmall,
  wholeMonths,
  wilson,
} from '../src';
import { propertyParams } from './support';

/** docs/contract.md section 7, written out: every id a response must carry. */
const CONTRACT_IDS = [
  'timeliness.days-to-specialist-median',
  'timeliness.specialist-within-8w',
  'timeliness.specialist-within-12w',
  'timeliness.triage-within-deadline',
  'symptoms.prom-completion',
  'symptoms.severe-reviewed-in-time',
  'symptoms.follow-up-done',
  'symptoms.follow-up-change',
  'acp.documented-within-30d',
  'acp.documented-within-90d',
  'acp.code-status-recorded',
  'acp.preferred-place-recorded',
  'eol.sact-last-14d',
  'eol.ed-visits-gt1-last-30d',
  'eol.admissions-gt1-last-30d',
  'eol.icu-last-30d',
  'eol.death-in-hospital',
  'eol.specialist-late-or-never',
  'eol.place-of-death-concordant',
  'caregivers.assessed',
  'caregivers.bereavement-contact-14d',
  'ops.open-tasks',
  'ops.overdue-tasks',
  'ops.sla-attainment',
  'ops.escalations',
  'ops.caseload-median',
  'ops.event-to-task-p95',
  'ops.consumer-lag',
  'ops.parked-events',
];
const EARLE_TARGETS = {
  'eol.sact-last-14d': 10,
  'eol.ed-visits-gt1-last-30d': 4,
  'eol.admissions-gt1-last-30d': 4,
  'eol.icu-last-30d': 4,
  'eol.death-in-hospital': 17,
  'eol.specialist-late-or-never': 8,
};

describe('measure catalogue', () => {
  it('holds exactly the docs/contract.md section 7 ids, each once, with its family as its prefix', () => {
    expect([...MEASURE_IDS].sort()).toEqual([...CONTRACT_IDS].sort());
    for (const m of MEASURE_CATALOGUE) expect(m.id.startsWith(`${m.family}.`)).toBe(true);
  });

  it('carries the Earle et al. 2005 target lines, and none elsewhere', () => {
    const targets = Object.fromEntries(MEASURE_CATALOGUE.filter((m) => m.target).map((m) => [m.id, m.target!.value]));
    expect(targets).toEqual(EARLE_TARGETS);
    for (const m of MEASURE_CATALOGUE.filter((x) => x.target)) expect(m.target).toMatchObject({ op: '<', source: expect.stringContaining('Earle') });
  });
});

describe('percent and the Wilson interval', () => {
  it.each([
    [0, 0, null, null],
    [0, 10, 0, [0, 27.8]],
    [2, 2, 100, [34.2, 100]],
    [1, 3, 33.3, [6.1, 79.2]],
    [50, 100, 50, [40.4, 59.6]],
    [199, 200, 99.5, [97.2, 99.9]],
  ] as const)('%i of %i: percent %s, interval %j', (k, n, value, ci) => {
    expect(percent(k, n)).toBe(value);
    expect(wilson(k, n)).toEqual(ci);
  });

  it('the interval always holds the value and stays within 0–100', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        ([k, n]) => {
          const [low, high] = wilson(k, n)!;
          const v = percent(k, n)!;
          expect(low).toBeGreaterThanOrEqual(0);
          expect(high).toBeLessThanOrEqual(100);
          expect(low).toBeLessThanOrEqual(v + 0.05);
          expect(high).toBeGreaterThanOrEqual(v - 0.05);
        },
      ),
      propertyParams(),
    );
  });
});

/** Random tallies for every measure, with equity groups for the cohort ones. */
const tallyArb = fc
  .integer({ min: 0, max: 40 })
  .chain((n) =>
    fc.record({ n: fc.constant(n), k: fc.integer({ min: 0, max: n }), value: fc.option(fc.double({ min: -10, max: 400, noNaN: true }), { nil: null }) }),
  );
const talliesArb: fc.Arbitrary<MeasureTallies> = fc
  .tuple(...MEASURE_IDS.map(() => fc.tuple(tallyArb, fc.array(tallyArb, { minLength: 6, maxLength: 6 }))))
  .map((xs) =>
    Object.fromEntries(
      MEASURE_IDS.map((id, i) => {
        const [total, groups] = xs[i]!;
        return [id, { total, groups: new Map(EQUITY_GROUPS.deprivation.map((key, j) => [key, groups[j]!])) }];
      }),
    ),
  );

describe('the report', () => {
  it('has every id, in catalogue order, even with nothing counted; a denominator of 0 gives null', () => {
    const r = buildReport({}, { from: '2026-01-01', to: '2026-06-30', generatedAt: '2026-06-30T12:00:00.000Z' });
    expect(r.measures.map((m) => m.id)).toEqual(MEASURE_IDS);
    expect(r.measures.find((m) => m.id === 'acp.code-status-recorded')).toMatchObject({ numerator: 0, denominator: 0, value: null, ci: null });
    expect(r.measures.find((m) => m.id === 'eol.sact-last-14d')).toMatchObject({ value: null, meetsTarget: null });
  });

  it('numerators never exceed denominators, percents stay in 0–100, and every group of a split is there', () => {
    fc.assert(
      fc.property(talliesArb, (t) => {
        const r = buildReport(t, { from: '2026-01-01', to: '2026-06-30', group: 'deprivation', generatedAt: '2026-06-30T12:00:00.000Z' });
        for (const m of r.measures) {
          for (const f of [m, ...(m.groups ?? [])]) {
            if (typeof f.numerator === 'number') expect(f.numerator).toBeLessThanOrEqual(f.denominator!);
            if (m.unit === 'percent' && f.value !== null) expect(f.value).toBeGreaterThanOrEqual(0);
            if (m.unit === 'percent' && f.value !== null) expect(f.value).toBeLessThanOrEqual(100);
          }
          const def = MEASURE_CATALOGUE.find((d) => d.id === m.id)!;
          if (def.basis === 'cohort' && !('split' in def)) expect(m.groups!.map((g) => g.key)).toEqual(EQUITY_GROUPS.deprivation);
          if (def.family === 'ops' && !('byQueue' in def)) expect(m.groups).toBeUndefined();
        }
      }),
      propertyParams(),
    );
  });

  it('for ops, every count from 1 to 4 is suppressed with what it would reveal; anything else only as its complement, and other roles see all', () => {
    fc.assert(
      fc.property(talliesArb, (t) => {
        const exact = buildReport(t, { from: '2026-01-01', to: '2026-06-30', group: 'deprivation', generatedAt: '2026-06-30T12:00:00.000Z' });
        const ops = suppressReport(exact);
        exact.measures.forEach((m, i) => {
          const s = ops.measures[i]!;
          [[m, s] as const, ...(m.groups ?? []).map((g, j) => [g, s.groups![j]!] as const)].forEach(([e, o]) => {
            const counts = [e.numerator, e.denominator, m.unit === 'count' ? e.value : undefined];
            const small = counts.some((c) => typeof c === 'number' && c >= 1 && c <= 4);
            if (!small && !o.suppressed) return expect({ ...o, groups: undefined }).toEqual({ ...e, groups: undefined });
            // A complement (measures-suppression.test.ts): hidden, its counts shown as they are or not at all.
            if (!small) {
              expect(o.value).toBeNull();
              for (const k of ['numerator', 'denominator'] as const) if (o[k] !== null) expect(o[k]).toEqual(e[k]);
              return;
            }
            expect(o.suppressed).toBe(true);
            expect(o.value).toBeNull();
            for (const c of [o.numerator, o.denominator, m.unit === 'count' ? o.value : undefined])
              if (typeof c === 'number') expect(c === 0 || c > 4).toBe(true);
            if ('ci' in e) expect(o.ci).toBeNull();
          });
        });
      }),
      propertyParams(),
    );
  });

  it('a suppressed figure keeps a count that is not small (3 of 50: the 50 stays)', () => {
    expect(suppressSmall({ numerator: 3, denominator: 50, value: 6, ci: [2.1, 16.2] }, 'percent')).toEqual({
      numerator: null,
      denominator: 50,
      value: null,
      ci: null,
      suppressed: true,
    });
  });
});

describe('periods', () => {
  it('defaults to the last 365 days up to today', () => {
    expect(defaultPeriod(new Date('2026-12-01T10:00:00Z'))).toEqual({ from: '2025-12-02', to: '2026-12-01' });
  });

  it('reads a period given by one end, or neither, as the default reads today', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(requestedPeriod({}, now)).toEqual(defaultPeriod(now));
    // Its end alone: the 365 days up to and including it (2024 is a leap year: 29 February is one of them).
    expect(requestedPeriod({ to: '2024-06-30' }, now)).toEqual({ from: '2023-07-02', to: '2024-06-30' });
    expect(requestedPeriod({ to: '2026-12-01' }, now)).toEqual(defaultPeriod(now));
    expect(requestedPeriod({ from: '2026-11-01' }, now)).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(requestedPeriod({ from: '2020-01-01', to: '2020-03-01' }, now)).toEqual({ from: '2020-01-01', to: '2020-03-01' });
  });

  it('lists the last 12 calendar months, oldest first', () => {
    const m = lastMonths(new Date('2026-12-01T10:00:00Z'), 12);
    expect(m[0]).toEqual({ month: '2026-01', from: '2026-01-01', to: '2026-01-31' });
    expect(m[11]).toEqual({ month: '2026-12', from: '2026-12-01', to: '2026-12-31' });
    expect(m.find((x) => x.month === '2026-02')!.to).toBe('2026-02-28');
  });

  it.each([
    [
      'Monday 07:00 in London reports the week that has just ended',
      '2026-11-30T07:00:00Z',
      { from: '2026-11-23', to: '2026-11-29' },
      { from: '2026-11-16', to: '2026-11-22' },
    ],
    ['a Sunday evening is still in the week', '2026-11-29T22:00:00Z', { from: '2026-11-16', to: '2026-11-22' }, { from: '2026-11-09', to: '2026-11-15' }],
    [
      'Monday 00:30 in London (summer time) is Monday there',
      '2026-06-28T23:30:00Z',
      { from: '2026-06-22', to: '2026-06-28' },
      { from: '2026-06-15', to: '2026-06-21' },
    ],
  ])('%s', (_, now, last, before) => {
    expect(previousWeeks(new Date(now), 'Europe/London')).toEqual({ last, before });
  });
});

describe('whole months of a period', () => {
  it.each([
    ['2025-12-02', '2026-12-01', { start: '2026-01-01', end: '2026-12-01' }],
    ['2026-01-01', '2026-06-30', { start: '2026-01-01', end: '2026-07-01' }],
    ['2026-01-15', '2026-02-27', null],
    ['2026-02-01', '2026-02-28', { start: '2026-02-01', end: '2026-03-01' }],
    ['2026-03-01', '2026-03-01', null],
  ])('%s to %s', (from, to, expected) => {
    expect(wholeMonths({ from, to })).toEqual(expected);
  });
});
