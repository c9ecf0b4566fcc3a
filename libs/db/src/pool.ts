import { Pool } from 'pg';
import type { DatabaseService, TandemConfig } from '@tandem/config';

/**
 * One pg pool per process; every statement is bounded so a stuck query cannot hang a worker. A
 * service connects as its own role (`service`); without one, as the owner (migrations, operators' CLIs).
 */
export function createPool(config: Pick<TandemConfig, 'database'>, opts: { max?: number; statementTimeoutMs?: number; service?: DatabaseService } = {}): Pool {
  const pool = new Pool({
    connectionString: opts.service ? config.database.services[opts.service] : config.database.url,
    ssl: config.database.ssl ? { rejectUnauthorized: true } : undefined,
    max: opts.max ?? 10,
    options: `-c statement_timeout=${opts.statementTimeoutMs ?? 15_000}`,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return pool;
}
