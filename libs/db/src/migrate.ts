import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';

const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');
/** Any fixed 64-bit number: every Tandem process migrating at once queues on this lock. */
const MIGRATION_LOCK = 7_245_110_301;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Two kinds of migration, as in Flyway: numbered ones (`017_known_staff.sql`), applied once each in
 * order and never edited after, and repeatable ones (`R__carry_out.sql`): a definition that lives in
 * one file (the write function), applied after the numbered ones whenever its checksum changes.
 */
const VERSIONED = /^\d{3}_[a-z0-9_]+\.sql$/;
const REPEATABLE = /^R__[a-z0-9_]+\.sql$/;

interface MigrationFile {
  name: string;
  repeatable: boolean;
  sql: string;
  checksum: string;
}

function migrationFiles(dir: string): MigrationFile[] {
  const names = readdirSync(dir);
  const read = (name: string, repeatable: boolean): MigrationFile => {
    const sql = readFileSync(join(dir, name), 'utf8');
    return { name, repeatable, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  };
  return [
    ...names
      .filter((f) => VERSIONED.test(f))
      .sort()
      .map((f) => read(f, false)),
    ...names
      .filter((f) => REPEATABLE.test(f))
      .sort()
      .map((f) => read(f, true)),
  ];
}

interface Applied {
  name: string;
  checksum: string | null;
}

/** The migrations a database holds; `null` when it has none (no table, or a role that cannot read it). */
async function appliedIn(db: Pick<Pool | PoolClient, 'query'>): Promise<Map<string, string | null> | null> {
  try {
    const rows = (await db.query<Applied>('SELECT name, checksum FROM schema_migration')).rows;
    return new Map(rows.map((r) => [r.name, r.checksum]));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === '42P01' || code === '42501') return null; // no table yet, or no grant
    if (code === '42703')
      return new Map((await db.query<Applied>('SELECT name, NULL AS checksum FROM schema_migration')).rows.map((r) => [r.name, r.checksum]));
    throw e;
  }
}

/**
 * A numbered migration once applied is history: its file must stay as it was. One applied before
 * checksums were kept (NULL) is taken as it is now, the first time `migrate` sees it.
 */
function editedAfterApplied(files: MigrationFile[], done: Map<string, string | null>): MigrationFile[] {
  return files.filter((f) => !f.repeatable && done.has(f.name) && done.get(f.name) !== null && done.get(f.name) !== f.checksum);
}

function editedError(edited: MigrationFile[]): Error {
  return new Error(
    `migration ${edited.map((f) => f.name).join(', ')} changed after it was applied to this database: ` +
      'an applied migration is never edited. Restore the file (git log shows its history) and put the change in a new numbered migration.',
  );
}

/**
 * For a service at start: every migration this code knows must be in place, and each repeatable one
 * as this code has it. Services connect as roles that cannot change the schema (migration 012), so
 * they check and say what to do.
 */
export async function assertMigrated(pool: Pool, dir = MIGRATIONS_DIR): Promise<void> {
  const files = migrationFiles(dir);
  const done = (await appliedIn(pool)) ?? new Map<string, string | null>();
  const edited = editedAfterApplied(files, done);
  if (edited.length > 0) throw editedError(edited);
  const pending = files.filter((f) => !done.has(f.name) || (f.repeatable && done.get(f.name) !== f.checksum));
  if (pending.length > 0)
    throw new Error(
      `the database lacks ${pending.length} migration(s) (${pending.map((f) => f.name).join(', ')}): run \`npm run -s migrate\` with the owner's DATABASE_URL first`,
    );
}

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock: the numbered ones
 * in file-name order, then each repeatable one whose checksum changed. Refuses to run at all, and
 * says which, when a numbered migration already applied has a different file now.
 */
export async function migrate(pool: Pool, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = migrationFiles(dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    await client.query('ALTER TABLE schema_migration ADD COLUMN IF NOT EXISTS checksum text');
    const done = (await appliedIn(client)) ?? new Map<string, string | null>();
    const edited = editedAfterApplied(files, done);
    if (edited.length > 0) throw editedError(edited);
    const applied: string[] = [];
    for (const file of files) {
      const recorded = done.get(file.name);
      if (done.has(file.name) && (recorded === file.checksum || (!file.repeatable && recorded === null))) {
        // Applied before checksums were kept: remember the file as it is from now on.
        if (recorded === null) await client.query('UPDATE schema_migration SET checksum = $2 WHERE name = $1', [file.name, file.checksum]);
        continue;
      }
      try {
        await client.query('BEGIN');
        await client.query(file.sql);
        await client.query(
          `INSERT INTO schema_migration (name, checksum) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()`,
          [file.name, file.checksum],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file.name} failed: ${(e as Error).message}`);
      }
      applied.push(file.name);
    }
    return { applied, alreadyApplied: [...done.keys()].filter((n) => !applied.includes(n)).length };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
