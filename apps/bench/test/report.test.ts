import { describe, expect, it } from 'vitest';
import { maxSustained, renderReport } from '../src/report';
import type { StepResult } from '../src/stats';

const step = (rate: number, sustained: boolean, p99 = 100): StepResult => ({
  rate,
  offered: rate * 20,
  completed: rate * 20,
  p50: p99 / 2,
  p99,
  lagStart: 1,
  lagEnd: 1,
  sustained,
  cpuMsPerEvent: { 'Temporal server': 10, worker: 5 },
});

describe('benchmark report', () => {
  it.each([
    {
      rates: [
        [10, true],
        [20, true],
        [30, false],
      ] as const,
      expected: 20,
    },
    // A sustained step above the first failure is noise at the edge, not the target's rate.
    {
      rates: [
        [10, true],
        [40, false],
        [50, true],
      ] as const,
      expected: 10,
    },
    { rates: [[10, false]] as const, expected: 0 },
    {
      rates: [
        [10, true],
        [50, true],
      ] as const,
      expected: 50,
    },
  ])('reports the highest rate sustained below the first failure: $expected', ({ rates, expected }) => {
    expect(maxSustained(rates.map(([r, s]) => step(r, s)))).toBe(expected);
  });

  it('prints T2/T1 and the T2/T1-local reference, and the CPU at the highest rate every target sustained', () => {
    const text = renderReport(
      [
        { key: 't1', label: 'T1', steps: [step(10, true), step(40, true), step(50, false)] },
        { key: 't1-local', label: 'T1-local', steps: [step(10, true), step(40, true), step(50, true), step(60, false)] },
        { key: 't2', label: 'T2', steps: [step(10, true, 54), step(30, true), step(40, false)] },
      ],
      { stepSeconds: 20, rates: [10, 40] },
    );
    expect(text).toContain('T2/T1 sustained rate: 75% (target ≥ 75%)');
    expect(text).toContain('T2/T1-local (reference, same kind of activity): 60%');
    expect(text).toContain('T2 p99 at 10 events/s: 54 ms');
    expect(text).toContain('CPU ms per event at 10 events/s');
    expect(text).toContain('| total | 15.0 | 15.0 | 15.0 |');
  });
});
