import { bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowBundle } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClinicalEvent } from '@tandem/domain';
import { DEFAULT_POLICY, parseClinicalEvent } from '@tandem/domain';
import { randomBytes } from 'node:crypto';
import { tandemDataConverter } from '@tandem/temporal';
import { advancedDiagnosis, newPatientId } from '@tandem/testing';
import type { OpenTaskCommand, PathwayActivities, PathwayView, PathwayWorkflowInput } from '../src/contract';
import { clinicalEventSignal, PATHWAY_WORKFLOW_TYPE, pathwayStateQuery, pathwayWorkflowId, taskCompletedSignal } from '../src/contract';

const TASK_QUEUE = 'pathway-workflow-test';
const DAY = 24 * 3600 * 1000;

/** Workflow tests encrypt payloads like production does, with a throwaway key. */
const key = { id: 'workflow-test', key: randomBytes(32) };
const dataConverter = tandemDataConverter({ payload: { currentKey: key, decryptionKeys: [key] } });

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundle;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('timeSkippingServer') } },
    client: { dataConverter },
  });
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/index.ts'), logger: new DefaultLogger('WARN') });
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

/** A fake activity at the edge: records the commands and hands back stable task ids. */
function recordingActivities() {
  const opened: OpenTaskCommand[] = [];
  const activities: PathwayActivities = {
    openTask: (c) => {
      opened.push(c);
      return Promise.resolve({ taskId: `task-${opened.length}` });
    },
  };
  return { opened, activities };
}

async function withWorker<T>(activities: PathwayActivities, fn: () => Promise<T>): Promise<T> {
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: bundle, activities, dataConverter });
  return worker.runUntil(fn);
}

const input = (patientId: string): PathwayWorkflowInput => ({ patientId, policy: { policy: DEFAULT_POLICY, timeScale: 1 } });

/** What the kafka-bridge does with an event: start the patient's pathway if needed and signal it. */
function valid(raw: unknown): ClinicalEvent {
  const parsed = parseClinicalEvent(raw);
  if (!parsed.ok) throw new Error(`test event is invalid: ${parsed.detail}`);
  return parsed.event;
}

function deliver(patientId: string, raw: unknown) {
  return env.client.workflow.signalWithStart(PATHWAY_WORKFLOW_TYPE, {
    workflowId: pathwayWorkflowId(patientId),
    taskQueue: TASK_QUEUE,
    args: [input(patientId)],
    signal: clinicalEventSignal,
    signalArgs: [valid(raw)],
  });
}

describe('patientPathway on the time-skipping server', () => {
  it('opens one assign-key-worker task for an advanced diagnosis, even when the event is delivered twice', async () => {
    const { opened, activities } = recordingActivities();
    const patientId = newPatientId();
    const event = advancedDiagnosis(patientId);
    await withWorker(activities, async () => {
      const handle = await deliver(patientId, event);
      await handle.signal(clinicalEventSignal, valid(event));
      const view = await waitForQuery(handle, (v) => Object.keys(v.taskIds).length === 1);
      expect(view.state.stage).toBe('enrolled');
      expect(view.eventsSeen).toBe(1);
    });
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      patientId,
      type: 'assign-key-worker',
      reason: { rule: '2.1.enrolment.assign-key-worker', evidence: { eventIds: [event.id] } },
    });
  });

  it('advances 30 days in a few seconds of wall time and keeps the pathway state and due times', async () => {
    const { opened, activities } = recordingActivities();
    const patientId = newPatientId();
    await withWorker(activities, async () => {
      const handle = await deliver(patientId, advancedDiagnosis(patientId));
      await waitForQuery(handle, (v) => Object.keys(v.taskIds).length === 1);
      const serverStart = await env.currentTimeMs();
      const wallStart = Date.now();
      await env.sleep('30 days');
      const wallMs = Date.now() - wallStart;
      expect((await env.currentTimeMs()) - serverStart).toBeGreaterThanOrEqual(30 * DAY);
      expect(wallMs).toBeLessThan(5_000);
      // The task's due time was computed on workflow time at enrolment: 2 days (policy default).
      const due = Date.parse(opened[0]!.dueAt);
      expect(due - serverStart).toBeLessThanOrEqual(2 * DAY);
      expect(due - serverStart).toBeGreaterThan(2 * DAY - 60_000);
      // After 30 skipped days the workflow still answers and records a completion.
      const commandId = opened[0]!.commandId;
      await handle.signal(taskCompletedSignal, {
        taskId: 'task-1',
        commandId,
        outcome: 'assigned',
        completedAt: new Date(serverStart + 30 * DAY).toISOString(),
      });
      const view = await waitForQuery(handle, (v) => v.state.tasks[commandId]?.status === 'done');
      expect(view.state.tasks[commandId]).toMatchObject({ status: 'done', outcome: 'assigned' });
    });
  });
});

type Handle = { query: (q: typeof pathwayStateQuery) => Promise<PathwayView> };

async function waitForQuery(handle: Handle, ok: (v: PathwayView) => boolean) {
  for (let i = 0; i < 100; i++) {
    const v = await handle.query(pathwayStateQuery);
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('pathway never reached the expected state');
}
