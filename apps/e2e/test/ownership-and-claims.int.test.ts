import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { requestHandles } from '@tandem/api/request-handle';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * Findings 9 and 12 of issue 26 on the running system. 9: revoking a PROM request checks that it is
 * the patient's and exists, and its URL names it by an unguessable handle. 12: a task claimed by one
 * coordinator is not completed by another unless taken over, explicitly and on the record; a key
 * worker named at completion is a known member of staff.
 */
let sys: RunningTandem;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  tokens.alice = await sys.token(['coordinator'], 'alice-oc');
  tokens.bob = await sys.token(['coordinator'], 'bob-oc');
  tokens.kim = await sys.token(['clinician'], 'kim-oc');
}, 120_000);
afterAll(async () => {
  await sys?.stop();
});

async function api(path: string, token: string, body?: unknown) {
  const res = await fetch(`${sys.apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { items?: Array<Record<string, unknown>> } };
}

/** A registered, enrolled patient and the id of their first PROM request (as the pathway recorded it). */
async function enrolled(prefix: string): Promise<{ patientId: string; requestId: string }> {
  const patientId = newPatientId(prefix);
  await sys.producer.send({
    topic: sys.topics.in,
    messages: [clinicalEvent('patient.registered', patientId, { birthDate: '1950-02-03' }), advancedDiagnosis(patientId)].map((e) => ({
      key: patientId,
      value: JSON.stringify(e),
    })),
  });
  const requestId = await waitFor(
    async () =>
      (
        await sys.pool.query<{ id: string }>(`SELECT value->>'requestId' AS id FROM pathway_fact WHERE patient_id = $1 AND name = 'prom-requested'`, [
          patientId,
        ])
      ).rows[0]?.id,
    { timeoutMs: 30_000, what: `the first PROM request of ${patientId}` },
  );
  return { patientId, requestId };
}

describe('ownership of PROM requests (issue 26, finding 9)', () => {
  it("refuses to revoke patient B's request through patient A (404), a request that does not exist yet (404), and a guessed request id in the URL (400)", async () => {
    const a = await enrolled('own-a');
    const b = await enrolled('own-b');
    const handles = requestHandles(sys.config);
    const revoke = (patientId: string, handle: string) =>
      api(`/api/v1/patients/${patientId}/prom-requests/${handle}/revoke`, tokens.alice!, { reason: 'sent to the wrong address' });

    // B's request named through A: by its handle for B, or by the handle A's would have.
    expect((await revoke(a.patientId, handles.of(b.patientId, b.requestId))).status).toBe(404);
    expect((await revoke(a.patientId, handles.of(a.patientId, b.requestId))).status).toBe(404);
    // A request that does not exist yet (the next of A's, by the id pattern) cannot be revoked in advance.
    const next = a.requestId.replace(/-prom-(\d+)$/, (_, n: string) => `-prom-${Number(n) + 1}`);
    expect(next).not.toBe(a.requestId);
    expect((await revoke(a.patientId, handles.of(a.patientId, next))).status).toBe(404);
    // The guessable id itself is not a URL of a request any more.
    expect((await revoke(b.patientId, b.requestId)).status).toBe(400);
    // Nothing was recorded against anyone.
    const rows = await sys.pool.query(`SELECT 1 FROM prom_link_revocation WHERE patient_id = ANY($1) OR request_id = ANY($2)`, [
      [a.patientId, b.patientId],
      [a.requestId, b.requestId, next],
    ]);
    expect(rows.rowCount).toBe(0);

    // B's own request, by its handle, through B: withdrawn once, and recorded against B.
    expect(await revoke(b.patientId, handles.of(b.patientId, b.requestId))).toMatchObject({ status: 200, body: { requestId: b.requestId, revoked: true } });
    expect((await revoke(b.patientId, handles.of(b.patientId, b.requestId))).status).toBe(409);
    const stored = await sys.pool.query<{ patient_id: string }>(`SELECT patient_id FROM prom_link_revocation WHERE request_id = $1`, [b.requestId]);
    expect(stored.rows).toEqual([{ patient_id: b.patientId }]);
  }, 90_000);

  it('names a request in URLs by a handle bound to its patient: 22 characters, another for another request or patient', () => {
    const handles = requestHandles(sys.config);
    const b = 'own-x-0000';
    expect(handles.of(b, `${b}-prom-1`)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(handles.of(b, `${b}-prom-1`)).not.toBe(handles.of(b, `${b}-prom-2`));
    expect(handles.matches(handles.of(b, `${b}-prom-1`), b, `${b}-prom-1`)).toBe(true);
    expect(handles.matches(handles.of(b, `${b}-prom-1`), 'own-y-0000', `${b}-prom-1`)).toBe(false);
  });
});

describe('claims at completion (issue 26, finding 12)', () => {
  async function claimedByAlice(): Promise<{ id: string; patientId: string }> {
    const patientId = newPatientId('claim');
    expect((await api('/api/v1/events', tokens.kim!, advancedDiagnosis(patientId))).status).toBe(202);
    const task = await waitFor(
      async () => (await api(`/api/v1/tasks?patientId=${patientId}&type=assign-key-worker`, tokens.alice!)).body.items?.[0] as { id: string } | undefined,
      { what: 'the assign-key-worker task' },
    );
    expect((await api(`/api/v1/tasks/${task.id}/claim`, tokens.alice!, {})).status).toBe(200);
    return { id: task.id, patientId };
  }

  it('refuses a completion by B of a task A has claimed (409 claimed-by-another) and records nothing', async () => {
    const task = await claimedByAlice();
    const r = await api(`/api/v1/tasks/${task.id}/complete`, tokens.bob!, { outcome: 'assigned' });
    expect(r).toMatchObject({ status: 409, body: { error: 'claimed-by-another' } });
    expect((await api(`/api/v1/tasks/${task.id}`, tokens.alice!)).body).toMatchObject({ status: 'claimed', claimedBy: 'alice-oc' });
    const history = await sys.pool.query<{ status: string }>(`SELECT status FROM task_history WHERE task_id = $1 AND actor <> 'pathway' ORDER BY id`, [
      task.id,
    ]);
    expect(history.rows.map((h) => h.status)).toEqual(['claimed']);
    // A can still complete it.
    expect((await api(`/api/v1/tasks/${task.id}/complete`, tokens.alice!, { outcome: 'assigned' })).status).toBe(200);
  }, 60_000);

  it('lets B take the task over explicitly, on the record: the task history says from whom, and the audit has the take-over', async () => {
    const task = await claimedByAlice();
    const r = await api(`/api/v1/tasks/${task.id}/complete`, tokens.bob!, { outcome: 'assigned', takeOver: true });
    expect(r).toMatchObject({ status: 200, body: { status: 'done', claimedBy: 'bob-oc', outcome: 'assigned' } });
    const history = await sys.pool.query<{ status: string; actor: string; outcome: string | null }>(
      `SELECT status, actor, outcome FROM task_history WHERE task_id = $1 AND actor <> 'pathway' ORDER BY id`,
      [task.id],
    );
    expect(history.rows).toEqual([
      { status: 'claimed', actor: 'alice-oc', outcome: null },
      { status: 'claimed', actor: 'bob-oc', outcome: 'taken over from alice-oc' },
      { status: 'done', actor: 'bob-oc', outcome: 'assigned' },
    ]);
    const audit = await sys.pool.query(`SELECT actor, patient_id, resource FROM audit WHERE action = 'task.take-over' AND resource = $1`, [task.id]);
    expect(audit.rows).toEqual([{ actor: 'bob-oc', patient_id: task.patientId, resource: task.id }]);
  }, 60_000);

  it('refuses a key worker who is not a known member of staff (422 unknown-key-worker), and takes one who is', async () => {
    const task = await claimedByAlice();
    const unknown = await api(`/api/v1/tasks/${task.id}/complete`, tokens.alice!, { outcome: 'assigned', keyWorker: 'nobody-by-this-name' });
    expect(unknown).toMatchObject({ status: 422, body: { error: 'unknown-key-worker' } });
    expect((await api(`/api/v1/tasks/${task.id}`, tokens.alice!)).body).toMatchObject({ status: 'claimed' });
    // Kim has signed in with a care role (every request above with kim's token is in the audit).
    await waitFor(async () => ((await sys.pool.query(`SELECT 1 FROM audit WHERE actor = 'kim-oc' AND status < 400`)).rowCount ?? 0) > 0, {
      what: "kim's audit row",
    });
    expect((await api(`/api/v1/tasks/${task.id}/complete`, tokens.alice!, { outcome: 'assigned', keyWorker: 'kim-oc' })).status).toBe(200);
    const stored = await sys.pool.query(`SELECT key_worker FROM task WHERE id = $1`, [task.id]);
    expect(stored.rows).toEqual([{ key_worker: 'kim-oc' }]);
  }, 60_000);
});
