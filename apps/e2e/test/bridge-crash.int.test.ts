import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { waitFor } from '@tandem/testing';
import { spawnBridge } from '../src/bridge-process';
import { killTestStream, produceSteadily, storedCount, tasksUnlikeTheEngine } from '../src/kill-stream';
import { collectTopic, groupCaughtUp } from '../src/probes';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The kafka-bridge process killed with SIGKILL again and again while events flow. The CI version is
 * short; a longer one: TANDEM_KILL_TEST_PATIENTS=1000 TANDEM_KILL_TEST_KILLS=10 npm run test:integration -- bridge-crash
 */
const PATIENTS = Number(process.env.TANDEM_KILL_TEST_PATIENTS ?? 200);
const KILLS = Number(process.env.TANDEM_KILL_TEST_KILLS ?? 3);

let sys: RunningTandem;
const databaseUrl = inject('databaseUrl');

beforeAll(async () => {
  // Worker and API in this process; the bridge (and with it the outbox relay, as in production:
  // one relay leads at a time) only as a child process below.
  sys = await startTandem({ databaseUrl, bridge: false, relay: false });
});

afterAll(async () => {
  await sys?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every wait below has its own bound; the test's timeout covers all of them at once. */
const READY_MS = 60_000;
const CATCH_UP_MS = 120_000;
const METRICS_MS = 30_000;
const TASKS_MS = 60_000;
const TEST_TIMEOUT_MS = KILLS * (READY_MS + 2_000) + READY_MS + PATIENTS * 5 * 20 + CATCH_UP_MS + METRICS_MS + TASKS_MS + 30_000;

const readyWithin = <T>(p: Promise<T>): Promise<T> =>
  Promise.race([p, sleep(READY_MS).then(() => Promise.reject(new Error(`the kafka-bridge was not consuming within ${READY_MS / 1000} s`)))]);

describe('kafka-bridge crashes', () => {
  it(
    `loses nothing and doubles nothing when killed ${KILLS} times while ${PATIENTS * 5} events for ${PATIENTS} patients flow`,
    async () => {
      const stream = killTestStream(PATIENTS, 'crash');
      const { patients, events } = stream;
      const dlq = await collectTopic(sys.kafka, sys.topics.dlq, `${sys.groupId}-dlq`);
      // Produce steadily in the background, about 100 events a second, across the kills.
      const producing = produceSteadily(sys, stream);

      const storedAtKill: number[] = [];
      let bridge = spawnBridge(sys, databaseUrl);
      try {
        for (let k = 0; k < KILLS; k++) {
          await readyWithin(bridge.ready);
          await sleep(700 + Math.random() * 1_300);
          await bridge.kill();
          storedAtKill.push(await storedCount(sys, stream));
          bridge = spawnBridge(sys, databaseUrl);
        }
        await producing.done;
        expect(producing.produced()).toBe(events.length);
        const metricsUrl = await readyWithin(bridge.ready);
        await waitFor(async () => (await storedCount(sys, stream)) === events.length && (await groupCaughtUp(sys.kafka, sys.groupId, sys.topics.in)), {
          what: 'every event consumed after the last restart',
          timeoutMs: CATCH_UP_MS,
          intervalMs: 500,
        });
        // The surviving process serves the pipeline's metrics. What it has observed itself depends on
        // where the last kill fell (earlier incarnations may have done all the work), so only what it
        // reads from Kafka and PostgreSQL at scrape time is asserted on its numbers.
        const metrics = await waitFor(
          async () => {
            const text = await (await fetch(metricsUrl)).text();
            return text.includes(`tandem_kafka_consumer_lag{topic="${sys.topics.in}",partition="0"} 0`) && text;
          },
          { what: 'consumer lag 0 on the bridge /metrics', timeoutMs: METRICS_MS },
        );
        for (const name of [
          'tandem_bridge_events_consumed_total',
          'tandem_bridge_events_accepted_total',
          'tandem_event_to_task_seconds_count',
          'tandem_outbox_backlog',
          'tandem_outbox_published_total',
        ])
          expect(metrics).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? \\d`, 'm'));
      } finally {
        await bridge.stop();
        await dlq.stop().catch(() => undefined);
      }
      // The kills really happened mid-stream.
      expect(storedAtKill[0]).toBeLessThan(events.length);

      // Every event in the event log exactly once (the primary key makes "more than once" impossible; count them all).
      expect(await storedCount(sys, stream)).toBe(events.length);

      // Every expected task exactly once: per patient, the open tasks are exactly the engine's.
      const { total, wrong } = await tasksUnlikeTheEngine(sys, stream, TASKS_MS);
      expect(wrong).toEqual([]);

      // Event-to-task latency from what the system stored, whichever incarnation did the work: every
      // task an event opened names that event, produced before the task was committed.
      const latency = await sys.pool.query<{ tasks: number; measured: number; negative: number }>(
        `SELECT count(*)::int AS tasks, count(e.produced_at)::int AS measured, count(*) FILTER (WHERE t.created_at < e.produced_at)::int AS negative
         FROM task t JOIN clinical_event e ON e.id = t.source_event_id WHERE t.patient_id = ANY($1)`,
        [patients],
      );
      expect(latency.rows[0]).toEqual({ tasks: total, measured: total, negative: 0 });

      // Nothing valid was parked.
      const mine = new Set(patients);
      expect(dlq.messages.filter((m) => mine.has(m.key?.toString() ?? ''))).toHaveLength(0);
    },
    TEST_TIMEOUT_MS,
  );
});
