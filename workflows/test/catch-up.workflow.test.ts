import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { ClinicalEvent, PathwayCommand } from '@tandem/domain';
import { DAY, deliver, event, policy, recordingActivities, until, timeSkippingSuite, view, withWorker } from './support/env.test.helpers';
import { HISTORY_PATCH } from '../src/catch-up';
import { historyLoadedSignal } from '../src/contract';
import { HISTORY_VERSION, maybeSaveHistory, patchesOf, runsOf } from './support/history.test.helpers';

const suite = timeSkippingSuite();

const history = (e: ClinicalEvent): ClinicalEvent => ({ ...e, history: true });
const diagnosis = (patientId: string, at: number) =>
  event(patientId, 'diagnosis.recorded', { cancerType: 'C34.9', advanced: true, diagnosedAt: new Date(at).toISOString().slice(0, 10) }, at);
const answer = (patientId: string, at: number, n: number) =>
  event(patientId, 'prom.submitted', { instrument: 'ESAS-r', responseId: `${patientId}-r${n}`, scores: { pain: 2, tiredness: 3 } }, at);
const performance = (patientId: string, at: number) => event(patientId, 'performance.recorded', { ecog: 1 }, at);

/** When each PROM request was sent, as its measure fact records it (days after `t0`). */
const requestDays = (commands: PathwayCommand[], t0: number) =>
  commands.flatMap((c) => (c.kind === 'record-fact' && c.fact.name === 'prom-requested' ? [Math.round((Date.parse(c.fact.at) - t0) / DAY)] : []));
const openedTypes = async (handle: WorkflowHandle) => Object.values((await view(handle)).state.tasks).map((t) => t.type);

describe('a pathway catching up with a history (catch-up.ts, ADR 0019)', () => {
  it('steps a history on its own clock: each event at its clinical time, the timers due before it first, at their own time; the ladders wait for the present', async () => {
    const { activities, commands, requests } = recordingActivities();
    const patientId = 'wf-history';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const now = await suite.env.currentTimeMs();
      const t0 = now - 100 * DAY;
      const handle = await deliver(suite.env, history(diagnosis(patientId, t0)));
      await deliver(suite.env, history(answer(patientId, t0 + 3 * DAY, 1)));
      await deliver(suite.env, history(performance(patientId, t0 + 60 * DAY)));
      await until(handle, (v) => v.eventsSeen === 3 && v.state.proms.requestsSent === 3, 'three requests in the history');
      // The baseline request at diagnosis, answered; the monthly ones at days 30 and 60, the first unanswered until its call on day 35.
      expect(requestDays(commands(), t0)).toEqual([0, 30, 60]);
      const call = Object.values((await view(handle)).state.tasks).find((t) => t.type === 'prom-not-returned');
      expect(call && Math.round((Date.parse(call.openedAt) - t0) / DAY)).toBe(35);
      // Every step said when it was: its notifications are that old, and the notifier will not deliver them.
      expect(requests.every((r) => r.at !== undefined && Date.parse(r.at) <= t0 + 60 * DAY)).toBe(true);
      // Months of open tasks, yet no escalation: the staff's work is not in a history, so it is not judged on it.
      expect(await openedTypes(handle)).not.toContain('escalation');

      await handle.signal(historyLoadedSignal);
      await until(handle, (v) => v.state.proms.requestsSent === 4, 'the request due since the history');
      // Day 90 fell due after the history's last event and before now: sent at its own time.
      expect(requestDays(commands(), t0)).toEqual([0, 30, 60, 90]);
      expect(await openedTypes(handle)).toContain('escalation');
      // In the present, the pathway runs on the workflow's clock again: the next request is a timer ahead.
      const next = (await view(handle)).nextTimers.find((t) => t.kind === 'prom-due');
      expect(next && Date.parse(next.fireAt)).toBeGreaterThan(now);
      // Recorded for the replay tests (UPDATE_HISTORIES=1): a history caught up with, behind its patch.
      const [run] = await runsOf(suite.env, patientId, handle.signaledRunId);
      expect(patchesOf(run!.history)).toContain(HISTORY_PATCH);
      maybeSaveHistory(`${HISTORY_VERSION}-history-catch-up-run1`, run!.history);
    });
  });

  it('a live event brings a pathway that was catching up into the present; after it, a history mark changes nothing', async () => {
    const { activities, commands, requests } = recordingActivities();
    const patientId = 'wf-history-live';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const now = await suite.env.currentTimeMs();
      const t0 = now - 45 * DAY;
      const handle = await deliver(suite.env, history(diagnosis(patientId, t0)));
      await until(handle, (v) => v.eventsSeen === 1, 'the diagnosis');
      expect(requestDays(commands(), t0)).toEqual([0]);
      const stepsBefore = requests.length;
      await deliver(suite.env, answer(patientId, now, 2));
      await until(handle, (v) => v.eventsSeen === 2 && v.state.proms.requestsSent === 2, 'the request due since the history');
      expect(requestDays(commands(), t0)).toEqual([0, 30]);
      // The live event's own step runs on the workflow's clock (no history time on it).
      expect(requests.slice(stepsBefore).some((r) => r.at === undefined)).toBe(true);
      const stepsLive = requests.length;
      await deliver(suite.env, history(event(patientId, 'prognosis.estimated', { months: 2 }, t0 + DAY)));
      await until(handle, (v) => v.eventsSeen === 3, 'the late history event');
      expect(requests.length).toBeGreaterThan(stepsLive);
      expect(requests.slice(stepsLive).every((r) => r.at === undefined)).toBe(true);
    });
  });

  it('a history is stepped in clinical time even when the policy compresses time (the demo’s TANDEM_TIME_SCALE)', async () => {
    const { activities, commands } = recordingActivities();
    const patientId = 'wf-history-scaled';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const now = await suite.env.currentTimeMs();
      const t0 = now - 70 * DAY;
      const handle = await deliver(suite.env, history(diagnosis(patientId, t0)), policy(1440));
      await deliver(suite.env, history(performance(patientId, t0 + 65 * DAY)), policy(1440));
      await until(handle, (v) => v.eventsSeen === 2 && v.state.proms.requestsSent === 3, 'three requests in the history');
      // Monthly in clinical time, not every 30 minutes.
      expect(requestDays(commands(), t0)).toEqual([0, 30, 60]);
    });
  });

  it('a pathway that began live does not catch up: a history mark on a later event is stepped in the present', async () => {
    const { activities, requests } = recordingActivities();
    const patientId = 'wf-history-after-live';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const now = await suite.env.currentTimeMs();
      const handle = await deliver(suite.env, diagnosis(patientId, now));
      await until(handle, (v) => v.eventsSeen === 1, 'the diagnosis');
      await deliver(suite.env, history(answer(patientId, now - 10 * DAY, 1)));
      await until(handle, (v) => v.eventsSeen === 2, 'the answer');
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.every((r) => r.at === undefined)).toBe(true);
    });
  });
});
