import type { Pool, PoolClient } from 'pg';

/**
 * One holder at a time across processes and machines, by a PostgreSQL session advisory lock: the
 * outbox relay publishes rows in creation order, so two relays publishing at once could interleave
 * a patient's events. Whoever holds the lock leads; the others stand by and ask again each pass.
 * A leader that dies (process killed, connection lost) loses the lock with its session, and the
 * next one to ask takes over. Not a fencing token: a leader cut off mid-batch may publish that
 * batch once more after a successor started — duplicates carry their id, consumers drop them.
 */
export interface Leadership {
  /** True when this process leads now (taking the lead if it is free). */
  lead(): Promise<boolean>;
  /** Gives the lead up (on shutdown), so another takes over at once rather than on its next try. */
  release(): Promise<void>;
}

export interface LeadershipOptions {
  /**
   * How long a leader trusts its held connection without asking it (`SELECT 1`). Loss the driver
   * sees — the server ending the session, the socket closing or failing — steps the leader down at
   * once through the connection's events; this bounds only a loss nobody was told of.
   */
  recheckEveryMs?: number;
  /** A probe not answered within this is taken as a dead connection (a half-open socket never answers). */
  probeTimeoutMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

/**
 * Once a second: the relay passes every 100–250 ms (and back to back under load), so probing every
 * pass was up to ten round trips a second on the held connection for nothing the events do not
 * already say. A second is less than the failover it could overlap: a successor gets the lock
 * only after the server ended the old session, which the old leader is told of unless the network
 * between them is gone too.
 */
export const LEADERSHIP_RECHECK_MS = 1_000;
/** Below the pool's statement timeout (15 s), above any healthy round trip. */
export const LEADERSHIP_PROBE_TIMEOUT_MS = 5_000;

/** A stable 64-bit lock key for a name (FNV-1a), as the bigint PostgreSQL expects. */
export function leadershipLockKey(name: string): string {
  let h = 0xcbf29ce484222325n;
  for (const c of Buffer.from(name)) h = BigInt.asIntN(64, (h ^ BigInt(c)) * 0x100000001b3n);
  return h.toString();
}

export function leadership(pool: Pool, name: string, opts: LeadershipOptions = {}): Leadership {
  const key = leadershipLockKey(name);
  const recheckEveryMs = opts.recheckEveryMs ?? LEADERSHIP_RECHECK_MS;
  const probeTimeoutMs = opts.probeTimeoutMs ?? LEADERSHIP_PROBE_TIMEOUT_MS;
  const now = opts.now ?? Date.now;
  let held: PoolClient | undefined;
  /** When the held connection last proved alive (the lock taken, or a probe answered). */
  let provedAt = 0;
  // 'error' comes with any failure of the connection, idle or not (pg also reports an unexpected end
  // as an error); 'end' covers an end reported without one. Either way the session, and the lock, are gone.
  const onLost = () => {
    if (held) drop(held, true);
  };
  const drop = (client: PoolClient, broken: boolean) => {
    if (held !== client) return;
    held = undefined;
    client.off('error', onLost);
    client.off('end', onLost);
    client.release(broken);
  };
  const probe = async (client: PoolClient): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('leadership probe timed out')), probeTimeoutMs);
    });
    try {
      await Promise.race([client.query('SELECT 1'), timedOut]);
      return true;
    } catch {
      // Released as broken, the connection is closed: a probe still waiting on it fails, and the lock
      // goes with the session if the server still had it.
      drop(client, true);
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    async lead() {
      if (held) {
        const client = held;
        if (now() - provedAt < recheckEveryMs) return true;
        if (!(await probe(client))) return false;
        provedAt = now();
        return held === client;
      }
      const client = await pool.connect();
      try {
        const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
        if (r.rows[0]?.ok) {
          client.on('error', onLost);
          client.on('end', onLost);
          held = client;
          provedAt = now();
          return true;
        }
        client.release();
        return false;
      } catch (e) {
        client.release(true);
        throw e;
      }
    },
    async release() {
      const client = held;
      if (!client) return;
      try {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
        drop(client, false);
      } catch {
        drop(client, true);
      }
    },
  };
}
