import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * Issue 10's first defects as a user meets them, on the real services with the pathway clock sped
 * up (TANDEM_TIME_SCALE: one day of the pathway per second of the test): the daily end-of-life check
 * opens a new symptom review every day once the last one is completed, and severe depression alone
 * opens both of its tasks — as rows a coordinator can see, not only as commands.
 */
const DAY_SECONDS = 1; // TANDEM_TIME_SCALE=86400
let sys: RunningTandem;
let token: string;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl'), env: { TANDEM_TIME_SCALE: String(86_400 / DAY_SECONDS) } });
  token = await sys.token(['admin'], 'repeat-admin');
});
afterAll(async () => {
  await sys?.stop();
});

const send = (patientId: string, ...events: object[]) =>
  sys.producer.send({ topic: sys.topics.in, messages: events.map((e) => ({ key: patientId, value: JSON.stringify(e) })) });
const post = (path: string, body?: object) =>
  fetch(`${sys.apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
const rows = async (patientId: string, type: string) =>
  (
    await sys.pool.query<{ id: string; status: string; reason_rule: string; priority: string }>(
      'SELECT id, status, reason_rule, priority FROM task WHERE patient_id = $1 AND type = $2 ORDER BY created_at',
      [patientId, type],
    )
  ).rows;

describe('repeating rules and several tasks of one rule, on the real services', () => {
  it('the daily end-of-life check opens a new symptom review on each of three days after the last was completed', async () => {
    const p = newPatientId('eol');
    await send(p, advancedDiagnosis(p), clinicalEvent('patient.dying', p, {}));
    for (let day = 1; day <= 3; day++) {
      const open = await waitFor(async () => (await rows(p, 'symptom-review')).find((r) => r.status === 'open'), {
        what: `day ${day}'s symptom review`,
        timeoutMs: 30_000,
        intervalMs: 100,
      });
      expect(open).toMatchObject({ reason_rule: '2.8.eol.symptom-check', priority: 'urgent' });
      expect((await post(`/api/v1/tasks/${open.id}/claim`)).status).toBe(200);
      expect((await post(`/api/v1/tasks/${open.id}/complete`, { outcome: 'done' })).status).toBe(200);
      await waitFor(async () => (await rows(p, 'symptom-review')).find((r) => r.id === open.id)?.status === 'done', {
        what: 'the review recorded as done',
        timeoutMs: 10_000,
      });
    }
    expect((await rows(p, 'symptom-review')).length).toBeGreaterThanOrEqual(3);
  }, 150_000);

  it('severe depression alone opens the symptom review and the psychosocial assessment', async () => {
    const p = newPatientId('dep');
    await send(p, advancedDiagnosis(p), clinicalEvent('prom.submitted', p, { instrument: 'ESAS-r', responseId: 'r1', scores: { depression: 8 } }));
    const psychosocial = await waitFor(async () => (await rows(p, 'psychosocial-assessment'))[0], { what: 'the psychosocial assessment', timeoutMs: 30_000 });
    expect(psychosocial).toMatchObject({ reason_rule: '2.2.triggers.severe-emotional', priority: 'soon' });
    expect((await rows(p, 'symptom-review'))[0]).toMatchObject({ reason_rule: '2.2.triggers.severe-emotional', priority: 'urgent' });
  }, 60_000);
});
