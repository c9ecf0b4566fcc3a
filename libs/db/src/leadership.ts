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

/** A stable 64-bit lock key for a name (FNV-1a), as the bigint PostgreSQL expects. */
function lockKey(name: string): string {
  let h = 0xcbf29ce484222325n;
  for (const c of Buffer.from(name)) h = BigInt.asIntN(64, (h ^ BigInt(c)) * 0x100000001b3n);
  return h.toString();
}

export function leadership(pool: Pool, name: string): Leadership {
  const key = lockKey(name);
  let held: PoolClient | undefined;
  const onError = () => {
    if (held) drop(held, true);
  };
  const drop = (client: PoolClient, broken: boolean) => {
    if (held !== client) return;
    held = undefined;
    client.off('error', onError);
    client.release(broken);
  };
  return {
    async lead() {
      if (held) {
        const client = held;
        try {
          await client.query('SELECT 1');
          return true;
        } catch {
          drop(client, true);
          return false;
        }
      }
      const client = await pool.connect();
      try {
        const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
        if (r.rows[0]?.ok) {
          client.on('error', onError);
          held = client;
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
