import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, durationMs, parseDuration, parsePolicy } from '../src';

const H = 3600_000;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['P2D', 2 * D],
    ['PT1H', H],
    ['P1W', 7 * D],
    ['P6W', 42 * D],
    ['P1DT12H', 36 * H],
    ['PT30M', 30 * 60_000],
    ['PT0.5S', 500],
  ])('%s is %d ms', (iso, ms) => expect(parseDuration(iso)).toBe(ms));

  it.each(['P', 'PT', '2D', 'P1M', 'P1Y', 'P-1D', 'p2d', ''])('rejects %j', (iso) => expect(() => parseDuration(iso)).toThrow(/invalid ISO-8601 duration/));
});

describe('pathway policy', () => {
  it('scales every duration by the time scale, never below 1 ms', () => {
    expect(durationMs({ policy: DEFAULT_POLICY, timeScale: 1 }, 'P2D')).toBe(2 * D);
    expect(durationMs({ policy: DEFAULT_POLICY, timeScale: 86_400 }, 'P2D')).toBe(2_000);
    expect(durationMs({ policy: DEFAULT_POLICY, timeScale: 1e7 }, 'PT0.001S')).toBe(1);
  });

  it('merges a site file over the defaults', () => {
    const r = parsePolicy({ version: 'site-1', enrolment: { assignKeyWorker: { due: 'P1D' } } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.version).toBe('site-1');
    expect(r.policy.enrolment.assignKeyWorker).toEqual({ due: 'P1D', priority: DEFAULT_POLICY.enrolment.assignKeyWorker.priority });
    expect(r.policy.enrolment.baselineAssessment).toEqual(DEFAULT_POLICY.enrolment.baselineAssessment);
    expect(r.policy.proms).toEqual(DEFAULT_POLICY.proms);
  });

  it.each([
    [{ enrolment: { assignKeyWorker: { due: 'two days' } } }, 'enrolment.assignKeyWorker.due: expected an ISO-8601 duration'],
    [{ enrolment: { assignKeyWorker: { priority: 'asap' } } }, 'enrolment.assignKeyWorker.priority'],
    [{ enrolmnt: {} }, 'Unrecognized key'],
  ])('rejects an invalid policy with the path of the problem', (doc, problem) => {
    const r = parsePolicy(doc);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.join('\n')).toContain(problem);
  });
});
