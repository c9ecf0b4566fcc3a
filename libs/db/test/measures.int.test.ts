import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import type { EquityGroup, MeasureFigure, MeasureId } from '@tandem/domain';
import { buildReport, periodBounds } from '@tandem/domain';
import { cohortTallies, liveTallies, refreshDirtyMeasures } from '../src';
import { CohortWriter, scratchDatabase } from './support/measure-fixtures';

/**
 * Every measure of docs/contract.md section 7 on a hand-built cohort in a database of its own: facts and
 * tasks as a pathway writes them, the expected figures worked out by hand (in the comments), at the
 * boundaries — day 56/57 and 84/85 after diagnosis, 14 days before death to the hour, a follow-up
 * window not yet passed, a denominator of 0. Period 1 January – 30 June 2026, "now" 30 June noon.
 */
const PERIOD = { from: '2026-01-01', to: '2026-06-30' };
const NOW = '2026-06-30T12:00:00.000Z';
let db: { pool: pg.Pool; drop: () => Promise<void> };
let w: CohortWriter;

async function report(opts: { team?: string; group?: EquityGroup } = {}): Promise<Map<MeasureId, MeasureFigure>> {
  await refreshDirtyMeasures(db.pool);
  const q = { ...periodBounds(PERIOD), now: NOW, ...opts };
  const [cohort, live] = await Promise.all([cohortTallies(db.pool, q), liveTallies(db.pool, q)]);
  const tallies = {
    ...Object.fromEntries([...cohort.totals].map(([id, total]) => [id, { total, groups: cohort.groups.get(id) }])),
    ...live,
  };
  const r = buildReport(tallies, { ...PERIOD, ...opts, generatedAt: NOW });
  return new Map(r.measures.map((m) => [m.id, m]));
}

beforeAll(async () => {
  db = await scratchDatabase(inject('databaseUrl'), 'measures');
  w = new CohortWriter(db.pool);
  // Diagnoses (day N = days after diagnosedAt), first specialist contacts, ACP.
  await w.diagnosed('p-a', '2026-01-10');
  await w.fact('p-a', 'first-specialist-contact', '2026-03-07T10:00:00Z', '2026-03-07T10:00:00Z'); // day 56
  await w.fact('p-a', 'acp-documented', { codeStatus: 'dnacpr', preferredPlaceOfDeath: 'home' }, '2026-02-09T10:00:00Z'); // day 30
  await w.diagnosed('p-b', '2026-01-10');
  await w.fact('p-b', 'first-specialist-contact', '2026-03-08T10:00:00Z', '2026-03-08T10:00:00Z'); // day 57
  await w.fact('p-b', 'acp-documented', { advanceDirective: true }, '2026-02-10T10:00:00Z'); // day 31, no code status or place
  await w.diagnosed('p-c', '2026-01-05');
  await w.fact('p-c', 'first-specialist-contact', '2026-03-30T10:00:00Z', '2026-03-30T10:00:00Z'); // day 84
  await w.fact('p-c', 'acp-documented', { codeStatus: 'for-resuscitation' }, '2026-04-05T10:00:00Z'); // day 90
  await w.diagnosed('p-d', '2026-01-05');
  await w.fact('p-d', 'first-specialist-contact', '2026-03-31T10:00:00Z', '2026-03-31T10:00:00Z'); // day 85
  await w.fact('p-d', 'acp-documented', {}, '2026-04-06T10:00:00Z'); // day 91
  await w.diagnosed('p-e', '2026-05-05'); // day 56 is today: 8 and 12 weeks not known yet; 30 days passed
  await w.diagnosed('p-f', '2026-05-04'); // day 56 was yesterday: 8 weeks known (none); 12 weeks not yet
  await w.diagnosed('p-g', '2025-12-20'); // before the period: in no cohort
  await w.fact('p-g', 'first-specialist-contact', '2025-12-30T10:00:00Z', '2025-12-30T10:00:00Z');
  await w.diagnosed('p-h', '2026-02-01');
  await w.fact('p-h', 'acp-documented', { preferredPlaceOfDeath: 'home' }, '2026-04-01T10:00:00Z'); // day 59
  await w.diagnosed('p-i', '2026-01-20');
  await w.fact('p-i', 'first-specialist-contact', '2026-04-28T12:00:00Z', '2026-04-28T12:00:00Z'); // day 98; 2 d 22 h before death
  await w.fact('p-i', 'acp-documented', { preferredPlaceOfDeath: 'home' }, '2026-03-01T10:00:00Z'); // day 40
  await w.diagnosed('p-j', '2026-01-15');
  await w.fact('p-j', 'first-specialist-contact', '2026-02-01T10:00:00Z', '2026-02-01T10:00:00Z'); // day 17
  await w.diagnosed('p-l', '2025-11-01');

  // Deaths in the period: h, i, j, l (enrolled); k was never enrolled.
  await w.died('p-h', '2026-04-15T10:00:00Z', 'hospital', 'home');
  await w.fact('p-h', 'sact', {}, '2026-04-01T10:00:00Z'); // exactly 14 days before
  await w.fact('p-h', 'admission', { setting: 'emergency' }, '2026-03-20T10:00:00Z');
  await w.fact('p-h', 'admission', { setting: 'emergency' }, '2026-04-10T10:00:00Z');
  await w.fact('p-h', 'admission', { setting: 'inpatient' }, '2026-03-10T10:00:00Z'); // 36 days before: outside
  await w.fact('p-h', 'admission', { setting: 'inpatient' }, '2026-04-12T10:00:00Z');
  await w.died('p-i', '2026-05-01T10:00:00Z', 'home', 'home');
  await w.fact('p-i', 'sact', {}, '2026-04-17T09:00:00Z'); // 14 days and 1 hour before: outside
  await w.fact('p-i', 'admission', { setting: 'emergency' }, '2026-04-20T10:00:00Z');
  await w.fact('p-i', 'admission', { setting: 'inpatient' }, '2026-04-01T10:00:00Z'); // exactly 30 days before
  await w.fact('p-i', 'admission', { setting: 'inpatient' }, '2026-04-20T12:00:00Z');
  await w.fact('p-i', 'admission', { setting: 'icu' }, '2026-04-25T10:00:00Z');
  await w.died('p-j', '2026-06-01T10:00:00Z', 'hospice');
  await w.died('p-k', '2026-03-01T10:00:00Z', 'hospital');
  await w.died('p-l', '2026-06-25T10:00:00Z', 'home');

  // Equity: a is 76 at diagnosis and re-registered (lives alone no more); b turns 75 the day after diagnosis.
  await w.registered('p-a', '2025-12-01T10:00:00Z', { birthDate: '1950-01-09', birthYear: 1950, livesAlone: true, deprivationQuintile: 1 });
  await w.registered('p-a', '2026-03-01T10:00:00Z', { birthDate: '1950-01-09', birthYear: 1950, livesAlone: false, deprivationQuintile: 1 });
  await w.registered('p-b', '2025-12-01T10:00:00Z', { birthDate: '1951-01-11', birthYear: 1951, rural: true });

  // Triage tasks (specialist-palliative).
  const triage = { type: 'specialist-referral-triage', queue: 'specialist-palliative' };
  await w.task('p-a', { ...triage, dueAt: '2026-03-01T12:00:00Z', status: 'done', completedAt: '2026-03-01T11:00:00Z' }); // in time
  await w.task('p-b', { ...triage, dueAt: '2026-03-02T12:00:00Z', status: 'done', completedAt: '2026-03-03T11:00:00Z' }); // late
  await w.task('p-c', { ...triage, dueAt: '2026-07-02T12:00:00Z' }); // due after the period
  await w.task('p-d', { ...triage, dueAt: '2026-06-30T18:00:00Z' }); // due later today: not known yet
  await w.task('p-e', { ...triage, dueAt: '2026-04-01T12:00:00Z', status: 'cancelled' }); // left out
  await w.task('p-f', { ...triage, dueAt: '2026-04-02T12:00:00Z' }); // open and overdue
  await w.task('p-g', { ...triage, dueAt: '2026-06-30T08:00:00Z' }); // due this morning: known, not done

  // PROM requests: answered in time, answered late, never, stopped by death, not due back yet, stopped by withdrawal.
  const requested = (p: string, requestId: string, at: string, notReturnedAt: string, followUpOf?: string) =>
    w.fact(p, 'prom-requested', { requestId, instruments: ['ESAS-r'], notReturnedAt, ...(followUpOf ? { followUpOf } : {}) }, at);
  const answered = (p: string, requestId: string, at: string, late: boolean) =>
    w.fact(p, 'prom-answered', { requestId, responseId: `${requestId}-r`, late }, at);
  await requested('p-a', 'r1', '2026-02-01T09:00:00Z', '2026-02-06T09:00:00Z');
  await answered('p-a', 'r1', '2026-02-03T09:00:00Z', false);
  await requested('p-a', 'r2', '2026-02-08T09:00:00Z', '2026-02-13T09:00:00Z');
  await answered('p-a', 'r2', '2026-02-15T09:00:00Z', true);
  await requested('p-a', 'r3', '2026-02-15T09:00:00Z', '2026-02-20T09:00:00Z');
  await requested('p-h', 'r4', '2026-04-10T12:00:00Z', '2026-04-15T12:00:00Z');
  await requested('p-b', 'r5', '2026-06-28T09:00:00Z', '2026-07-03T09:00:00Z');
  await requested('p-b', 'r6', '2026-06-20T09:00:00Z', '2026-06-25T09:00:00Z');
  await w.fact('p-b', 'consent-proms', 'withdrawn', '2026-06-22T09:00:00Z');
  // A death that happened before the request but was learned of while it was out: the request is left out too.
  await requested('p-m', 'r7', '2026-06-20T09:00:00Z', '2026-06-25T09:00:00Z');
  await w.fact('p-m', 'death', { placeOfDeath: 'home', preferred: null, concordant: null }, '2026-05-01T10:00:00Z', {}, '2026-06-20T10:00:00Z');

  // Severe scores and their reviews (oncology); follow-ups of the completed reviews.
  const review = (p: string, commandId: string, dueAt: string, status: 'open' | 'done' | 'cancelled', completedAt?: string) =>
    w.task(p, { type: 'symptom-review', commandId, dueAt, status, ...(completedAt ? { completedAt } : {}) });
  await review('p-a', 'rev-1', '2026-02-05T09:00:00Z', 'done', '2026-02-04T09:00:00Z');
  await w.fact('p-a', 'severe-score', { responseId: 'x1', items: ['pain', 'tiredness'], review: 'rev-1' }, '2026-02-03T09:00:00Z');
  await review('p-a', 'rev-2', '2026-02-17T09:00:00Z', 'done', '2026-02-18T09:00:00Z');
  await w.fact('p-a', 'severe-score', { responseId: 'x2', items: ['pain'], review: 'rev-2' }, '2026-02-15T09:00:00Z');
  await review('p-c', 'rev-3', '2026-03-03T09:00:00Z', 'cancelled');
  await w.fact('p-c', 'severe-score', { responseId: 'x3', items: ['nausea'], review: 'rev-3' }, '2026-03-01T09:00:00Z');
  await review('p-c', 'rev-4', '2026-07-01T09:00:00Z', 'open');
  await w.fact('p-c', 'severe-score', { responseId: 'x4', items: ['nausea'], review: 'rev-4' }, '2026-06-30T08:00:00Z');
  await requested('p-a', 'fu1', '2026-02-11T09:00:00Z', '2026-02-16T09:00:00Z', 'rev-1');
  await answered('p-a', 'fu1', '2026-02-12T09:00:00Z', false);
  await w.fact(
    'p-a',
    'follow-up-scores',
    {
      requestId: 'fu1',
      followUpOf: 'rev-1',
      changes: [
        { item: 'pain', from: 8, to: 4 },
        { item: 'tiredness', from: 7, to: 8 },
      ],
    },
    '2026-02-12T09:00:00Z',
  );
  await requested('p-a', 'fu2', '2026-02-25T09:00:00Z', '2026-03-02T09:00:00Z', 'rev-2');

  // Caregivers (c1 registered twice), bereavement contacts.
  const carer = (p: string, caregiverId: string, at: string) => w.fact(p, 'caregiver-consent-to-share', true, at, { caregiverId });
  await carer('p-a', 'c1', '2026-01-20T10:00:00Z');
  await carer('p-a', 'c1', '2026-02-01T10:00:00Z');
  await carer('p-a', 'c2', '2026-01-25T10:00:00Z');
  await carer('p-h', 'c3', '2026-03-01T10:00:00Z');
  const assessment = { type: 'caregiver-assessment', queue: 'psychosocial' };
  await w.task('p-a', { ...assessment, subject: 'caregiver:c1', dueAt: '2026-02-20T10:00:00Z', status: 'done', completedAt: '2026-02-10T10:00:00Z' });
  await w.task('p-a', { ...assessment, subject: 'caregiver:c2', dueAt: '2026-02-01T10:00:00Z' });
  const contact = { type: 'bereavement-contact', queue: 'bereavement' };
  await w.task('p-h', { ...contact, dueAt: '2026-04-29T10:00:00Z', status: 'done', completedAt: '2026-04-29T10:00:00Z' }); // exactly 14 days
  await w.task('p-i', { ...contact, dueAt: '2026-05-15T10:00:00Z', status: 'done', completedAt: '2026-05-15T11:00:00Z' }); // 14 days and 1 hour
  await w.task('p-l', { ...contact, dueAt: '2026-07-09T10:00:00Z' }); // 14 days not passed

  // Key workers: kim (named) for a and c, carol (who completed it) for b; h's pathway is in bereavement.
  const kw = { type: 'assign-key-worker', queue: 'coordination', status: 'done' as const, completedBy: 'carol' };
  await w.task('p-a', { ...kw, dueAt: '2026-01-15T10:00:00Z', completedAt: '2026-01-14T10:00:00Z', keyWorker: 'kim' });
  await w.task('p-b', { ...kw, dueAt: '2026-01-15T10:00:00Z', completedAt: '2026-01-16T10:00:00Z' });
  await w.task('p-c', { ...kw, dueAt: '2026-01-10T10:00:00Z', completedAt: '2026-01-09T10:00:00Z', keyWorker: 'kim' });
  await w.task('p-h', { ...kw, dueAt: '2026-02-10T10:00:00Z', completedAt: '2026-02-09T10:00:00Z', keyWorker: 'kim' });
  for (const [p, stage] of [
    ['p-a', 'enrolled'],
    ['p-b', 'concurrent-care'],
    ['p-c', 'enrolled'],
    ['p-h', 'bereavement'],
  ] as const)
    await db.pool.query(`INSERT INTO outbox (idempotency_key, topic, patient_id, payload) VALUES ($1, 'pathway-events', $2, $3)`, [
      `stage-${p}`,
      p,
      JSON.stringify({ type: 'tandem.pathway.stage-changed', data: { from: 'none', to: stage } }),
    ]);

  // Escalations: two opened in the period (done in time), one before it.
  const escalation = { type: 'escalation', queue: 'escalations', status: 'done' as const };
  await w.task('p-a', { ...escalation, subject: 'e1', createdAt: '2026-03-01T10:00:00Z', dueAt: '2026-03-02T10:00:00Z', completedAt: '2026-03-01T12:00:00Z' });
  await w.task('p-b', { ...escalation, subject: 'e2', createdAt: '2026-03-01T11:00:00Z', dueAt: '2026-03-02T10:00:00Z', completedAt: '2026-03-01T12:00:00Z' });
  await w.task('p-c', { ...escalation, subject: 'e3', createdAt: '2025-12-01T10:00:00Z', dueAt: '2025-12-02T10:00:00Z', completedAt: '2025-12-01T12:00:00Z' });

  // Event-to-task: 20 tasks committed 1..20 s after their events were produced, in the last hour.
  for (let i = 1; i <= 20; i++) {
    const produced = Date.parse('2026-06-30T11:00:00Z') + i * 60_000;
    await db.pool.query(`INSERT INTO clinical_event (id, patient_id, type, time, source, envelope, produced_at) VALUES ($1, 'p-z', 'x', $2, 't', '{}', $2)`, [
      `ev-${i}`,
      new Date(produced).toISOString(),
    ]);
    await w.task('p-z', {
      type: 'discharge-follow-up',
      queue: 'community-nursing',
      subject: `d${i}`,
      status: 'done',
      createdAt: new Date(produced + i * 1000).toISOString(),
      dueAt: '2026-07-10T10:00:00Z',
      completedAt: '2026-06-30T11:59:00Z',
      sourceEventId: `ev-${i}`,
    });
  }
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

type Expected = { numerator?: number; denominator?: number; value: number | null };
const EXPECTED: Array<[MeasureId, Expected, string]> = [
  ['timeliness.days-to-specialist-median', { denominator: 6, value: 70.5 }, 'days 17, 56, 57, 84, 85, 98'],
  ['timeliness.specialist-within-8w', { numerator: 2, denominator: 8, value: 25 }, 'a (day 56), j; e not known yet'],
  ['timeliness.specialist-within-12w', { numerator: 4, denominator: 7, value: 57.1 }, 'a, b, c (day 84), j; e and f not known yet'],
  ['timeliness.triage-within-deadline', { numerator: 1, denominator: 4, value: 25 }, 'in time, late, overdue, due this morning; cancelled and due tonight out'],
  ['symptoms.prom-completion', { numerator: 2, denominator: 5, value: 40 }, 'r1, fu1 of r1 r2 r3 fu1 fu2'],
  ['symptoms.severe-reviewed-in-time', { numerator: 1, denominator: 2, value: 50 }, 'x1 in time, x2 late'],
  ['symptoms.follow-up-done', { numerator: 1, denominator: 2, value: 50 }, 'fu1 answered, fu2 not'],
  ['symptoms.follow-up-change', { denominator: 2, value: -1.5 }, 'pain 8→4, tiredness 7→8'],
  ['acp.documented-within-30d', { numerator: 1, denominator: 9, value: 11.1 }, 'a (day 30)'],
  ['acp.documented-within-90d', { numerator: 5, denominator: 7, value: 71.4 }, 'a, b, c (day 90), h, i; e, f not known'],
  ['acp.code-status-recorded', { numerator: 2, denominator: 9, value: 22.2 }, 'a, c'],
  ['acp.preferred-place-recorded', { numerator: 3, denominator: 9, value: 33.3 }, 'a, h, i'],
  ['eol.sact-last-14d', { numerator: 1, denominator: 4, value: 25 }, 'h (exactly 14 days)'],
  ['eol.ed-visits-gt1-last-30d', { numerator: 1, denominator: 4, value: 25 }, 'h'],
  ['eol.admissions-gt1-last-30d', { numerator: 1, denominator: 4, value: 25 }, 'i (one exactly 30 days before)'],
  ['eol.icu-last-30d', { numerator: 1, denominator: 4, value: 25 }, 'i'],
  ['eol.death-in-hospital', { numerator: 1, denominator: 4, value: 25 }, 'h; k never enrolled'],
  ['eol.specialist-late-or-never', { numerator: 3, denominator: 4, value: 75 }, 'h never, i 2 d 22 h, l never'],
  ['eol.place-of-death-concordant', { numerator: 1, denominator: 2, value: 50 }, 'i; h not; j and l had no preference'],
  ['caregivers.assessed', { numerator: 1, denominator: 3, value: 33.3 }, 'c1 (registered twice) of c1 c2 c3'],
  ['caregivers.bereavement-contact-14d', { numerator: 1, denominator: 2, value: 50 }, 'h at 14 days; i 1 h late; l not yet'],
  ['ops.open-tasks', { value: 7 }, 'four triage (c, d, f, g), review rev-4, assessment of c2, contact for l'],
  ['ops.overdue-tasks', { value: 3 }, 'triage of f and g, assessment of c2'],
  [
    'ops.sla-attainment',
    { numerator: 9, denominator: 16, value: 56.3 },
    'triage 1/4, reviews 1/2, assessments 1/2, contacts 1/2, key workers 3/4, escalations 2/2',
  ],
  ['ops.escalations', { value: 2 }, 'two in the period'],
  ['ops.caseload-median', { denominator: 2, value: 1.5 }, 'kim 2, carol 1; h in bereavement'],
  ['ops.event-to-task-p95', { denominator: 20, value: 19.1 }, '1..20 s'],
];

describe('measures on a hand-computed cohort (docs/contract.md section 7)', () => {
  it.each(EXPECTED)('%s', async (id, expected) => {
    const m = (await report()).get(id)!;
    expect(m).toMatchObject(expected);
    if (expected.denominator !== undefined && m.unit === 'percent') expect(m.ci).toHaveLength(2);
  });

  it('splits a measure by equity group, the latest registration deciding, age as at the index date', async () => {
    const byAge = (await report({ group: 'age' })).get('timeliness.specialist-within-8w')!;
    expect(byAge.groups).toEqual([
      expect.objectContaining({ key: '<75', numerator: 0, denominator: 1 }), // b: 74 on the day of diagnosis
      expect.objectContaining({ key: '>=75', numerator: 1, denominator: 1, value: 100 }),
      expect.objectContaining({ key: 'unknown', numerator: 1, denominator: 6 }),
    ]);
    const alone = (await report({ group: 'livesAlone' })).get('timeliness.specialist-within-8w')!;
    expect(alone.groups).toEqual([
      expect.objectContaining({ key: 'true', numerator: 0, denominator: 0, value: null }),
      expect.objectContaining({ key: 'false', numerator: 1, denominator: 1 }),
      expect.objectContaining({ key: 'unknown', numerator: 1, denominator: 7 }),
    ]);
    expect(alone.numerator).toBe(2);
  });

  it('a team restricts the task-based measures to its queue and leaves the others whole', async () => {
    const oncology = await report({ team: 'oncology' });
    expect(oncology.get('timeliness.triage-within-deadline')).toMatchObject({ numerator: 0, denominator: 0, value: null, ci: null });
    expect(oncology.get('symptoms.severe-reviewed-in-time')).toMatchObject({ numerator: 1, denominator: 2 });
    expect(oncology.get('timeliness.specialist-within-8w')).toMatchObject({ numerator: 2, denominator: 8 });
    expect(oncology.get('ops.open-tasks')).toMatchObject({ value: 1, groups: [{ key: 'oncology', value: 1 }] });
  });

  it('judges the end-of-life indicators against the Earle benchmarks', async () => {
    const r = await report();
    expect(r.get('eol.sact-last-14d')).toMatchObject({ target: { op: '<', value: 10 }, meetsTarget: false });
    expect(r.get('eol.place-of-death-concordant')!.target).toBeUndefined();
  });

  it('follows a later change: a task done, a new registration (items re-derived, day tallies adjusted)', async () => {
    await db.pool.query(
      `UPDATE task SET status = 'done', completed_at = '2026-06-30T11:00:00Z' WHERE patient_id = 'p-d' AND type = 'specialist-referral-triage'`,
    );
    await w.registered('p-b', '2026-06-01T10:00:00Z', { birthDate: '1951-01-11', birthYear: 1951, livesAlone: true });
    const r = await report({ group: 'livesAlone' });
    expect(r.get('timeliness.triage-within-deadline')).toMatchObject({ numerator: 2, denominator: 5, value: 40 });
    expect(r.get('timeliness.specialist-within-8w')!.groups).toEqual([
      expect.objectContaining({ key: 'true', numerator: 0, denominator: 1 }),
      expect.objectContaining({ key: 'false', numerator: 1, denominator: 1 }),
      expect.objectContaining({ key: 'unknown', numerator: 1, denominator: 6 }),
    ]);
    const { rows } = await db.pool.query<{ bad: number }>(
      `SELECT count(*)::int AS bad FROM (
         SELECT measure_id, sum(n) AS n FROM measure_tally WHERE dim = 'all' GROUP BY measure_id
         EXCEPT SELECT measure_id, count(*) FROM measure_item GROUP BY measure_id) x`,
    );
    expect(rows[0]!.bad).toBe(0); // the day tallies add up to the items, measure by measure
  });

  it.each([
    ['2026-01-15', '2026-06-20'],
    ['2026-02-01', '2026-02-28'],
    ['2026-03-01', '2026-03-01'],
    ['2025-12-01', '2026-06-30'],
    ['2026-06-01', '2026-06-30'],
  ])('the month and day tallies of %s to %s count exactly what the items say', async (from, to) => {
    await refreshDirtyMeasures(db.pool);
    const q = { ...periodBounds({ from, to }), now: NOW, group: 'age' as const };
    const tallied = await cohortTallies(db.pool, q);
    const { rows } = await db.pool.query<{ measure_id: string; key: string | null; n: number; k: number }>(
      `SELECT measure_id, CASE WHEN GROUPING(key) = 0 THEN key END AS key, count(*)::int AS n, (count(*) FILTER (WHERE in_numerator))::int AS k
         FROM (SELECT *, measure_split_key('age', age_75, lives_alone, rural, deprivation, interpreter_needed) AS key FROM measure_item) i
        WHERE index_at >= $1 AND index_at < $2 AND (in_numerator OR known_at IS NULL OR known_at <= $3)
        GROUP BY GROUPING SETS ((measure_id), (measure_id, key))`,
      [q.start, q.end, q.now],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const t = r.key === null ? tallied.totals.get(r.measure_id as never) : tallied.groups.get(r.measure_id as never)?.get(r.key);
      if (r.measure_id.startsWith('ops.') && r.key !== null) continue; // operations measures have no split
      expect({ id: r.measure_id, key: r.key, n: t?.n, k: t?.k }).toEqual({ id: r.measure_id, key: r.key, n: r.n, k: r.k });
    }
  });
});
