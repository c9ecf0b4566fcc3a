import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';

/** gRPC's NOT_FOUND status code. */
const GRPC_NOT_FOUND = 5;
import { NativeConnection, Worker } from '@temporalio/worker';
import { DLQ_HEADERS, headerOf } from '@tandem/kafka';
import { pathwayStateQuery, pathwayWorkflowId } from '@tandem/workflows/contract';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import type { RunningTandem } from '../src/system';
import { collectTopic } from '../src/probes';
import { startTandem } from '../src/system';

/**
 * docs/clinical-rules.md 2.10a on the real services (Kafka in, tasks and the outbox in PostgreSQL, the pathway
 * view over HTTP): a withdrawal known before the diagnosis enrols nobody; a pathway whose duties are
 * over ends its workflow (ADR 0017), and a later event opens nothing and contacts nobody unless it is
 * a re-enrolment, which starts a run from where the pathway ended.
 */
let sys: RunningTandem;
let token: string;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  token = await sys.token(['admin'], 'lifetime-admin');
});
afterAll(async () => {
  await sys?.stop();
});

const send = (patientId: string, ...events: object[]) =>
  sys.producer.send({ topic: sys.topics.in, messages: events.map((e) => ({ key: patientId, value: JSON.stringify(e) })) });
const api = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${sys.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const pathway = (patientId: string) => api(`/api/v1/patients/${patientId}/pathway`);
const count = async (sql: string, patientId: string) => (await sys.pool.query<{ n: number }>(sql, [patientId])).rows[0]!.n;
const tasks = (p: string) => count('SELECT count(*)::int AS n FROM task WHERE patient_id = $1', p);
const notifications = (p: string) => count(`SELECT count(*)::int AS n FROM outbox WHERE patient_id = $1 AND topic = 'care-notifications'`, p);
/** The pathway's end as PostgreSQL keeps it (ADR 0017), with the size of its de-duplication window. */
const ending = async (p: string) =>
  (
    await sys.pool.query<{ reason: string; run_id: string; seen: number }>(
      `SELECT reason, run_id, jsonb_array_length(carried->'seenEvents')::int AS seen FROM pathway_end WHERE patient_id = $1`,
      [p],
    )
  ).rows[0];
/** Events the pathway has seen: a late event has been handled once the query counts it. */
const eventsSeen = async (p: string) => (await sys.temporal.workflow.getHandle(pathwayWorkflowId(p)).query(pathwayStateQuery)).eventsSeen;

describe('pathway lifetime', () => {
  it('a withdrawal that arrives before the diagnosis: nobody is enrolled or contacted, and the pathway says why', async () => {
    const p = newPatientId('life');
    await send(p, clinicalEvent('consent.changed', p, { scope: 'pathway', decision: 'withdrawn' }), advancedDiagnosis(p));
    const view = await waitFor(async () => ((await pathway(p)).body.stage === 'closed' ? (await pathway(p)).body : undefined), {
      what: 'the pathway closed',
      timeoutMs: 30_000,
    });
    expect(view.closure).toMatchObject({ reason: 'withdrawn' });
    await waitFor(async () => (await eventsSeen(p)) === 2, { what: 'both events handled', timeoutMs: 30_000 });
    expect(await tasks(p)).toBe(0);
    expect(await notifications(p)).toBe(0);
  }, 90_000);

  it('after bereavement closes the pathway, its workflow ends; later events start no run, open nothing and contact nobody, and are kept and shown', async () => {
    const p = newPatientId('life');
    await send(p, advancedDiagnosis(p), clinicalEvent('patient.died', p, { placeOfDeath: 'home' }));
    const contact = await waitFor(
      async () =>
        (await sys.pool.query<{ id: string }>(`SELECT id FROM task WHERE patient_id = $1 AND type = 'bereavement-contact' AND status = 'open'`, [p])).rows[0],
      { what: 'the bereavement contact', timeoutMs: 30_000 },
    );
    await api(`/api/v1/tasks/${contact.id}/claim`, { method: 'POST' });
    const done = await api(`/api/v1/tasks/${contact.id}/complete`, { method: 'POST', body: JSON.stringify({ outcome: 'done' }) });
    expect(done.status).toBe(200);
    // Its duties over (no caregiver to follow up), the pathway closes and its workflow completes (ADR 0017).
    const ended = await waitFor(async () => (await ending(p)) ?? undefined, { what: 'the pathway’s end recorded', timeoutMs: 30_000 });
    expect(ended.reason).toBe('bereavement-complete');
    const handle = sys.temporal.workflow.getHandle(pathwayWorkflowId(p));
    await handle.result();
    const runId = (await handle.describe()).runId;
    expect(ended.run_id).toBe(runId);
    expect((await pathway(p)).body).toMatchObject({ stage: 'closed', closure: { reason: 'bereavement-complete' }, openTasks: [] });
    const [tasksAtClosure, notificationsAtClosure] = [await tasks(p), await notifications(p)];

    await send(p, advancedDiagnosis(p), clinicalEvent('prom.submitted', p, { instrument: 'ESAS-r', responseId: 'late', scores: { pain: 9 } }));
    // Both judged on the state it ended with: remembered there (the window holds them), no run started.
    await waitFor(async () => ((await ending(p))?.seen ?? 0) === ended.seen + 2, { what: 'the late events remembered', timeoutMs: 30_000 });
    const after = await handle.describe();
    expect(after.runId).toBe(runId);
    expect(after.status.name).toBe('COMPLETED');
    const view = (await pathway(p)).body;
    expect(view).toMatchObject({ stage: 'closed', closure: { reason: 'bereavement-complete' }, openTasks: [] });
    // Kept and shown: both late events are on the patient's timeline.
    expect(JSON.stringify(view.timeline)).toContain('prom.submitted');
    expect(await tasks(p)).toBe(tasksAtClosure);
    expect(await notifications(p)).toBe(notificationsAtClosure);
  }, 120_000);

  it('a withdrawn pathway ends; consent granted again starts a run from where it ended, which re-enrols the patient', async () => {
    const p = newPatientId('life');
    await send(p, advancedDiagnosis(p));
    await waitFor(async () => ((await tasks(p)) >= 4 ? true : undefined), { what: 'the enrolment tasks', timeoutMs: 30_000 });
    await send(p, clinicalEvent('consent.changed', p, { scope: 'pathway', decision: 'withdrawn' }));
    const ended = await waitFor(async () => (await ending(p)) ?? undefined, { what: 'the pathway’s end recorded', timeoutMs: 30_000 });
    expect(ended.reason).toBe('withdrawn');
    const handle = sys.temporal.workflow.getHandle(pathwayWorkflowId(p));
    await handle.result();
    const openAtEnd = await count(`SELECT count(*)::int AS n FROM task WHERE patient_id = $1 AND status IN ('open', 'claimed')`, p);
    expect(openAtEnd).toBe(0);

    await send(p, clinicalEvent('consent.changed', p, { scope: 'pathway', decision: 'granted' }));
    // The one kind of event that starts an ended pathway again: a new run, from the state it ended with.
    await waitFor(async () => ((await handle.describe()).runId !== ended.run_id ? true : undefined), { what: 'a new run', timeoutMs: 30_000 });
    await waitFor(async () => ((await pathway(p)).body.stage === 'enrolled' ? true : undefined), { what: 'the patient enrolled again', timeoutMs: 30_000 });
    await waitFor(
      async () => ((await count(`SELECT count(*)::int AS n FROM task WHERE patient_id = $1 AND status = 'open'`, p)) > 0 ? true : undefined),
      { what: 'the re-enrolment’s tasks', timeoutMs: 30_000 },
    );
    expect((await handle.describe()).status.name).toBe('RUNNING');
  }, 120_000);

  it('once Temporal no longer holds an ended run (retention), the view comes from PostgreSQL, and a later event starts a run that takes up the end: it opens nothing and ends again', async () => {
    const p = newPatientId('life');
    await send(p, advancedDiagnosis(p));
    await waitFor(async () => ((await tasks(p)) >= 4 ? true : undefined), { what: 'the enrolment tasks', timeoutMs: 30_000 });
    await send(p, clinicalEvent('consent.changed', p, { scope: 'pathway', decision: 'withdrawn' }));
    const ended = await waitFor(async () => (await ending(p)) ?? undefined, { what: 'the pathway’s end recorded', timeoutMs: 30_000 });
    const handle = sys.temporal.workflow.getHandle(pathwayWorkflowId(p));
    await handle.result();
    // What the namespace's retention does to a closed run, done now.
    await sys.temporal.workflowService.deleteWorkflowExecution({
      namespace: sys.config.temporal.namespace,
      workflowExecution: { workflowId: pathwayWorkflowId(p), runId: ended.run_id },
    });
    // Temporal deletes in the background (a task of its history service): on a busy machine that has
    // taken more than 30 s (CI). Gone is "not found", however the client words it.
    const gone = (e: unknown) => e instanceof WorkflowNotFoundError || (isGrpcServiceError(e) && Number(e.code) === GRPC_NOT_FOUND);
    await waitFor(async () => (await handle.describe().then(() => undefined, (e: unknown) => (gone(e) ? true : undefined))), {
      what: 'the run gone from Temporal',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    expect((await pathway(p)).body).toMatchObject({ stage: 'closed', closure: { reason: 'withdrawn' }, openTasks: [] });
    const tasksAtEnd = await tasks(p);

    // A questionnaire answered after the withdrawal: Temporal starts a run (it no longer knows the old one), which takes up the end first.
    await send(p, clinicalEvent('prom.submitted', p, { instrument: 'ESAS-r', responseId: 'after-retention', scores: { pain: 9 } }));
    const again = await waitFor(async () => {
      const e = await ending(p);
      return e && e.run_id !== ended.run_id ? e : undefined;
    }, { what: 'a run that took up the end and ended again', timeoutMs: 30_000 });
    expect(again.reason).toBe('withdrawn');
    expect(again.seen).toBe(ended.seen + 1);
    await handle.result();
    expect(await tasks(p)).toBe(tasksAtEnd);
    expect((await pathway(p)).body).toMatchObject({ stage: 'closed', closure: { reason: 'withdrawn' }, openTasks: [] });
    // Waits: 30 s + 30 s + 120 s + 30 s, with the results and reads between them.
  }, 270_000);

  it('an event for a pathway that completed before revision 4 is parked as pathway-closed, not a fresh enrolment', async () => {
    const p = newPatientId('legacy');
    const queue = `legacy-${p}`;
    const worker = await Worker.create({
      connection: await NativeConnection.connect({ address: sys.config.temporal.address }),
      taskQueue: queue,
      workflowsPath: require.resolve('../src/fixtures/legacy-closed-pathway.ts'),
    });
    await worker.runUntil(async () => {
      await (await sys.temporal.workflow.start('patientPathway', { workflowId: pathwayWorkflowId(p), taskQueue: queue })).result();
    });
    const dlq = await collectTopic(sys.kafka, sys.topics.dlq, `${sys.groupId}-legacy-${p}`);
    try {
      await send(p, advancedDiagnosis(p));
      const parked = await waitFor(() => dlq.messages.find((m) => m.key?.toString() === p), { what: 'the event parked', timeoutMs: 60_000 });
      expect(headerOf(parked, DLQ_HEADERS.error)).toBe('pathway-closed');
      expect(await count('SELECT count(*)::int AS n FROM clinical_event WHERE patient_id = $1', p)).toBe(1); // kept in the event log
      expect(await tasks(p)).toBe(0);
      expect((await sys.temporal.workflow.getHandle(pathwayWorkflowId(p)).describe()).status.name).toBe('COMPLETED');
    } finally {
      await dlq.stop();
    }
  }, 120_000);
});
