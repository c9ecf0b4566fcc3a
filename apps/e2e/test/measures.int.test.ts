import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resetTestDatabase, waitFor } from '@tandem/testing';
import { measuresCohort } from '../src/fixtures/measures-cohort';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The measures end to end: a small cohort's events, with clinical dates in the past, produced to
 * Kafka; the figures over HTTP are the ones worked out by hand below, split by group, with the
 * right drill-down lists; `ops` sees them suppressed and cannot drill down; a drill-down is audited.
 */
let sys: RunningTandem;
const tokens: Record<string, string> = {};
const { ids, dateAgo } = measuresCohort;

async function get(path: string, token: string) {
  const res = await fetch(`${sys.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
type Figure = {
  id: string;
  numerator?: number | null;
  denominator?: number | null;
  value: number | null;
  suppressed?: true;
  groups?: Array<Record<string, unknown>>;
};
async function measures(query = '', token = tokens.lead!): Promise<Map<string, Figure>> {
  const r = await get(`/api/v1/measures${query}`, token);
  expect(r.status).toBe(200);
  return new Map((r.body.measures as Figure[]).map((m) => [m.id, m]));
}

beforeAll(async () => {
  await resetTestDatabase(); // the counts are this file's patients only
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  tokens.lead = await sys.token(['clinician'], 'dr-lead');
  tokens.ops = await sys.token(['ops'], 'service-lead');
  await sys.producer.send({ topic: sys.topics.in, messages: measuresCohort.events().map((e) => ({ key: e.subject, value: JSON.stringify(e) })) });
  // Every fact is in once both deaths are counted and c's specialist contact is.
  await waitFor(
    async () => {
      const m = await measures();
      return m.get('eol.death-in-hospital')?.denominator === 2 && m.get('timeliness.days-to-specialist-median')?.denominator === 2;
    },
    { what: 'the cohort in the measures', timeoutMs: 45_000 },
  );
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

describe('measures over Kafka, the API and PostgreSQL', () => {
  it('gives the hand-computed figures', async () => {
    const m = await measures();
    const pick = (id: string) => {
      const f = m.get(id)!;
      return { numerator: f.numerator, denominator: f.denominator, value: f.value };
    };
    expect(pick('timeliness.specialist-within-8w')).toEqual({ numerator: 1, denominator: 3, value: 33.3 }); // a; b and c known; d not yet
    expect(pick('timeliness.specialist-within-12w')).toEqual({ numerator: 2, denominator: 3, value: 66.7 }); // a, c (day 65)
    expect(pick('timeliness.days-to-specialist-median')).toEqual({ numerator: undefined, denominator: 2, value: 52.5 }); // 40 and 65
    expect(pick('acp.documented-within-30d')).toEqual({ numerator: 1, denominator: 3, value: 33.3 }); // d's 30 days not passed
    expect(pick('acp.documented-within-90d')).toEqual({ numerator: 1, denominator: 2, value: 50 }); // c and d not passed
    expect(pick('acp.code-status-recorded')).toEqual({ numerator: 1, denominator: 4, value: 25 });
    expect(pick('acp.preferred-place-recorded')).toEqual({ numerator: 1, denominator: 4, value: 25 });
    expect(pick('eol.sact-last-14d')).toEqual({ numerator: 1, denominator: 2, value: 50 });
    expect(pick('eol.ed-visits-gt1-last-30d')).toEqual({ numerator: 1, denominator: 2, value: 50 });
    expect(pick('eol.admissions-gt1-last-30d')).toEqual({ numerator: 0, denominator: 2, value: 0 });
    expect(pick('eol.icu-last-30d')).toEqual({ numerator: 0, denominator: 2, value: 0 });
    expect(pick('eol.death-in-hospital')).toEqual({ numerator: 1, denominator: 2, value: 50 });
    expect(pick('eol.specialist-late-or-never')).toEqual({ numerator: 1, denominator: 2, value: 50 }); // b never
    expect(pick('eol.place-of-death-concordant')).toEqual({ numerator: 0, denominator: 1, value: 0 }); // a preferred home
    expect(m.get('ops.parked-events')!.value).toBe(0);
    // The bridge commits its offsets once a second: the lag reaches 0 once it has.
    await waitFor(async () => (await measures()).get('ops.consumer-lag')!.value === 0, { what: 'no consumer lag' });
  });

  it('splits by equity group, from registrations sent before and after the diagnosis', async () => {
    const byAge = (await measures('?group=age')).get('timeliness.specialist-within-8w')!;
    expect(byAge.groups).toEqual([
      expect.objectContaining({ key: '<75', numerator: 0, denominator: 2 }),
      expect.objectContaining({ key: '>=75', numerator: 1, denominator: 1 }),
      expect.objectContaining({ key: 'unknown', numerator: 0, denominator: 0, value: null }),
    ]);
    const alone = (await measures('?group=livesAlone')).get('eol.death-in-hospital')!;
    expect(alone.groups).toEqual([
      expect.objectContaining({ key: 'true', numerator: 1, denominator: 1 }),
      expect.objectContaining({ key: 'false', numerator: 0, denominator: 1 }),
      expect.objectContaining({ key: 'unknown', numerator: 0, denominator: 0 }),
    ]);
  });

  it('drills down to the patients behind a measure, and the read is audited', async () => {
    const all = await get('/api/v1/measures/timeliness.specialist-within-8w/patients', tokens.lead!);
    expect(all.status).toBe(200);
    const items = all.body.items as Array<{ patientId: string; indexDate: string; inNumerator: boolean }>;
    expect(items).toEqual([
      { patientId: ids.a, indexDate: dateAgo(200), inNumerator: true },
      { patientId: ids.b, indexDate: dateAgo(100), inNumerator: false },
      { patientId: ids.c, indexDate: dateAgo(70), inNumerator: false },
    ]);
    const numerator = await get('/api/v1/measures/timeliness.specialist-within-8w/patients?in=numerator&group=age&key=%3E%3D75', tokens.lead!);
    expect((numerator.body.items as Array<{ patientId: string }>).map((i) => i.patientId)).toEqual([ids.a]);
    await waitFor(
      async () =>
        (
          await sys.pool.query(
            `SELECT 1 FROM audit WHERE actor = 'dr-lead' AND action = 'GET /api/v1/measures/{measureId}/patients' AND resource = 'timeliness.specialist-within-8w' AND patient_id = $1 AND status = 200`,
            [ids.b],
          )
        ).rows.length > 0,
      { what: 'the drill-down audit row' },
    );
  });

  it('shows ops the aggregates with counts of 1 to 4 suppressed, and no patients', async () => {
    const m = await measures('', tokens.ops);
    expect(m.get('timeliness.specialist-within-8w')).toMatchObject({ numerator: null, denominator: null, value: null, suppressed: true });
    expect(m.get('eol.admissions-gt1-last-30d')).toMatchObject({ numerator: 0, denominator: null, value: null, suppressed: true });
    expect((await get('/api/v1/measures/timeliness.specialist-within-8w/patients', tokens.ops!)).status).toBe(403);
  });

  it('answers a monthly trend with the diagnosis months counted, and refuses bad input with reasons', async () => {
    const trend = await get('/api/v1/measures/timeliness.specialist-within-12w/trend?months=12', tokens.lead!);
    expect(trend.status).toBe(200);
    const months = trend.body.months as Array<{ month: string; denominator: number }>;
    expect(months).toHaveLength(12);
    expect(months.reduce((s, p) => s + p.denominator, 0)).toBe(3);
    expect(months.find((p) => p.month === dateAgo(200).slice(0, 7))!.denominator).toBeGreaterThanOrEqual(1);
    const bad = await get('/api/v1/measures?from=2026-13-01&group=height', tokens.lead!);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'from' }), expect.objectContaining({ path: 'group' })]));
    expect((await get('/api/v1/measures/no.such-measure/trend', tokens.lead!)).status).toBe(400);
    expect((await get('/api/v1/measures/ops.open-tasks/patients', tokens.lead!)).status).toBe(404);
  });

  it('counts the caseload of key workers named when assign-key-worker is completed, else who completed it', async () => {
    const coordinator = await sys.token(['coordinator'], 'carol');
    const post = (path: string, body: unknown) =>
      fetch(`${sys.apiUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${coordinator}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const taskOf = async (patientId: string, type: string) => {
      const r = await get(`/api/v1/tasks?patientId=${patientId}&type=${type}`, coordinator);
      return (r.body.items as Array<{ id: string }>)[0]!;
    };
    const c = await taskOf(ids.c, 'assign-key-worker');
    const d = await taskOf(ids.d, 'assign-key-worker');
    const admin = await sys.token(['admin'], 'admin-1');
    const baseline = (await get(`/api/v1/tasks?patientId=${ids.c}&type=baseline-assessment`, admin)).body.items as Array<{ id: string }>;
    const wrong = await fetch(`${sys.apiUrl}/api/v1/tasks/${baseline[0]!.id}/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'done', keyWorker: 'kim' }),
    });
    expect(wrong.status).toBe(409); // a key worker is named on assign-key-worker only
    // A key worker is a known member of staff (ADR 0004): kim has signed in with a care role.
    expect((await get('/api/v1/tasks?limit=1', await sys.token(['clinician'], 'kim'))).status).toBe(200);
    await waitFor(async () => ((await sys.pool.query(`SELECT 1 FROM audit WHERE actor = 'kim' AND status < 400`)).rowCount ?? 0) > 0, {
      what: "kim's audit row",
    });
    expect((await post(`/api/v1/tasks/${c.id}/complete`, { outcome: 'assigned', keyWorker: 'kim' })).status).toBe(200);
    expect((await post(`/api/v1/tasks/${d.id}/complete`, { outcome: 'assigned' })).status).toBe(200);
    const stored = await sys.pool.query<{ patient_id: string; key_worker: string | null; completed_by: string }>(
      `SELECT patient_id, key_worker, completed_by FROM task WHERE type = 'assign-key-worker' AND status = 'done' ORDER BY patient_id`,
    );
    expect(stored.rows).toEqual(
      expect.arrayContaining([
        { patient_id: ids.c, key_worker: 'kim', completed_by: 'carol' },
        { patient_id: ids.d, key_worker: null, completed_by: 'carol' },
      ]),
    );
    // Two key workers with one open pathway each (a and b died: their pathways are in bereavement).
    await waitFor(async () => (await measures()).get('ops.caseload-median')!.denominator === 2, { what: 'the caseload' });
    expect((await measures()).get('ops.caseload-median')).toMatchObject({ denominator: 2, value: 1 });
  });
});
