import { describe, expect, it } from 'vitest';
import { DAY, deliver, event, recordingActivities, until, timeSkippingSuite, withWorker } from './support/env.test.helpers';

const suite = timeSkippingSuite();

const diagnosis = (patientId: string, at: number) =>
  event(patientId, 'diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: new Date(at).toISOString().slice(0, 10) }, at);

describe('patientPathway on the time-skipping server', () => {
  it('opens the enrolment tasks once for an advanced diagnosis, even when the event is delivered twice', async () => {
    const { activities, commands } = recordingActivities();
    const patientId = 'wf-dedupe';
    const e = diagnosis(patientId, await suite.env.currentTimeMs());
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const handle = await deliver(suite.env, e);
      await deliver(suite.env, e);
      const v = await until(handle, (s) => Object.keys(s.taskIds).length === 4);
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
      await until(handle, (s) => Object.keys(s.taskIds).length === 4);
      const wallStart = Date.now();
      await suite.env.sleep('30 days');
      const wallMs = Date.now() - wallStart;
      expect((await suite.env.currentTimeMs()) - start).toBeGreaterThanOrEqual(30 * DAY);
      expect(wallMs).toBeLessThan(5_000);
      // Within 30 days: PROM reminders (days 2, 4), the not-returned call (day 5), the key-worker reminder (day 2)…
      const v = await until(handle, (s) => s.state.proms.requestsSent >= 2, 'the monthly PROM request');
      expect(Object.values(v.state.tasks).map((t) => t.type)).toEqual(expect.arrayContaining(['prom-not-returned', 'escalation']));
    });
    const kinds = commands().flatMap((c) => (c.kind === 'notify' ? [c.notification.kind] : []));
    expect(kinds.filter((k) => k === 'prom-reminder')).toHaveLength(2);
    expect(kinds).toContain('clinician-reminder');
  });
});
