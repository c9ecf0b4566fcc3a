import { describe, expect, it } from 'vitest';
import { DAY, diagnosis, enrolled, iso, Journey, notified, opened, policyWith, T0 } from './support';

describe('2.1 at enrolment', () => {
  it.each([
    { rule: '2.1.enrolment.assign-key-worker', type: 'assign-key-worker', queue: 'coordination', priority: 'soon', days: 2 },
    { rule: '2.1.enrolment.baseline-assessment', type: 'baseline-assessment', queue: 'oncology', priority: 'routine', days: 14 },
    { rule: '2.1.enrolment.explain-palliative-care', type: 'explain-palliative-care', queue: 'oncology', priority: 'routine', days: 14 },
    { rule: '2.1.enrolment.acp-conversation', type: 'acp-conversation', queue: 'oncology', priority: 'routine', days: 30 },
  ])('$rule opens $type in $queue, due in $days days, with its evidence', ({ rule, type, queue, priority, days }) => {
    const j = new Journey();
    const e = diagnosis();
    const [open] = opened(j.send(e), type);
    expect(open!.task).toMatchObject({
      type,
      queue,
      priority,
      dueAt: iso(T0 + days * DAY),
      reason: { rule, evidence: { eventIds: [e.id], cancerType: 'C34.9' } },
    });
  });

  it('2.1.enrolment.baseline-prom sends ESAS-r and the Distress Thermometer to the patient at once', () => {
    const [request] = notified(new Journey().send(diagnosis()), 'prom-request');
    expect(request!.notification).toMatchObject({
      recipient: { role: 'patient' },
      patientFacing: true,
      reason: { rule: '2.1.enrolment.baseline-prom', evidence: { instruments: ['ESAS-r', 'DT'] } },
    });
  });

  it('2.1.enrolment.gp-update tells the GP within a day', () => {
    const [gp] = notified(new Journey().send(diagnosis()), 'gp-update');
    expect(gp!.notification).toMatchObject({ recipient: { role: 'gp' }, reason: { rule: '2.1.enrolment.gp-update', evidence: { dueWithin: 'P1D' } } });
  });

  it.each([
    { name: 'a non-advanced diagnosis', data: { advanced: false }, tasks: 0 },
    { name: 'an advanced diagnosis', data: {}, tasks: 4 },
  ])('enrols on $name only', ({ data, tasks }) => {
    expect(opened(new Journey().send(diagnosis(data)))).toHaveLength(tasks);
  });

  it('enrols once: a second advanced diagnosis opens nothing new', () => {
    const j = enrolled();
    expect(opened(j.send(diagnosis({ cancerType: 'C50.9' })))).toHaveLength(0);
  });

  it.each([
    { scale: 1, due: T0 + 2 * DAY },
    { scale: 86_400, due: T0 + 2_000 },
  ])('scales due times by TANDEM_TIME_SCALE ($scale)', ({ scale, due }) => {
    const [open] = opened(new Journey(policyWith(undefined, scale)).send(diagnosis()), 'assign-key-worker');
    expect(open!.task.dueAt).toBe(iso(due));
  });

  it('takes its numbers from the policy', () => {
    const [open] = opened(
      new Journey(policyWith((p) => (p.enrolment.assignKeyWorker = { due: 'P1D', priority: 'urgent' }))).send(diagnosis()),
      'assign-key-worker',
    );
    expect(open!.task).toMatchObject({ priority: 'urgent', dueAt: iso(T0 + DAY) });
  });
});
