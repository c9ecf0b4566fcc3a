import type { NativeConnection, WorkerOptions, WorkflowBundle } from '@temporalio/worker';
import { Runtime, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { TandemConfig } from '@tandem/config';
import { createActivities, createDigestActivities } from '@tandem/activities';
import type { ResolvedPolicy } from '@tandem/domain';
import { DEFAULT_POLICY, durationMs } from '@tandem/domain';
import { createPromLinks } from '@tandem/db';
import { tandemDataConverter } from '@tandem/temporal';
import { workflowBundlerOptions } from '@tandem/temporal/bundle';

export interface PathwayWorkerOptions {
  connection: NativeConnection;
  config: Pick<TandemConfig, 'temporal' | 'payload' | 'publicUrl' | 'worker'>;
  pool: Pool;
  taskQueue?: string;
  /** A prebuilt bundle (tests bundle once per suite); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkflowBundle;
  /** The pathway policy (the digest's time zone); the built-in defaults when not given. */
  policy?: ResolvedPolicy;
}

export const workflowsPath = require.resolve('@tandem/workflows');

/** The Temporal worker: the bundled pathway and digest workflows plus activities wired to PostgreSQL. */
export function createPathwayWorker(o: PathwayWorkerOptions): Promise<Worker> {
  return Worker.create(pathwayWorkerOptions(o));
}

/** What the worker is created with, apart from creating it (a test reads the options the settings give). */
export function pathwayWorkerOptions(o: PathwayWorkerOptions): WorkerOptions {
  const policy = o.policy ?? { policy: DEFAULT_POLICY, timeScale: 1 };
  const links = createPromLinks(o.config, durationMs(policy, policy.policy.patientContact.linkValidFor));
  return {
    connection: o.connection,
    namespace: o.config.temporal.namespace,
    taskQueue: o.taskQueue ?? o.config.temporal.taskQueue,
    // The worker's memory is its workflow cache: undefined keeps the SDK's heap-derived default.
    maxCachedWorkflows: o.config.worker.maxCachedWorkflows,
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath, bundlerOptions: workflowBundlerOptions }),
    activities: {
      ...createActivities({ pool: o.pool, links }),
      ...createDigestActivities({ pool: o.pool, policy }),
    },
    // A payload that is not encrypted, or does not authenticate (forged, moved from another workflow),
    // becomes a refused marker the workflow records as a problem: it never fails the workflow task
    // for ever (docs/security.md). The log names the reason and the workflow id only, never content.
    dataConverter: tandemDataConverter(o.config, {
      undecodable: 'mark',
      onRefused: (r) => {
        Runtime.instance().logger.warn('payload refused by the codec', { reason: r.reason, workflowId: r.workflowId });
      },
    }),
  };
}
