import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import type { Notifier } from '@tandem/notifier/notifier';
import { startNotifier } from '../src/notifier';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/** Work queues over HTTP on the real services: events in, claim races, queue access, the pathway view. */
let sys: RunningTandem;
/** The timeline's notifications are the notifier's record of them (the outbox is pruned once relayed). */
let notifier: Notifier;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  notifier = await startNotifier(sys, 'work-queues');
  tokens.alice = await sys.token(['coordinator'], 'alice');
  tokens.bob = await sys.token(['coordinator'], 'bob');
  tokens.onc = await sys.token(['clinician'], 'dr-onc');
  tokens.ops = await sys.token(['ops'], 'lead');
});
afterAll(async () => {
  await notifier?.stop();
  await sys?.stop();
});

async function api(path: string, token: string, init: RequestInit = {}) {
  const res = await fetch(`${sys.apiUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { items?: Array<Record<string, unknown>> } };
}

async function enrolViaApi(): Promise<string> {
  const patientId = newPatientId();
  const posted = await api('/api/v1/events', tokens.onc!, { method: 'POST', body: JSON.stringify(advancedDiagnosis(patientId)) });
  expect(posted.status).toBe(202);
  await waitFor(async () => ((await api(`/api/v1/tasks?patientId=${patientId}&queue=coordination`, tokens.alice!)).body.items ?? []).length > 0, {
    what: 'enrolment tasks',
  });
  return patientId;
}

describe('work queues', () => {
  it('POST /api/v1/events queues a valid event (202) and refuses an invalid one with reasons (400)', async () => {
    await enrolViaApi();
    const bad = await api('/api/v1/events', tokens.onc!, {
      method: 'POST',
      body: JSON.stringify(clinicalEvent('diagnosis.recorded', 'p1', { advanced: 'yes' })),
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: 'invalid-event',
      details: expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining('data.advanced') })]),
    });
  });

  it('eight concurrent claims by two users give exactly one winner', async () => {
    const patientId = await enrolViaApi();
    const [task] = (await api(`/api/v1/tasks?patientId=${patientId}&queue=coordination`, tokens.alice!)).body.items!;
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api(`/api/v1/tasks/${String(task!.id)}/claim`, i % 2 ? tokens.bob! : tokens.alice!, { method: 'POST' })),
    );
    const winners = claims.filter((c) => c.status === 200);
    const winner = winners[0]!.body.claimedBy as string;
    // The winner's own repeats succeed idempotently; every claim by the other user is refused.
    expect(new Set(winners.map((w) => w.body.claimedBy))).toEqual(new Set([winner]));
    expect(claims.filter((c) => c.status === 409).length).toBe(4);
    expect(claims.every((c) => c.status === 200 || c.status === 409)).toBe(true);
    const loser = winner === 'alice' ? tokens.bob! : tokens.alice!;
    expect((await api(`/api/v1/tasks/${String(task!.id)}/unclaim`, loser, { method: 'POST' })).status).toBe(409);
    expect((await api(`/api/v1/tasks/${String(task!.id)}/reassign`, loser, { method: 'POST', body: JSON.stringify({ to: 'carol' }) })).status).toBe(409);
    const handed = await api(`/api/v1/tasks/${String(task!.id)}/reassign`, winner === 'alice' ? tokens.alice! : tokens.bob!, {
      method: 'POST',
      body: JSON.stringify({ to: 'carol' }),
    });
    expect(handed.body).toMatchObject({ status: 'claimed', claimedBy: 'carol' });
    const admin = await sys.token(['admin'], 'admin-1');
    const back = await api(`/api/v1/tasks/${String(task!.id)}/unclaim`, admin, { method: 'POST' });
    expect(back.body).toMatchObject({ status: 'open' });
  });

  it('keeps each role to its queues: coordinators do not see oncology tasks; ops sees no patient data', async () => {
    const patientId = await enrolViaApi();
    expect((await api('/api/v1/tasks?queue=oncology', tokens.alice!)).status).toBe(403);
    const onc = (await api(`/api/v1/tasks?patientId=${patientId}`, tokens.onc!)).body.items!;
    expect(onc.map((t) => t.queue)).toEqual(expect.arrayContaining(['oncology']));
    expect(onc.every((t) => t.queue !== 'coordination')).toBe(true);
    const oncTask = onc.find((t) => t.queue === 'oncology')!;
    expect((await api(`/api/v1/tasks/${String(oncTask.id)}`, tokens.alice!)).status).toBe(404);
    expect((await api(`/api/v1/tasks?patientId=${patientId}`, tokens.ops!)).status).toBe(403);
    expect((await api(`/api/v1/patients/${patientId}/pathway`, tokens.ops!)).status).toBe(403);
  });

  it('shows the pathway: stage, open tasks with their reasons, next timers and the timeline', async () => {
    const patientId = await enrolViaApi();
    const view = await waitFor(async () => {
      const v = await api(`/api/v1/patients/${patientId}/pathway`, tokens.alice!);
      // The event is stored before its step's tasks, notifications and facts: wait for the step too,
      // and for the notifier to record the notifications.
      const kinds = new Set(((v.body.timeline as Array<{ kind: string }> | undefined) ?? []).map((e) => e.kind));
      return kinds.has('task') && kinds.has('notification') ? v : undefined;
    });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ patientId, stage: 'enrolled', level: 'secondary' });
    expect((view.body.openTasks as Array<{ type: string; reason: { rule: string } }>).map((t) => t.reason.rule)).toEqual(
      expect.arrayContaining(['2.1.enrolment.assign-key-worker', '2.1.enrolment.acp-conversation']),
    );
    expect((view.body.nextTimers as unknown[]).length).toBeGreaterThan(0);
    const kinds = new Set((view.body.timeline as Array<{ kind: string }>).map((e) => e.kind));
    expect(kinds).toEqual(new Set(['event', 'task', 'notification', 'fact']));
    expect((await api('/api/v1/patients/nobody-here/pathway', tokens.alice!)).status).toBe(404);
  });
});

describe('audit', () => {
  it('writes a row for every read or change of patient data, refused ones included, and rows cannot be changed', async () => {
    const patientId = await enrolViaApi();
    await api(`/api/v1/patients/${patientId}/pathway`, tokens.alice!);
    await api(`/api/v1/patients/${patientId}/pathway`, tokens.ops!);
    const rows = await waitFor(async () => {
      const r = await sys.pool.query<{ actor: string; action: string; status: number }>(
        'SELECT actor, action, status FROM audit WHERE patient_id = $1 ORDER BY id',
        [patientId],
      );
      // Rows are written as responses finish, so wait for both readers' rows, not just the last one's.
      return r.rows.some((x) => x.actor === 'lead') && r.rows.some((x) => x.actor === 'alice' && x.action.endsWith('/pathway')) && r.rows;
    });
    expect(rows).toEqual(
      expect.arrayContaining([
        { actor: 'dr-onc', action: 'POST /api/v1/events', status: 202 },
        { actor: 'alice', action: 'GET /api/v1/patients/{patientId}/pathway', status: 200 },
        { actor: 'lead', action: 'GET /api/v1/patients/{patientId}/pathway', status: 403 },
      ]),
    );
    await expect(sys.pool.query('UPDATE audit SET actor = $1 WHERE patient_id = $2', ['someone-else', patientId])).rejects.toThrow(/append-only/);
    await expect(sys.pool.query('DELETE FROM audit WHERE patient_id = $1', [patientId])).rejects.toThrow(/append-only/);
  });
});
