import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';

const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');
/** Any fixed 64-bit number: every Tandem process migrating at once queues on this lock. */
const MIGRATION_LOCK = 7_245_110_301;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

const migrationFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort();

/**
 * For a service at start: every migration this code knows must be in place. Services connect as
 * roles that cannot change the schema (migration 012), so they check and say what to do.
 */
export async function assertMigrated(pool: Pool, dir = MIGRATIONS_DIR): Promise<void> {
  let done: Set<string>;
  try {
    done = new Set((await pool.query<{ name: string }>('SELECT name FROM schema_migration')).rows.map((r) => r.name));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code !== '42P01' && code !== '42501') throw e;
    done = new Set();
  }
  const pending = migrationFiles(dir).filter((f) => !done.has(f));
  if (pending.length > 0)
    throw new Error(
      `the database lacks ${pending.length} migration(s) (${pending.join(', ')}): run \`npm run -s migrate\` with the owner's DATABASE_URL first`,
    );
}

/** Applies pending migrations in file-name order, each in its own transaction, under an advisory lock. */
export async function migrate(pool: Pool, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = migrationFiles(dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migration')).rows.map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      try {
        await client.query('BEGIN');
        await client.query(readFileSync(join(dir, file), 'utf8'));
        await client.query('INSERT INTO schema_migration (name) VALUES ($1)', [file]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(e as Error).message}`);
      }
      applied.push(file);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
