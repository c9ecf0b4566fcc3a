import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '@tandem/testing';
import { assertMigrated, migrate } from '../src/migrate';

/**
 * Migrations on the real database (libs/db/src/migrate.ts): a numbered migration is history and may
 * not change once applied; a repeatable one (the write function) is applied again when, and only
 * when, its file changes. Each case works on a copy of the migrations folder, never on the tracked one.
 */
const TRACKED = join(__dirname, '..', 'migrations');
let pool: Pool;
let dir: string;

beforeAll(async () => {
  pool = new Pool({ connectionString: await freshDatabase('tandem_migrate'), max: 2 });
}, 120_000);
afterAll(async () => {
  await pool?.end();
});

const copy = () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), 'tandem-migrations-'));
  cpSync(TRACKED, dir, { recursive: true });
  return dir;
};
const checksums = async () =>
  new Map((await pool.query<{ name: string; checksum: string | null }>('SELECT name, checksum FROM schema_migration')).rows.map((r) => [r.name, r.checksum]));

describe('migrate', () => {
  it('applies nothing to a database already up to date, and keeps a checksum for every migration', async () => {
    const result = await migrate(pool, copy());
    expect(result.applied).toEqual([]);
    const recorded = await checksums();
    expect(recorded.get('R__carry_out.sql')).toMatch(/^[0-9a-f]{64}$/);
    expect([...recorded.values()].every((c) => c !== null)).toBe(true);
    await expect(assertMigrated(pool, dir)).resolves.toBeUndefined();
  });

  it('applies the write function again when its file changes, and only then', async () => {
    appendFileSync(join(copy(), 'R__carry_out.sql'), '\n-- a reviewed change\n');
    await expect(assertMigrated(pool, dir)).rejects.toThrow(/lacks 1 migration\(s\) \(R__carry_out\.sql\): run `npm run -s migrate`/);
    expect((await migrate(pool, dir)).applied).toEqual(['R__carry_out.sql']);
    expect((await migrate(pool, dir)).applied).toEqual([]);
    await expect(assertMigrated(pool, dir)).resolves.toBeUndefined();
    // Back to the tracked file: applied once more, so the database runs what the code has.
    expect((await migrate(pool, TRACKED)).applied).toEqual(['R__carry_out.sql']);
  });

  it('refuses to run, and names the file, when an applied numbered migration was edited; nothing is applied', async () => {
    const edited = copy();
    appendFileSync(join(edited, '006_carry_out.sql'), '\nSELECT 1;\n');
    appendFileSync(join(edited, 'R__carry_out.sql'), '\n-- would be applied if migrate ran\n');
    const before = await checksums();
    await expect(migrate(pool, edited)).rejects.toThrow(
      /migration 006_carry_out\.sql changed after it was applied to this database: an applied migration is never edited/,
    );
    await expect(assertMigrated(pool, edited)).rejects.toThrow(/006_carry_out\.sql changed after it was applied/);
    expect(await checksums()).toEqual(before);
  });

  it('takes a migration applied before checksums were kept as it is now, then holds it to that', async () => {
    await pool.query(`UPDATE schema_migration SET checksum = NULL WHERE name = '007_park_held_events.sql'`);
    const edited = copy();
    appendFileSync(join(edited, '007_park_held_events.sql'), '\n-- as the file is today\n');
    expect((await migrate(pool, edited)).applied).toEqual([]);
    expect((await checksums()).get('007_park_held_events.sql')).toMatch(/^[0-9a-f]{64}$/);
    await expect(migrate(pool, TRACKED)).rejects.toThrow(/migration 007_park_held_events\.sql changed after it was applied/);
  });
});
