import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DLQ_HEADERS, headerOf as header } from '@tandem/kafka';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';
import { collectTopic, groupCaughtUp } from '../src/probes';
import { pathwayStateQuery, pathwayWorkflowId } from '@tandem/workflows/contract';

/**
 * The foundation's vertical slice on real Kafka, Temporal and PostgreSQL:
 * clinical-events → kafka-bridge → signalWithStart → patientPathway → decide → carryOut (tasks in PostgreSQL)
 * → GET /api/v1/tasks → POST complete → the workflow records the completion.
 */
let sys: RunningTandem;
let coordinator: string;
let dlq: Awaited<ReturnType<typeof collectTopic>>;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  coordinator = await sys.token(['coordinator'], 'coordinator-1');
  dlq = await collectTopic(sys.kafka, sys.topics.dlq, `${sys.groupId}-dlq-reader`);
});

afterAll(async () => {
  await dlq?.stop();
  await sys?.stop();
});

const produce = (key: string | null, value: string | Buffer) => sys.producer.send({ topic: sys.topics.in, messages: [{ key, value }] });

async function api(path: string, init: RequestInit = {}, token = coordinator) {
  const res = await fetch(`${sys.apiUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { items?: Array<Record<string, unknown>> } };
}

const tasksOf = async (patientId: string) => (await api(`/api/v1/tasks?queue=coordination&patientId=${patientId}`)).body.items ?? [];

const bridgeCaughtUp = () => groupCaughtUp(sys.kafka, sys.groupId, sys.topics.in);

describe('the vertical slice', () => {
  it('turns an advanced diagnosis on Kafka into a coordination task, and completing it reaches the workflow', async () => {
    const patientId = newPatientId();
    const event = advancedDiagnosis(patientId);
    await produce(patientId, JSON.stringify(event));

    const [task] = await waitFor(
      async () => {
        const items = await tasksOf(patientId);
        return items.length > 0 && items;
      },
      { what: 'the assign-key-worker task' },
    );
    expect(task).toMatchObject({
      patientId,
      type: 'assign-key-worker',
      queue: 'coordination',
      status: 'open',
      escalationLevel: 0,
      reason: { rule: '2.1.enrolment.assign-key-worker', evidence: { eventIds: [event.id], cancerType: 'C34.9' } },
    });

    const done = await api(`/api/v1/tasks/${String(task!.id)}/complete`, {
      method: 'POST',
      body: JSON.stringify({ outcome: 'assigned', note: 'key worker: coordinator-1' }),
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', outcome: 'assigned' });

    const handle = sys.temporal.workflow.getHandle(pathwayWorkflowId(patientId));
    const keyWorker = (v: { state: { tasks: Record<string, { type: string; status: string }> } }) =>
      Object.values(v.state.tasks).find((t) => t.type === 'assign-key-worker');
    const view = await waitFor(
      async () => {
        const v = await handle.query(pathwayStateQuery);
        return keyWorker(v)?.status === 'done' && v;
      },
      { what: 'the workflow to record the completion' },
    );
    expect(keyWorker(view)).toMatchObject({ type: 'assign-key-worker', status: 'done', outcome: 'assigned' });

    const again = await api(`/api/v1/tasks/${String(task!.id)}/complete`, { method: 'POST', body: JSON.stringify({ outcome: 'assigned' }) });
    expect(again.status).toBe(409);
  });

  it('opens one task when the same event id is delivered twice', async () => {
    const patientId = newPatientId();
    const event = JSON.stringify(advancedDiagnosis(patientId));
    await produce(patientId, event);
    await produce(patientId, event);
    await waitFor(bridgeCaughtUp, { what: 'the bridge to consume both copies' });
    const view = await waitFor(async () => {
      const v = await sys.temporal.workflow.getHandle(pathwayWorkflowId(patientId)).query(pathwayStateQuery);
      return Object.keys(v.state.tasks).length > 0 && v;
    });
    expect(view.eventsSeen).toBe(1);
    expect(await tasksOf(patientId)).toHaveLength(1);
    // The enrolment opens its four tasks (docs/clinical-rules.md 2.1) once, not twice.
    const rows = await sys.pool.query('SELECT type, count(*)::int AS n FROM task WHERE patient_id = $1 GROUP BY type ORDER BY type', [patientId]);
    expect(rows.rows).toEqual([
      { type: 'acp-conversation', n: 1 },
      { type: 'assign-key-worker', n: 1 },
      { type: 'baseline-assessment', n: 1 },
      { type: 'explain-palliative-care', n: 1 },
    ]);
  });

  it('parks a malformed record on the DLQ with its reason and processes the next valid one on the same partition', async () => {
    const patientId = newPatientId();
    await produce(patientId, '{"specversion": "1.0", not json');
    await produce(patientId, JSON.stringify(clinicalEvent('diagnosis.recorded', patientId, { cancerType: 'lung', advanced: 'yes' })));
    await produce(patientId, JSON.stringify(advancedDiagnosis(patientId)));

    const items = await waitFor(
      async () => {
        const t = await tasksOf(patientId);
        return t.length > 0 && t;
      },
      { what: 'the valid event after the bad ones' },
    );
    expect(items).toHaveLength(1);

    const mine = await waitFor(
      () => {
        const m = dlq.messages.filter((p) => p.key?.toString() === patientId);
        return m.length === 2 && m;
      },
      { what: 'two parked records' },
    );
    expect(mine.map((m) => header(m, DLQ_HEADERS.error)).sort()).toEqual(['invalid-data', 'invalid-json']);
    for (const m of mine) {
      expect(header(m, DLQ_HEADERS.originalTopic)).toBe(sys.topics.in);
      expect(Number(header(m, DLQ_HEADERS.originalPartition))).toBeGreaterThanOrEqual(0);
      expect(header(m, DLQ_HEADERS.originalOffset)).toMatch(/^\d+$/);
      expect(header(m, DLQ_HEADERS.detail)?.length).toBeGreaterThan(0);
    }
    const invalidData = mine.find((m) => header(m, DLQ_HEADERS.error) === 'invalid-data')!;
    expect(header(invalidData, DLQ_HEADERS.detail)).toContain('data.cancerType');
    expect(invalidData.value?.toString()).toContain('"advanced":"yes"'); // the original bytes, unchanged
  });

  it('guards the task routes: 401 without a valid token, 403 for ops, 400 with reasons for bad input', async () => {
    const bare = await fetch(`${sys.apiUrl}/api/v1/tasks`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toEqual({ error: 'unauthorized', message: 'a bearer token is required' });
    expect((await api('/api/v1/tasks', {}, 'not-a-jwt')).status).toBe(401);
    const claims = { roles: ['admin'] };
    const wrongKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer(sys.config.auth.issuer)
      .setAudience(sys.config.auth.audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('w'.repeat(48)));
    expect((await api('/api/v1/tasks', {}, wrongKey)).status).toBe(401);
    const unsigned = new UnsecuredJWT(claims)
      .setSubject('x')
      .setIssuer(sys.config.auth.issuer)
      .setAudience(sys.config.auth.audience)
      .setExpirationTime('5m')
      .encode();
    expect((await api('/api/v1/tasks', {}, unsigned)).status).toBe(401);
    const ops = await sys.token(['ops'], 'lead-1');
    expect((await api('/api/v1/tasks?queue=coordination', {}, ops)).status).toBe(403);
    const badQuery = await api('/api/v1/tasks?queue=nowhere&limit=0');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body).toMatchObject({
      error: 'invalid-request',
      details: expect.arrayContaining([expect.objectContaining({ path: 'queue' }), expect.objectContaining({ path: 'limit' })]),
    });
    expect((await api('/api/v1/tasks/not-a-uuid')).status).toBe(400);
    expect((await api('/api/v1/tasks/5b0f5e5e-0000-4000-8000-000000000000')).status).toBe(404);
    const health = await fetch(`${sys.apiUrl}/readyz`);
    expect(await health.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok', kafka: 'ok' } });
    const doc = (await (await fetch(`${sys.apiUrl}/api/docs`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/tasks/{id}/complete');
    const page = await fetch(`${sys.apiUrl}/api/docs`, { headers: { accept: 'text/html' } });
    // Swagger UI starts from a script file: the Content-Security-Policy runs no inline script.
    expect(await page.text()).toContain('<script src="/api/docs-init.js"></script>');
    expect(await (await fetch(`${sys.apiUrl}/api/docs-init.js`)).text()).toContain('SwaggerUIBundle');
    expect((await fetch(`${sys.apiUrl}/api/docs-assets/swagger-ui-bundle.js`)).status).toBe(200);
    const metrics = await (await fetch(`${sys.apiUrl}/metrics`)).text();
    expect(metrics).toMatch(/tandem_api_requests_total\{method="GET",route="\/api\/v1\/tasks\/\{id\}",status="404"\} \d+/);
    expect(metrics).toContain('tandem_api_process_cpu_seconds_total');
  });

  it('refuses an outcome the task type does not allow, and leaves the task open', async () => {
    const patientId = newPatientId();
    await produce(patientId, JSON.stringify(advancedDiagnosis(patientId)));
    const [task] = await waitFor(async () => {
      const items = await tasksOf(patientId);
      return items.length > 0 && items;
    });
    const r = await api(`/api/v1/tasks/${String(task!.id)}/complete`, { method: 'POST', body: JSON.stringify({ outcome: 'agreed' }) });
    expect(r.status).toBe(409);
    expect(r.body.message).toBe('outcome must be one of: assigned');
    expect((await api(`/api/v1/tasks/${String(task!.id)}`)).body).toMatchObject({ status: 'open' });
  });

  it('stores each accepted event once and relays its notifications to care-notifications with stable ids', async () => {
    const reader = await collectTopic(sys.kafka, sys.topics.notifications, `${sys.groupId}-notifications-reader`);
    const received = reader.messages;
    try {
      const patientId = newPatientId();
      const event = JSON.stringify(advancedDiagnosis(patientId));
      await produce(patientId, event);
      await produce(patientId, event);
      const mine = await waitFor(
        () => {
          const m = received.filter((r) => r.key?.toString() === patientId);
          return m.length >= 2 && m;
        },
        { what: 'the enrolment notifications on care-notifications' },
      );
      const values = mine.map((m) => JSON.parse(m.value!.toString()) as { id: string; kind: string; patientId: string; reason: { rule: string } });
      expect(values.map((v) => v.kind).sort()).toEqual(['gp-update', 'prom-request']);
      for (const [i, m] of mine.entries()) {
        expect(m.headers?.id?.toString()).toBe(values[i]!.id);
        expect(values[i]).toMatchObject({ patientId, reason: { rule: expect.stringMatching(/^2\.1\.enrolment\./) } });
      }
      const stored = await sys.pool.query('SELECT count(*)::int AS n FROM clinical_event WHERE id = $1', [(JSON.parse(event) as { id: string }).id]);
      expect(stored.rows[0]).toEqual({ n: 1 });
    } finally {
      await reader.stop();
    }
  });
});
