import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PathwayState } from '../src';
import { allowedOutcomes, initialState, openTasks, revisionOfChange } from '../src';
import { DAY, diagnosis, event, HOUR, Journey, prom, propertyParams } from './support';

/**
 * Revision 6: what a pathway carries (its state, continued as new with it) stays under a fixed size
 * over a two-year journey with weekly PROMs and many tasks — whatever is answered, ignored, admitted.
 */
const BOUND_BYTES = 48 * 1024;
const WEEKS = 104;
const bytes = (s: PathwayState) => Buffer.byteLength(JSON.stringify(s));

const score = fc.integer({ min: 0, max: 10 });
const weekArb = fc.record({
  esas: fc.option(fc.record({ pain: score, tiredness: score, depression: score, breathlessness: score }), { freq: 5 }),
  distress: fc.option(score, { freq: 2 }),
  admitted: fc.boolean(),
  ecog: fc.option(fc.integer({ min: 0, max: 3 })),
  /** Which open tasks staff close this week (none: the tasks pile up, then escalate). */
  work: fc.array(fc.nat(), { maxLength: 6 }),
});
type Week = typeof weekArb extends fc.Arbitrary<infer W> ? W : never;

/** A patient enrolled at T0 under `revision`. */
function enrolledUnder(revision: number): Journey {
  const j = new Journey();
  j.state = { ...initialState('pt-1'), revision };
  j.checkMemory = true; // compaction bounds memory as it bounds the evidence it replaced
  j.send(diagnosis());
  return j;
}

/** Two years of weeks: answers or none, admissions, ECOG readings, and staff closing some open tasks. Sizes per week. */
function live(j: Journey, weeks: readonly Week[]): number[] {
  return weeks.map((w, i) => {
    j.advance(7 * DAY);
    if (w.esas) j.send(prom(w.esas, j.now - HOUR));
    if (w.distress !== null) j.send(prom({ distress: w.distress }, j.now - HOUR));
    if (w.admitted) j.send(event('encounter.admitted', { encounterId: `enc-${i}`, setting: 'emergency' }, j.now - 2 * HOUR));
    if (w.ecog !== null) j.send(event('performance.recorded', { ecog: w.ecog }, j.now - 3 * HOUR));
    for (const pick of w.work) {
      const open = openTasks(j.state);
      const t = open[pick % Math.max(1, open.length)];
      if (!t) break;
      const outcomes = allowedOutcomes(t.type);
      j.complete(t.type, outcomes[pick % outcomes.length]!, t.subject);
    }
    return bytes(j.state);
  });
}

const twoYears = fc.array(weekArb, { minLength: WEEKS, maxLength: WEEKS });

describe('a pathway carries a bounded state (revision 6)', () => {
  it(`stays under ${BOUND_BYTES / 1024} KB over ${WEEKS} weeks of PROMs, admissions and tasks`, () => {
    let largest = 0;
    fc.assert(
      fc.property(twoYears, (weeks) => {
        const sizes = live(enrolledUnder(revisionOfChange('compaction')), weeks);
        largest = Math.max(largest, ...sizes);
        expect(Math.max(...sizes)).toBeLessThan(BOUND_BYTES);
      }),
      propertyParams(20),
    );
    process.stdout.write(`state bound: largest pathway state ${largest} bytes over ${WEEKS} weeks\n`);
  }, 120_000);

  it('is revision 6 that bounds it: the same two years under revision 5 carry every closed task', () => {
    const [weeks] = fc.sample(twoYears, { numRuns: 1, seed: 42 });
    const bounded = enrolledUnder(revisionOfChange('compaction'));
    const unbounded = enrolledUnder(revisionOfChange('compaction') - 1);
    const b = live(bounded, weeks!);
    const u = live(unbounded, weeks!);
    expect(Object.keys(unbounded.state.tasks).length).toBeGreaterThan(3 * Object.keys(bounded.state.tasks).length);
    expect(u.at(-1)!).toBeGreaterThan(BOUND_BYTES);
    expect(b.at(-1)!).toBeLessThan(BOUND_BYTES);
    // The care is the same: the same tasks opened and notifications queued under both.
    expect(bounded.delivered().length).toBe(unbounded.delivered().length);
  });
});
