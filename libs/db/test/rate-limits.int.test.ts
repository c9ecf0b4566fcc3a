import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { embeddedServiceUrl } from '@tandem/config';
import { pruneRateLimitCounters, rateLimitCounters } from '../src';

/**
 * The API's shared rate-limit counters (migration 019) on the real database, as the API's role:
 * concurrent hits from several pools (replicas) each get their own count, a window that is over
 * starts again at 1, and pruning removes only windows that are over.
 */
let replicas: Pool[];
const key = (what: string) => `test:${what}-${randomUUID().slice(0, 8)}`;

beforeAll(() => {
  replicas = [0, 1].map(() => new Pool({ connectionString: embeddedServiceUrl(inject('databaseUrl'), 'api'), max: 8 }));
});
afterAll(async () => {
  await Promise.all(replicas.map((p) => p.end()));
});

describe('rate-limit counters in PostgreSQL', () => {
  it('counts 200 concurrent hits from two replicas exactly once each: 1 to 200, no two alike', async () => {
    const k = key('concurrent');
    const [a, b] = replicas.map((p) => rateLimitCounters(p));
    const counts = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a! : b!).hit(k, 60_000)));
    expect(counts.map((c) => c.hits).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // One window for all of them: the end set by the first hit.
    expect(new Set(counts.map((c) => c.resetsAt.getTime())).size).toBe(1);
    expect(counts[0]!.resetsAt.getTime()).toBeGreaterThan(Date.now() + 55_000);
  });

  it('a hit after the window ended starts a new window at 1; another client and another limiter count apart', async () => {
    const k = key('window');
    const counters = rateLimitCounters(replicas[0]!);
    expect((await counters.hit(k, 300)).hits).toBe(1);
    expect((await counters.hit(k, 300)).hits).toBe(2);
    expect((await counters.hit(`${k}-other`, 300)).hits).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    const next = await counters.hit(k, 300);
    expect(next.hits).toBe(1);
    expect(next.resetsAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('takes a hit back and forgets a client', async () => {
    const k = key('undo');
    const counters = rateLimitCounters(replicas[0]!);
    await counters.hit(k, 60_000);
    await counters.hit(k, 60_000);
    await counters.unhit(k);
    expect((await counters.hit(k, 60_000)).hits).toBe(2);
    await counters.forget(k);
    expect((await counters.hit(k, 60_000)).hits).toBe(1);
  });

  it('pruning removes the windows that are over and keeps the running ones', async () => {
    const over = key('over');
    const running = key('running');
    const counters = rateLimitCounters(replicas[0]!);
    await counters.hit(over, 50);
    await counters.hit(running, 60_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(await pruneRateLimitCounters(replicas[0]!)).toBeGreaterThanOrEqual(1);
    const left = await replicas[0]!.query<{ key: string }>(`SELECT key FROM rate_limit_counter WHERE key = ANY($1)`, [[over, running]]);
    expect(left.rows.map((r) => r.key)).toEqual([running]);
  });

  it('a hit costs one short statement: well under a millisecond here (printed)', async () => {
    const counters = rateLimitCounters(replicas[0]!);
    const k = key('latency');
    for (let i = 0; i < 50; i++) await counters.hit(k, 60_000); // warm: connection open, statement prepared
    const ms: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      const t = process.hrtime.bigint();
      await counters.hit(k, 60_000);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    ms.sort((x, y) => x - y);
    const p50 = ms[500]!;
    const p99 = ms[990]!;
    console.log(`rate-limit hit, sequential, one connection: p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`);
    // Generous: a busy CI machine; the point is one short statement, not a transaction of several.
    expect(p50).toBeLessThan(20);
  });
});
