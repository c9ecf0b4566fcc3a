import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import type { LocalServices } from '@tandem/infra/stack';
import { downLocalServices, upLocalServices } from '@tandem/infra/stack';
import { DATABASE_SERVICES, EMBEDDED_DATABASE, EMBEDDED_DATABASE_URL, embeddedServiceUrl, serviceUrlSetting } from '@tandem/config';

/** Tests use their own database on the embedded cluster, never the development one. */
export const TEST_DATABASE = 'tandem_test';
export const TEST_DATABASE_URL = EMBEDDED_DATABASE_URL.replace(/\/[^/]+$/, `/${TEST_DATABASE}`);

/**
 * Starts the real local services (Temporal dev server, Kafka, embedded PostgreSQL, the mail catcher) unless they
 * already run, and returns a function that stops only the ones it started.
 */
export async function ensureLocalServices(): Promise<{ stop: () => Promise<void>; timeSkippingServer: string }> {
  const wanted: LocalServices = { temporal: true, kafka: true, postgres: true, mail: true };
  const { started, tools } = await upLocalServices(wanted, ['tandem', TEST_DATABASE]);
  return { stop: () => downLocalServices(started), timeSkippingServer: tools.timeSkippingServer };
}

/** Empties the test database's tables so each suite starts from a known state. */
export async function resetTestDatabase(): Promise<void> {
  const client = new Client({ ...EMBEDDED_DATABASE, database: TEST_DATABASE });
  await client.connect();
  try {
    await client.query(`DO $$ DECLARE t text; BEGIN
      FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migration', 'audit') LOOP
        EXECUTE format('TRUNCATE %I CASCADE', t);
      END LOOP; END $$;`);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own on the embedded cluster, made afresh and migrated, for a test that must see
 * only its own rows (the API fuzzer follows every task it can list). Returns its URL.
 */
export async function freshDatabase(name: string): Promise<string> {
  const client = new Client({ ...EMBEDDED_DATABASE, database: TEST_DATABASE });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = EMBEDDED_DATABASE_URL.replace(/\/[^/]+$/, `/${name}`);
  const migrated = spawnSync('npx', ['tsx', 'libs/db/src/cli/migrate.ts', '--dev-logins'], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
  if (migrated.status !== 0) throw new Error(`migrating ${name} failed:\n${migrated.stderr}`);
  return url;
}

/**
 * The settings that point Tandem at a test database as production would: the owner's URL
 * (migrations, the test's own checks) and each service's own role (migration 012).
 */
export function databaseEnv(ownerUrl: string): Record<string, string> {
  return {
    DATABASE_URL: ownerUrl,
    ...Object.fromEntries(DATABASE_SERVICES.map((s) => [serviceUrlSetting(s), embeddedServiceUrl(ownerUrl, s)])),
  };
}
