import type { WorkflowHandle } from '@temporalio/client';
import { afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { ClinicalEvent, PathwayCommand, ResolvedPolicy } from '@tandem/domain';
import { DEFAULT_POLICY, parseClinicalEvent } from '@tandem/domain';
import { tandemDataConverter } from '@tandem/temporal';
import { bundleWorkflows } from '@tandem/temporal/bundle';
import type { CarryOutRequest, PathwayActivities, PathwayEndRequest, PathwayView, PathwayWorkflowInput } from '../../src/contract';
import { clinicalEventSignal, PATHWAY_WORKFLOW_TYPE, pathwayStateQuery, pathwayWorkflowId, taskCompletedSignal } from '../../src/contract';
import { vetEvents } from '../../src/vet-events';

/**
 * A fixed, test-only payload key: committed replay histories are encrypted with it, so replay
 * tests can decode them. Never used outside tests.
 */
const TEST_KEY = { id: 'workflow-test', key: Buffer.from('dGFuZGVtLXdvcmtmbG93LXRlc3RzLW9ubHktMzJieXQ=', 'base64') };
export const dataConverter = tandemDataConverter({ payload: { currentKey: TEST_KEY, decryptionKeys: [TEST_KEY] } });
export const TASK_QUEUE = 'pathway-workflow-test';
export const DAY = 24 * 3600 * 1000;

/** The workflow code, bundled once per suite. */
export function bundle(): Promise<WorkflowBundle> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed by another suite in this process
  }
  return bundleWorkflows(require.resolve('../../src/index.ts'));
}

/** Registers a suite's hooks: one workflow bundle per file, a fresh time-skipping server per test. */
export function timeSkippingSuite(): { env: TestWorkflowEnvironment; workflows: WorkflowBundle } {
  const suite = {} as { env: TestWorkflowEnvironment; workflows: WorkflowBundle };
  beforeAll(async () => {
    suite.workflows = await bundle();
  }, 120_000);
  beforeEach(async () => {
    suite.env = await createEnv(inject('timeSkippingServer'));
  }, 60_000);
  afterEach(async () => {
    await suite.env?.teardown();
  });
  return suite;
}

/**
 * A fresh time-skipping server per test (about a second to start): a pathway left running by one
 * test (its timers, an activity in flight) would otherwise hold the shared clock for the next.
 */
export function createEnv(serverPath: string): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: serverPath } }, client: { dataConverter } });
}

/** A fake activity at the edge: records every command it is asked to carry out, and every pathway end. */
export function recordingActivities() {
  const requests: CarryOutRequest[] = [];
  const ends: PathwayEndRequest[] = [];
  const activities: PathwayActivities = {
    carryOut: (r) => {
      requests.push(r);
      return Promise.resolve({ opened: r.commands.filter((c) => c.kind === 'open-task').length });
    },
    vetEvents,
    recordPathwayEnd: (r) => {
      ends.push(r);
      return Promise.resolve();
    },
    endedPathway: () => Promise.resolve(null),
  };
  const commands = (): PathwayCommand[] => requests.flatMap((r) => r.commands);
  return { requests, activities, commands, ends };
}

const started = new Set<string>();

/**
 * Runs `fn` with a worker, then terminates the pathways it started: a pathway left running would
 * hold its next workflow task on the stopped worker's sticky queue and stall time skipping.
 */
export async function withWorker<T>(
  env: TestWorkflowEnvironment,
  bundle: WorkflowBundle,
  activities: Pick<PathwayActivities, 'carryOut'> & Partial<PathwayActivities>,
  fn: () => Promise<T>,
): Promise<T> {
  // The worker's own vetting of events (the domain's schema) unless a test brings its own; a pathway's end is accepted and forgotten unless the test records it.
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: bundle,
    activities: { vetEvents, recordPathwayEnd: () => Promise.resolve(), endedPathway: () => Promise.resolve(null), ...activities },
    dataConverter,
  });
  return worker.runUntil(async () => {
    try {
      return await fn();
    } finally {
      for (const id of started)
        await env.client.workflow
          .getHandle(id)
          .terminate('test finished')
          .catch(() => undefined);
      started.clear();
    }
  });
}

export const policy = (timeScale = 1): ResolvedPolicy => ({ policy: DEFAULT_POLICY, timeScale });

let counter = 0;
/** A valid event at a given clinical time, validated like the bridge validates it. */
export function event(patientId: string, type: string, data: Record<string, unknown>, timeMs: number): ClinicalEvent {
  const parsed = parseClinicalEvent({
    specversion: '1.0',
    id: `wf-evt-${++counter}-${patientId}`,
    source: 'test',
    type,
    subject: patientId,
    time: new Date(timeMs).toISOString(),
    data,
  });
  if (!parsed.ok) throw new Error(`invalid test event: ${parsed.detail}`);
  return parsed.event;
}

/**
 * What the kafka-bridge does with an event: start the patient's pathway if needed and signal it. A
 * pathway that ended is not started afresh (the bridge's reuse policy): that is a
 * WorkflowExecutionAlreadyStartedError, as the bridge gets it.
 */
export function deliver(env: TestWorkflowEnvironment, e: ClinicalEvent, p: ResolvedPolicy = policy()) {
  const input: PathwayWorkflowInput = { patientId: e.subject, policy: p };
  return env.client.workflow.signalWithStart(PATHWAY_WORKFLOW_TYPE, {
    workflowId: pathwayWorkflowId(e.subject),
    taskQueue: TASK_QUEUE,
    args: [input],
    signal: clinicalEventSignal,
    signalArgs: [e],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
  });
}

export async function view(handle: WorkflowHandle): Promise<PathwayView> {
  return handle.query(pathwayStateQuery);
}

/** Waits until the pathway has handled what it was sent (queries are answered between workflow tasks). */
export async function until(handle: WorkflowHandle, ok: (v: PathwayView) => boolean, what = 'the expected pathway state'): Promise<PathwayView> {
  for (let i = 0; i < 200; i++) {
    const v = await view(handle);
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`pathway never reached ${what}`);
}

export async function complete(env: TestWorkflowEnvironment, handle: WorkflowHandle, type: string, outcome: string): Promise<void> {
  const v = await until(handle, (s) => Object.values(s.state.tasks).some((t) => t.type === type && t.status === 'open'), `an open ${type}`);
  const task = Object.values(v.state.tasks).find((t) => t.type === type && t.status === 'open')!;
  await handle.signal(taskCompletedSignal, {
    taskId: `task-${task.commandId}`,
    commandId: task.commandId,
    outcome,
    completedAt: new Date(await env.currentTimeMs()).toISOString(),
  });
  await until(handle, (s) => s.state.tasks[task.commandId]?.status === 'done', `${type} recorded as done`);
}
