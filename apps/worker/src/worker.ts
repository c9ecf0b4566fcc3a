import type { NativeConnection, WorkflowBundle } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { TandemConfig } from '@tandem/config';
import { createActivities } from '@tandem/activities';
import { tandemDataConverter } from '@tandem/temporal';
import { workflowBundlerOptions } from '@tandem/temporal/bundle';

export interface PathwayWorkerOptions {
  connection: NativeConnection;
  config: Pick<TandemConfig, 'temporal' | 'payload'>;
  pool: Pool;
  taskQueue?: string;
  /** A prebuilt bundle (tests bundle once per suite); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkflowBundle;
}

export const workflowsPath = require.resolve('@tandem/workflows');

/** The Temporal worker: the bundled pathway workflows plus activities wired to PostgreSQL. */
export function createPathwayWorker(o: PathwayWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.config.temporal.namespace,
    taskQueue: o.taskQueue ?? o.config.temporal.taskQueue,
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath, bundlerOptions: workflowBundlerOptions }),
    activities: createActivities({ pool: o.pool }),
    dataConverter: tandemDataConverter(o.config),
  });
}
