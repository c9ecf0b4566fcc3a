import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parseClinicalEvent } from '@tandem/domain';
import { envelope, simulateCohort } from '../src/cohort';
import { COHORT_PARAMETERS } from '../src/parameters';
import { cohortFigures } from '../src/summary';

/** The large cohorts' own bound (vitest's default 5 s is for small tests). */
const LARGE_COHORT_MS = 60_000;

const START = Date.parse('2025-06-01T00:00:00.000Z');
const cohort = (patients: number, seed: number, months = 18) => simulateCohort({ patients, seed, months, startMs: START, policy: DEFAULT_POLICY });

describe('the cohort simulator', () => {
  it('gives the same events for the same seed, and others for another seed', () => {
    const a = cohort(200, 42);
    const b = cohort(200, 42);
    expect(b.events).toEqual(a.events);
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
    const c = cohort(200, 43);
    expect(c.events.map((e) => e.data)).not.toEqual(a.events.map((e) => e.data));
  });

  it('a patient is the same whatever the size of the cohort (each has a stream of its own)', () => {
    expect(cohort(50, 7).patients[10]).toEqual(cohort(400, 7).patients[10]);
  });

  it('makes only events the front door accepts, in clinical order per patient, with unique ids', () => {
    const c = cohort(300, 1);
    const ids = new Set<string>();
    const last = new Map<string, number>();
    for (const e of c.events) {
      const parsed = parseClinicalEvent(envelope(e, START + e.at));
      expect(parsed.ok, parsed.ok ? '' : `${e.type}: ${parsed.detail}`).toBe(true);
      expect(ids.has(e.id)).toBe(false);
      ids.add(e.id);
      expect(e.at).toBeGreaterThanOrEqual(last.get(e.patientId) ?? 0);
      last.set(e.patientId, e.at);
    }
    // Every patient registers and is diagnosed first; nothing follows a death.
    for (const p of c.patients) {
      expect(p.events.slice(0, 2).map((e) => e.type)).toEqual(['patient.registered', 'diagnosis.recorded']);
      const death = p.events.findIndex((e) => e.type === 'patient.died');
      if (death >= 0) expect(death).toBe(p.events.length - 1);
    }
  });

  it(
    'lands on the configured figures for a large cohort: place of death, case mix, age, severe symptoms',
    () => {
      const c = cohort(20_000, 2026, 60);
      const f = cohortFigures(c);
      expect(f.deaths).toBeGreaterThan(12_000);
      for (const [place, share] of Object.entries(COHORT_PARAMETERS.placeOfDeath))
        expect(Math.abs((f.places[place] ?? 0) / f.deaths - share), place).toBeLessThan(0.015);
      for (const site of COHORT_PARAMETERS.cancers) expect(Math.abs((f.sites[site.site] ?? 0) / f.patients - site.share), site.site).toBeLessThan(0.015);
      expect(f.aged75 / f.patients).toBeGreaterThan(0.33);
      expect(f.aged75 / f.patients).toBeLessThan(0.45);
      // Tiredness at 7–10 in about 27% of first answers (the burden people come with), nausea in
      // about 4%; later answers move from there (symptoms.test.ts).
      const firsts = new Map<string, Record<string, number>>();
      for (const e of c.events)
        if (e.type === 'prom.submitted' && e.data.instrument === 'ESAS-r' && !firsts.has(e.patientId))
          firsts.set(e.patientId, e.data.scores as Record<string, number>);
      const severe = (item: string) => [...firsts.values()].filter((s) => s[item]! >= 7).length / firsts.size;
      expect(firsts.size).toBeGreaterThan(15_000);
      expect(Math.abs(severe('tiredness') - COHORT_PARAMETERS.esasSevere.tiredness)).toBeLessThan(0.02);
      expect(Math.abs(severe('nausea') - COHORT_PARAMETERS.esasSevere.nausea)).toBeLessThan(0.01);
      // 20,000 journeys: a few seconds alone, several times that beside the other unit files on two cores.
    },
    LARGE_COHORT_MS,
  );

  it(
    'median survival follows the case mix: pancreatic shortest, prostate longest',
    () => {
      const c = cohort(6_000, 9, 120);
      const median = (site: string) => {
        const s = c.patients
          .filter((p) => p.site === site)
          .map((p) => p.survivalDays)
          .sort((a, b) => a - b);
        return s[Math.floor(s.length / 2)]! / 30.44;
      };
      for (const site of COHORT_PARAMETERS.cancers)
        expect(Math.abs(median(site.site) - site.medianSurvivalMonths) / site.medianSurvivalMonths, site.site).toBeLessThan(0.12);
    },
    LARGE_COHORT_MS,
  );
});
