import type { TestProject } from 'vitest/node';
import './provided';
import { provisionTimeSkippingServer } from '@tandem/infra/provision';

/** Workflow tests: only the time-skipping test server is needed; the SDK launches it per suite. */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('timeSkippingServer', await provisionTimeSkippingServer());
  project.provide('databaseUrl', '');
}
