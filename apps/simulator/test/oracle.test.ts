import { describe, expect, it } from 'vitest';
import type { ClinicalEventType, MeasureId } from '@tandem/domain';
import { DEFAULT_POLICY, MEASURE_IDS } from '@tandem/domain';
import type { Cohort } from '../src/cohort';
import type { SimulatedPatient } from '../src/journey';
import { impliedRanges } from '../src/implied';
import type { Expected } from '../src/oracle';
import { expectedMeasures } from '../src/oracle';
import { compareMeasures, oracleTable } from '../src/oracle-table';

const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const NOW = Date.parse('2026-12-01T12:00:00Z');
const dateAt = (day: number) => new Date(START + day * DAY).toISOString().slice(0, 10);

/** A patient diagnosed on `dx` (days after START), with events at days after START. */
function patient(n: number, dx: number, events: Array<[number, ClinicalEventType, Record<string, unknown>?]>): SimulatedPatient {
  const all: Array<[number, ClinicalEventType, Record<string, unknown>?]> = [
    [dx, 'patient.registered', { birthDate: '1950-01-01' }],
    [dx, 'diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: dateAt(dx) }],
    ...events,
  ];
  return {
    patientId: `p${n}`,
    site: 'lung',
    diagnosedAt: dx * DAY,
    survivalDays: 100,
    placeOfDeath: 'home',
    diesInWindow: false,
    ageAtDiagnosis: 70,
    care: { communityContacts: [], placeOfDeath: 'home' },
    caregivers: [],
    promTimes: [],
    events: all.map(([day, type, data], i) => ({ id: `p${n}-${i}`, patientId: `p${n}`, at: day * DAY + 10 * 3_600_000, type, data: data ?? {} })),
  };
}
const cohortOf = (...patients: SimulatedPatient[]): Cohort => ({ patients, events: patients.flatMap((p) => p.events), windowMs: 365 * DAY });
const q = { from: dateAt(0), to: dateAt(334), nowMs: NOW };
const byId = (xs: Expected[]) => new Map(xs.map((x) => [x.id, x]));

describe('the oracle: docs/contract.md section 7 from the cohort itself', () => {
  it.each([
    // [case, patients, measure, numerator, denominator]
    ['seen on day 56 is within 8 weeks', [patient(1, 10, [[66, 'palliative.contact', { team: 'specialist' }]])], 'timeliness.specialist-within-8w', 1, 1],
    ['seen on day 57 is not', [patient(1, 10, [[67, 'palliative.contact', { team: 'specialist' }]])], 'timeliness.specialist-within-8w', 0, 1],
    [
      'a community contact is not a specialist one',
      [patient(1, 10, [[20, 'palliative.contact', { team: 'community' }]])],
      'timeliness.specialist-within-12w',
      0,
      1,
    ],
    ['not seen, 84 days not yet passed: not known, left out', [patient(1, 300, [])], 'timeliness.specialist-within-12w', 0, 0],
    [
      'ACP on day 30 after diagnosis is within 30 days',
      [patient(1, 10, [[40, 'acp.documented', { codeStatus: 'dnacpr' }]])],
      'acp.documented-within-30d',
      1,
      1,
    ],
    ['a code status recorded', [patient(1, 10, [[200, 'acp.documented', { codeStatus: 'dnacpr' }]])], 'acp.code-status-recorded', 1, 1],
    ['no preferred place in that ACP', [patient(1, 10, [[200, 'acp.documented', { codeStatus: 'dnacpr' }]])], 'acp.preferred-place-recorded', 0, 1],
    [
      'two ED visits in the last 30 days',
      [
        patient(1, 10, [
          [100, 'encounter.admitted', { setting: 'emergency' }],
          [110, 'encounter.admitted', { setting: 'emergency' }],
          [120, 'patient.died', { placeOfDeath: 'home' }],
        ]),
      ],
      'eol.ed-visits-gt1-last-30d',
      1,
      1,
    ],
    [
      'one ED visit in the last 30 days, one before',
      [
        patient(1, 10, [
          [80, 'encounter.admitted', { setting: 'emergency' }],
          [110, 'encounter.admitted', { setting: 'emergency' }],
          [120, 'patient.died', { placeOfDeath: 'home' }],
        ]),
      ],
      'eol.ed-visits-gt1-last-30d',
      0,
      1,
    ],
    [
      'SACT 10 days before death',
      [
        patient(1, 10, [
          [110, 'sact.administered'],
          [120, 'patient.died', { placeOfDeath: 'hospital' }],
        ]),
      ],
      'eol.sact-last-14d',
      1,
      1,
    ],
    ['died in hospital', [patient(1, 10, [[120, 'patient.died', { placeOfDeath: 'hospital' }]])], 'eol.death-in-hospital', 1, 1],
    [
      'seen 2 days before death is late',
      [
        patient(1, 10, [
          [118, 'palliative.contact', { team: 'specialist' }],
          [120, 'patient.died', { placeOfDeath: 'home' }],
        ]),
      ],
      'eol.specialist-late-or-never',
      1,
      1,
    ],
    [
      'died where they wished',
      [
        patient(1, 10, [
          [60, 'acp.documented', { preferredPlaceOfDeath: 'home' }],
          [120, 'patient.died', { placeOfDeath: 'home' }],
        ]),
      ],
      'eol.place-of-death-concordant',
      1,
      1,
    ],
    [
      'no preference: not in the concordance cohort',
      [patient(1, 10, [[120, 'patient.died', { placeOfDeath: 'home' }]])],
      'eol.place-of-death-concordant',
      0,
      0,
    ],
    [
      'diagnosed before the period: not counted',
      [patient(1, -20, [[0, 'palliative.contact', { team: 'specialist' }]])],
      'timeliness.specialist-within-8w',
      0,
      0,
    ],
  ] as const)('%s', (_, patients, id, numerator, denominator) => {
    const e = byId(expectedMeasures(cohortOf(...patients), START, q)).get(id)!;
    expect(e).toMatchObject({ numerator, denominator });
  });

  it('the median days to specialist contact, from the dates', () => {
    const c = cohortOf(
      patient(1, 10, [[20, 'palliative.contact', { team: 'specialist' }]]),
      patient(2, 10, [[40, 'palliative.contact', { team: 'specialist' }]]),
      patient(3, 10, []),
    );
    expect(byId(expectedMeasures(c, START, q)).get('timeliness.days-to-specialist-median')).toMatchObject({ denominator: 2, value: 20 });
  });

  /** A patient asked for questionnaires on the given days (answered or not, answers 3 hours later, due back after 5 days). */
  const asked = (p: SimulatedPatient, requests: Array<[number, boolean]>): SimulatedPatient => ({
    ...p,
    promTimes: requests.map(([day, answered]) => ({
      at: day * DAY,
      phase: 'early',
      answered,
      answeredAt: day * DAY + 3 * 3_600_000,
      notReturnedAt: (day + 5) * DAY,
    })),
  });
  it.each([
    [
      'answered and unanswered requests',
      asked(patient(1, 10, []), [
        [10, true],
        [40, false],
        [70, true],
      ]),
      2,
      3,
    ],
    [
      'unanswered, then the death before it was due back: left out',
      asked(patient(1, 10, [[42, 'patient.died']]), [
        [10, true],
        [40, false],
      ]),
      1,
      1,
    ],
    [
      'unanswered, then PROMs declined before it was due back: left out',
      asked(patient(1, 10, [[41, 'consent.changed', { scope: 'proms', decision: 'declined' }]]), [[40, false]]),
      0,
      0,
    ],
    [
      'unanswered and not yet due back: not known, left out',
      asked(patient(1, 10, []), [
        [10, true],
        [333, false],
      ]),
      1,
      1,
    ],
    [
      'asked before the period: not counted',
      asked(patient(1, -40, []), [
        [-40, true],
        [-10, false],
        [20, true],
      ]),
      1,
      1,
    ],
  ] as const)('PROM completion: %s', (_, p, numerator, denominator) => {
    expect(byId(expectedMeasures(cohortOf(p), START, q)).get('symptoms.prom-completion')).toMatchObject({ numerator, denominator });
  });

  it('caregivers assessed: from what the staff did, and not computed without staff', () => {
    const c = cohortOf(
      patient(1, 10, [
        [12, 'caregiver.registered', { caregiverId: 'g1' }],
        [13, 'caregiver.registered', { caregiverId: 'g2' }],
      ]),
    );
    expect(
      byId(expectedMeasures(c, START, q, { caregiversAssessed: new Set(['g2']), bereavementContacts: new Map() })).get('caregivers.assessed'),
    ).toMatchObject({ numerator: 1, denominator: 2 });
    expect(byId(expectedMeasures(c, START, q)).get('caregivers.assessed')).toHaveProperty('unknown');
  });

  it('every measure of the contract has a value or a reason, and the table says which differ', () => {
    const expected = expectedMeasures(cohortOf(patient(1, 10, [[120, 'patient.died', { placeOfDeath: 'hospital' }]])), START, q);
    expect(expected.map((e) => e.id)).toEqual(MEASURE_IDS);
    for (const e of expected) if ('unknown' in e) expect(e.unknown.length).toBeGreaterThan(10);
    const reported = expected.map((e) => ({
      id: e.id,
      family: 'eol' as const,
      label: e.id,
      unit: 'percent' as const,
      ...('unknown' in e ? { value: null } : { numerator: e.numerator, denominator: e.denominator, value: e.value }),
    }));
    reported.find((r) => r.id === 'eol.death-in-hospital')!.value = 50;
    const rows = compareMeasures(expected, reported);
    expect(rows.find((r) => r.id === 'eol.death-in-hospital')).toMatchObject({ matches: false, difference: -50 });
    expect(rows.find((r) => r.id === 'eol.icu-last-30d')).toMatchObject({ matches: true });
    expect(oracleTable(rows)).toMatch(/eol\.death-in-hospital\s+100 \(1\/1\)\s+50 \(1\/1\)\s+DIFFERS by -50/);
  });
});

describe('the range the parameters imply', () => {
  it('for every computed measure, the middle 95% over cohorts drawn from the same parameters; the care side lands where its sources put it', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    const r = impliedRanges({ patients: 300, months: 12, startMs: now - 365 * DAY, nowMs: now, policy: DEFAULT_POLICY, cohorts: 20 });
    for (const [id, [lo, hi]] of r) expect(lo, id).toBeLessThanOrEqual(hi);
    const range = (id: MeasureId) => r.get(id)!;
    // Specialist contact within 12 weeks: a minority, not none (15% referred early, and the short-lived seen late).
    expect(range('timeliness.specialist-within-12w')[0]).toBeGreaterThan(10);
    expect(range('timeliness.specialist-within-12w')[1]).toBeLessThan(45);
    // Caregivers assessed: most (10% unreachable, the rest a drawn share of 30 days after registering).
    expect(range('caregivers.assessed')[0]).toBeGreaterThan(70);
    expect(range('caregivers.assessed')[1]).toBeLessThan(95);
    // PROM completion: 85% of requests answered early, 70% in the last three months, 50% in the last month.
    expect(range('symptoms.prom-completion')[0]).toBeGreaterThan(60);
    expect(range('symptoms.prom-completion')[1]).toBeLessThan(85);
    // Bereavement contact within 14 days: the on-time share and some of the late, about 70–85%.
    expect(range('caregivers.bereavement-contact-14d')[0]).toBeGreaterThan(55);
    expect(range('caregivers.bereavement-contact-14d')[1]).toBeLessThan(95);
  }, 60_000);
});
