import type { TestProject } from 'vitest/node';
import './provided';
import { spawnSync } from 'node:child_process';
import { ensureLocalServices, resetTestDatabase, TEST_DATABASE_URL } from '../local-services';

/** Integration tests: real Temporal, Kafka and PostgreSQL, started here when not already running. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await ensureLocalServices();
  // Through the migrate command (as an operator would), which also keeps this lib free of a dependency on libs/db.
  const migrated = spawnSync('npx', ['tsx', 'libs/db/src/cli/migrate.ts', '--dev-logins'], {
    env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL },
    encoding: 'utf8',
  });
  if (migrated.status !== 0) throw new Error(`migrating the test database failed:\n${migrated.stderr}`);
  await resetTestDatabase();
  project.provide('databaseUrl', TEST_DATABASE_URL);
  project.provide('timeSkippingServer', services.timeSkippingServer);
  return services.stop;
}
