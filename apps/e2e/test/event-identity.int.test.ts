import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_REFERENCE_LENGTH } from '@tandem/domain';
import { DLQ_HEADERS, headerOf as header } from '@tandem/kafka';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import { pathwayStateQuery, pathwayWorkflowId } from '@tandem/workflows/contract';
import { collectTopic } from '../src/probes';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * Issue 26 on the real services — finding 2: an event is (source, id); finding 3: bounded strings,
 * a pathway that keeps answering; finding 13: text PostgreSQL cannot store is refused at once.
 */
let sys: RunningTandem;
let dlq: Awaited<ReturnType<typeof collectTopic>>;
let admin: string;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  dlq = await collectTopic(sys.kafka, sys.topics.dlq, `${sys.groupId}-dlq-reader`);
  admin = await sys.token(['admin']);
});

afterAll(async () => {
  await dlq?.stop();
  await sys?.stop();
});

const produce = (e: { subject: string }) => sys.producer.send({ topic: sys.topics.in, messages: [{ key: e.subject, value: JSON.stringify(e) }] });
const post = (body: unknown) =>
  fetch(`${sys.apiUrl}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const count = async (sql: string, params: unknown[]) => (await sys.pool.query<{ n: number }>(sql, params)).rows[0]!.n;
const parkedFor = (patientId: string, reason: string) => dlq.messages.filter((m) => m.key?.toString() === patientId && header(m, DLQ_HEADERS.error) === reason);
const metric = async (name: string, labels = '') => {
  const text = await sys.bridge.metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
};
const openTasks = async (patientId: string) =>
  (await sys.pool.query<{ type: string; subject: string; source_event_id: string | null; source_event_source: string | null; reason_evidence: Record<string, unknown> }>(
    `SELECT type, subject, source_event_id, source_event_source, reason_evidence FROM task WHERE patient_id = $1 AND status IN ('open', 'claimed') ORDER BY created_at`,
    [patientId],
  )).rows;

describe('an event is (source, id) (finding 2)', () => {
  it('an event posted through the API does not make a later Kafka event with its id, from another source and of another type, vanish', async () => {
    const p = newPatientId();
    const viaApi = advancedDiagnosis(p, { source: 'test://api-caller' });
    expect((await post(viaApi)).status).toBe(202);
    await waitFor(async () => (await count('SELECT count(*)::int AS n FROM task WHERE patient_id = $1', [p])) > 0, { what: 'the enrolment', timeoutMs: 30_000 });
    // Another system, another source, the same id: a severe PROM that must open a symptom review.
    const fromKafka = clinicalEvent('prom.submitted', p, { instrument: 'ESAS-r', responseId: 'r-1', scores: { pain: 9 } }, { id: viaApi.id, source: 'test://prom-system' });
    await produce(fromKafka);
    await waitFor(async () => (await openTasks(p)).some((t) => t.type === 'symptom-review'), { what: 'the symptom review the Kafka event opens', timeoutMs: 30_000 });
    expect(await count('SELECT count(*)::int AS n FROM clinical_event WHERE id = $1', [viaApi.id])).toBe(2);
    // The task cites its own event, by both halves of its identity.
    const review = (await openTasks(p)).find((t) => t.type === 'symptom-review')!;
    expect(review).toMatchObject({ source_event_id: viaApi.id, source_event_source: 'test://prom-system' });
    expect(review.reason_evidence.sourceEvent).toEqual({ source: 'test://prom-system', id: viaApi.id });
  }, 60_000);

  it("an event for patient B that reuses the id of A's registration is applied to B, and B's task cites B's event", async () => {
    const [a, b] = [newPatientId(), newPatientId()];
    const registration = clinicalEvent('patient.registered', a, { birthDate: '1950-01-01' }, { source: 'test://hospital-a' });
    await produce(registration);
    await produce(advancedDiagnosis(b, { id: registration.id, source: 'test://hospital-b' }));
    await waitFor(async () => (await openTasks(b)).length > 0, { what: "B's enrolment", timeoutMs: 30_000 });
    for (const t of await openTasks(b)) {
      expect(t).toMatchObject({ source_event_id: registration.id, source_event_source: 'test://hospital-b' });
      expect(t.reason_evidence.sourceEvent).toEqual({ source: 'test://hospital-b', id: registration.id });
    }
    // What the API (and the console's "Rule and evidence") shows of B's tasks names B's event.
    const coordinator = await sys.token(['coordinator']);
    const listed = await fetch(`${sys.apiUrl}/api/v1/tasks?patientId=${b}`, { headers: { authorization: `Bearer ${coordinator}` } });
    expect(listed.status).toBe(200);
    const { items } = (await listed.json()) as { items: Array<{ reason: { evidence: Record<string, unknown> } }> };
    expect(items.length).toBeGreaterThan(0);
    for (const t of items) expect(t.reason.evidence.sourceEvent).toEqual({ source: 'test://hospital-b', id: registration.id });
    const stored = await sys.pool.query<{ patient_id: string; source: string }>('SELECT patient_id, source FROM clinical_event WHERE id = $1 ORDER BY source', [registration.id]);
    expect(stored.rows).toEqual([
      { patient_id: a, source: 'test://hospital-a' },
      { patient_id: b, source: 'test://hospital-b' },
    ]);
  }, 60_000);

  it('the same (source, id) with other content is parked as conflicting-duplicate, visible to operations, never applied; the same content is one effect', async () => {
    const p = newPatientId();
    const other = newPatientId();
    const diagnosis = advancedDiagnosis(p);
    await produce(diagnosis);
    await waitFor(async () => (await openTasks(p)).length > 0, { what: 'the enrolment', timeoutMs: 30_000 });
    const tasksBefore = (await openTasks(p)).length;
    const parkedBefore = await metric('tandem_bridge_events_parked_total', '{reason="conflicting-duplicate"}');
    // A redelivery (same content): one effect. Then the same pair with another type, and with another subject.
    await produce(diagnosis);
    const retyped = { ...clinicalEvent('prom.submitted', p, { instrument: 'ESAS-r', responseId: 'r-9', scores: { pain: 10 } }), id: diagnosis.id, source: diagnosis.source };
    await produce(retyped);
    const elsewhere = { ...advancedDiagnosis(other), id: diagnosis.id, source: diagnosis.source };
    await produce(elsewhere);
    await waitFor(() => parkedFor(p, 'conflicting-duplicate').length === 1 && parkedFor(other, 'conflicting-duplicate').length === 1, {
      what: 'both conflicting duplicates on the DLQ',
      timeoutMs: 30_000,
    });
    expect(await metric('tandem_bridge_events_parked_total', '{reason="conflicting-duplicate"}')).toBe(parkedBefore + 2);
    // Never applied: no symptom review for p, no pathway for the other patient, one row in the log.
    expect((await openTasks(p)).length).toBe(tasksBefore);
    expect((await openTasks(p)).some((t) => t.type === 'symptom-review')).toBe(false);
    expect(await count('SELECT count(*)::int AS n FROM clinical_event WHERE id = $1', [diagnosis.id])).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM task WHERE patient_id = $1', [other])).toBe(0);
    const seen = await sys.temporal.workflow.getHandle(pathwayWorkflowId(p)).query(pathwayStateQuery);
    expect(seen.eventsSeen).toBe(1);
  }, 60_000);
});

describe('bounds at the door (finding 3)', () => {
  it('refuses with 400 a caregiver.registered with a 95,000-character caregiverId and an encounter.discharged with a 95 KB encounterId', async () => {
    const p = newPatientId();
    const caregiver = clinicalEvent('caregiver.registered', p, { caregiverId: 'c'.repeat(95_000), relationship: 'son', consentToShare: true });
    const discharge = clinicalEvent('encounter.discharged', p, { encounterId: 'e'.repeat(95_000), destination: 'home' });
    for (const e of [caregiver, discharge]) {
      const res = await post(e);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { detail?: string; message?: string }) ?? {}).toBeTruthy();
    }
  });

  it('a pathway fed 25 caregivers and 24 discharges with maximal ids keeps answering its query', async () => {
    const p = newPatientId();
    expect((await post(advancedDiagnosis(p))).status).toBe(202);
    const id = (tag: string, i: number) => `${tag}-${i}-`.padEnd(MAX_REFERENCE_LENGTH, 'x');
    for (let i = 0; i < 25; i++)
      expect((await post(clinicalEvent('caregiver.registered', p, { caregiverId: id('cg', i), relationship: 'r'.repeat(64), consentToShare: true }))).status).toBe(202);
    for (let i = 0; i < 24; i++) expect((await post(clinicalEvent('encounter.discharged', p, { encounterId: id('enc', i), destination: 'home' }))).status).toBe(202);
    // Every event reached the pathway: taken (in its de-duplication window) or, past a bound, parked with its reason (revision 7).
    const handle = sys.temporal.workflow.getHandle(pathwayWorkflowId(p));
    await waitFor(async () => (await handle.query(pathwayStateQuery)).eventsSeen + parkedFor(p, 'pathway-limit').length === 50, {
      what: 'every event taken or parked',
      timeoutMs: 60_000,
    });
    const token = await sys.token(['coordinator']);
    const res = await fetch(`${sys.apiUrl}/api/v1/patients/${p}/pathway`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const pathway = (await res.json()) as { caregivers: unknown[] };
    expect(pathway.caregivers.length).toBe(20);
    expect(parkedFor(p, 'pathway-limit').length).toBeGreaterThanOrEqual(5);
  }, 120_000);
});

describe('text PostgreSQL cannot store (finding 13)', () => {
  it('is a 400 at the API door at once: a NUL character, a lone surrogate', async () => {
    const p = newPatientId();
    for (const stage of ['IV\u0000', 'IV\uD800']) {
      const res = await post(advancedDiagnosis(p, {}));
      expect(res.status).toBe(202);
      const bad = await fetch(`${sys.apiUrl}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        // JSON.stringify writes a lone surrogate as an escape, as a careless client would send it.
        body: JSON.stringify(clinicalEvent('diagnosis.recorded', p, { cancerType: 'C34.9', stage, advanced: true, diagnosedAt: '2026-11-01' })),
      });
      expect(bad.status).toBe(400);
    }
  });

  it('from Kafka is parked at once as invalid-data, without a retry', async () => {
    const p = newPatientId();
    const retriedBefore = await metric('tandem_bridge_retries_total', '{kind="permanent"}');
    await produce(clinicalEvent('diagnosis.recorded', p, { cancerType: 'C34.9', stage: 'IV\u0000', advanced: true, diagnosedAt: '2026-11-01' }));
    await produce(clinicalEvent('caregiver.registered', p, { caregiverId: 'c\uDC00', relationship: 'son', consentToShare: true }));
    const parked = await waitFor(() => parkedFor(p, 'invalid-data').length === 2 && parkedFor(p, 'invalid-data'), { what: 'both records parked', timeoutMs: 15_000 });
    for (const m of parked) expect(header(m, DLQ_HEADERS.detail)).toContain('NUL character or a lone surrogate');
    expect(await metric('tandem_bridge_retries_total', '{kind="permanent"}')).toBe(retriedBefore);
    expect(await count('SELECT count(*)::int AS n FROM clinical_event WHERE patient_id = $1', [p])).toBe(0);
  }, 30_000);
});
