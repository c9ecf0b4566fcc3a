import type { EachBatchPayload } from 'kafkajs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '@tandem/domain';
import type { ParkedRecord } from '@tandem/kafka';
import { createLogger } from '@tandem/config';
import { PathwayClosedError } from '../src/pathway-closed';
import { createBatchHandler } from '../src/batch-handler';
import { createBridgeMetrics } from '../src/metrics';
import type { PartitionOffset } from '../src/offset-committer';
import { OffsetCommitter } from '../src/offset-committer';

/** The batch handler with fakes at its edges: the event log, Temporal and the DLQ. */
const event = (id: string, subject: string) =>
  JSON.stringify({ specversion: '1.0', id, source: 's', type: 'patient.dying', subject, time: '2026-11-01T00:00:00Z', data: {} });

function batchOf(records: Array<[key: string | null, value: string]>, alive = () => true) {
  const resolved: string[] = [];
  const messages = records.map(([key, value], i) => ({
    offset: String(100 + i),
    key: key === null ? null : Buffer.from(key),
    value: Buffer.from(value),
    timestamp: String(Date.now()),
    headers: {},
  }));
  const payload = {
    batch: { topic: 'clinical-events', partition: 0, messages, firstOffset: () => messages[0]?.offset ?? null },
    resolveOffset: (o: string) => void resolved.push(o),
    heartbeat: () => Promise.resolve(),
    commitOffsetsIfNecessary: () => Promise.resolve(),
    isRunning: alive,
    isStale: () => false,
  } as unknown as EachBatchPayload;
  return { payload, resolved };
}

function harness(signal: (e: ClinicalEvent) => Promise<void>, opts: { maxAttempts?: number; concurrency?: number; stopping?: () => boolean } = {}) {
  const stored: string[] = [];
  const parked: ParkedRecord[] = [];
  const commits: PartitionOffset[][] = [];
  const committer = new OffsetCommitter({ commit: (o) => Promise.resolve(void commits.push(o)), intervalMs: 1_000, onError: () => undefined });
  const metrics = createBridgeMetrics(new Registry());
  const handle = createBatchHandler({
    store: (rows) => Promise.resolve(void stored.push(...rows.map((r) => r.event.id))),
    signal,
    park: (r) => Promise.resolve(void parked.push(r)),
    progress: (t, p, o) => committer.done(t, p, o),
    stopping: opts.stopping ?? (() => false),
    metrics,
    log: createLogger('test', 'error'),
    concurrency: opts.concurrency,
    maxAttempts: opts.maxAttempts,
  });
  const value = async (name: string, labels: Record<string, string> = {}) =>
    (await metrics.registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
  /** What the offset committer would send to Kafka now. */
  const committed = async () => {
    await committer.flush();
    return commits.flat().map((c) => c.offset);
  };
  return { handle, stored, parked, value, committed };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('batch handler', () => {
  it('waits out transient refusals with backoff, then accepts the event, and resolves its offset only then', async () => {
    let calls = 0;
    const { handle, value, parked } = harness(() => (++calls <= 2 ? Promise.reject(Object.assign(new Error('unavailable'), { code: 14 })) : Promise.resolve()));
    const { payload, resolved } = batchOf([['a', event('e1', 'a')]]);
    await handle(payload);
    expect(calls).toBe(3);
    expect(resolved).toEqual(['100']);
    expect(parked).toEqual([]);
    expect(await value('tandem_bridge_retries_total', { kind: 'transient' })).toBe(2);
    expect(await value('tandem_bridge_events_accepted_total')).toBe(1);
  });

  it('keeps each patient’s events in offset order while different patients run at the same time', async () => {
    const order: string[] = [];
    let inFlight = 0;
    let most = 0;
    const { handle } = harness(
      async (e) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await sleep(e.subject === 'a' ? 15 : 5);
        order.push(e.id);
        inFlight--;
      },
      { concurrency: 2 },
    );
    const { payload, resolved } = batchOf([
      ['a', event('a1', 'a')],
      ['b', event('b1', 'b')],
      ['a', event('a2', 'a')],
      ['c', event('c1', 'c')],
      ['b', event('b2', 'b')],
      ['a', event('a3', 'a')],
    ]);
    await handle(payload);
    expect(order.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(order.filter((id) => id.startsWith('b'))).toEqual(['b1', 'b2']);
    expect(most).toBe(2); // bounded, and really concurrent
    expect(resolved[resolved.length - 1]).toBe('105');
    // Offsets only ever move forward.
    expect(resolved.map(Number)).toEqual([...resolved.map(Number)].sort((x, y) => x - y));
  });

  it('lets a slow patient hold back the commit of later offsets, but not other patients’ events', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const done: string[] = [];
    const { handle, committed } = harness(async (e) => {
      if (e.id === 'a1') await gate;
      done.push(e.id);
    });
    const { payload, resolved } = batchOf([
      ['a', event('a1', 'a')],
      ['b', event('b1', 'b')],
      ['c', event('c1', 'c')],
    ]);
    const running = handle(payload);
    await sleep(50);
    expect(done).toEqual(['b1', 'c1']);
    expect(resolved).toEqual([]); // 101 and 102 are done, but 100 is not
    expect(await committed()).toEqual([]);
    release();
    await running;
    expect(resolved).toEqual(['102']);
    expect(await committed()).toEqual(['103']); // Kafka's committed offset is the next one to read
  });

  it('parks an event Temporal refuses for good after the last attempt, and goes on', async () => {
    const { handle, parked, value } = harness((e) => (e.id === 'bad' ? Promise.reject(Object.assign(new Error('invalid'), { code: 3 })) : Promise.resolve()), {
      maxAttempts: 2,
    });
    const { payload, resolved } = batchOf([
      ['a', event('bad', 'a')],
      ['a', event('good', 'a')],
    ]);
    await handle(payload);
    expect(parked.map((p) => [p.offset, p.error])).toEqual([['100', 'processing-failed']]);
    expect(parked[0]!.detail).not.toContain('invalid'); // the error's name, never its message
    expect(resolved).toEqual(['100', '101']);
    expect(await value('tandem_bridge_retries_total', { kind: 'permanent' })).toBe(1);
  });

  it('parks an event for a pathway that completed before closed pathways stayed open, as pathway-closed', async () => {
    const { handle, parked } = harness((e) => (e.id === 'late' ? Promise.reject(new PathwayClosedError()) : Promise.resolve()), { maxAttempts: 2 });
    const { payload, resolved } = batchOf([['a', event('late', 'a')]]);
    await handle(payload);
    expect(parked.map((p) => [p.offset, p.error])).toEqual([['100', 'pathway-closed']]);
    expect(resolved).toEqual(['100']);
  });

  it('parks invalid records with their reason and stores only valid events', async () => {
    const { handle, parked, stored } = harness(() => Promise.resolve());
    const { payload, resolved } = batchOf([
      ['a', '{not json'],
      ['a', event('e1', 'a')],
    ]);
    await handle(payload);
    expect(parked.map((p) => p.error)).toEqual(['invalid-json']);
    expect(stored).toEqual(['e1']);
    expect(resolved.at(-1)).toBe('101'); // both done (which lane finished first may vary)
  });

  it('stops retrying when the bridge stops, leaving the record uncommitted for the next owner', async () => {
    let stopping = false;
    const { handle, committed } = harness(
      () => {
        stopping = true;
        return Promise.reject(Object.assign(new Error('unavailable'), { code: 14 }));
      },
      { stopping: () => stopping },
    );
    const { payload, resolved } = batchOf([['a', event('e1', 'a')]]);
    await handle(payload);
    expect(resolved).toEqual([]);
    expect(await committed()).toEqual([]);
  });
});
