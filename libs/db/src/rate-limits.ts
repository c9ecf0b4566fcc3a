import type { Pool } from 'pg';

/** A client's hits in its current window (this one included), and when the window ends. */
export interface RateLimitCount {
  hits: number;
  resetsAt: Date;
}

/**
 * The API's rate-limit counters in PostgreSQL (migration 019), shared by every API replica. A
 * window starts at a client's first hit and lasts `windowMs`; a hit after it ended starts the next.
 * Time is the database's (`now()`), so replicas whose clocks differ still agree on one window.
 */
export interface RateLimitCounters {
  /** Counts one hit: one statement, one round trip, atomic under any number of concurrent hits. */
  hit(key: string, windowMs: number): Promise<RateLimitCount>;
  /** Takes one hit back (a request the limiter was told not to count after all). */
  unhit(key: string): Promise<void>;
  /** Forgets a client: its next hit starts a fresh window. */
  forget(key: string): Promise<void>;
}

/** The longest key the table takes (its CHECK). */
export const RATE_LIMIT_KEY_MAX = 64;

// The upsert's SET expressions read the row as it was: a window that is over restarts at 1 and
// gets a new end; one still running counts on. Named, so each connection parses it once.
const HIT = {
  name: 'tandem-rate-limit-hit',
  text: `INSERT INTO rate_limit_counter AS c (key, hits, resets_at)
         VALUES ($1, 1, now() + $2::int * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN c.resets_at <= now() THEN 1 ELSE c.hits + 1 END,
           resets_at = CASE WHEN c.resets_at <= now() THEN now() + $2::int * interval '1 millisecond' ELSE c.resets_at END
         RETURNING hits, resets_at`,
};

/** Removes the counters whose window is over (a later hit would restart them anyway). */
export async function pruneRateLimitCounters(pool: Pick<Pool, 'query'>): Promise<number> {
  return (await pool.query(`DELETE FROM rate_limit_counter WHERE resets_at <= now()`)).rowCount ?? 0;
}

/**
 * Counters over `pool`. Every `pruneEveryMs` a hit also starts, without waiting for it, the removal
 * of the windows that are over: the table holds about one row per client active in the last window,
 * with no timer to stop at shutdown. A failed prune is tried again at the next interval.
 */
export function rateLimitCounters(pool: Pick<Pool, 'query'>, opts: { pruneEveryMs?: number; now?: () => number } = {}): RateLimitCounters {
  const pruneEveryMs = opts.pruneEveryMs ?? 60_000;
  const now = opts.now ?? Date.now;
  let prunedAt = now();
  const maybePrune = () => {
    if (now() - prunedAt < pruneEveryMs) return;
    prunedAt = now();
    pruneRateLimitCounters(pool).catch(() => undefined);
  };
  return {
    async hit(key, windowMs) {
      if (key.length > RATE_LIMIT_KEY_MAX) throw new RangeError(`a rate-limit key has at most ${RATE_LIMIT_KEY_MAX} characters`);
      const r = await pool.query<{ hits: number; resets_at: Date }>({ ...HIT, values: [key, Math.round(windowMs)] });
      maybePrune();
      const row = r.rows[0]!;
      return { hits: row.hits, resetsAt: row.resets_at };
    },
    async unhit(key) {
      await pool.query(`UPDATE rate_limit_counter SET hits = hits - 1 WHERE key = $1 AND hits > 0 AND resets_at > now()`, [key]);
    },
    async forget(key) {
      await pool.query(`DELETE FROM rate_limit_counter WHERE key = $1`, [key]);
    },
  };
}
