import { describe, expect, it } from 'vitest';
import { DAY, enrolled, event, facts, HOUR, iso, notified, opened, prom, T0 } from './support';

const died = (placeOfDeath = 'home', at = T0 + 10 * DAY) => event('patient.died', { placeOfDeath }, at);

describe('2.9 death and bereavement', () => {
  it('2.9.death.cancel: every open patient task is cancelled with reason patient-died, and no PROM follows', () => {
    const j = enrolled();
    j.send(prom({ pain: 9 }, T0 + DAY));
    j.send(died());
    const open = Object.values(j.state.tasks).filter((t) => t.status === 'open');
    expect(open.map((t) => t.type)).toEqual(['bereavement-contact']);
    expect(
      Object.values(j.state.tasks)
        .filter((t) => t.status === 'cancelled')
        .every((t) => t.outcome === 'patient-died'),
    ).toBe(true);
    const later = j.advance(400 * DAY);
    expect(notified(later).filter((n) => n.notification.patientFacing)).toEqual([]);
  });

  it.each([
    { preferred: 'home', actual: 'home', concordant: true },
    { preferred: 'home', actual: 'hospital', concordant: false },
    { preferred: undefined, actual: 'hospice', concordant: null },
  ])('2.9.death.place-of-death: preferred $preferred, died at $actual', ({ preferred, actual, concordant }) => {
    const j = enrolled();
    if (preferred) j.send(event('acp.documented', { preferredPlaceOfDeath: preferred }, T0 + DAY));
    const [fact] = facts(j.send(died(actual)), 'death');
    expect(fact!.fact.value).toEqual({ placeOfDeath: actual, preferred: preferred ?? null, concordant });
  });

  it('2.9.death.notify tells the GP and every team involved', () => {
    const rules = notified(enrolled().send(died())).map((n) => `${n.notification.reason.rule}/${n.notification.recipient.role}`);
    expect(rules).toEqual(expect.arrayContaining(['2.9.death.notify/gp', '2.9.death.notify/team']));
  });

  it('2.9.bereavement.contact, check-in and grief screening for each caregiver, then the pathway closes', () => {
    const j = enrolled();
    j.send(event('caregiver.registered', { caregiverId: 'c1', relationship: 'wife', consentToShare: true }, T0));
    j.send(event('caregiver.registered', { caregiverId: 'c2', relationship: 'son', consentToShare: true }, T0));
    const deathAt = T0 + 10 * DAY;
    j.now = deathAt;
    const contacts = opened(j.send(died('home', deathAt)), 'bereavement-contact');
    expect(contacts.map((c) => c.task.subject).sort()).toEqual(['caregiver:c1', 'caregiver:c2']);
    expect(contacts[0]!.task).toMatchObject({ queue: 'bereavement', dueAt: iso(deathAt + 14 * DAY), reason: { rule: '2.9.bereavement.contact' } });
    for (const c of ['c1', 'c2']) j.complete('bereavement-contact', 'done', `caregiver:${c}`);
    const checkIns = opened(j.advance(6 * 7 * DAY), 'bereavement-check-in');
    expect(checkIns).toHaveLength(2);
    expect(checkIns[0]!.task).toMatchObject({ dueAt: iso(deathAt + 56 * DAY), reason: { rule: '2.9.bereavement.check-in' } });
    for (const t of j.openOf('bereavement-check-in')) j.complete('bereavement-check-in', 'done', t.subject);
    const grief6 = opened(j.advance(182 * DAY - 42 * DAY), 'grief-screening');
    expect(grief6).toHaveLength(2);
    expect(grief6[0]!.task.reason.rule).toBe('2.9.bereavement.grief-screening');
    for (const t of j.openOf('grief-screening')) j.complete('grief-screening', 'done', t.subject);
    expect(j.state.stage).toBe('bereavement');
    expect(opened(j.advance(395 * DAY - 182 * DAY), 'grief-screening')).toHaveLength(2);
    for (const t of j.openOf('grief-screening')) j.complete('grief-screening', 'done', t.subject);
    // Caregivers' own assessments are not cancelled by the death (2.10a): the pathway closes once they are done too.
    expect(
      j
        .openOf('caregiver-assessment')
        .map((t) => t.subject)
        .sort(),
    ).toEqual(['caregiver:c1', 'caregiver:c2']);
    expect(j.state.stage).toBe('bereavement');
    for (const t of j.openOf('caregiver-assessment')) j.complete('caregiver-assessment', 'done', t.subject);
    expect(j.state).toMatchObject({ stage: 'closed', closure: { reason: 'bereavement-complete' } });
  });

  it('2.9.bereavement.contact opens for the key worker to identify the family when no caregiver is registered', () => {
    const [c] = opened(enrolled().send(died()), 'bereavement-contact');
    expect(c!.task).toMatchObject({ queue: 'coordination', subject: 'identify-family', reason: { evidence: { identifyFamily: true } } });
  });
});

describe('2.10 consent and exits', () => {
  it('2.10.consent.proms: a decline stops requests at once; granting again resumes them', () => {
    const j = enrolled();
    const out = j.send(event('consent.changed', { scope: 'proms', decision: 'declined' }, T0 + HOUR));
    expect(facts(out, 'consent-proms')[0]!.fact.reason.rule).toBe('2.10.consent.proms');
    expect(notified(j.advance(60 * DAY)).filter((n) => n.notification.kind.startsWith('prom'))).toEqual([]);
    j.send(event('consent.changed', { scope: 'proms', decision: 'granted' }, j.now));
    expect(notified(j.advance(HOUR), 'prom-request')).toHaveLength(1);
  });

  it('2.10.consent.referral: a decline cancels the open proposal and stops the time-based clock', () => {
    const j = enrolled();
    j.send(event('clinical.flag', { flag: 'existential-crisis' }, T0 + HOUR));
    j.send(event('consent.changed', { scope: 'referral', decision: 'declined' }, T0 + 2 * HOUR));
    expect(j.open('specialist-referral-proposal')).toBeUndefined();
    expect(opened(j.send(event('clinical.flag', { flag: 'delirium' }, T0 + 3 * HOUR)), 'specialist-referral-proposal')).toEqual([]);
    expect(opened(j.advance(100 * DAY), 'specialist-referral-proposal')).toEqual([]);
  });

  it('2.10.consent.pathway: withdrawal closes the pathway, keeping its record', () => {
    const j = enrolled();
    const out = j.send(event('consent.changed', { scope: 'pathway', decision: 'withdrawn' }, T0 + DAY));
    expect(j.state.stage).toBe('closed');
    expect(facts(out, 'consent-pathway')[0]!.fact.reason.rule).toBe('2.10.consent.pathway');
    expect(Object.values(j.state.tasks).every((t) => t.status === 'cancelled' && t.outcome === 'consent-withdrawn')).toBe(true);
    expect(Object.keys(j.state.timers)).toEqual([]);
  });

  it('a consent decision older than the one on record changes nothing (clinical time)', () => {
    const j = enrolled();
    j.send(event('consent.changed', { scope: 'proms', decision: 'granted' }, T0 + 2 * DAY));
    j.send(event('consent.changed', { scope: 'proms', decision: 'declined' }, T0 + DAY));
    expect(j.state.consent.proms.decision).toBe('granted');
  });

  it('2.10.transfer.handover closes the pathway with a handover notification', () => {
    const j = enrolled();
    const out = j.send(event('patient.transferred', { toOrganisation: 'North Trust' }, T0 + DAY));
    expect(j.state.stage).toBe('closed');
    expect(notified(out)[0]!.notification).toMatchObject({ recipient: { role: 'team', id: 'North Trust' }, reason: { rule: '2.10.transfer.handover' } });
  });
});

describe('2.11 reminders and escalations', () => {
  it('2.11.ladder.remind at the due time, 2.11.ladder.escalate after the grace period (half the allowance, 1 h–2 d)', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    const keyWorker = j.open('assign-key-worker')!; // due in 2 days: grace 1 day
    const atDue = j.advance(2 * DAY);
    expect(notified(atDue, 'clinician-reminder').find((n) => n.notification.taskCommandId === keyWorker.commandId)!.notification).toMatchObject({
      recipient: { role: 'queue', id: 'coordination' },
      reason: { rule: '2.11.ladder.remind' },
    });
    expect(opened(j.advance(DAY - HOUR), 'escalation')).toEqual([]);
    const [esc] = opened(j.advance(HOUR), 'escalation');
    expect(esc!.task).toMatchObject({ queue: 'escalations', subject: `escalated:${keyWorker.commandId}`, reason: { rule: '2.11.ladder.escalate' } });
    expect(j.state.tasks[keyWorker.commandId]!.escalationLevel).toBe(1);
  });

  it.each([
    { allowanceDays: 14, graceHours: 48 },
    { allowanceDays: 2, graceHours: 24 },
  ])('grace for a $allowanceDays-day task is $graceHours hours', ({ allowanceDays, graceHours }) => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    const task = Object.values(j.state.tasks).find((t) => Date.parse(t.dueAt) - Date.parse(t.openedAt) === allowanceDays * DAY)!;
    j.advance(allowanceDays * DAY + graceHours * HOUR - 1);
    expect(j.open('escalation', `escalated:${task.commandId}`)).toBeUndefined();
    j.advance(1);
    expect(j.open('escalation', `escalated:${task.commandId}`)).toMatchObject({ queue: 'escalations', reason: { rule: '2.11.ladder.escalate' } });
  });

  it('2.11.ladder.on-call: an urgent symptom review skips the service-lead step and goes to on-call 1 hour after due', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    j.send(prom({ pain: 9 }, T0));
    const review = j.open('symptom-review')!;
    const out = j.advance(DAY + HOUR);
    const escalations = opened(out, 'escalation').filter((c) => c.task.subject === `escalated:${review.commandId}`);
    expect(escalations.map((e) => e.task.queue)).toEqual(['on-call']);
  });

  it('2.11.ladder.resolve: completing a task stops its ladder and closes its escalation', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    const keyWorker = j.open('assign-key-worker')!;
    j.advance(3 * DAY);
    expect(j.open('escalation', `escalated:${keyWorker.commandId}`)).toMatchObject({ queue: 'escalations', status: 'open' });
    j.complete('assign-key-worker', 'assigned');
    expect(j.open('escalation', `escalated:${keyWorker.commandId}`)).toBeUndefined();
    expect(Object.values(j.state.timers).some((t) => t.purpose.kind === 'task-overdue' && t.purpose.taskCommandId === keyWorker.commandId)).toBe(false);
  });
});
