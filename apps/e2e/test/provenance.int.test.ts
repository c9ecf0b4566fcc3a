import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DLQ_HEADERS, headerOf as header } from '@tandem/kafka';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import { collectTopic } from '../src/probes';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * Issue 26, finding 1 on the real services: who may assert which fact (docs/security.md),
 * every stored event names who brought it, and a clinical time that cannot be true is refused at
 * the API and parked (never lost) from Kafka.
 */
let sys: RunningTandem;
let dlq: Awaited<ReturnType<typeof collectTopic>>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  dlq = await collectTopic(sys.kafka, sys.topics.dlq, `${sys.groupId}-provenance-dlq`);
  tokens.onc = await sys.token(['clinician'], 'dr-onc');
  tokens.ehr = await sys.token(['integration'], 'svc-ehr');
}, 60_000);

afterAll(async () => {
  await dlq?.stop();
  await sys?.stop();
});

async function post(token: string, event: unknown) {
  const res = await fetch(`${sys.apiUrl}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface StoredEvent {
  id: string;
  type: string;
  source: string;
  brought_via: string | null;
  brought_by: string | null;
  brought_by_roles: string[] | null;
  kafka_topic: string | null;
  kafka_partition: number | null;
  kafka_offset: string | null;
}
const stored = async (patientId: string) =>
  (
    await sys.pool.query<StoredEvent>(
      `SELECT id, type, source, brought_via, brought_by, brought_by_roles, kafka_topic, kafka_partition, kafka_offset::text
         FROM clinical_event WHERE patient_id = $1 ORDER BY received_at, kafka_offset, id`,
      [patientId],
    )
  ).rows;
const storedOne = (patientId: string, id: string) =>
  waitFor(async () => (await stored(patientId)).find((e) => e.id === id), { what: `event ${id} in the event log`, timeoutMs: 30_000 });
const parkedAs = (patientId: string, id: string) =>
  waitFor(() => dlq.messages.find((m) => m.key?.toString() === patientId && JSON.parse(m.value?.toString() ?? '{}').id === id), {
    what: `event ${id} on the DLQ`,
    timeoutMs: 30_000,
  });

/** A registered, enrolled patient (over Kafka, as the hospital's systems send them). */
async function enrolled(birthDate = '1950-01-01'): Promise<string> {
  const p = newPatientId('prov');
  const registration = clinicalEvent('patient.registered', p, { birthDate });
  const diagnosis = advancedDiagnosis(p);
  await sys.producer.send({ topic: sys.topics.in, messages: [registration, diagnosis].map((e) => ({ key: p, value: JSON.stringify(e) })) });
  await storedOne(p, diagnosis.id);
  return p;
}

describe('who may assert which event (finding 1)', () => {
  it('a clinician posting patient.died gets 403 naming the type; nothing is stored and the pathway does not move to bereavement', async () => {
    const p = await enrolled();
    const died = clinicalEvent('patient.died', p, { placeOfDeath: 'home' });
    const refused = await post(tokens.onc!, died);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'forbidden' });
    expect(String(refused.body.message)).toContain('patient.died');
    expect(String(refused.body.message)).toContain('may not assert');
    // A later event the clinician may assert, through the same door: once it is stored and applied, the death would have been too.
    const marker = clinicalEvent('performance.recorded', p, { ecog: 2 });
    expect((await post(tokens.onc!, marker)).status).toBe(202);
    await storedOne(p, marker.id);
    expect((await stored(p)).map((e) => e.type)).not.toContain('patient.died');
    const view = await waitFor(
      async () => {
        const res = await fetch(`${sys.apiUrl}/api/v1/patients/${p}/pathway`, { headers: { authorization: `Bearer ${tokens.onc!}` } });
        const body = (await res.json()) as { stage: string; timeline: Array<{ code: string }> };
        return res.status === 200 && body.timeline.some((e) => e.code === 'performance.recorded') && body;
      },
      { what: 'the pathway with the marker', timeoutMs: 30_000 },
    );
    expect(view.stage).not.toBe('bereavement');
    expect(view.timeline.map((e) => e.code)).not.toContain('patient.died');
  }, 90_000);

  it('an integration token may post patient.died: stored with its principal, roles, its own source and where the bridge read it; shown on the timeline and in the audit', async () => {
    const p = await enrolled();
    const died = clinicalEvent('patient.died', p, { placeOfDeath: 'hospice' }, { source: 'urn:hl7:adt-feed' });
    const accepted = await post(tokens.ehr!, died);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ id: died.id, source: 'tandem/api/svc-ehr', status: 'queued' });
    const row = await storedOne(p, died.id);
    expect(row).toMatchObject({ source: 'tandem/api/svc-ehr', brought_via: 'api', brought_by: 'svc-ehr', brought_by_roles: ['integration'], kafka_topic: sys.topics.in });
    expect(row.kafka_partition).toBeGreaterThanOrEqual(0);
    expect(row.kafka_offset).toMatch(/^\d+$/);

    const admin = await sys.token(['admin'], 'prov-admin');
    const view = await waitFor(
      async () => {
        const res = await fetch(`${sys.apiUrl}/api/v1/patients/${p}/pathway`, { headers: { authorization: `Bearer ${admin}` } });
        const body = (await res.json()) as { timeline: Array<{ code: string; broughtBy?: Record<string, unknown> }> };
        return res.status === 200 && body.timeline.find((e) => e.code === 'patient.died');
      },
      { what: 'the death on the timeline', timeoutMs: 30_000 },
    );
    expect(view.broughtBy).toMatchObject({ via: 'api', by: 'svc-ehr', roles: ['integration'], topic: sys.topics.in, offset: row.kafka_offset });
    const audit = await waitFor(
      async () =>
        (
          await sys.pool.query<{ actor: string; roles: string[]; resource: string }>(
            `SELECT actor, roles, resource FROM audit WHERE patient_id = $1 AND action = 'POST /api/v1/events' AND status = 202`,
            [p],
          )
        ).rows[0],
      { what: 'the audit row', timeoutMs: 10_000 },
    );
    expect(audit).toEqual({ actor: 'svc-ehr', roles: ['integration'], resource: `event tandem/api/svc-ehr ${died.id}` });
  }, 90_000);

  it('an event produced to Kafka carries its topic, partition and offset, and names no API author', async () => {
    const p = await enrolled();
    const rows = await stored(p);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ source: 'test://ehr', brought_via: 'kafka', brought_by: null, brought_by_roles: null, kafka_topic: sys.topics.in });
      expect(row.kafka_partition).toBeGreaterThanOrEqual(0);
      expect(row.kafka_offset).toMatch(/^\d+$/);
    }
    expect(Number(rows[1]!.kafka_offset)).toBeGreaterThan(Number(rows[0]!.kafka_offset));
  }, 60_000);
});

describe('clinical time bounds (finding 1)', () => {
  it('a far-future time is 400 at the API and parked as time-in-future from Kafka, never stored', async () => {
    const p = await enrolled();
    const future = { time: '9999-12-31T23:59:59Z' };
    const viaApi = advancedDiagnosis(p, future);
    const refused = await post(tokens.onc!, viaApi);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'time-in-future' });
    const viaKafka = clinicalEvent('patient.registered', p, { birthDate: '1950-01-01', contact: { email: 'someone@example.org' } }, future);
    await sys.producer.send({ topic: sys.topics.in, messages: [{ key: p, value: JSON.stringify(viaKafka) }] });
    const parked = await parkedAs(p, viaKafka.id);
    expect(header(parked, DLQ_HEADERS.error)).toBe('time-in-future');
    expect(header(parked, DLQ_HEADERS.detail)).not.toContain('someone@example.org');
    expect((await stored(p)).map((e) => e.id)).not.toContain(viaKafka.id);
    expect((await stored(p)).map((e) => e.id)).not.toContain(viaApi.id);
  }, 60_000);

  it('a time before the patient’s birth is 400 at the API and parked as time-before-birth from Kafka, never stored', async () => {
    const p = await enrolled('1980-06-15');
    const early = { time: '1975-01-01T09:00:00Z' };
    const viaApi = clinicalEvent('performance.recorded', p, { ecog: 1 }, early);
    const refused = await post(tokens.onc!, viaApi);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'time-before-birth' });
    expect(JSON.stringify(refused.body)).not.toContain('1980');
    const viaKafka = clinicalEvent('disease.progressed', p, { line: 1 }, early);
    // After it, on the same partition: a valid event still flows.
    const after = clinicalEvent('performance.recorded', p, { ecog: 2 });
    await sys.producer.send({ topic: sys.topics.in, messages: [viaKafka, after].map((e) => ({ key: p, value: JSON.stringify(e) })) });
    const parked = await parkedAs(p, viaKafka.id);
    expect(header(parked, DLQ_HEADERS.error)).toBe('time-before-birth');
    await storedOne(p, after.id);
    const ids = (await stored(p)).map((e) => e.id);
    expect(ids).not.toContain(viaKafka.id);
    expect(ids).not.toContain(viaApi.id);
  }, 60_000);
});
