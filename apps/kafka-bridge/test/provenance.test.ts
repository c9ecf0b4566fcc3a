import type { EachBatchPayload } from 'kafkajs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ClinicalEvent, Provenance } from '@tandem/domain';
import { AUTHOR_HEADER } from '@tandem/domain';
import type { ParkedRecord } from '@tandem/kafka';
import { createLogger } from '@tandem/config';
import { createBatchHandler } from '../src/batch-handler';
import { classifyRecord } from '../src/classify';
import { createBridgeMetrics } from '../src/metrics';

/** Issue 26, finding 1 in the bridge: who brought each event, and clinical times that cannot be true parked, never lost. */
const event = (id: string, type: string, time: string, data: Record<string, unknown> = {}) =>
  JSON.stringify({ specversion: '1.0', id, source: 's', type, subject: 'p1', time, data });

function run(records: Array<{ value: string; headers?: Record<string, string> }>, born = new Map<string, string>()) {
  const stored: Array<{ event: ClinicalEvent; provenance: Provenance }> = [];
  const parked: ParkedRecord[] = [];
  const handle = createBatchHandler({
    store: (rows) => Promise.resolve(void stored.push(...rows)),
    birthDates: () => Promise.resolve(new Map(born)),
    signal: () => Promise.resolve(),
    park: (r) => Promise.resolve(void parked.push(r)),
    stopping: () => false,
    metrics: createBridgeMetrics(new Registry()),
    log: createLogger('test', 'error'),
  });
  const messages = records.map((r, i) => ({ offset: String(40 + i), key: Buffer.from('p1'), value: Buffer.from(r.value), timestamp: String(Date.now()), headers: r.headers ?? {} }));
  const payload = {
    batch: { topic: 'clinical-events', partition: 2, messages, firstOffset: () => messages[0]?.offset ?? null },
    resolveOffset: () => undefined,
    heartbeat: () => Promise.resolve(),
    isRunning: () => true,
    isStale: () => false,
  } as unknown as EachBatchPayload;
  return { done: handle(payload), stored, parked };
}

describe('provenance in the bridge', () => {
  it('stores every event with the topic, partition and offset it was read from, and the API’s author header as the author', async () => {
    const now = new Date().toISOString();
    const author = JSON.stringify({ via: 'api', sub: 'dr-onc', roles: ['clinician'] });
    const r = run([{ value: event('e1', 'patient.dying', now) }, { value: event('e2', 'patient.dying', now), headers: { [AUTHOR_HEADER]: author } }]);
    await r.done;
    expect(r.stored.map((x) => x.provenance)).toEqual([
      { kafka: { topic: 'clinical-events', partition: 2, offset: '40' } },
      { author: { via: 'api', sub: 'dr-onc', roles: ['clinician'] }, kafka: { topic: 'clinical-events', partition: 2, offset: '41' } },
    ]);
  });

  it('a malformed author header names no author (the record is an integration’s), and is still stored', async () => {
    const r = run([{ value: event('e1', 'patient.dying', new Date().toISOString()), headers: { [AUTHOR_HEADER]: '{"via":"api","sub":""}' } }]);
    await r.done;
    expect(r.stored.map((x) => x.provenance)).toEqual([{ kafka: { topic: 'clinical-events', partition: 2, offset: '40' } }]);
  });

  it('parks a far-future time as time-in-future, and a time before the birth date held as time-before-birth; later records still flow', async () => {
    const now = new Date().toISOString();
    const r = run(
      [
        { value: event('future', 'patient.dying', '9999-12-31T23:59:59Z') },
        { value: event('early', 'disease.progressed', '1940-01-01T00:00:00Z', { line: 1 }) },
        { value: event('fine', 'patient.dying', now) },
      ],
      new Map([['p1', '1950-01-01']]),
    );
    await r.done;
    expect(r.parked.map((p) => [p.offset, p.error])).toEqual([
      ['40', 'time-in-future'],
      ['41', 'time-before-birth'],
    ]);
    expect(r.stored.map((x) => x.event.id)).toEqual(['fine']);
  });

  it('a registration earlier in the same batch gives the birth date the next records are held to', async () => {
    const r = run([
      { value: event('reg', 'patient.registered', new Date().toISOString(), { birthDate: '1960-05-05' }) },
      { value: event('early', 'disease.progressed', '1955-01-01T00:00:00Z', { line: 1 }) },
    ]);
    await r.done;
    expect(r.parked.map((p) => p.error)).toEqual(['time-before-birth']);
    expect(r.stored.map((x) => x.event.id)).toEqual(['reg']);
  });

  it('classify alone refuses a future time and a registration dated before its own birth', () => {
    expect(classifyRecord(null, Buffer.from(event('f', 'patient.dying', '9999-12-31T23:59:59Z')))).toMatchObject({ ok: false, error: 'time-in-future' });
    expect(classifyRecord(null, Buffer.from(event('r', 'patient.registered', '1940-01-01T00:00:00Z', { birthDate: '1950-01-01' })))).toMatchObject({
      ok: false,
      error: 'time-before-birth',
    });
  });
});
