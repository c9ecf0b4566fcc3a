import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { RATE_LIMIT_KEY_MAX, rateLimitCounters } from '../src/rate-limits';

/** A pool that records each statement and answers a hit as PostgreSQL's upsert would for one key. */
function fakePool(opts: { pruneFails?: boolean } = {}) {
  const statements: Array<{ text: string; values?: unknown[] }> = [];
  let hits = 0;
  const pool = {
    query: (q: string | { text: string; values?: unknown[] }, values?: unknown[]) => {
      const s = typeof q === 'string' ? { text: q, values } : q;
      statements.push(s);
      if (/^DELETE FROM rate_limit_counter WHERE resets_at/.test(s.text)) return opts.pruneFails ? Promise.reject(new Error('down')) : Promise.resolve({ rowCount: 3, rows: [] });
      hits += 1;
      return Promise.resolve({ rowCount: 1, rows: [{ hits, resets_at: new Date(60_000) }] });
    },
  } as unknown as Pool;
  return { pool, statements };
}

describe('rate-limit counters', () => {
  it('a hit is one statement: the key and the window as parameters, the count and window end back', async () => {
    const { pool, statements } = fakePool();
    const counters = rateLimitCounters(pool, { now: () => 0 });
    expect(await counters.hit('events:abc', 60_000)).toEqual({ hits: 1, resetsAt: new Date(60_000) });
    expect(await counters.hit('events:abc', 60_000)).toEqual({ hits: 2, resetsAt: new Date(60_000) });
    expect(statements).toHaveLength(2);
    expect(statements[0]!.text).toMatch(/INSERT INTO rate_limit_counter[\s\S]*ON CONFLICT \(key\) DO UPDATE[\s\S]*RETURNING hits, resets_at/);
    expect(statements[0]!.values).toEqual(['events:abc', 60_000]);
  });

  it('prunes the windows that are over at most once per interval, without making a hit wait or fail for it', async () => {
    let clock = 0;
    const { pool, statements } = fakePool({ pruneFails: true });
    const counters = rateLimitCounters(pool, { pruneEveryMs: 60_000, now: () => clock });
    const prunes = () => statements.filter((s) => s.text.startsWith('DELETE')).length;
    for (let i = 0; i < 100; i++) {
      clock += 1_000; // a hit a second for 100 s
      await counters.hit('dev-token:x', 60_000);
    }
    expect(prunes()).toBe(1);
    clock += 60_000;
    await counters.hit('dev-token:x', 60_000);
    expect(prunes()).toBe(2);
  });

  it('refuses a key longer than the table takes, before asking PostgreSQL', async () => {
    const { pool, statements } = fakePool();
    await expect(rateLimitCounters(pool).hit('k'.repeat(RATE_LIMIT_KEY_MAX + 1), 60_000)).rejects.toThrow(RangeError);
    expect(statements).toHaveLength(0);
  });
});
