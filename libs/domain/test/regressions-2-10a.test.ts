import { describe, expect, it } from 'vitest';
import { HELD_LIMIT_REASON, MAX_HELD_BEFORE_ENROLMENT } from '../src';
import { DAY, diagnosis, enrolled, event, facts, HOUR, iso, Journey, policyWith, prom, T0 } from './support';

/**
 * One regression test per defect family of issue 10 (docs/clinical-rules.md 2.10a). Each asserts the resulting
 * care — the tasks in the pathway state and the notifications as stored (one per command id, like
 * the step's writes) — not only the commands the rules emitted.
 */
const flag = (f: string, at: number) => event('clinical.flag', { flag: f }, at);
const consent = (scope: string, decision: string, at: number) => event('consent.changed', { scope, decision }, at);
const rules = (j: Journey, type: string) => j.tasksOf(type).map((t) => t.reason.rule);

describe('1. every repeating rule repeats', () => {
  it('the daily end-of-life symptom check opens a symptom-review every day, not only the first', () => {
    const j = enrolled();
    j.send(event('patient.dying', {}, j.now));
    for (let day = 1; day <= 4; day++) {
      j.advance(DAY);
      const review = j.open('symptom-review');
      expect(review, `day ${day}`).toMatchObject({ reason: { rule: '2.8.eol.symptom-check' }, priority: 'urgent' });
      j.complete('symptom-review', 'done');
    }
    expect(j.tasksOf('symptom-review')).toHaveLength(4);
  });

  it('ACP is re-offered at 6, 12 and 18 months', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    j.complete('acp-conversation', 'documented');
    for (const month of [6, 12, 18]) {
      j.advance(182 * DAY);
      expect(j.open('acp-conversation'), `month ${month}`).toMatchObject({ reason: { rule: '2.4.acp.reoffer-6-months' } });
      j.complete('acp-conversation', 'documented');
    }
  });

  it('a second not-ready is re-offered 90 days later too', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    for (let i = 0; i < 3; i++) {
      j.complete('acp-conversation', 'not-ready');
      j.advance(90 * DAY);
      expect(j.open('acp-conversation'), `re-offer ${i + 1}`).toMatchObject({
        reason: { rule: '2.4.acp.reoffer-6-months', evidence: { lastStatus: 'not-ready' } },
      });
    }
  });

  it('a declined referral is re-offered after 90 days, and again after a second decline', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    j.send(flag('existential-crisis', T0 + HOUR));
    for (let i = 0; i < 2; i++) {
      j.complete('specialist-referral-proposal', 'declined');
      j.advance(90 * DAY);
      expect(j.open('specialist-referral-proposal'), `re-offer ${i + 1}`).toMatchObject({ reason: { rule: '2.3.referral.declined' } });
    }
    expect(j.tasksOf('specialist-referral-proposal')).toHaveLength(3);
  });

  it('every ready cycle has its 30-day reminder and 45-day escalation', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    for (let cycle = 0; cycle < 2; cycle++) {
      if (cycle > 0) j.advance(182 * DAY - 45 * DAY); // the 6-month re-offer
      j.complete('acp-conversation', 'ready');
      j.advance(45 * DAY);
      expect(j.delivered('clinician-reminder').filter((n) => n.reason.rule === '2.4.acp.ready-reminder')).toHaveLength(cycle + 1);
      expect(j.open('escalation', 'acp-ready'), `cycle ${cycle + 1}`).toMatchObject({ queue: 'escalations', reason: { rule: '2.4.acp.ready-escalation' } });
      j.complete('escalation', 'done', 'acp-ready');
    }
    expect(j.tasksOf('escalation').filter((t) => t.subject === 'acp-ready')).toHaveLength(2);
  });
});

describe('2. one input, several tasks of one rule', () => {
  it.each([{ depression: 8 }, { anxiety: 9 }])('%o alone opens the symptom-review and the psychosocial-assessment', (scores) => {
    const j = enrolled();
    j.send(prom(scores, T0 + DAY));
    expect(j.open('symptom-review')).toMatchObject({ priority: 'urgent', reason: { rule: '2.2.triggers.severe-emotional' } });
    expect(j.open('psychosocial-assessment')).toMatchObject({ priority: 'soon', reason: { rule: '2.2.triggers.severe-emotional' } });
  });
});

describe('3. a raised urgency travels to the triage', () => {
  it('pain 8 (soon) then spinal cord compression (urgent): the agreed triage is urgent, due in 1 day, and goes to on-call', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    j.send(prom({ pain: 8 }, T0 + HOUR));
    expect(j.open('specialist-referral-proposal')!.priority).toBe('soon');
    j.send(flag('spinal-cord-compression', T0 + 2 * HOUR));
    expect(j.open('specialist-referral-proposal')!.priority).toBe('urgent');
    j.complete('specialist-referral-proposal', 'agreed');
    const triage = j.open('specialist-referral-triage')!;
    expect(triage).toMatchObject({ priority: 'urgent', dueAt: iso(j.now + DAY) });
    j.advance(DAY + HOUR);
    expect(j.open('escalation', `escalated:${triage.commandId}`)).toMatchObject({ queue: 'on-call' });
  });
});

describe('4. a death or withdrawal known before the diagnosis', () => {
  it.each([
    { what: 'clinically before', diedAt: T0 - DAY },
    { what: 'clinically after (it arrived first)', diedAt: T0 + DAY },
  ])('death $what: the diagnosis enrols nobody and contacts nobody; the family is followed up', ({ diedAt }) => {
    const j = new Journey();
    j.send(event('caregiver.registered', { caregiverId: 'c1', relationship: 'wife', consentToShare: true }, T0 - 2 * DAY));
    j.send(event('patient.died', { placeOfDeath: 'hospice' }, diedAt));
    j.send(diagnosis());
    j.advance(60 * DAY);
    expect(j.state.stage).toBe('bereavement');
    expect(j.delivered().filter((n) => n.recipient.role === 'patient' || n.kind === 'gp-update')).toEqual([]);
    for (const type of ['assign-key-worker', 'baseline-assessment', 'explain-palliative-care', 'acp-conversation']) expect(j.tasksOf(type)).toEqual([]);
    expect(j.tasksOf('bereavement-contact').map((t) => t.subject)).toEqual(['caregiver:c1']);
    expect(j.open('bereavement-check-in')).toMatchObject({ subject: 'caregiver:c1:bereavement-check-in:1', reason: { rule: '2.9.bereavement.check-in' } });
  });

  it.each(['withdrawn', 'declined'])('pathway consent %s before the diagnosis: nothing opens, the pathway is closed and remembers why', (decision) => {
    const j = new Journey();
    j.send(consent('pathway', decision, T0 - DAY));
    j.send(diagnosis());
    j.advance(100 * DAY);
    expect(j.state).toMatchObject({ stage: 'closed', closure: { reason: decision } });
    expect(Object.values(j.state.tasks)).toEqual([]);
    expect(j.delivered()).toEqual([]);
  });
});

describe('5. a closed pathway stays closed and remembers', () => {
  it('after a withdrawal a new diagnosis enrols nobody; consent granted again re-enrols', () => {
    const j = enrolled();
    j.send(consent('pathway', 'withdrawn', T0 + DAY));
    const before = j.delivered().length;
    j.now = T0 + 10 * DAY;
    j.send(diagnosis({}, T0 + 10 * DAY));
    j.send(prom({ pain: 9 }, T0 + 10 * DAY));
    j.advance(30 * DAY);
    expect(j.state).toMatchObject({ stage: 'closed', closure: { reason: 'withdrawn' } });
    expect(j.delivered()).toHaveLength(before);
    expect(Object.values(j.state.tasks).filter((t) => t.status === 'open')).toEqual([]);
    j.send(consent('pathway', 'granted', j.now));
    expect(j.state.stage).toBe('enrolled');
    expect(j.open('assign-key-worker')).toMatchObject({ reason: { evidence: { reEnrolment: true } } });
    expect(j.delivered('prom-request')).toHaveLength(2);
  });

  it('after death and bereavement nothing re-enrols and nobody is contacted', () => {
    const j = enrolled();
    j.send(event('patient.died', { placeOfDeath: 'home' }, T0 + DAY));
    j.complete('bereavement-contact', 'done', 'identify-family');
    expect(j.state).toMatchObject({ stage: 'closed', closure: { reason: 'bereavement-complete' } });
    const before = j.outbox.size;
    j.send(diagnosis({}, T0 + 30 * DAY));
    j.send(consent('pathway', 'granted', T0 + 31 * DAY));
    j.send(event('encounter.discharged', { encounterId: 'e9', destination: 'home' }, T0 + 32 * DAY));
    j.advance(100 * DAY);
    expect(j.state.stage).toBe('closed');
    expect(j.outbox.size).toBe(before);
  });

  it('after a transfer out, only an advanced diagnosis clinically after the transfer re-enrols', () => {
    const j = enrolled();
    j.send(event('patient.transferred', { toOrganisation: 'North Trust' }, T0 + 10 * DAY));
    j.send(diagnosis({}, T0 + 5 * DAY)); // a late record from before the transfer
    expect(j.state).toMatchObject({ stage: 'closed', closure: { reason: 'transferred' } });
    j.send(diagnosis({}, T0 + 40 * DAY));
    expect(j.state.stage).toBe('enrolled');
    expect(j.tasksOf('assign-key-worker').filter((t) => t.status === 'open')).toHaveLength(1);
  });
});

describe('6. the closed loop is matched by request, not by arrival', () => {
  it('a Distress Thermometer in between does not clear a pending follow-up: a still-severe follow-up escalates', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    j.send(prom({ pain: 8 }, T0 + HOUR));
    j.complete('specialist-referral-proposal', 'declined');
    j.complete('symptom-review', 'done');
    j.advance(7 * DAY + HOUR);
    const followUp = j.delivered('prom-request').find((n) => n.reason.rule === '2.2.closed-loop.follow-up')!;
    const requestId = followUp.reason.evidence.requestId as string;
    j.send(event('encounter.discharged', { encounterId: 'e1', destination: 'care-home' }, j.now)); // sends a DT request
    j.send(event('prom.submitted', { instrument: 'DT', responseId: 'dt-1', scores: { distress: 2 } }, j.now));
    expect(j.state.proms.followUp).toMatchObject({ requestId });
    j.send(event('prom.submitted', { instrument: 'ESAS-r', responseId: 'fu-1', requestId, scores: { pain: 8 } }, j.now + HOUR));
    expect(j.open('specialist-referral-proposal')).toMatchObject({ priority: 'urgent', reason: { rule: '2.2.closed-loop.still-severe' } });
  });
});

describe('7. late events are judged in clinical order', () => {
  it.each([
    { reading: 'performance.recorded', data: { ecog: 4 }, rule: '2.5.sact.poor-performance' },
    { reading: 'prognosis.estimated', data: { months: 0.5 }, rule: '2.5.sact.short-prognosis' },
  ])('a late $reading clinically before a SACT dose opens the mdt-review', ({ reading, data, rule }) => {
    const j = enrolled();
    j.send(event('sact.administered', { regimen: 'docetaxel' }, T0 + 3 * DAY));
    expect(j.open('mdt-review')).toBeUndefined();
    j.send(event(reading, data, T0 + 2 * DAY));
    expect(j.open('mdt-review')).toMatchObject({ priority: 'urgent', reason: { rule, evidence: { lateReading: true } } });
  });

  it('a late reading does not re-judge a dose a newer reading governs', () => {
    const j = enrolled();
    j.send(event('performance.recorded', { ecog: 1 }, T0 + 2 * DAY));
    j.send(event('sact.administered', {}, T0 + 3 * DAY));
    j.send(event('performance.recorded', { ecog: 4 }, T0 + DAY));
    expect(j.open('mdt-review')).toBeUndefined();
  });

  it('a SACT dose is judged by the ECOG in force at its clinical time, not the newest', () => {
    const j = enrolled();
    j.send(event('performance.recorded', { ecog: 4 }, T0 + 5 * DAY));
    j.send(event('sact.administered', {}, T0 + DAY)); // given before the patient's performance fell
    expect(j.open('mdt-review')).toBeUndefined();
  });

  it('a late acp.documented never overwrites newer ACP facts', () => {
    const j = enrolled();
    j.send(event('acp.documented', { preferredPlaceOfDeath: 'home', codeStatus: 'dnacpr' }, T0 + 10 * DAY));
    j.send(event('acp.documented', { preferredPlaceOfDeath: 'hospital', codeStatus: 'for-resuscitation' }, T0 + 5 * DAY));
    expect(j.state.acp).toMatchObject({ status: 'documented', preferredPlaceOfDeath: 'home', codeStatus: 'dnacpr', documentedAt: iso(T0 + 10 * DAY) });
  });

  it.each([
    { what: 'a later record of the diagnosis', e: () => diagnosis({ medianSurvivalMonths: 18 }, T0 + 7 * DAY) },
    { what: 'a prognosis estimate', e: () => event('prognosis.estimated', { months: 16 }, T0 + 7 * DAY) },
  ])('a median survival above 12 months recorded after enrolment ($what) stops the time-based clock', ({ e }) => {
    const j = enrolled();
    expect(facts(j.send(e()), 'time-based-referral-stopped')[0]!.fact.reason.rule).toBe('2.3.time.clock-stopped');
    j.advance(13 * 7 * DAY);
    expect(rules(j, 'specialist-referral-proposal')).not.toContain('2.3.time.within-3-months');
    expect(j.tasksOf('escalation').filter((t) => t.subject === 'time-based-referral')).toEqual([]);
  });
});

describe('8. exits and follow-through', () => {
  it("a death leaves caregivers' own tasks open: the caregiver assessment and a caregiver's psychosocial referral", () => {
    const j = enrolled();
    j.send(event('caregiver.registered', { caregiverId: 'c1', relationship: 'son', consentToShare: true }, T0));
    j.send(event('caregiver.registered', { caregiverId: 'c2', relationship: 'wife', consentToShare: true }, T0));
    j.complete('caregiver-assessment', 'high-distress', 'caregiver:c2');
    j.send(event('patient.died', { placeOfDeath: 'home' }, T0 + DAY));
    expect(j.open('caregiver-assessment', 'caregiver:c1')).toMatchObject({ queue: 'psychosocial', reason: { rule: '2.7.caregiver.assessment' } });
    expect(j.open('psychosocial-assessment', 'caregiver:c2')).toMatchObject({ reason: { rule: '2.7.caregiver.high-distress' } });
  });

  it('a caregiver registered once the death is known is assessed and followed up; the key worker’s "identify the family" task is done', () => {
    const j = enrolled();
    j.send(event('patient.died', { placeOfDeath: 'home' }, T0 + DAY));
    expect(j.open('bereavement-contact', 'identify-family')).toMatchObject({ queue: 'coordination', reason: { rule: '2.9.bereavement.contact' } });
    j.send(event('caregiver.registered', { caregiverId: 'c9', relationship: 'daughter', consentToShare: true }, T0 + 2 * DAY));
    expect(j.open('caregiver-assessment', 'caregiver:c9')).toMatchObject({ queue: 'psychosocial', reason: { rule: '2.7.caregiver.assessment' } });
    expect(j.open('bereavement-contact', 'caregiver:c9')).toMatchObject({ queue: 'bereavement', reason: { rule: '2.9.bereavement.contact' } });
    expect(j.tasksOf('bereavement-contact').find((t) => t.subject === 'identify-family')).toMatchObject({ status: 'done' });
    expect(j.delivered('caregiver-information')).toEqual([]); // the bereavement contact tells them where to turn
  });

  it('consent.changed {pathway, declined} has the effect of a withdrawal', () => {
    const j = enrolled();
    j.send(consent('pathway', 'declined', T0 + DAY));
    expect(j.state).toMatchObject({ stage: 'closed', closure: { reason: 'declined' } });
    expect(Object.values(j.state.tasks).filter((t) => t.status === 'open')).toEqual([]);
    expect(Object.keys(j.state.timers)).toEqual([]);
  });

  it('declining referral consent closes an open triage as well as the proposal', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    j.send(flag('delirium', T0 + HOUR));
    j.complete('specialist-referral-proposal', 'agreed');
    const triage = j.open('specialist-referral-triage')!;
    j.send(consent('referral', 'declined', T0 + 2 * HOUR));
    expect(j.open('specialist-referral-triage')).toBeUndefined();
    expect(j.state.tasks[triage.commandId]).toMatchObject({ status: 'cancelled', outcome: 'referral-declined' });
    j.advance(10 * DAY);
    expect(j.tasksOf('escalation').filter((t) => t.subject === `escalated:${triage.commandId}`)).toEqual([]);
  });

  it('the ACP-ready escalation closes once ACP is documented', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    j.complete('acp-conversation', 'ready');
    j.advance(45 * DAY);
    expect(j.open('escalation', 'acp-ready')).toMatchObject({ queue: 'escalations', reason: { rule: '2.4.acp.ready-escalation' } });
    j.send(event('acp.documented', { codeStatus: 'dnacpr' }, j.now));
    expect(j.tasksOf('escalation').find((t) => t.subject === 'acp-ready')).toMatchObject({ status: 'done' });
  });

  it('the same encounterId sent twice is one admission: no readmission review, one notification per team', () => {
    const j = enrolled();
    const admitted = (id: string) => event('encounter.admitted', { encounterId: 'enc-1', setting: 'emergency' }, T0 + DAY, id);
    j.send(admitted('adm-a'));
    j.send(admitted('adm-b'));
    expect(j.open('mdt-review', 'readmissions')).toBeUndefined();
    expect(j.delivered('clinician-reminder').filter((n) => n.reason.rule === '2.6.admission.notify')).toHaveLength(2);
  });

  it('endOfLife.onCallAfter sets when an unanswered end-of-life task reaches on-call', () => {
    const j = enrolled(policyWith((p) => (p.endOfLife.onCallAfter = 'PT3H')));
    j.send(event('patient.dying', {}, j.now));
    const plan = j.open('eol-care-plan')!; // urgent, due in 1 day
    j.advance(DAY + 2 * HOUR);
    expect(j.open('escalation', `escalated:${plan.commandId}`)).toBeUndefined();
    j.advance(HOUR);
    expect(j.open('escalation', `escalated:${plan.commandId}`)).toMatchObject({ queue: 'on-call' });
  });
});

describe('9. events held before enrolment are parked past the limit, never dropped', () => {
  it(`the oldest beyond ${MAX_HELD_BEFORE_ENROLMENT} are parked with their reason`, () => {
    const j = new Journey();
    const sent = Array.from({ length: MAX_HELD_BEFORE_ENROLMENT + 3 }, (_, i) => event('sact.administered', {}, T0 + i * HOUR));
    const parked = sent.flatMap((e) => j.send(e)).filter((c) => c.kind === 'park-event');
    expect(parked.map((c) => c.kind === 'park-event' && c.event.id)).toEqual(sent.slice(0, 3).map((e) => e.id));
    expect(parked[0]).toMatchObject({ reason: HELD_LIMIT_REASON, detail: expect.stringContaining('replay') });
    expect(j.state.heldBeforeEnrolment).toHaveLength(MAX_HELD_BEFORE_ENROLMENT);
  });
});

describe('10. a completion racing a merge', () => {
  it('a finding merged into a review the coordinator had just completed lands on a new open review', () => {
    const j = enrolled();
    j.send(prom({ pain: 5 }, T0 + HOUR));
    const clickedAt = j.now;
    j.now += 10 * 60_000;
    j.send(prom({ nausea: 9 }, j.now)); // merged into the open review ...
    j.complete('symptom-review', 'done', undefined, clickedAt); // ... which the coordinator completed before it arrived
    const reopened = j.open('symptom-review')!;
    expect(reopened).toMatchObject({ priority: 'urgent', reason: { rule: '2.2.triggers.severe-physical' } });
    expect(JSON.stringify(reopened.reason.evidence)).toContain('nausea');
  });

  it('the same for a psychosocial assessment: distress merged after it was completed opens a new one', () => {
    const j = enrolled();
    j.send(prom({ depression: 8 }, T0 + HOUR)); // psychosocial-assessment (soon)
    const clickedAt = j.now;
    j.now += 10 * 60_000;
    j.send(prom({ distress: 9 }, j.now)); // joins it
    j.complete('psychosocial-assessment', 'done', undefined, clickedAt);
    expect(j.open('psychosocial-assessment')).toMatchObject({ queue: 'psychosocial', reason: { rule: '2.2.triggers.distress' } });
  });

  it('a finding merged before the completion was seen by the coordinator: no new review', () => {
    const j = enrolled();
    j.send(prom({ pain: 5 }, T0 + HOUR));
    j.send(prom({ pain: 5, nausea: 6 }, j.now));
    j.now += HOUR;
    j.complete('symptom-review', 'done');
    expect(j.open('symptom-review')).toBeUndefined();
  });
});
