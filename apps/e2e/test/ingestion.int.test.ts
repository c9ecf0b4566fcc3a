import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DLQ_HEADERS, headerOf as header, MAX_RECORD_BYTES } from '@tandem/kafka';
import { createBridge } from '@tandem/kafka-bridge/bridge';
import { replayDlq } from '@tandem/kafka-bridge/dlq-replay';
import { loadPathwayPolicy } from '@tandem/config/policy';
import { createLogger } from '@tandem/config';
import { createTemporalClient } from '@tandem/temporal';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor, databaseEnv } from '@tandem/testing';
import { pathwayStateQuery, pathwayWorkflowId } from '@tandem/workflows/contract';
import { expectedOpenTasks } from '../src/expected';
import { collectTopic, groupCaughtUp } from '../src/probes';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/** Issue 5 on the real services: bad input, replay, duplicates, a consumer-group reset, out-of-order events. */
const ROOT = resolve(__dirname, '..', '..', '..');
let sys: RunningTandem;
let dlq: Awaited<ReturnType<typeof collectTopic>>;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  dlq = await collectTopic(sys.kafka, sys.topics.dlq, `${sys.groupId}-dlq-reader`);
});

afterAll(async () => {
  await dlq?.stop();
  await sys?.stop();
});

const produce = (key: string | null, value: string | Buffer) => sys.producer.send({ topic: sys.topics.in, messages: [{ key, value }] });
const produceEvent = (e: { subject: string }) => produce(e.subject, JSON.stringify(e));

/** Open tasks in PostgreSQL for a patient as sorted "type/subject" keys (duplicates would show twice). */
async function openTaskKeys(patientId: string): Promise<string[]> {
  const r = await sys.pool.query<{ k: string }>(
    `SELECT type || '/' || subject AS k FROM task WHERE patient_id = $1 AND status IN ('open', 'claimed') ORDER BY 1`,
    [patientId],
  );
  return r.rows.map((x) => x.k);
}

const count = async (sql: string, params: unknown[]) => (await sys.pool.query<{ n: number }>(sql, params)).rows[0]!.n;
const eventsSeen = async (patientId: string) => (await sys.temporal.workflow.getHandle(pathwayWorkflowId(patientId)).query(pathwayStateQuery)).eventsSeen;
const metric = async (name: string, labels = '') => {
  const text = await sys.bridge.metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
};

describe('ingestion', () => {
  it('parks every kind of bad record with its reason while valid records on the same partition keep flowing', async () => {
    const p = newPatientId();
    const valid = [
      clinicalEvent('patient.registered', p, { birthDate: '1950-01-01' }),
      advancedDiagnosis(p),
      clinicalEvent('prom.submitted', p, { instrument: 'ESAS-r', responseId: 'r-1', scores: { pain: 9 } }),
    ];
    const oversized = JSON.stringify(clinicalEvent('sact.administered', p, { regimen: 'x'.repeat(MAX_RECORD_BYTES) }));
    // All keyed by the patient, so all on one partition, bad records between the good ones.
    await produceEvent(valid[0]!);
    await produce(p, '{"specversion": "1.0", not json');
    await produce(p, JSON.stringify({ hello: 'world' }));
    await produceEvent(valid[1]!);
    await produce(p, JSON.stringify(clinicalEvent('patient.sneezed', p, {})));
    await produce(p, JSON.stringify(clinicalEvent('performance.recorded', p, { ecog: 7 })));
    await produce(p, oversized);
    await produce(p, JSON.stringify(clinicalEvent('patient.dying', newPatientId(), {})));
    await produceEvent(valid[2]!);

    const expected = expectedOpenTasks(p, valid, loadPathwayPolicy(sys.config));
    expect(expected).toContain('symptom-review/symptom-review');
    await waitFor(async () => JSON.stringify(await openTaskKeys(p)) === JSON.stringify(expected), { what: 'the tasks of the valid events', timeoutMs: 30_000 });

    // Bad records are parked as they are met, each on its own, so the DLQ's order is not the input's.
    const parked = await waitFor(
      () => {
        const mine = dlq.messages.filter((m) => m.key?.toString() === p);
        return mine.length === 6 && mine.sort((x, y) => Number(header(x, DLQ_HEADERS.originalOffset)) - Number(header(y, DLQ_HEADERS.originalOffset)));
      },
      { what: 'six parked records' },
    );
    expect(parked.map((m) => header(m, DLQ_HEADERS.error))).toEqual([
      'invalid-json',
      'invalid-envelope',
      'unknown-type',
      'invalid-data',
      'too-large',
      'key-mismatch',
    ]);
    for (const m of parked) {
      expect(header(m, DLQ_HEADERS.originalTopic)).toBe(sys.topics.in);
      expect(header(m, DLQ_HEADERS.originalOffset)).toMatch(/^\d+$/);
      expect(header(m, DLQ_HEADERS.detail)).not.toContain(p); // reasons, never the record's contents
    }
    expect(parked[4]!.value!.length).toBe(Buffer.byteLength(oversized)); // the original bytes, whole
    expect(await count('SELECT count(*)::int AS n FROM clinical_event WHERE patient_id = $1', [p])).toBe(3);
    expect(await metric('tandem_bridge_events_parked_total', '{reason="too-large"}')).toBeGreaterThanOrEqual(1);
  });

  it('re-submits records parked by a failure once it is fixed, each once, however often the replay runs', async () => {
    // The "failure": a bridge whose Temporal namespace does not exist, so every signal is refused.
    await sys.bridge.stop();
    const broken = await createTemporalClient({ ...sys.config, temporal: { ...sys.config.temporal, namespace: 'tandem-no-such-namespace' } });
    const brokenBridge = createBridge({
      kafka: sys.kafka,
      temporal: broken.client,
      taskQueue: sys.config.temporal.taskQueue,
      policy: loadPathwayPolicy(sys.config),
      log: createLogger('test', 'error'),
      pool: sys.pool,
      topics: { in: sys.topics.in, dlq: sys.topics.dlq },
      groupId: sys.groupId,
      maxAttempts: 1,
      sessionTimeoutMs: 6_000,
    });
    const patients = [newPatientId(), newPatientId(), newPatientId()];
    try {
      await brokenBridge.start();
      for (const p of patients) await produceEvent(advancedDiagnosis(p));
      await waitFor(() => patients.every((p) => dlq.messages.some((m) => m.key?.toString() === p && header(m, DLQ_HEADERS.error) === 'processing-failed')), {
        what: 'the refused events on the DLQ',
        timeoutMs: 30_000,
      });
    } finally {
      await brokenBridge.stop();
      await broken.close();
    }
    // The fix: the bridge is back on the right namespace. Then the operator replays, twice.
    await sys.bridge.start();
    const topics = { in: sys.topics.in, dlq: sys.topics.dlq };
    const first = await replayDlq({ kafka: sys.kafka, pool: sys.pool, topics });
    const second = await replayDlq({ kafka: sys.kafka, pool: sys.pool, topics });
    expect(first.replayed).toBe(3);
    expect(second).toMatchObject({ replayed: 0, alreadyReplayed: 3 });
    expect(second.stillInvalid).toEqual(first.stillInvalid); // the bad records of the first test stay parked
    expect(first.stillInvalid['key-mismatch']).toBe(1);
    // The operator's command, as run from a shell, says the same.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'apps/kafka-bridge/src/cli/dlq-replay.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...databaseEnv(inject('databaseUrl')), TANDEM_TOPIC_SUFFIX: sys.config.kafka.topicSuffix, LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(`re-submitted to ${sys.topics.in}: 0`);
    expect(cli.stdout).toContain('already re-submitted by an earlier replay: 3');
    expect(cli.stdout).toMatch(/still invalid, left parked: .*1 key-mismatch/);

    for (const p of patients) {
      await waitFor(async () => (await openTaskKeys(p)).includes('assign-key-worker/assign-key-worker'), { what: 'the replayed diagnosis to open its tasks' });
      expect(await count(`SELECT count(*)::int AS n FROM task WHERE patient_id = $1 AND type = 'assign-key-worker'`, [p])).toBe(1);
      expect(await count('SELECT count(*)::int AS n FROM clinical_event WHERE patient_id = $1', [p])).toBe(1);
    }
  });

  it('opens no new task on duplicate delivery, nor when the consumer group is reset to offset 0', async () => {
    const [a, b] = [newPatientId(), newPatientId()];
    const aDiagnosis = JSON.stringify(advancedDiagnosis(a));
    await produce(a, aDiagnosis);
    await produceEvent(clinicalEvent('prom.submitted', a, { instrument: 'ESAS-r', responseId: 'r-1', scores: { pain: 9 } }));
    await produce(a, aDiagnosis); // the same event id again
    await produceEvent(advancedDiagnosis(b));
    await produce(a, aDiagnosis);
    await waitFor(async () => (await openTaskKeys(a)).includes('symptom-review/symptom-review') && (await openTaskKeys(b)).length > 0, {
      what: 'the first deliveries to open their tasks',
    });
    await waitFor(() => groupCaughtUp(sys.kafka, sys.groupId, sys.topics.in), { what: 'the bridge to consume every copy' });
    const before = { a: await openTaskKeys(a), b: await openTaskKeys(b), seenA: await eventsSeen(a), seenB: await eventsSeen(b) };
    expect(before.seenA).toBe(2); // three copies of the diagnosis, one PROM
    const acceptedBefore = await metric('tandem_bridge_events_accepted_total');

    // Reset the bridge's consumer group to the very beginning: everything is delivered again.
    await sys.bridge.stop();
    const admin = sys.kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: sys.groupId, topic: sys.topics.in, earliest: true });
    await admin.disconnect();
    await sys.bridge.start();
    // A new event behind the redelivered ones on each patient's partition: once the pathway has seen
    // it, it has been handed every older record first.
    await produceEvent(clinicalEvent('sact.administered', a, {}));
    await produceEvent(clinicalEvent('sact.administered', b, {}));
    await waitFor(async () => (await eventsSeen(a)) === before.seenA + 1 && (await eventsSeen(b)) === before.seenB + 1, {
      what: 'the redelivery and the new events',
      timeoutMs: 30_000,
    });
    await waitFor(() => groupCaughtUp(sys.kafka, sys.groupId, sys.topics.in), { what: 'the bridge to catch up again' });

    expect(await metric('tandem_bridge_events_accepted_total')).toBeGreaterThan(acceptedBefore + 5); // the old records really came again
    expect(await openTaskKeys(a)).toEqual(before.a);
    expect(await openTaskKeys(b)).toEqual(before.b);
    expect(await count(`SELECT count(*)::int AS n FROM task WHERE patient_id = ANY($1)`, [[a, b]])).toBe(before.a.length + before.b.length);
    expect(await count('SELECT count(*)::int AS n FROM clinical_event WHERE patient_id = ANY($1)', [[a, b]])).toBe(5);
  });

  it('gives a patient whose events arrive out of clinical order the same tasks as one whose events arrive in order', async () => {
    const [inOrder, shuffled] = [newPatientId(), newPatientId()];
    const t = (h: number) => new Date(Date.now() - (10 - h) * 3_600_000).toISOString();
    const journey = (p: string) => [
      clinicalEvent('patient.registered', p, { birthDate: '1950-01-01', livesAlone: true }, { time: t(0) }),
      advancedDiagnosis(p, { time: t(1) }),
      clinicalEvent('performance.recorded', p, { ecog: 3 }, { time: t(2) }),
      clinicalEvent('prom.submitted', p, { instrument: 'ESAS-r', responseId: 'r-1', scores: { pain: 8, anxiety: 3 } }, { time: t(3) }),
      clinicalEvent('prognosis.estimated', p, { months: 5 }, { time: t(4) }),
      clinicalEvent('clinical.flag', p, { flag: 'existential-crisis' }, { time: t(5) }),
    ];
    const a = journey(inOrder);
    const b = journey(shuffled);
    for (const e of a) await produceEvent(e);
    for (const i of [3, 5, 1, 0, 4, 2]) await produceEvent(b[i]!);

    const expected = expectedOpenTasks(inOrder, a, loadPathwayPolicy(sys.config));
    expect(expected.length).toBeGreaterThanOrEqual(7);
    await waitFor(async () => (await eventsSeen(inOrder)) === 6 && (await eventsSeen(shuffled)) === 6, { what: 'both journeys delivered', timeoutMs: 30_000 });
    await waitFor(async () => JSON.stringify(await openTaskKeys(inOrder)) === JSON.stringify(expected), { what: 'the in-order tasks' });
    await waitFor(async () => JSON.stringify(await openTaskKeys(shuffled)) === JSON.stringify(expected), { what: 'the out-of-order tasks' });
    const rules = async (p: string) =>
      (await sys.pool.query<{ r: string }>(`SELECT type || ' ' || priority || ' ' || reason_rule AS r FROM task WHERE patient_id = $1 ORDER BY 1`, [p])).rows;
    expect(await rules(shuffled)).toEqual(await rules(inOrder));
  });

  it('reports consumer lag per partition, the outbox backlog and the bridge counters on /metrics', async () => {
    await waitFor(() => groupCaughtUp(sys.kafka, sys.groupId, sys.topics.in), { what: 'the bridge to catch up' });
    const api = await (await fetch(`${sys.apiUrl}/metrics`)).text();
    for (const partition of [0, 1, 2]) expect(api).toContain(`tandem_kafka_consumer_lag{topic="${sys.topics.in}",partition="${partition}"} 0`);
    expect(api).toMatch(/^tandem_outbox_backlog \d+$/m);
    expect(api).toMatch(/^tandem_outbox_oldest_seconds [\d.e+-]+$/m);
    expect(await metric('tandem_bridge_events_consumed_total')).toBeGreaterThan(20);
    expect(await metric('tandem_bridge_events_parked_total', '{reason="processing-failed"}')).toBe(0); // the broken bridge had its own counters
    expect(await metric('tandem_event_to_task_seconds_count')).toBeGreaterThan(0);
  });
});
