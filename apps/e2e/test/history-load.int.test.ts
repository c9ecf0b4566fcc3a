import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import type { Notifier } from '@tandem/notifier/notifier';
import { startNotifier } from '../src/notifier';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * Loading a service's past (ADR 0019) through the real services: only an integration or an
 * administrator may mark events as a history; a new pathway steps them on their clinical clock
 * (its PROM requests carry their past times, its notifications are dated then, no escalation is
 * judged on a past without the staff's work); told the history is loaded, it fires what fell due
 * since, and comes to the present.
 */
let sys: RunningTandem;
let notifier: Notifier;
const tokens: Record<string, string> = {};
const DAY = 86_400_000;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  tokens.onc = await sys.token(['clinician'], 'dr-onc');
  tokens.ehr = await sys.token(['integration'], 'svc-ehr');
  notifier = await startNotifier(sys, 'history-load');
}, 60_000);

afterAll(async () => {
  await notifier?.stop();
  await sys?.stop();
});

async function post(token: string, path: string, body?: unknown) {
  const res = await fetch(`${sys.apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** When each PROM request was sent, in days after `t0`, as the measures' facts hold it. */
const requestDays = async (patientId: string, t0: number) =>
  (await sys.pool.query<{ at: Date }>(`SELECT at FROM pathway_fact WHERE patient_id = $1 AND name = 'prom-requested' ORDER BY at`, [patientId])).rows.map((r) =>
    Math.round((r.at.getTime() - t0) / DAY),
  );
const taskTypes = async (patientId: string) =>
  (await sys.pool.query<{ type: string }>(`SELECT type FROM task WHERE patient_id = $1`, [patientId])).rows.map((r) => r.type);

const catchingUpAt = async (patientId: string) => {
  const res = await fetch(`${sys.apiUrl}/api/v1/patients/${patientId}/pathway`, { headers: { authorization: `Bearer ${tokens.onc}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { catchingUpAt?: string }).catchingUpAt;
};

describe('loading a history (ADR 0019)', () => {
  it('a clinician may not mark an event as history: 403, nothing stored', async () => {
    const p = newPatientId('hist');
    const e = clinicalEvent(
      'diagnosis.recorded',
      p,
      { cancerType: 'C34.9', advanced: true, diagnosedAt: day(Date.now() - 40 * DAY) },
      {
        time: new Date(Date.now() - 40 * DAY).toISOString(),
        history: true,
      },
    );
    const refused = await post(tokens.onc!, '/api/v1/events', e);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'forbidden' });
    expect(JSON.stringify(refused.body)).toMatch(/load a history/);
    const stored = await sys.pool.query(`SELECT 1 FROM clinical_event WHERE patient_id = $1`, [p]);
    expect(stored.rowCount).toBe(0);
  });

  it('an integration loads a patient’s past: the pathway steps it in clinical time, then, told it is loaded, comes to the present', async () => {
    const p = newPatientId('hist');
    const t0 = Date.now() - 100 * DAY;
    const at = (d: number) => ({ time: new Date(t0 + d * DAY).toISOString(), history: true });
    const past = [
      clinicalEvent('patient.registered', p, { birthDate: '1950-01-01', contact: { email: `${p}@patients.example` } }, at(0)),
      clinicalEvent('diagnosis.recorded', p, { cancerType: 'C34.9', advanced: true, diagnosedAt: day(t0) }, at(0)),
      clinicalEvent('performance.recorded', p, { ecog: 1 }, at(60)),
    ];
    for (const e of past) expect((await post(tokens.ehr!, '/api/v1/events', e)).status).toBe(202);
    // The baseline request at diagnosis, the monthly ones at days 30 and 60: sent in the past, at their own times.
    await waitFor(async () => (await requestDays(p, t0)).length === 3, { what: 'three requests in the history', timeoutMs: 60_000 });
    expect(await requestDays(p, t0)).toEqual([0, 30, 60]);
    // A task the history opened is due in the past, yet not escalated: the staff's work is not in a history.
    const types = await taskTypes(p);
    expect(types).toContain('prom-not-returned');
    expect(types).not.toContain('escalation');
    // Its notifications are dated when they were made, so the notifier does not deliver what is long past.
    const made = await sys.pool.query<{ created: string }>(
      `SELECT payload->>'createdAt' AS created FROM outbox WHERE patient_id = $1 AND topic = 'care-notifications' ORDER BY payload->>'createdAt' LIMIT 1`,
      [p],
    );
    expect(Math.round((Date.parse(made.rows[0]!.created) - t0) / DAY)).toBe(0);
    // The notifier records the day-0 questionnaire request and never tries to send it: 100 days old.
    const request = await waitFor(
      async () =>
        (
          await sys.pool.query<{ dropped_why: string | null; statuses: string[]; attempts: number }>(
            `SELECT n.dropped_why, array_agg(d.status) AS statuses, sum(d.attempts)::int AS attempts
               FROM notification n JOIN notification_delivery d ON d.notification_id = n.id
              WHERE n.patient_id = $1 AND n.kind = 'prom-request' AND n.created_at < $2 GROUP BY n.id, n.dropped_why`,
            [p, new Date(t0 + DAY)],
          )
        ).rows[0],
      { what: 'the day-0 questionnaire request recorded by the notifier', timeoutMs: 60_000 },
    );
    expect(request.dropped_why).toMatch(/^not delivered: 100 days old/);
    expect(request.statuses.every((x) => x === 'dropped')).toBe(true);
    expect(request.attempts).toBe(0);

    // The baseline request was not answered: its call, opened on day 5 of the history, says so, and may be recorded as done then, not before.
    const call = await sys.pool.query<{ id: string; opened_at: Date; created_at: Date }>(
      `SELECT id, opened_at, created_at FROM task WHERE patient_id = $1 AND type = 'prom-not-returned' ORDER BY opened_at LIMIT 1`,
      [p],
    );
    const { id: callId, opened_at: openedAt, created_at: createdAt } = call.rows[0]!;
    expect(Math.round((openedAt.getTime() - t0) / DAY)).toBe(5);
    expect(createdAt.getTime()).toBeGreaterThan(t0 + 99 * DAY);
    const coordinator = await sys.token(['coordinator'], 'coord-history');
    const completeAt = (day: number) =>
      post(coordinator, `/api/v1/tasks/${callId}/complete`, { outcome: 'done', completedAt: new Date(t0 + day * DAY).toISOString() });
    expect((await completeAt(4)).status).toBe(400);
    const done = await completeAt(6);
    expect(done.status).toBe(200);
    expect(Math.round((Date.parse(done.body.completedAt as string) - t0) / DAY)).toBe(6);

    // The pathway's view says it is catching up, and how far it has come.
    expect(await catchingUpAt(p)).toBe(new Date(t0 + 60 * DAY).toISOString());

    // Only an integration or an administrator says the history is loaded; an unknown patient has no pathway.
    expect((await post(tokens.onc!, `/api/v1/patients/${p}/pathway/history-loaded`)).status).toBe(403);
    expect((await post(tokens.ehr!, `/api/v1/patients/${newPatientId('none')}/pathway/history-loaded`)).status).toBe(404);
    expect(await post(tokens.ehr!, `/api/v1/patients/${p}/pathway/history-loaded`)).toMatchObject({ status: 202, body: { status: 'told' } });
    // Day 90 fell due since the history's last event: sent at its own time; the ladders that waited run now.
    await waitFor(async () => (await requestDays(p, t0)).length === 4, { what: 'the request due since the history', timeoutMs: 60_000 });
    expect(await requestDays(p, t0)).toEqual([0, 30, 60, 90]);
    await waitFor(async () => (await taskTypes(p)).includes('escalation'), { what: 'the overdue work escalated in the present', timeoutMs: 60_000 });
    expect(await catchingUpAt(p)).toBeUndefined();
  }, 240_000);
});
