import { describe, expect, it } from 'vitest';
import { judge, percentile } from '../src/stats';

describe('percentile', () => {
  it.each([
    [[5], 50, 5],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 99, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 99, 99],
    [Array.from({ length: 100 }, (_, i) => 100 - i), 50, 50],
  ])('%j at p%i is %i', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('judge', () => {
  const fast = Array.from({ length: 100 }, () => 50);
  it.each([
    ['all done, fast, flat lag', fast, [3, 4, 3, 5], true],
    ['an event never completed', fast.slice(1), [3, 4, 3, 5], false],
    ['p99 over a second', [...fast.slice(2), 1_200, 1_300], [3, 4, 3, 5], false],
    ['lag growing by more than a second of events', fast, [3, 4, 40, 80], false],
  ])('%s → sustained %s', (_name, latencies, lag, sustained) => {
    expect(judge(10, 100, latencies, lag).sustained).toBe(sustained);
  });
});
