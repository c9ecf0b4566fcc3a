import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { complete, deliver, event, recordingActivities, until, timeSkippingSuite, withWorker } from './support/env.test.helpers';

/** Pathways that end (ADR 0017): the workflow completes once its duties are over, and not before. */
const suite = timeSkippingSuite();

const diagnosis = (patientId: string, at: number) =>
  event(patientId, 'diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: new Date(at).toISOString().slice(0, 10) }, at);
const withdrawal = (patientId: string, at: number) => event(patientId, 'consent.changed', { scope: 'pathway', decision: 'withdrawn' }, at);

describe('a pathway whose duties are all over', () => {
  it('ends its workflow at a withdrawal, recording its closure and the state a later run would start from', async () => {
    const { activities, ends } = recordingActivities();
    const patientId = 'wf-end-withdrawn';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const start = await suite.env.currentTimeMs();
      const handle = await deliver(suite.env, diagnosis(patientId, start));
      await until(handle, (s) => Object.keys(s.state.tasks).length === 4);
      await deliver(suite.env, withdrawal(patientId, start + 60_000));
      await handle.result();
      expect(ends).toEqual([
        expect.objectContaining({
          patientId,
          reason: 'withdrawn',
          carried: expect.objectContaining({ state: expect.objectContaining({ stage: 'closed' }), seenEvents: expect.arrayContaining([expect.any(String)]) }),
        }),
      ]);
      expect(ends[0]!.carried.seenEvents).toHaveLength(2);
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      // Not started afresh: the bridge finds it ended.
      await expect(deliver(suite.env, diagnosis(patientId, start + 120_000))).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    });
  });

  it('stays while a severe answer’s review is open after the withdrawal, and ends once it is done', async () => {
    const { activities, ends } = recordingActivities();
    const patientId = 'wf-end-after-review';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const start = await suite.env.currentTimeMs();
      const handle = await deliver(suite.env, diagnosis(patientId, start));
      await until(handle, (s) => Object.keys(s.state.tasks).length === 4);
      await deliver(suite.env, event(patientId, 'prom.submitted', { instrument: 'ESAS-r', responseId: 'r-1', scores: { pain: 9 } }, start + 1000));
      await until(handle, (s) => Object.values(s.state.tasks).some((t) => t.type === 'symptom-review' && t.status === 'open'));
      await deliver(suite.env, withdrawal(patientId, start + 60_000));
      await until(handle, (s) => s.state.stage === 'closed');
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(ends).toEqual([]);
      await complete(suite.env, handle, 'symptom-review', 'done').catch(() => undefined);
      await handle.result();
      expect(ends).toHaveLength(1);
      expect(ends[0]).toMatchObject({ reason: 'withdrawn' });
    });
  });
});
