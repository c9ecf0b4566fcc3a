import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalService } from '@tandem/testing';
import { restartLocal, waitFor } from '@tandem/testing';
import type { KillTestStream } from '../src/kill-stream';
import { killTestStream, produceSteadily, storedCount, tasksUnlikeTheEngine } from '../src/kill-stream';
import { collectTopic } from '../src/probes';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The real PostgreSQL, Temporal dev server and Kafka broker, each stopped and started again while
 * work flows through the bridge, the worker and the relay in this process: they wait it out, and
 * nothing is lost or doubled. Every wait has its own bound; each test's timeout covers them all.
 */
const PATIENTS = 60;
const DOWN_MS = 2_000;
const RESTART_MS = 120_000;
const CATCH_UP_MS = 150_000;
const TEST_TIMEOUT_MS = RESTART_MS + CATCH_UP_MS * 2 + 30_000;

let sys: RunningTandem;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
});

afterAll(async () => {
  await sys?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`${what} took longer than ${ms / 1000} s`)))]);

/** Nothing lost or doubled: every event stored once, every expected task once, nothing parked, every notification relayed. */
async function expectWholeAfterwards(stream: KillTestStream, dlq: { messages: Array<{ key: Buffer | null }> }): Promise<void> {
  await waitFor(async () => (await storedCount(sys, stream)) === stream.events.length, {
    what: 'every event in the event log',
    timeoutMs: CATCH_UP_MS,
    intervalMs: 500,
  });
  const { wrong } = await tasksUnlikeTheEngine(sys, stream, CATCH_UP_MS);
  expect(wrong).toEqual([]);
  await waitFor(
    async () =>
      (await sys.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL AND patient_id = ANY($1)`, [stream.patients])).rows[0]!
        .n === 0,
    { what: 'the outbox relayed', timeoutMs: CATCH_UP_MS, intervalMs: 500 },
  );
  const patients = new Set(stream.patients);
  expect(dlq.messages.filter((m) => patients.has(m.key?.toString() ?? ''))).toEqual([]);
}

async function restartUnderLoad(service: LocalService, prefix: string): Promise<void> {
  const stream = killTestStream(PATIENTS, prefix);
  const dlq = await collectTopic(sys.kafka, sys.topics.dlq, `${sys.groupId}-${prefix}-dlq`);
  try {
    const producing = produceSteadily(sys, stream);
    // A third of the stream in: the restart falls in the middle of enrolments and follow-ups.
    await waitFor(() => producing.produced() >= stream.events.length / 3, { what: 'a third of the stream produced', timeoutMs: 30_000 });
    await within(restartLocal(service, DOWN_MS), RESTART_MS, `restarting ${service}`);
    await within(producing.done, RESTART_MS, 'producing the rest of the stream');
    await expectWholeAfterwards(stream, dlq);
  } finally {
    await dlq.stop();
  }
}

describe('a service restarted under load', () => {
  it(
    `PostgreSQL: the bridge and the worker wait it out; ${PATIENTS * 5} events for ${PATIENTS} patients, each stored and acted on once`,
    () => restartUnderLoad('postgres', 'pgdown'),
    TEST_TIMEOUT_MS,
  );

  it(
    `the Temporal server: the bridge and the worker wait it out; ${PATIENTS * 5} events for ${PATIENTS} patients, each stored and acted on once`,
    () => restartUnderLoad('temporal', 'tmpdown'),
    TEST_TIMEOUT_MS,
  );

  it(
    'the Kafka broker while the relay publishes: every outbox row reaches its topic, and a duplicate carries the same id and content',
    async () => {
      const prefix = `kfdown-${randomUUID().slice(0, 8)}`;
      const ROWS = 1_500;
      const ids: string[] = [];
      // Rows arrive steadily for the relay to publish, across the restart.
      const inserting = (async () => {
        for (let i = 0; i < ROWS; i += 50) {
          const batch = Array.from({ length: 50 }, (_, j) => ({ id: randomUUID(), key: `${prefix}-${i + j}` }));
          ids.push(...batch.map((b) => b.id));
          await sys.pool.query(
            `INSERT INTO outbox (id, idempotency_key, topic, patient_id, payload)
             SELECT id, key, 'care-notifications', $3, jsonb_build_object('kind', 'relay-restart-test', 'n', n)
             FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS r(id, key, n)`,
            [batch.map((b) => b.id), batch.map((b) => b.key), prefix],
          );
          await sleep(200);
        }
      })();
      await waitFor(() => ids.length >= ROWS / 4, { what: 'a quarter of the rows written', timeoutMs: 30_000 });
      await within(restartLocal('kafka', DOWN_MS), RESTART_MS, 'restarting Kafka');
      await inserting;
      await waitFor(
        async () =>
          (await sys.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE patient_id = $1 AND sent_at IS NULL`, [prefix])).rows[0]!.n === 0,
        { what: 'every row relayed and marked sent', timeoutMs: CATCH_UP_MS, intervalMs: 500 },
      );
      const topic = await collectTopic(sys.kafka, sys.topics.notifications, `${sys.groupId}-${prefix}`);
      try {
        const ours = () => topic.messages.filter((m) => m.key?.toString() === prefix);
        await waitFor(() => new Set(ours().map((m) => m.headers?.id?.toString())).size === ROWS, {
          what: 'every relayed row on the topic',
          timeoutMs: CATCH_UP_MS,
          intervalMs: 500,
        });
        const byId = new Map<string, string>();
        for (const m of ours()) {
          const id = m.headers!.id!.toString();
          const value = m.value!.toString();
          expect((JSON.parse(value) as { id: string }).id).toBe(id);
          if (byId.has(id)) expect(value).toBe(byId.get(id));
          byId.set(id, value);
        }
        expect([...byId.keys()].sort()).toEqual([...ids].sort());
        process.stdout.write(`kafka restart: ${ROWS} rows, ${ours().length - ROWS} duplicate(s) on the topic, each with its row's id\n`);
      } finally {
        await topic.stop();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
