import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@tandem/config';
import { leadershipLockKey } from '@tandem/db';
import { createOutboxRelay, RELAY_LEADERSHIP } from '@tandem/kafka-bridge/outbox-relay';
import { advancedDiagnosis, clinicalEvent, newPatientId, waitFor } from '@tandem/testing';
import { collectTopic } from '../src/probes';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/** The outbox relay's at-least-once promise, with the crash window between publishing and marking sent. */
let sys: RunningTandem;

beforeAll(async () => {
  sys = await startTandem({ databaseUrl: inject('databaseUrl'), relay: false });
});

afterAll(async () => {
  await sys?.stop();
});

const outboxRows = async (patientId: string) =>
  (
    await sys.pool.query<{ id: string; topic: string; sent: boolean }>(
      `SELECT id, topic, sent_at IS NOT NULL AS sent FROM outbox WHERE patient_id = $1 ORDER BY created_at, seq`,
      [patientId],
    )
  ).rows;

describe('outbox relay', () => {
  it('republishes everything after a crash between publish and mark-sent, duplicates carrying the same id, in order per patient', async () => {
    const p = newPatientId();
    for (const e of [
      advancedDiagnosis(p),
      clinicalEvent('prom.submitted', p, { instrument: 'ESAS-r', responseId: 'r-1', scores: { pain: 9 } }),
      clinicalEvent('performance.recorded', p, { ecog: 3 }),
    ])
      await sys.producer.send({ topic: sys.topics.in, messages: [{ key: p, value: JSON.stringify(e) }] });
    const rows = await waitFor(
      async () => {
        const r = await outboxRows(p);
        return r.some((x) => x.topic === 'care-notifications') && r.filter((x) => x.topic === 'pathway-events').length >= 8 && r;
      },
      { what: 'notifications and pathway events in the outbox' },
    );
    expect(rows.every((r) => !r.sent)).toBe(true);

    const notifications = await collectTopic(sys.kafka, sys.topics.notifications, `${sys.groupId}-n`);
    const pathwayEvents = await collectTopic(sys.kafka, sys.topics.pathwayEvents, `${sys.groupId}-p`);
    const topicFor = (t: string) => (t === 'care-notifications' ? sys.topics.notifications : sys.topics.pathwayEvents);
    const log = createLogger('test', 'error');
    try {
      // The crash: the process dies right after Kafka acknowledged the batch, before marking it sent.
      const crashing = createOutboxRelay({
        pool: sys.pool,
        producer: sys.producer,
        log,
        topicFor,
        batch: 1_000,
        afterPublish: () => Promise.reject(new Error('killed between publish and mark-sent')),
      });
      await expect(crashing.pass()).rejects.toThrow('killed');
      expect((await outboxRows(p)).every((r) => !r.sent)).toBe(true);
      // The process is gone, and with its session the relay's lead (stop() gives it up the same way).
      await crashing.stop();

      // A new relay starts and finds the same rows unsent: it publishes them again, then marks them.
      const relay = createOutboxRelay({ pool: sys.pool, producer: sys.producer, log, topicFor, batch: 1_000 });
      while ((await relay.pass()) > 0);
      await relay.stop();
      const after = await outboxRows(p);
      expect(after.every((r) => r.sent)).toBe(true);

      const mine = () => [...notifications.messages, ...pathwayEvents.messages].filter((m) => m.key?.toString() === p);
      await waitFor(() => mine().length === after.length * 2, { what: 'every row published twice' });
      const byId = new Map<string, string[]>();
      for (const m of mine()) {
        const value = m.value!.toString();
        const id = (JSON.parse(value) as { id: string }).id;
        expect(m.headers?.id?.toString()).toBe(id);
        byId.set(id, [...(byId.get(id) ?? []), value]);
      }
      // Every outbox row reached Kafka; each duplicate is the same record with the same id.
      expect([...byId.keys()].sort()).toEqual(after.map((r) => r.id).sort());
      for (const copies of byId.values()) expect(new Set(copies).size).toBe(1);
      // In order per patient on each topic: first sightings follow the outbox order.
      for (const [topic, collected] of [
        ['pathway-events', pathwayEvents],
        ['care-notifications', notifications],
      ] as const) {
        const seen = collected.messages.filter((m) => m.key?.toString() === p).map((m) => (JSON.parse(m.value!.toString()) as { id: string }).id);
        const firstRound = seen.slice(0, seen.length / 2);
        expect(firstRound).toEqual(after.filter((r) => r.topic === topic).map((r) => r.id));
      }
      const types = pathwayEvents.messages
        .filter((m) => m.key?.toString() === p)
        .map((m) => (JSON.parse(m.value!.toString()) as { type: string; specversion: string }).type);
      expect(types).toContain('tandem.task.opened');
      expect(types).toContain('tandem.pathway.stage-changed');
    } finally {
      await notifications.stop();
      await pathwayEvents.stop();
    }
  });

  it('one relay leads at a time: a second stands by, and takes over when the first stops', async () => {
    const log = createLogger('test', 'error');
    const topicFor = (t: string) => (t === 'care-notifications' ? sys.topics.notifications : sys.topics.pathwayEvents);
    const first = createOutboxRelay({ pool: sys.pool, producer: sys.producer, log, topicFor });
    const second = createOutboxRelay({ pool: sys.pool, producer: sys.producer, log, topicFor });
    try {
      const p = newPatientId();
      await sys.producer.send({ topic: sys.topics.in, messages: [{ key: p, value: JSON.stringify(advancedDiagnosis(p)) }] });
      await waitFor(async () => (await outboxRows(p)).length >= 8, { what: 'the enrolment in the outbox' });
      // The first to ask leads; the other publishes nothing, however often it tries.
      expect(await first.pass()).toBeGreaterThan(0);
      const q = newPatientId();
      await sys.producer.send({ topic: sys.topics.in, messages: [{ key: q, value: JSON.stringify(advancedDiagnosis(q)) }] });
      await waitFor(async () => (await outboxRows(q)).length >= 8, { what: 'a second enrolment in the outbox' });
      expect(await second.pass()).toBe(0);
      expect((await outboxRows(q)).every((r) => !r.sent)).toBe(true);
      // The leader stops (or dies): the next pass of the other takes over.
      await first.stop();
      while ((await second.pass()) > 0);
      expect((await outboxRows(q)).every((r) => r.sent)).toBe(true);
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it('a leader whose session the server ends steps down at once, before any probe: the other takes over and the first publishes nothing', async () => {
    const log = createLogger('test', 'error');
    const topicFor = (t: string) => (t === 'care-notifications' ? sys.topics.notifications : sys.topics.pathwayEvents);
    // Neither relay re-checks its lead by a query within the test: only the connection's own events can tell the first it lost.
    const never = { recheckEveryMs: 3_600_000 };
    const first = createOutboxRelay({ pool: sys.pool, producer: sys.producer, log, topicFor, leadership: never });
    const second = createOutboxRelay({ pool: sys.pool, producer: sys.producer, log, topicFor, leadership: never });
    const holders = async () =>
      (
        await sys.pool.query<{ pid: number }>(
          `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
          [leadershipLockKey(RELAY_LEADERSHIP)],
        )
      ).rows.map((r) => r.pid);
    const enrol = async () => {
      const p = newPatientId();
      await sys.producer.send({ topic: sys.topics.in, messages: [{ key: p, value: JSON.stringify(advancedDiagnosis(p)) }] });
      await waitFor(async () => (await outboxRows(p)).length >= 8, { what: 'an enrolment in the outbox' });
      return p;
    };
    try {
      await enrol();
      expect(await first.pass()).toBeGreaterThan(0);
      // One session holds the lead: the first relay's.
      const held = await holders();
      expect(held).toHaveLength(1);
      const [pid] = held;
      // An operator (or idle_session_timeout, or a pooler restart) ends the leader's session: the lock goes with it.
      await sys.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await waitFor(async () => (await holders()).length === 0, { what: 'the lock released with the session' });
      const q = await enrol();
      await waitFor(async () => (await second.pass()) > 0, { what: 'the second relay taking the lead' });
      expect((await outboxRows(q)).every((r) => r.sent)).toBe(true);
      // The first was told by its connection ('error'): it asks for the lock again, finds it taken and stands by.
      const r = await enrol();
      expect(await first.pass()).toBe(0);
      expect((await outboxRows(r)).every((x) => !x.sent)).toBe(true);
      while ((await second.pass()) > 0);
      expect((await outboxRows(r)).every((x) => x.sent)).toBe(true);
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it('deletes relayed rows once they are older than the retention, and never an unsent one', async () => {
    const log = createLogger('test', 'error');
    const p = newPatientId();
    await sys.producer.send({ topic: sys.topics.in, messages: [{ key: p, value: JSON.stringify(advancedDiagnosis(p)) }] });
    await waitFor(async () => (await outboxRows(p)).length >= 8, { what: 'the enrolment in the outbox' });
    const relay = createOutboxRelay({ pool: sys.pool, producer: sys.producer, log, topicFor: () => sys.topics.pathwayEvents, retentionMs: 3_600_000 });
    try {
      while ((await relay.pass()) > 0);
      const sent = await outboxRows(p);
      expect(sent.every((r) => r.sent)).toBe(true);
      // Within the retention the rows stay; an hour and a minute later they go. An unsent row of another patient stays.
      const q = newPatientId();
      await sys.pool.query(`INSERT INTO outbox (idempotency_key, topic, patient_id, payload) VALUES ($1, 'pathway-events', $2, '{}')`, [`test/${q}`, q]);
      await sys.pool.query(`UPDATE outbox SET sent_at = now() - interval '61 minutes' WHERE patient_id = $1`, [p]);
      await sys.pool.query(`UPDATE outbox SET created_at = now() - interval '2 hours' WHERE patient_id = $1`, [q]);
      const pruned = createOutboxRelay({
        pool: sys.pool,
        producer: sys.producer,
        log,
        topicFor: () => sys.topics.pathwayEvents,
        retentionMs: 3_600_000,
        afterPublish: () => Promise.reject(new Error('not this time')),
      });
      await relay.stop();
      await pruned.pass().catch(() => undefined);
      await pruned.stop();
      expect(await outboxRows(p)).toEqual([]);
      expect((await outboxRows(q)).map((r) => r.sent)).toEqual([false]);
      await sys.pool.query(`DELETE FROM outbox WHERE patient_id = $1`, [q]);
    } finally {
      await relay.stop();
    }
  });
});
