import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { QUEUES } from '@tandem/domain';
import { resetTestDatabase, spawnService, waitFor, databaseEnv } from '@tandem/testing';
import { digestScheduleId } from '@tandem/workflows/contract';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The weekly digest (docs/contract.md section 7): the real worker process creates its Temporal Schedule at
 * start — one, however often it restarts — and a triggered run stores one digest per team and week
 * and publishes `tandem.digest.weekly` on pathway-events.
 */
let sys: RunningTandem;
let consumer: Consumer;
const published: Array<Record<string, unknown>> = [];
const queue = `digest-${randomUUID().slice(0, 8)}`;
const scheduleId = digestScheduleId(queue);

const startWorker = () => {
  const w = spawnService(
    'apps/worker/src/main.ts',
    { ...databaseEnv(inject('databaseUrl')), TANDEM_TASK_QUEUE: queue, LOG_LEVEL: 'info' },
    /"weekly digest schedule"/,
  );
  return w;
};

beforeAll(async () => {
  await resetTestDatabase(); // the digests counted are this file's
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
  consumer = sys.kafka.consumer({ groupId: `digest-test-${randomUUID().slice(0, 8)}` });
  await consumer.connect();
  await consumer.subscribe({ topic: sys.topics.pathwayEvents, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      const v = JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown>;
      if (v.type === 'tandem.digest.weekly') published.push(v);
      return Promise.resolve();
    },
  });
}, 120_000);

afterAll(async () => {
  await consumer?.disconnect();
  await sys?.temporal.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await sys?.stop();
});

describe('the weekly digest', () => {
  it('has one schedule after the worker has started twice, Mondays 07:00 in the site time zone', async () => {
    for (let i = 0; i < 2; i++) {
      const worker = startWorker();
      await worker.ready;
      await worker.stop();
    }
    const ids: string[] = [];
    for await (const s of sys.temporal.schedule.list()) if (s.scheduleId === scheduleId) ids.push(s.scheduleId);
    expect(ids).toEqual([scheduleId]);
    const d = await sys.temporal.schedule.getHandle(scheduleId).describe();
    expect(d.spec.timezone).toBe('Europe/London');
    const next = d.info.nextActionTimes[0]!;
    const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', hour: '2-digit', minute: '2-digit', hour12: false }).format(
      next,
    );
    expect(london).toBe('Monday 07:00');
    expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'weeklyDigest', taskQueue: queue });
  }, 90_000);

  it('a triggered run stores one digest per team for last week, publishes each, and a second run adds none', async () => {
    const worker = startWorker();
    await worker.ready;
    try {
      const handle = sys.temporal.schedule.getHandle(scheduleId);
      await handle.trigger();
      const digests = async () =>
        (await sys.pool.query<{ team: string; week_start: string }>(`SELECT team, to_char(week_start, 'YYYY-MM-DD') AS week_start FROM digest`)).rows;
      await waitFor(async () => (await digests()).length === QUEUES.length, { what: 'a digest per team', timeoutMs: 40_000 });
      const rows = await digests();
      expect(rows.map((r) => r.team).sort()).toEqual([...QUEUES].sort());
      const weekStart = rows[0]!.week_start;
      expect(new Date(`${weekStart}T12:00:00Z`).getUTCDay()).toBe(1); // a Monday
      expect(rows.every((r) => r.week_start === weekStart)).toBe(true);
      await waitFor(() => published.length === QUEUES.length, { what: 'the digests on pathway-events', timeoutMs: 20_000 });
      expect(published[0]).toMatchObject({ type: 'tandem.digest.weekly', source: 'tandem/measures', data: { weekStart, digestId: expect.any(String) } });

      await handle.trigger();
      await waitFor(async () => (await handle.describe()).info.recentActions.length === 2, { what: 'the second scheduled run', timeoutMs: 20_000 });
      const second = (await handle.describe()).info.recentActions[1]!.action.workflow.workflowId;
      const result = (await sys.temporal.workflow.getHandle(second).result()) as { digests: Array<{ created: boolean }> };
      expect(result.digests).toHaveLength(QUEUES.length);
      expect(result.digests.every((d) => !d.created)).toBe(true);
      expect(await digests()).toHaveLength(QUEUES.length);

      const token = await sys.token(['ops'], 'lead');
      const list = (await (await fetch(`${sys.apiUrl}/api/v1/digests?team=oncology`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        items: Array<{ id: string }>;
      };
      expect(list.items).toHaveLength(1);
      const one = (await (await fetch(`${sys.apiUrl}/api/v1/digests/${list.items[0]!.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        team: string;
        measures: Array<{ id: string; change: number | null; previous: unknown }>;
      };
      expect(one.team).toBe('oncology');
      expect(one.measures).toHaveLength(29);
      expect(one.measures[0]).toHaveProperty('previous');
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
