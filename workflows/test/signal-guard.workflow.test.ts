import { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { REFUSED_PAYLOAD_KEY as CODEC_REFUSED_PAYLOAD_KEY } from '@tandem/temporal';
import { clinicalEventSignal, pathwayWorkflowId, taskCompletedSignal } from '../src/contract';
import { REFUSED_PAYLOAD_KEY } from '../src/signal-guard';
import { deliver, event, recordingActivities, until, timeSkippingSuite, withWorker } from './support/env.test.helpers';

/** Issue 26, finding 4: Temporal is a trust boundary. What reaches the pathway around the door is refused, visibly, and the pathway goes on. */
const suite = timeSkippingSuite();

const diagnosis = (patientId: string, at: number) =>
  event(patientId, 'diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: new Date(at).toISOString().slice(0, 10) }, at);
const severeProm = (patientId: string, at: number) =>
  event(patientId, 'prom.submitted', { instrument: 'ESAS-r', responseId: `r-${at}`, scores: { pain: 9 } }, at);
const openOf = (tasks: Record<string, { type: string; status: string }>, type: string) =>
  Object.values(tasks).filter((t) => t.type === type && t.status === 'open');

describe('patientPathway: signals are checked before the pathway takes them in', () => {
  it('the codec and the workflow name the refused-payload marker alike', () => {
    expect(REFUSED_PAYLOAD_KEY).toBe(CODEC_REFUSED_PAYLOAD_KEY);
  });

  it('refuses an unencrypted signal, an invalid one (pain 999) and another patient’s event as problems, and the pathway goes on', async () => {
    const { activities } = recordingActivities();
    const patientId = 'wf-back-door';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const start = await suite.env.currentTimeMs();
      const handle = await deliver(suite.env, diagnosis(patientId, start));
      await until(handle, (s) => Object.keys(s.state.tasks).length === 4);
      // A client without the codec (the Temporal CLI, a script): the payload is plain JSON.
      const plain = new Client({ connection: suite.env.client.connection, namespace: suite.env.client.options.namespace });
      await plain.workflow.getHandle(pathwayWorkflowId(patientId)).signal(clinicalEventSignal, severeProm(patientId, start + 1000));
      // Encrypted, but not an event the domain accepts: pain 999.
      const invalid = severeProm(patientId, start + 2000);
      await handle.signal(clinicalEventSignal, { ...invalid, data: { ...invalid.data, scores: { pain: 999 } } } as typeof invalid);
      // Another patient's event sent to this pathway.
      await handle.signal(clinicalEventSignal, severeProm('wf-someone-else', start + 3000));
      const refused = await until(handle, (s) => (s.problems ?? []).length === 3, 'three refusals on the view');
      expect(refused.problems!.map((p) => p.type)).toEqual(['refused-signal', 'refused-signal', 'refused-signal']);
      // The handler refuses what it can tell at once; the schema check comes when the step is taken.
      expect(refused.problems!.map((p) => p.message)).toEqual(
        expect.arrayContaining([
          expect.stringContaining('payload-unencrypted'),
          expect.stringMatching(/invalid-data\): data\.scores\.pain/),
          expect.stringContaining('wrong-patient'),
        ]),
      );
      expect(JSON.stringify(refused.problems)).not.toContain('999');
      expect(openOf(refused.state.tasks, 'symptom-review')).toHaveLength(0);
      // Only the diagnosis: the unencrypted and the other patient's never reached the de-duplication
      // window, and the encrypted invalid one left it when the step refused it.
      expect(refused.eventsSeen).toBe(1);
      // The pathway goes on: a genuine severe answer, even one with the refused event's identity (source, id),
      // opens its review, and its timers still run.
      await deliver(suite.env, { ...severeProm(patientId, start + 4000), id: invalid.id, source: invalid.source });
      const after = await until(handle, (s) => openOf(s.state.tasks, 'symptom-review').length === 1, 'the review of a genuine answer');
      expect(after.nextTimers.length).toBeGreaterThan(0);
      await suite.env.sleep('3 days');
      await until(handle, (s) => s.state.proms.requestsSent >= 1 || Object.values(s.state.tasks).some((t) => t.escalationLevel > 0), 'a timer fired');
    });
  });

  it('takes a completion naming a command id as long as the engine makes them (an escalation’s, over 256 characters), and refuses one past them', async () => {
    const { activities } = recordingActivities();
    const patientId = 'wf-long-id';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const start = await suite.env.currentTimeMs();
      const handle = await deliver(suite.env, diagnosis(patientId, start));
      await until(handle, (s) => Object.keys(s.state.tasks).length === 4);
      const completedAt = new Date(await suite.env.currentTimeMs()).toISOString();
      // An id of 305 characters (the shape of an on-call escalation's): no task of this pathway, so
      // the rules pass it by — but it is not refused at the door as it was.
      await handle.signal(taskCompletedSignal, {
        taskId: 'task-long',
        commandId: `2.11.ladder.on-call#overdue:${'x'.repeat(277)}`,
        outcome: 'done',
        completedAt,
      });
      await handle.signal(taskCompletedSignal, { taskId: 'task-huge', commandId: 'y'.repeat(5_000), outcome: 'done', completedAt });
      const v = await until(handle, (s) => (s.problems ?? []).length === 1, 'one refusal on the view');
      expect(v.problems!.map((p) => p.message)).toEqual([expect.stringContaining('invalid-completion')]);
    });
  });

  it('refuses a task completion with an outcome its type does not allow, and takes an allowed one', async () => {
    const { activities } = recordingActivities();
    const patientId = 'wf-bad-outcome';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const start = await suite.env.currentTimeMs();
      const handle = await deliver(suite.env, diagnosis(patientId, start));
      const v = await until(handle, (s) => openOf(s.state.tasks, 'acp-conversation').length === 1, 'an open acp-conversation');
      const acp = Object.values(v.state.tasks).find((t) => t.type === 'acp-conversation')!;
      const completedAt = new Date(await suite.env.currentTimeMs()).toISOString();
      await handle.signal(taskCompletedSignal, { taskId: `task-${acp.commandId}`, commandId: acp.commandId, outcome: 'agreed', completedAt });
      await handle.signal(taskCompletedSignal, { taskId: 'x', commandId: acp.commandId, outcome: 'ready', completedAt: 'yesterday' });
      const refused = await until(handle, (s) => (s.problems ?? []).length === 2, 'two refusals on the view');
      expect(refused.problems!.map((p) => p.message)).toEqual([expect.stringContaining('invalid-outcome'), expect.stringContaining('invalid-completion')]);
      expect(refused.state.tasks[acp.commandId]!.status).toBe('open');
      await handle.signal(taskCompletedSignal, { taskId: `task-${acp.commandId}`, commandId: acp.commandId, outcome: 'ready', completedAt });
      const done = await until(handle, (s) => s.state.tasks[acp.commandId]?.status === 'done', 'the allowed outcome taken');
      expect(done.state.acp.status).toBe('ready');
    });
  });
});
