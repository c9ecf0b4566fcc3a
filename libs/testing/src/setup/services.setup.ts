import type { TestProject } from 'vitest/node';
import './provided';
import { loadConfig } from '@tandem/config';
import { createPool, migrate } from '@tandem/db';
import { ensureLocalServices, resetTestDatabase, TEST_DATABASE_URL } from '../local-services';


/** Integration tests: real Temporal, Kafka and PostgreSQL, started here when not already running. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await ensureLocalServices();
  const pool = createPool({ database: loadConfig({ ...process.env, DATABASE_URL: TEST_DATABASE_URL }).database }, { max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  await resetTestDatabase();
  project.provide('databaseUrl', TEST_DATABASE_URL);
  project.provide('timeSkippingServer', services.timeSkippingServer);
  return services.stop;
}
