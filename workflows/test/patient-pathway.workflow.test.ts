import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { HELD_LIMIT_REASON, MAX_HELD_BEFORE_ENROLMENT, RULES_REVISION } from '@tandem/domain';
import { DAY, deliver, event, policy, recordingActivities, TASK_QUEUE, until, timeSkippingSuite, view, withWorker } from './support/env.test.helpers';
import { PATHWAY_WORKFLOW_TYPE, pathwayWorkflowId } from '../src/contract';

const suite = timeSkippingSuite();

const diagnosis = (patientId: string, at: number) =>
  event(patientId, 'diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: new Date(at).toISOString().slice(0, 10) }, at);

describe('patientPathway on the time-skipping server', () => {
  it('starts a new pathway at the current rules revision, before any input (not at revision 3, climbing through the markers)', async () => {
    const { activities } = recordingActivities();
    const patientId = 'wf-current-revision';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const handle = await suite.env.client.workflow.start(PATHWAY_WORKFLOW_TYPE, {
        workflowId: pathwayWorkflowId(patientId),
        taskQueue: TASK_QUEUE,
        args: [{ patientId, policy: policy() }],
      });
      expect((await view(handle)).state.revision).toBe(RULES_REVISION);
      await handle.terminate('test finished');
    });
  });

  it('opens the enrolment tasks once for an advanced diagnosis, even when the event is delivered twice', async () => {
    const { activities, commands } = recordingActivities();
    const patientId = 'wf-dedupe';
    const e = diagnosis(patientId, await suite.env.currentTimeMs());
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const handle = await deliver(suite.env, e);
      await deliver(suite.env, e);
      const v = await until(handle, (s) => Object.keys(s.state.tasks).length === 4);
      expect(v.state.stage).toBe('enrolled');
      expect(v.eventsSeen).toBe(1);
    });
    const opened = commands().filter((c) => c.kind === 'open-task');
    expect(opened.map((c) => (c.kind === 'open-task' ? c.task.type : '')).sort()).toEqual([
      'acp-conversation',
      'assign-key-worker',
      'baseline-assessment',
      'explain-palliative-care',
    ]);
    expect(opened.every((c) => c.kind === 'open-task' && c.task.reason.evidence.eventIds)).toBe(true);
  });

  it('advances 30 days in a few seconds of wall time, firing the timers that fall due on the way', async () => {
    const { activities, commands } = recordingActivities();
    const patientId = 'wf-30-days';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const start = await suite.env.currentTimeMs();
      const handle = await deliver(suite.env, diagnosis(patientId, start));
      await until(handle, (s) => Object.keys(s.state.tasks).length === 4);
      const wallStart = Date.now();
      await suite.env.sleep('30 days');
      const wallMs = Date.now() - wallStart;
      expect((await suite.env.currentTimeMs()) - start).toBeGreaterThanOrEqual(30 * DAY);
      // Time skips: 30 days pass in seconds (generous for a busy machine; without skipping this would be 30 days).
      expect(wallMs).toBeLessThan(60_000);
      // Within 30 days: PROM reminders (days 2, 4), the not-returned call (day 5), the key-worker reminder (day 2)…
      const v = await until(handle, (s) => s.state.proms.requestsSent >= 2, 'the monthly PROM request');
      expect(Object.values(v.state.tasks).map((t) => t.type)).toEqual(expect.arrayContaining(['prom-not-returned', 'escalation']));
    });
    const kinds = commands().flatMap((c) => (c.kind === 'notify' ? [c.notification.kind] : []));
    expect(kinds.filter((k) => k === 'prom-reminder')).toHaveLength(2);
    expect(kinds).toContain('clinician-reminder');
  });
});

describe('patientPathway: failures and parked events', () => {
  it('a step refused for good (non-retryable) is shown on the pathway view, and the patient’s other work flows on', async () => {
    const { activities: recording, commands } = recordingActivities();
    const patientId = 'wf-step-refused';
    let refused = 0;
    const activities = {
      carryOut: (r: Parameters<typeof recording.carryOut>[0]) => {
        // The step of one particular event cannot succeed (e.g. a constraint the data breaks).
        if (r.sourceEventId === refusedEvent.id) {
          refused++;
          return Promise.reject(ApplicationFailure.nonRetryable('SQLSTATE 23514', 'integrity-constraint-violation'));
        }
        return recording.carryOut(r);
      },
    };
    const start = await suite.env.currentTimeMs();
    const refusedEvent = event(patientId, 'encounter.discharged', { encounterId: 'e1', destination: 'home' }, start + 1000);
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const handle = await deliver(suite.env, diagnosis(patientId, start));
      await until(handle, (s) => Object.keys(s.state.tasks).length === 4);
      await deliver(suite.env, refusedEvent);
      const v = await until(handle, (s) => (s.problems ?? []).length === 1, 'the problem on the view');
      expect(v.problems![0]).toMatchObject({ type: 'integrity-constraint-violation', message: 'SQLSTATE 23514' });
      // Not retried for ever: the next event's step is carried out.
      await deliver(suite.env, event(patientId, 'clinical.flag', { flag: 'delirium' }, start + 2000));
      await until(handle, (s) => Object.values(s.state.tasks).some((t) => t.type === 'specialist-referral-proposal'), 'the next step');
    });
    expect(refused).toBe(1);
    expect(commands().some((c) => c.kind === 'open-task' && c.task.type === 'specialist-referral-proposal')).toBe(true);
  });

  it('an event parked past the holding limit is taken again when it is replayed', async () => {
    const { activities, commands } = recordingActivities();
    const patientId = 'wf-held-limit';
    const start = await suite.env.currentTimeMs();
    const held = Array.from({ length: MAX_HELD_BEFORE_ENROLMENT + 1 }, (_, i) => event(patientId, 'sact.administered', {}, start - (200 - i) * 3_600_000));
    await withWorker(suite.env, suite.workflows, activities, async () => {
      let handle = await deliver(suite.env, held[0]!);
      for (const e of held.slice(1)) handle = await deliver(suite.env, e);
      await until(handle, () => commands().some((c) => c.kind === 'park-event'), 'the oldest event parked');
      const parked = commands().find((c) => c.kind === 'park-event');
      expect(parked).toMatchObject({ event: { id: held[0]!.id }, reason: HELD_LIMIT_REASON });
      expect((await until(handle, () => true)).state.heldBeforeEnrolment!.map((e) => e.id)).not.toContain(held[0]!.id);
      await deliver(suite.env, held[0]!); // what `npm run dlq:replay` does with the parked record
      await until(handle, (s) => s.state.heldBeforeEnrolment!.some((e) => e.id === held[0]!.id), 'the replayed event taken, not dropped as a duplicate');
    });
  });
});
