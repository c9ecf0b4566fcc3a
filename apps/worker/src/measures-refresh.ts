import type { Pool } from 'pg';
import type { Logger } from '@tandem/config';
import { leadership, refreshDirtyMeasures } from '@tandem/db';

/** Every Tandem's workers share this lead: one refresh pass at a time for the whole system. */
const MEASURES_REFRESH_LEADERSHIP = 'tandem-measures-refresh';
/** How often the measure items are brought up to date between requests (the API also does so before it answers). */
export const MEASURES_REFRESH_EVERY_MS = 10_000;

export interface MeasuresRefresh {
  /** Passes run by this process (it ran them as the leader). */
  readonly passes: number;
  stop(): Promise<void>;
}

/**
 * Folds changed patients into the measure items in the background, once for the whole system: the
 * worker replica that holds the lead does it (a PostgreSQL advisory lock, as the outbox relay's);
 * the others stand by and take over if it goes. The API still brings the items up to date before
 * it answers, so this only keeps that step short; it used to run in every API replica.
 */
export function startMeasuresRefresh(o: { pool: Pool; log: Logger; everyMs?: number; refresh?: (pool: Pool) => Promise<unknown> }): MeasuresRefresh {
  const lead = leadership(o.pool, MEASURES_REFRESH_LEADERSHIP);
  const refresh = o.refresh ?? ((pool: Pool) => refreshDirtyMeasures(pool));
  let passes = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    if (!(await lead.lead())) return;
    await refresh(o.pool);
    passes++;
  };
  const loop = () => {
    if (stopped) return;
    running = pass()
      .catch((e: unknown) => o.log.warn('measure refresh failed; trying again', { error: (e as Error).message }))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, o.everyMs ?? MEASURES_REFRESH_EVERY_MS);
      });
  };
  loop();
  return {
    get passes() {
      return passes;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await lead.release();
    },
  };
}
