import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '@tandem/api/security';
import { AesGcmPayloadCodec } from '@tandem/temporal';
import { waitFor } from '@tandem/testing';
import { pathwayWorkflowId } from '@tandem/workflows/contract';
import { spawnApi } from '../src/api-process';
import { spawnBridge } from '../src/bridge-process';
import { killTestStream, produceSteadily, storedCount, tasksUnlikeTheEngine } from '../src/kill-stream';
import { collectTopic, groupCaughtUp } from '../src/probes';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';
import { spawnWorker } from '../src/worker-process';

/**
 * More than one box (docs/scaling.md): two kafka-bridge and two worker processes at once — the
 * consumer group splits the partitions, Temporal hands workflow tasks to both workers, one relay
 * leads — and one of each killed with SIGKILL while events flow. Per patient the pathway receives
 * its events in the order produced, each task is opened exactly once, and nothing is lost.
 */
const PATIENTS = 200;
let sys: RunningTandem;
const databaseUrl = inject('databaseUrl');

beforeAll(async () => {
  // Only the API's side in this process: bridges (with their relays) and workers are child processes.
  sys = await startTandem({ databaseUrl, bridge: false, relay: false, worker: false });
});
afterAll(async () => {
  await sys?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Every wait has its own bound; the test's timeout covers them all. */
const READY_MS = 60_000;
const SPLIT_MS = 30_000;
const CATCH_UP_MS = 120_000;
const TASKS_MS = 90_000;
const TEST_TIMEOUT_MS = READY_MS + SPLIT_MS + PATIENTS * 5 * 12 + CATCH_UP_MS + TASKS_MS + 60_000;

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`${what} within ${ms / 1000} s`)))]);

/** The clinical events a pathway received, in the order its history recorded them (decrypted). */
async function signalledOrder(patientId: string, codec: AesGcmPayloadCodec): Promise<string[]> {
  const raw = await sys.temporal.workflowService.getWorkflowExecutionHistory({
    namespace: sys.config.temporal.namespace,
    execution: { workflowId: pathwayWorkflowId(patientId) },
  });
  const ids: string[] = [];
  for (const e of raw.history?.events ?? []) {
    const s = e.workflowExecutionSignaledEventAttributes;
    if (s?.signalName !== 'clinicalEvent') continue;
    const [payload] = await codec.decode(s.input!.payloads!);
    ids.push((JSON.parse(Buffer.from(payload!.data!).toString()) as { id: string }).id);
  }
  return ids;
}

describe('two replicas of the bridge and the worker', () => {
  it(
    `split the work, and lose nothing, double nothing and keep each patient's order when one of each is killed (${PATIENTS * 5} events)`,
    async () => {
      const stream = killTestStream(PATIENTS, 'replica');
      const { patients, journeys, events } = stream;
      const dlq = await collectTopic(sys.kafka, sys.topics.dlq, `${sys.groupId}-dlq`);

      const bridges = [spawnBridge(sys, databaseUrl), spawnBridge(sys, databaseUrl)];
      const workers = [spawnWorker(sys, databaseUrl), spawnWorker(sys, databaseUrl)];
      const admin = sys.kafka.admin();
      await admin.connect();
      try {
        await within(Promise.all([...bridges.map((b) => b.ready), ...workers.map((w) => w.ready)]), READY_MS, 'two bridges and two workers were not ready');
        // The consumer group splits the partitions between the two bridges.
        await waitFor(
          async () => {
            const [group] = (await admin.describeGroups([sys.groupId])).groups;
            return group?.state === 'Stable' && group.members.length === 2;
          },
          { what: 'both bridges in the consumer group, the partitions split', timeoutMs: SPLIT_MS },
        );
        // Temporal has both workers polling the task queue.
        await waitFor(
          async () => {
            const q = await sys.temporal.workflowService.describeTaskQueue({
              namespace: sys.config.temporal.namespace,
              taskQueue: { name: sys.config.temporal.taskQueue },
              taskQueueType: 1, // workflow tasks
            });
            return new Set((q.pollers ?? []).map((p) => p.identity)).size >= 2;
          },
          { what: 'both workers polling the task queue', timeoutMs: SPLIT_MS },
        );

        // Produce steadily, about 100 events a second; a third of the way in, kill one of each.
        const producing = produceSteadily(sys, stream);
        await waitFor(() => producing.produced() >= events.length / 3, { what: 'a third of the events produced', timeoutMs: 30_000, intervalMs: 50 });
        await Promise.all([bridges[0]!.kill(), workers[0]!.kill()]);
        const atKill = await storedCount(sys, stream);
        await producing.done;
        await waitFor(async () => (await storedCount(sys, stream)) === events.length && (await groupCaughtUp(sys.kafka, sys.groupId, sys.topics.in)), {
          what: 'every event taken by the surviving bridge',
          timeoutMs: CATCH_UP_MS,
          intervalMs: 500,
        });
        expect(atKill).toBeLessThan(events.length);

        // Every expected task exactly once, opened by whichever worker ran the step.
        expect((await tasksUnlikeTheEngine(sys, stream, TASKS_MS)).wrong).toEqual([]);

        // Per patient, the pathway received its events in the order they were produced (a redelivered
        // one after a kill is a duplicate the workflow drops: first sightings count).
        const codec = new AesGcmPayloadCodec(sys.config.payload.currentKey, sys.config.payload.decryptionKeys);
        for (const p of patients.slice(0, 40)) {
          const order = [...new Set(await signalledOrder(p, codec))];
          expect(order).toEqual(journeys.get(p)!.map((e) => e.id));
        }

        // The surviving relay published every outbox row; nothing valid was parked.
        await waitFor(
          async () =>
            (await sys.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE patient_id = ANY($1) AND sent_at IS NULL`, [patients])).rows[0]!
              .n === 0,
          { what: 'the outbox relayed by the surviving bridge', timeoutMs: 30_000 },
        );
        const mine = new Set(patients);
        expect(dlq.messages.filter((m) => mine.has(m.key?.toString() ?? ''))).toHaveLength(0);
      } finally {
        await admin.disconnect();
        await Promise.all([...bridges.map((b) => b.stop()), ...workers.map((w) => w.stop())]);
        await dlq.stop().catch(() => undefined);
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe('two replicas of the API', () => {
  const signIn = (api: string, client: string) =>
    fetch(`${api}/api/dev/token`, {
      method: 'POST',
      // One trusted hop: the load balancer names the client, as in production.
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: JSON.stringify({ role: 'ops', sub: 'replica-limit' }),
    });

  it(
    'share their rate limits: sign-ins on replica A count against the limit on replica B',
    async () => {
      const env = { TANDEM_TRUST_PROXY: '1' };
      const apis = [await spawnApi(sys, databaseUrl, env), await spawnApi(sys, databaseUrl, env)];
      try {
        const [a, b] = await within(Promise.all(apis.map((x) => x.ready)), READY_MS, 'two API replicas were not ready');
        // A client of its own for this run (TEST-NET-3), its requests spread over both replicas as a load balancer would.
        const client = `203.0.113.${randomInt(1, 255)}`;
        const limit = DEFAULT_RATE_LIMITS.devToken;
        const statuses: number[] = [];
        for (let i = 0; i < limit; i++) statuses.push((await signIn(i % 2 === 0 ? a! : b!, client)).status);
        expect(statuses.filter((s) => s !== 200)).toEqual([]);
        // Each replica saw half the limit; together they saw all of it: the next request is refused by either.
        const refusedByA = await signIn(a!, client);
        expect(refusedByA.status).toBe(429);
        expect(refusedByA.headers.get('ratelimit-policy')).toContain(`q=${limit}; w=60`);
        expect((await signIn(b!, client)).status).toBe(429);
        // Another client behind the same load balancer is not held up.
        expect((await signIn(b!, `198.51.100.${randomInt(1, 255)}`)).status).toBe(200);
      } finally {
        await Promise.all(apis.map((x) => x.stop()));
      }
    },
    READY_MS + 60_000,
  );
});
