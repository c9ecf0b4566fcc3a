import { randomBytes } from 'node:crypto';
import type { Options } from 'express-rate-limit';
import { describe, expect, it } from 'vitest';
import type { RateLimitCounters } from '@tandem/db';
import { RATE_LIMIT_KEY_MAX } from '@tandem/db';
import { rateLimitKeyer, SharedRateLimitStore } from '../src/rate-limit-store';

const secret = randomBytes(32);
const options = { windowMs: 60_000 } as Options;

/** One table that several replicas' stores count in, as PostgreSQL is; `down` makes every call fail. */
function sharedTable() {
  const rows = new Map<string, number>();
  const seen: string[] = [];
  let down: 'no' | 'fail' | 'hang' = 'no';
  const answer = <T>(f: () => T): Promise<T> =>
    down === 'fail' ? Promise.reject(new Error('connect ECONNREFUSED')) : down === 'hang' ? new Promise<T>(() => undefined) : Promise.resolve(f());
  const counters: RateLimitCounters = {
    hit: (key) =>
      answer(() => {
        seen.push(key);
        rows.set(key, (rows.get(key) ?? 0) + 1);
        return { hits: rows.get(key)!, resetsAt: new Date(Date.now() + 60_000) };
      }),
    unhit: (key) => answer(() => void rows.set(key, Math.max(0, (rows.get(key) ?? 0) - 1))),
    forget: (key) => answer(() => void rows.delete(key)),
  };
  return {
    counters,
    seen,
    setDown: (d: typeof down) => (down = d),
  };
}

const store = (table: ReturnType<typeof sharedTable>, limiter: string, extra: Partial<ConstructorParameters<typeof SharedRateLimitStore>[0]> = {}) => {
  const s = new SharedRateLimitStore({ counters: table.counters, limiter, keyOf: rateLimitKeyer(secret), ...extra });
  s.init(options);
  return s;
};

describe('rate-limit keys', () => {
  it('name the limiter but never the client: an HMAC under the payload key, stable, short enough for the table', () => {
    const keyOf = rateLimitKeyer(secret);
    const k = keyOf('patient-page', '203.0.113.7');
    expect(k).toMatch(/^patient-page:[A-Za-z0-9_-]{32}$/);
    expect(k).not.toContain('203.0.113.7');
    expect(k.length).toBeLessThanOrEqual(RATE_LIMIT_KEY_MAX);
    expect(keyOf('patient-page', '203.0.113.7')).toBe(k);
    // Another client, another limiter, another scope or another secret: another key.
    expect(new Set([k, keyOf('patient-page', '203.0.113.8'), keyOf('events', '203.0.113.7'), rateLimitKeyer(secret, 'other')('patient-page', '203.0.113.7'), rateLimitKeyer(randomBytes(32))('patient-page', '203.0.113.7')]).size).toBe(5);
  });
});

describe('SharedRateLimitStore', () => {
  it('two replicas count one client together', async () => {
    const table = sharedTable();
    const a = store(table, 'dev-token');
    const b = store(table, 'dev-token');
    expect((await a.increment('203.0.113.7')).totalHits).toBe(1);
    expect((await b.increment('203.0.113.7')).totalHits).toBe(2);
    expect((await a.increment('203.0.113.7')).totalHits).toBe(3);
    expect(a.localKeys).toBe(false);
    expect(table.seen.every((k) => !k.includes('203.0.113.7'))).toBe(true);
  });

  it('while PostgreSQL fails, counts in this replica (the limit still holds per replica), then asks PostgreSQL again', async () => {
    const table = sharedTable();
    let clock = 0;
    const warnings: string[] = [];
    const log = { warn: (msg: string) => warnings.push(msg) } as unknown as NonNullable<ConstructorParameters<typeof SharedRateLimitStore>[0]['log']>;
    const a = store(table, 'events', { now: () => clock, retryAfterMs: 5_000, log });
    await a.increment('c');
    table.setDown('fail');
    // The first failure and the hits after it are counted in memory, not refused, not unlimited.
    expect((await a.increment('c')).totalHits).toBe(1);
    expect((await a.increment('c')).totalHits).toBe(2);
    expect(warnings).toHaveLength(1);
    table.setDown('no');
    clock += 4_000;
    expect((await a.increment('c')).totalHits).toBe(3); // still in memory: not asked again yet
    clock += 1_000;
    expect((await a.increment('c')).totalHits).toBe(2); // PostgreSQL again: its count went on from 1
  });

  it('a count PostgreSQL does not answer in time is taken from memory', async () => {
    const table = sharedTable();
    const a = store(table, 'patient-page', { timeoutMs: 20 });
    table.setDown('hang');
    const started = Date.now();
    expect((await a.increment('c')).totalHits).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    a.shutdown();
  });

  it('decrement and reset reach the shared count', async () => {
    const table = sharedTable();
    const a = store(table, 'events');
    const b = store(table, 'events');
    await a.increment('c');
    await a.increment('c');
    await b.decrement('c');
    expect((await a.increment('c')).totalHits).toBe(2);
    await b.resetKey('c');
    expect((await a.increment('c')).totalHits).toBe(1);
  });
});
