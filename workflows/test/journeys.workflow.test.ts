import type { WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { PathwayCommand } from '@tandem/domain';
import { DEFAULT_POLICY } from '@tandem/domain';
import { complete, DAY, deliver, event, recordingActivities, until, view, timeSkippingSuite, withWorker } from './support/env.test.helpers';
import { HISTORY_VERSION, maybeSaveHistory, runsOf } from './support/history.test.helpers';

/** Whole journeys of docs/clinical-rules.md on the time-skipping server, with the real workflow and a recording activity. */
const suite = timeSkippingSuite();

const now = () => suite.env.currentTimeMs();
const diagnosis = (p: string, at: number, data: Record<string, unknown> = {}) =>
  event(p, 'diagnosis.recorded', { cancerType: 'C25.0', advanced: true, diagnosedAt: new Date(at).toISOString().slice(0, 10), ...data }, at);
const prom = (p: string, scores: Record<string, number>, at: number) => event(p, 'prom.submitted', { instrument: 'ESAS-r', responseId: `r-${at}`, scores }, at);
const patientFacingAfter = (commands: PathwayCommand[], from: number) =>
  commands.filter((c) => c.kind === 'notify' && c.notification.patientFacing && Date.parse(c.notification.reason.evidence.sentAt as string) >= from);

/** Answers every outstanding PROM each month for `months` months, moving the server clock. */
async function concurrentCare(handle: WorkflowHandle, patientId: string, months: number): Promise<void> {
  for (let m = 0; m < months; m++) {
    await suite.env.sleep(30 * DAY);
    const v = await view(handle);
    if (v.state.proms.outstanding) await deliver(suite.env, prom(patientId, { pain: 2, tiredness: 3, wellbeing: 2 }, await now()));
  }
}

describe('journeys', () => {
  it('(a) diagnosis → 13 months of concurrent care → referral → end of life → death → bereavement until closure', async () => {
    const { activities, commands, ends } = recordingActivities();
    const p = 'journey-a';
    const wall = Date.now();
    let firstRunId = '';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const handle = await deliver(suite.env, diagnosis(p, await now(), { medianSurvivalMonths: 24 }));
      firstRunId = handle.signaledRunId;
      await deliver(suite.env, event(p, 'caregiver.registered', { caregiverId: 'c1', relationship: 'wife', consentToShare: true }, await now()));
      await complete(suite.env, handle, 'assign-key-worker', 'assigned');
      await complete(suite.env, handle, 'caregiver-assessment', 'done');
      await concurrentCare(handle, p, 13);
      await deliver(suite.env, event(p, 'disease.progressed', { line: 2 }, await now()));
      await complete(suite.env, handle, 'specialist-referral-proposal', 'agreed');
      await complete(suite.env, handle, 'specialist-referral-triage', 'seen');
      expect((await view(handle)).state).toMatchObject({ stage: 'specialist-involvement', level: 'tertiary' });
      await deliver(suite.env, event(p, 'patient.dying', {}, await now()));
      await until(handle, (v) => v.state.stage === 'end-of-life');
      await suite.env.sleep(3 * DAY);
      const diedAt = await now();
      await deliver(suite.env, event(p, 'patient.died', { placeOfDeath: 'home' }, diedAt));
      await until(handle, (v) => v.state.stage === 'bereavement');
      await complete(suite.env, handle, 'bereavement-contact', 'done');
      await suite.env.sleep(43 * DAY);
      await complete(suite.env, handle, 'bereavement-check-in', 'done');
      await suite.env.sleep(140 * DAY);
      await complete(suite.env, handle, 'grief-screening', 'done');
      await suite.env.sleep(214 * DAY);
      await complete(suite.env, handle, 'grief-screening', 'done').catch(() => undefined);
      // The pathway closes; its duties all over, its workflow ends (ADR 0017), its end and what it held
      // recorded for PostgreSQL ...
      await handle.result();
      expect(ends).toHaveLength(1);
      expect(ends[0]).toMatchObject({
        patientId: p,
        reason: 'bereavement-complete',
        carried: { state: { stage: 'closed', closure: { reason: 'bereavement-complete' } } },
      });
      // ... and a later event never starts a fresh run that knows nothing: the bridge is told the pathway
      // ended, and the ended state decides (libs/domain lateEventForEndedPathway; the whole-system test).
      const writesAtEnd = commands().length;
      await expect(deliver(suite.env, diagnosis(p, await now()))).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      expect(commands().slice(writesAtEnd)).toEqual([]);
      expect(patientFacingAfter(commands(), diedAt)).toEqual([]);
    });
    const wallMs = Date.now() - wall;
    const runs = await runsOf(suite.env, p, firstRunId);
    process.stdout.write(
      `journey (a): ${(wallMs / 1000).toFixed(1)} s wall, ${runs.length} run(s), history events per run: ${runs.map((r) => r.events).join(', ')}\n`,
    );
    // The wall time is reported, not asserted: a busy machine is slower, and a timed assertion is not a benchmark.
    runs.forEach((r, i) => maybeSaveHistory(`${HISTORY_VERSION}-journey-a-run${i + 1}`, r.history));
    const rules = new Set(commands().flatMap((c) => (c.kind === 'open-task' ? [c.task.reason.rule] : [])));
    expect([...rules]).toEqual(
      expect.arrayContaining([
        '2.1.enrolment.assign-key-worker',
        '2.3.time.progression-second-line',
        '2.3.referral.agreed',
        '2.8.eol.care-plan',
        '2.9.bereavement.contact',
        '2.9.bereavement.grief-screening',
      ]),
    );
  });

  it('(b) severe symptom → review → closed-loop follow-up still severe → urgent referral → triage', async () => {
    const { activities, commands } = recordingActivities();
    const p = 'journey-b';
    let firstRunId = '';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const handle = await deliver(suite.env, diagnosis(p, await now(), { medianSurvivalMonths: 24 }));
      firstRunId = handle.signaledRunId;
      await deliver(suite.env, prom(p, { pain: 8 }, await now()));
      await complete(suite.env, handle, 'specialist-referral-proposal', 'declined');
      await complete(suite.env, handle, 'symptom-review', 'done');
      await suite.env.sleep(7 * DAY + 1000);
      await until(handle, (v) => v.state.proms.followUp !== undefined, 'the follow-up PROM');
      await deliver(suite.env, prom(p, { pain: 8 }, await now()));
      const v = await until(handle, (s) => Object.values(s.state.tasks).some((t) => t.type === 'specialist-referral-proposal' && t.status === 'open'));
      expect(Object.values(v.state.tasks).find((t) => t.type === 'specialist-referral-proposal' && t.status === 'open')).toMatchObject({
        priority: 'urgent',
        reason: { rule: '2.2.closed-loop.still-severe' },
      });
      await complete(suite.env, handle, 'specialist-referral-proposal', 'agreed');
    });
    const triage = commands().find((c) => c.kind === 'open-task' && c.task.type === 'specialist-referral-triage');
    expect(triage).toMatchObject({ task: { queue: 'specialist-palliative', priority: 'urgent', reason: { rule: '2.3.referral.agreed' } } });
    const runs = await runsOf(suite.env, p, firstRunId);
    runs.forEach((r, i) => maybeSaveHistory(`${HISTORY_VERSION}-journey-b-run${i + 1}`, r.history));
  });

  it('(c) death while a PROM reminder is pending: no contact with the patient after death', async () => {
    const { activities, commands } = recordingActivities();
    const p = 'journey-c';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      const handle = await deliver(suite.env, diagnosis(p, await now()));
      await suite.env.sleep(1 * DAY); // baseline PROM outstanding, reminders due on days 2 and 4
      expect((await view(handle)).state.proms.outstanding).toMatchObject({ instruments: ['ESAS-r', 'DT'] });
      const diedAt = await now();
      await deliver(suite.env, event(p, 'patient.died', { placeOfDeath: 'hospice' }, diedAt));
      await until(handle, (v) => v.state.stage === 'bereavement');
      await suite.env.sleep(60 * DAY);
      await deliver(suite.env, event(p, 'encounter.discharged', { encounterId: 'late', destination: 'home' }, diedAt - DAY)); // a late event from before the death
      await suite.env.sleep(DAY);
      const after = commands().filter((c) => c.kind === 'notify' && c.notification.patientFacing);
      expect(after.every((c) => c.kind === 'notify' && Date.parse(c.notification.reason.evidence.sentAt as string) < diedAt)).toBe(true);
      expect(commands().filter((c) => c.kind === 'notify' && c.notification.kind === 'prom-reminder')).toEqual([]);
    });
  });

  it('(d) a two-year journey keeps every run under 2,000 history events', async () => {
    const { activities } = recordingActivities();
    const p = 'journey-d';
    let firstRunId = '';
    await withWorker(suite.env, suite.workflows, activities, async () => {
      // A site policy with weekly PROMs during systemic therapy (docs/clinical-rules.md 2.2), on therapy throughout.
      const weekly = structuredClone(DEFAULT_POLICY);
      weekly.proms.intervalDuringSystemicTherapy = 'P7D';
      const sitePolicy = { policy: weekly, timeScale: 1 };
      const handle = await deliver(suite.env, diagnosis(p, await now(), { medianSurvivalMonths: 30 }), sitePolicy);
      firstRunId = handle.signaledRunId;
      await deliver(suite.env, event(p, 'treatment.started', { line: 1, intent: 'palliative' }, await now()), sitePolicy);
      // Two years of concurrent care with no one answering anything: every monthly PROM runs its
      // whole ladder and every task escalates — the busiest timer load there is. (No signals while
      // time skips: the Java test server mishandles a continue-as-new racing a signal, which the
      // real server retries.)
      await suite.env.sleep(730 * DAY);
      await until(handle, (v) => v.state.stage !== 'none');
    });
    const runs = await runsOf(suite.env, p, firstRunId);
    process.stdout.write(`journey (d): ${runs.length} run(s), history events per run: ${runs.map((r) => r.events).join(', ')}\n`);
    expect(runs.length).toBeGreaterThan(1);
    for (const r of runs) expect(r.events).toBeLessThan(2_000);
    runs.forEach((r, i) => maybeSaveHistory(`${HISTORY_VERSION}-journey-d-run${i + 1}`, r.history));
  });
});
