import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, ESAS_ITEMS } from '@tandem/domain';
import { simulateCohort } from '../src/cohort';
import { COHORT_PARAMETERS } from '../src/parameters';
import { Draws } from '../src/random';
import { normalCdf, SymptomTrajectory } from '../src/symptoms';

const START = Date.parse('2025-06-01T00:00:00.000Z');
const LARGE_COHORT_MS = 60_000;

/** Pearson correlation of paired samples. */
function correlation(pairs: Array<[number, number]>): number {
  const n = pairs.length;
  const mx = pairs.reduce((a, [x]) => a + x, 0) / n;
  const my = pairs.reduce((a, [, y]) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('symptom trajectories', () => {
  it('the normal distribution function is right at known points', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
  });

  it('one answer leads to the next: scores are autocorrelated, not drawn afresh each month', () => {
    const pairs: Array<[number, number]> = [];
    let jumps = 0;
    for (let i = 0; i < 2_000; i++) {
      const t = new SymptomTrajectory(COHORT_PARAMETERS, new Draws(5, i));
      let last = t.next('early');
      for (let k = 0; k < 6; k++) {
        const now = t.next('early');
        pairs.push([last.tiredness, now.tiredness]);
        if (Math.abs(now.tiredness - last.tiredness) >= 8) jumps++;
        last = now;
      }
    }
    // Persistence 0.7 on the standing gives a score correlation near it (the bands coarsen it a little).
    expect(correlation(pairs)).toBeGreaterThan(0.55);
    expect(correlation(pairs)).toBeLessThan(0.8);
    // A patient going 10, 0, 9, 0 is what the old generator did; here such jumps are rare.
    expect(jumps / pairs.length).toBeLessThan(0.01);
  });

  it('worsens towards death: more severe answers in the last months than early', () => {
    const severeShare = (phase: 'early' | 'lastThreeMonths' | 'lastMonth') => {
      let severe = 0;
      for (let i = 0; i < 4_000; i++) if (new SymptomTrajectory(COHORT_PARAMETERS, new Draws(6, i)).next(phase).pain >= 7) severe++;
      return severe / 4_000;
    };
    const early = severeShare('early');
    expect(Math.abs(early - COHORT_PARAMETERS.esasSevere.pain)).toBeLessThan(0.015);
    expect(severeShare('lastThreeMonths')).toBeGreaterThan(early * 1.25);
    expect(severeShare('lastMonth')).toBeGreaterThan(early * 1.7);
  });

  it('responds to a review: a severe item falls at the next answer in most patients, and less often without one', () => {
    const fallsAfter = (review: boolean) => {
      let severe = 0;
      let fell = 0;
      for (let i = 0; i < 6_000; i++) {
        const t = new SymptomTrajectory(COHORT_PARAMETERS, new Draws(8, i));
        const first = t.next('early');
        if (first.tiredness < 7) continue;
        severe++;
        if (review) t.reviewed(first);
        if (t.next('early').tiredness <= first.tiredness - 2) fell++;
      }
      return fell / severe;
    };
    const reviewed = fallsAfter(true);
    const unreviewed = fallsAfter(false);
    expect(reviewed).toBeGreaterThan(0.55);
    expect(reviewed).toBeGreaterThan(unreviewed + 0.3);
  });

  it('every item of every answer is a whole score from 0 to 10', () => {
    const t = new SymptomTrajectory(COHORT_PARAMETERS, new Draws(9, 1));
    for (let k = 0; k < 200; k++) {
      const s = t.next(k % 3 === 0 ? 'lastMonth' : 'early');
      if (k % 5 === 0) t.reviewed(s);
      for (const item of ESAS_ITEMS) {
        expect(Number.isInteger(s[item])).toBe(true);
        expect(s[item]).toBeGreaterThanOrEqual(0);
        expect(s[item]).toBeLessThanOrEqual(10);
      }
    }
  });
});

describe('the care side of a journey', () => {
  it(
    'specialist contact, ACP, concordance and PROM answers fall where the parameters put them',
    () => {
      const c = simulateCohort({ patients: 10_000, seed: 11, months: 60, startMs: START, policy: DEFAULT_POLICY });
      const died = c.patients.filter((p) => p.diesInWindow);
      // About 70% of those who die are seen by specialist palliative care (parameters: early 15%, then 70% of the rest, less those who die waiting).
      const seen = died.filter((p) => p.events.some((e) => e.type === 'palliative.contact' && e.data.team === 'specialist')).length / died.length;
      expect(seen).toBeGreaterThan(0.6);
      expect(seen).toBeLessThan(0.8);
      // Specialist contact within 12 weeks of the advanced diagnosis: a minority, not none.
      const within12w =
        c.patients.filter((p) => p.care.specialistContactAt !== undefined && p.care.specialistContactAt - p.diagnosedAt <= 84 * 86_400_000).length /
        c.patients.length;
      expect(within12w).toBeGreaterThan(0.1);
      expect(within12w).toBeLessThan(0.35);
      // Every specialist contact event is the truth's, once, and before the death.
      for (const p of c.patients.slice(0, 500)) {
        const contacts = p.events.filter((e) => e.type === 'palliative.contact' && e.data.team === 'specialist');
        expect(contacts.length).toBeLessThanOrEqual(1);
        if (contacts[0]) expect(contacts[0].at).toBe(Math.round(p.care.specialistContactAt!));
      }
      // ACP documented for 30–50%; a preference matched by the place of death in about 65% of deaths with one.
      const acp = died.filter((p) => p.care.acp !== undefined);
      expect(acp.length / died.length).toBeGreaterThan(0.3);
      expect(acp.length / died.length).toBeLessThan(0.55);
      const concordant = acp.filter((p) => p.care.acp!.preferredPlaceOfDeath === p.placeOfDeath).length / acp.length;
      expect(Math.abs(concordant - COHORT_PARAMETERS.concordantWhenRecorded * (1 - COHORT_PARAMETERS.placeOfDeath.other))).toBeLessThan(0.04);
      // PROM answers by phase: 85% early, 70% in the last three months, 50% in the last month.
      const times = c.patients.flatMap((p) => p.promTimes);
      for (const phase of ['early', 'lastThreeMonths', 'lastMonth'] as const) {
        const asked = times.filter((t) => t.phase === phase);
        expect(asked.length, phase).toBeGreaterThan(2_000);
        expect(Math.abs(asked.filter((t) => t.answered).length / asked.length - COHORT_PARAMETERS.promCompletion[phase]), phase).toBeLessThan(0.02);
      }
    },
    LARGE_COHORT_MS,
  );
});
