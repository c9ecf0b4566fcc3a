import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * A completion dated when the work was done (docs/contract.md section 5, ADR 0018): a caregiver
 * registered 20 days ago (clinically) is assessed 5 days ago and recorded today. The date counts
 * (the task says it, the pathway is told it); a date before the registration, or in the future,
 * is a 400 that leaves the task open.
 */
let sys: RunningTandem;
let token: string;
const DAY = 86_400_000;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  token = await sys.token(['coordinator'], 'dana-dc');
}, 120_000);
afterAll(async () => {
  await sys?.stop();
});

const complete = async (id: string, body: Record<string, unknown>) => {
  const res = await fetch(`${sys.apiUrl}/api/v1/tasks/${id}/complete`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('a completion dated when the work was done', () => {
  it('records the given time, no earlier than what opened the task and not in the future; a refused date changes nothing', async () => {
    const patientId = newPatientId('dated');
    const registeredAt = Date.now() - 20 * DAY;
    const iso = (ms: number) => new Date(ms).toISOString();
    await sys.producer.send({
      topic: sys.topics.in,
      messages: [
        clinicalEvent('patient.registered', patientId, { birthDate: '1950-02-03' }, { time: iso(registeredAt - DAY) }),
        advancedDiagnosis(patientId, { time: iso(registeredAt - DAY) }),
        clinicalEvent('caregiver.registered', patientId, { caregiverId: 'cg-1', relationship: 'spouse', consentToShare: true }, { time: iso(registeredAt) }),
      ].map((e) => ({ key: patientId, value: JSON.stringify(e) })),
    });
    const taskId = await waitFor(
      async () =>
        (await sys.pool.query<{ id: string }>(`SELECT id FROM task WHERE patient_id = $1 AND type = 'caregiver-assessment' AND status = 'open'`, [patientId]))
          .rows[0]?.id,
      { what: 'the caregiver assessment task', timeoutMs: 30_000 },
    );

    const early = await complete(taskId, { outcome: 'done', completedAt: iso(registeredAt - 60_000) });
    expect(early.status).toBe(400);
    expect(String(early.body.message)).toMatch(/before what opened the task/);
    const future = await complete(taskId, { outcome: 'done', completedAt: iso(Date.now() + DAY) });
    expect(future.status).toBe(400);
    expect(String(future.body.message)).toMatch(/in the future/);
    const still = await sys.pool.query<{ status: string }>(`SELECT status FROM task WHERE id = $1`, [taskId]);
    expect(still.rows[0]!.status).toBe('open');

    const doneAt = iso(Date.now() - 5 * DAY);
    const ok = await complete(taskId, { outcome: 'done', completedAt: doneAt });
    expect(ok.status).toBe(200);
    expect(ok.body.completedAt).toBe(doneAt);
    // The pathway holds the task done (it was told), and the measure counts the caregiver assessed.
    await waitFor(
      async () => {
        const res = await fetch(`${sys.apiUrl}/api/v1/patients/${patientId}/pathway`, { headers: { authorization: `Bearer ${token}` } });
        const view = (await res.json()) as { openTasks?: Array<{ type: string }> };
        return view.openTasks !== undefined && !view.openTasks.some((t) => t.type === 'caregiver-assessment');
      },
      { what: 'the pathway to hold the assessment done', timeoutMs: 30_000 },
    );
  }, 90_000);
});
