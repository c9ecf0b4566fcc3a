import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@tandem/config';
import { waitFor } from '@tandem/testing';
import { startMeasuresRefresh } from '../src/measures-refresh';

/**
 * The measures' background refresh runs once for the whole system (issue 27): of two worker
 * replicas on one database, only the one holding the lead refreshes; when it stops, the other takes over.
 */
let pool: Pool;
beforeAll(() => {
  pool = new Pool({ connectionString: inject('databaseUrl'), max: 6 });
});
afterAll(async () => {
  await pool?.end();
});

describe('the measures refresh', () => {
  it('runs in one replica at a time, and moves to another when the leader stops', async () => {
    const log = createLogger('worker', 'error');
    const calls = { a: 0, b: 0 };
    const a = startMeasuresRefresh({ pool, log, everyMs: 50, refresh: () => Promise.resolve(calls.a++) });
    await waitFor(() => (calls.a >= 3 ? true : undefined), { what: 'the first replica leading', timeoutMs: 10_000 });
    const b = startMeasuresRefresh({ pool, log, everyMs: 50, refresh: () => Promise.resolve(calls.b++) });
    const aBefore = calls.a;
    await waitFor(() => (calls.a >= aBefore + 5 ? true : undefined), { what: 'the leader going on', timeoutMs: 10_000 });
    expect(calls.b).toBe(0);
    await a.stop();
    await waitFor(() => (calls.b >= 3 ? true : undefined), { what: 'the second replica taking over', timeoutMs: 10_000 });
    const aStopped = calls.a;
    await b.stop();
    expect(calls.a).toBe(aStopped);
    expect(a.passes).toBe(aStopped);
    expect(b.passes).toBe(calls.b);
  }, 40_000);
});
