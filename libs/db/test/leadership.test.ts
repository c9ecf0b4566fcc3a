import { EventEmitter } from 'node:events';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { leadership } from '../src/leadership';

/**
 * A stand-in for a pg pool whose connections are counted: which statements each one ran, whether
 * it went back to the pool broken. `lockFree` says whether pg_try_advisory_lock would grant the lock;
 * `probe` decides how a held connection answers `SELECT 1`.
 */
class FakeClient extends EventEmitter {
  readonly queries: string[] = [];
  released: 'ok' | 'broken' | undefined;
  constructor(private readonly server: FakeServer) {
    super();
  }
  query(sql: string) {
    this.queries.push(sql);
    if (/pg_try_advisory_lock/.test(sql)) return Promise.resolve({ rows: [{ ok: this.server.lockFree }] });
    if (/pg_advisory_unlock/.test(sql)) return Promise.resolve({ rows: [{ ok: true }] });
    return this.server.probe();
  }
  release(broken?: boolean) {
    this.released = broken ? 'broken' : 'ok';
  }
}

class FakeServer {
  lockFree = true;
  probe: () => Promise<unknown> = () => Promise.resolve({ rows: [{ '?column?': 1 }] });
  readonly clients: FakeClient[] = [];
  readonly pool = {
    connect: () => {
      const c = new FakeClient(this);
      this.clients.push(c);
      return Promise.resolve(c);
    },
  } as unknown as Pool;
}

const PROBE = 'SELECT 1';

describe('leadership (a PostgreSQL advisory lock on a held connection)', () => {
  it('a leader asks its connection at most once per recheck interval, not on every pass', async () => {
    const server = new FakeServer();
    let clock = 1_000_000;
    const lead = leadership(server.pool, 'relay', { recheckEveryMs: 1_000, now: () => clock });
    expect(await lead.lead()).toBe(true);
    const held = server.clients[0]!;
    // A busy relay runs passes back to back: ten passes within the interval cost no round trip.
    for (let i = 0; i < 10; i++) {
      clock += 50;
      expect(await lead.lead()).toBe(true);
    }
    expect(held.queries.filter((q) => q === PROBE)).toHaveLength(0);
    expect(server.clients).toHaveLength(1);
    // Past the interval the next pass probes once, and the one after that is free again.
    clock += 1_000;
    expect(await lead.lead()).toBe(true);
    expect(await lead.lead()).toBe(true);
    expect(held.queries.filter((q) => q === PROBE)).toHaveLength(1);
  });

  it.each(['error', 'end'] as const)("a held connection that emits '%s' steps the leader down at once, without a probe", async (event) => {
    const server = new FakeServer();
    const clock = 1_000_000;
    const lead = leadership(server.pool, 'relay', { recheckEveryMs: 60_000, now: () => clock });
    expect(await lead.lead()).toBe(true);
    const lost = server.clients[0]!;
    // The server ended the session (and with it the lock); another process takes the lock.
    if (event === 'error') lost.emit('error', new Error('terminating connection due to administrator command'));
    else lost.emit('end');
    server.lockFree = false;
    // Well within the recheck interval, the next pass already knows: it asks for the lock afresh and stands by.
    expect(await lead.lead()).toBe(false);
    expect(lost.queries.filter((q) => q === PROBE)).toHaveLength(0);
    expect(lost.released).toBe('broken');
    expect(server.clients).toHaveLength(2);
    expect(server.clients[1]!.released).toBe('ok');
  });

  it('a probe that fails steps the leader down, and the lead is taken again on a fresh connection', async () => {
    const server = new FakeServer();
    let clock = 1_000_000;
    const lead = leadership(server.pool, 'relay', { recheckEveryMs: 1_000, now: () => clock });
    expect(await lead.lead()).toBe(true);
    server.probe = () => Promise.reject(new Error('Connection terminated unexpectedly'));
    clock += 1_000;
    expect(await lead.lead()).toBe(false);
    expect(server.clients[0]!.released).toBe('broken');
    server.probe = () => Promise.resolve({ rows: [] });
    expect(await lead.lead()).toBe(true);
    expect(server.clients).toHaveLength(2);
  });

  it('a probe that never answers (a silently dead connection) steps the leader down after the probe timeout', async () => {
    const server = new FakeServer();
    let clock = 1_000_000;
    const lead = leadership(server.pool, 'relay', { recheckEveryMs: 1_000, probeTimeoutMs: 20, now: () => clock });
    expect(await lead.lead()).toBe(true);
    server.probe = () => new Promise(() => undefined);
    clock += 1_000;
    expect(await lead.lead()).toBe(false);
    expect(server.clients[0]!.released).toBe('broken');
  });

  it('release gives the lock back and the connection to the pool', async () => {
    const server = new FakeServer();
    const lead = leadership(server.pool, 'relay');
    expect(await lead.lead()).toBe(true);
    await lead.release();
    const held = server.clients[0]!;
    expect(held.queries.at(-1)).toMatch(/pg_advisory_unlock/);
    expect(held.released).toBe('ok');
    // A later event on the returned connection is the pool's business, not a leader's.
    expect(held.listenerCount('error')).toBe(0);
    expect(held.listenerCount('end')).toBe(0);
  });

  it('a process that finds the lock taken stands by and returns the connection', async () => {
    const server = new FakeServer();
    server.lockFree = false;
    const lead = leadership(server.pool, 'relay');
    expect(await lead.lead()).toBe(false);
    expect(await lead.lead()).toBe(false);
    expect(server.clients.map((c) => c.released)).toEqual(['ok', 'ok']);
  });
});
