import { describe, expect, it } from 'vitest';
import { DAY, diagnosis, enrolled, event, facts, HOUR, iso, Journey, notified, opened, T0 } from './support';

describe('2.4 advance care planning', () => {
  it('2.4.acp.reoffer-progression re-offers ACP at disease progression', () => {
    const j = enrolled();
    j.complete('acp-conversation', 'declined');
    const [acp] = opened(j.send(event('disease.progressed', { line: 1 }, T0 + 5 * DAY)), 'acp-conversation');
    expect(acp!.task.reason.rule).toBe('2.4.acp.reoffer-progression');
  });

  it('2.4.acp.reoffer-6-months re-offers every 6 months', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    j.complete('acp-conversation', 'documented');
    const offers = opened(j.advance(183 * DAY), 'acp-conversation');
    expect(offers.map((o) => o.task.reason.rule)).toContain('2.4.acp.reoffer-6-months');
  });

  it.each([
    { outcome: 'not-ready', reofferDays: 90 },
    { outcome: 'declined', reofferDays: undefined },
  ])('2.4.acp.outcome $outcome', ({ outcome, reofferDays }) => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    expect(facts(j.complete('acp-conversation', outcome), 'acp-conversation')[0]!.fact.value).toBe(outcome);
    const reoffer = j.timer('acp-reoffer');
    if (reofferDays === undefined) expect(reoffer).toBeUndefined();
    else expect(reoffer).toBe(iso(j.now + reofferDays * DAY));
  });

  it('2.4.acp.ready-reminder at 30 days and 2.4.acp.ready-escalation at 45 days without documentation', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 });
    j.complete('acp-conversation', 'ready');
    const at30 = j.advance(30 * DAY);
    expect(notified(at30, 'clinician-reminder').map((n) => n.notification.reason.rule)).toContain('2.4.acp.ready-reminder');
    const at45 = j.advance(15 * DAY);
    expect(opened(at45, 'escalation').map((o) => o.task.reason.rule)).toContain('2.4.acp.ready-escalation');
  });

  it('2.4.acp.share-with-gp: documenting ACP stops the follow-up and shares it with primary care', () => {
    const j = enrolled();
    j.complete('acp-conversation', 'ready');
    const out = j.send(event('acp.documented', { codeStatus: 'dnacpr', preferredPlaceOfDeath: 'home' }, T0 + 3 * DAY));
    expect(notified(out, 'gp-update')[0]!.notification.reason.rule).toBe('2.4.acp.share-with-gp');
    expect(j.timer('acp-ready-reminder')).toBeUndefined();
    expect(j.state.acp).toMatchObject({ status: 'documented', preferredPlaceOfDeath: 'home' });
  });
});

describe('2.5 hospice and treatment-intensity safeguards', () => {
  it.each([
    { e: ['prognosis.estimated', { months: 3 }], opens: true },
    { e: ['prognosis.estimated', { months: 3.1 }], opens: false },
    { e: ['performance.recorded', { ecog: 3 }], opens: true },
    { e: ['performance.recorded', { ecog: 2 }], opens: false },
  ] as const)('2.5.hospice.discussion: $e', ({ e, opens }) => {
    const [task] = opened(enrolled().send(event(e[0], e[1], T0 + DAY)), 'hospice-referral-discussion');
    expect(Boolean(task)).toBe(opens);
    if (task) expect(task.task).toMatchObject({ queue: 'oncology', priority: 'soon', dueAt: iso(T0 + 7 * DAY) });
  });

  it.each([
    { ecog: 3, review: true },
    { ecog: 2, review: false },
  ])('2.5.sact.poor-performance: SACT at ECOG $ecog', ({ ecog, review }) => {
    const j = enrolled();
    j.send(event('performance.recorded', { ecog }, T0 + DAY));
    const [mdt] = opened(j.send(event('sact.administered', {}, T0 + 2 * DAY)), 'mdt-review');
    expect(Boolean(mdt)).toBe(review);
    if (mdt) expect(mdt.task).toMatchObject({ priority: 'urgent', reason: { rule: '2.5.sact.poor-performance' } });
  });

  it.each([
    { months: 0.9, review: true },
    { months: 1, review: false },
  ])('2.5.sact.short-prognosis: SACT with prognosis $months months', ({ months, review }) => {
    const j = enrolled();
    j.send(event('prognosis.estimated', { months }, T0 + DAY));
    const out = j.send(event('sact.administered', {}, T0 + 2 * DAY));
    expect(opened(out, 'mdt-review').length > 0).toBe(review);
    expect(notified(out, 'clinician-reminder').some((n) => n.notification.reason.rule === '2.5.sact.short-prognosis')).toBe(review);
  });
});

describe('2.6 care transitions', () => {
  it('2.6.admission.notify tells the key worker and the palliative team', () => {
    const out = enrolled().send(event('encounter.admitted', { encounterId: 'e1', setting: 'inpatient' }, T0 + DAY));
    expect(
      notified(out)
        .filter((n) => n.notification.reason.rule === '2.6.admission.notify')
        .map((n) => n.notification.recipient.role)
        .sort(),
    ).toEqual(['key-worker', 'team']);
  });

  it.each([
    { livesAlone: false, rule: '2.6.discharge.gp-and-follow-up', days: 2 },
    { livesAlone: true, rule: '2.6.discharge.lives-alone', days: 1 },
  ])('discharge home (lives alone: $livesAlone) → GP update and follow-up in $days days', ({ livesAlone, rule, days }) => {
    const j = enrolled();
    j.send(event('patient.registered', { birthDate: '1940-01-01', livesAlone }, T0));
    const out = j.send(event('encounter.discharged', { encounterId: 'e1', destination: 'home' }, T0 + DAY));
    expect(opened(out, 'discharge-follow-up')[0]!.task).toMatchObject({ queue: 'community-nursing', dueAt: iso(j.now + days * DAY), reason: { rule } });
    expect(notified(out, 'gp-update')).toHaveLength(1);
    expect(notified(out, 'prom-request')[0]!.notification.reason.rule).toBe('2.6.discharge.distress');
  });

  it.each([
    { gapDays: 30, review: true },
    { gapDays: 31, review: false },
  ])('2.6.readmissions.mdt: two unplanned admissions $gapDays days apart (clinical time)', ({ gapDays, review }) => {
    const j = enrolled();
    // Delivered out of order: the later one first.
    j.send(event('encounter.admitted', { encounterId: 'e2', setting: 'emergency' }, T0 + (1 + gapDays) * DAY));
    const out = j.send(event('encounter.admitted', { encounterId: 'e1', setting: 'inpatient' }, T0 + DAY));
    expect(opened(out, 'mdt-review').length > 0).toBe(review);
  });

  it('a planned admission does not count towards readmissions', () => {
    const j = enrolled();
    j.send(event('encounter.admitted', { encounterId: 'e1', setting: 'inpatient', planned: true }, T0 + DAY));
    expect(opened(j.send(event('encounter.admitted', { encounterId: 'e2', setting: 'emergency' }, T0 + 2 * DAY)), 'mdt-review')).toHaveLength(0);
  });

  it('2.6.progression.gp-invite and 2.6.progression.distress on progression', () => {
    const out = enrolled().send(event('disease.progressed', { line: 1 }, T0 + DAY));
    expect(notified(out, 'gp-update')[0]!.notification.reason.rule).toBe('2.6.progression.gp-invite');
    expect(notified(out, 'prom-request')[0]!.notification.reason).toMatchObject({ rule: '2.6.progression.distress', evidence: { instruments: ['DT'] } });
  });
});

describe('2.7 caregivers', () => {
  it('2.7.caregiver.assessment and 2.7.caregiver.information for each caregiver', () => {
    const j = enrolled();
    const out = j.send(event('caregiver.registered', { caregiverId: 'c1', relationship: 'son', consentToShare: true }, T0 + DAY));
    expect(opened(out, 'caregiver-assessment')[0]!.task).toMatchObject({ queue: 'psychosocial', subject: 'caregiver:c1', dueAt: iso(j.now + 30 * DAY) });
    expect(notified(out, 'caregiver-information')[0]!.notification.recipient).toEqual({ role: 'caregiver', id: 'c1' });
    j.send(event('caregiver.registered', { caregiverId: 'c2', relationship: 'wife', consentToShare: false }, T0 + DAY));
    expect(j.openOf('caregiver-assessment')).toHaveLength(2);
  });

  it('2.7.caregiver.high-distress refers the caregiver to psychosocial care', () => {
    const j = enrolled();
    j.send(event('caregiver.registered', { caregiverId: 'c1', relationship: 'son', consentToShare: true }, T0));
    const [psy] = opened(j.complete('caregiver-assessment', 'high-distress'), 'psychosocial-assessment');
    expect(psy!.task).toMatchObject({ subject: 'caregiver:c1', reason: { rule: '2.7.caregiver.high-distress' } });
  });
});

describe('2.8 end of life', () => {
  it('2.8.eol.care-plan, 2.8.eol.notify and 2.8.eol.stop-routine (no more routine PROMs) when dying is recognised', () => {
    const j = enrolled();
    const out = j.send(event('patient.dying', {}, T0 + DAY));
    expect(opened(out, 'eol-care-plan')[0]!.task).toMatchObject({ queue: 'specialist-palliative', priority: 'urgent', dueAt: iso(j.now + DAY) });
    expect(notified(out).filter((n) => n.notification.reason.rule === '2.8.eol.notify')).toHaveLength(2);
    expect(j.timer('prom-due')).toBeUndefined();
    expect(notified(j.advance(10 * DAY), 'prom-reminder')).toHaveLength(0);
  });

  it('2.8.eol.symptom-check daily, escalating to on-call one hour after due, day or night', () => {
    const j = enrolled();
    j.send(event('patient.dying', {}, T0));
    const [check] = opened(j.advance(DAY), 'symptom-review');
    expect(check!.task.reason.rule).toBe('2.8.eol.symptom-check');
    const due = Date.parse(check!.task.dueAt);
    const out = j.advance(due - j.now + HOUR);
    const [onCall] = opened(out, 'escalation');
    expect(onCall!.task).toMatchObject({ queue: 'on-call', reason: { rule: '2.11.ladder.on-call' } });
  });
});

describe('4 facts for the measures', () => {
  it.each([
    {
      e: () => event('encounter.admitted', { encounterId: 'e9', setting: 'icu' }, T0 + DAY),
      name: 'admission',
      value: { setting: 'icu', planned: false, encounterId: 'e9' },
    },
    { e: () => event('sact.administered', { regimen: 'FOLFOX' }, T0 + DAY), name: 'sact', value: { regimen: 'FOLFOX' } },
    { e: () => event('patient.dying', {}, T0 + DAY), name: 'dying-recognised', value: true },
    {
      e: () =>
        event('patient.registered', { birthDate: '1944-05-06', livesAlone: true, rural: false, deprivationQuintile: 1, contact: { phone: '+44 1' } }, T0),
      name: 'equity',
      value: { livesAlone: true, rural: false, deprivationQuintile: 1, interpreterNeeded: null, birthYear: 1944 },
    },
  ])('4.facts.record: $name, at its clinical time, without contact details', ({ e, name, value }) => {
    const ev = e();
    const [fact] = facts(enrolled().send(ev), name);
    expect(fact!.fact).toMatchObject({ value, at: ev.time, reason: { rule: '4.facts.record', evidence: { eventIds: [ev.id] } } });
    expect(JSON.stringify(fact!.fact)).not.toContain('+44');
  });

  it('4.facts.record: the advanced diagnosis at enrolment', () => {
    const j = new Journey();
    const [fact] = facts(j.send(diagnosis({ medianSurvivalMonths: 9 })), 'advanced-diagnosis');
    expect(fact!.fact.value).toEqual({ cancerType: 'C34.9', diagnosedAt: iso(T0).slice(0, 10), medianSurvivalMonths: 9 });
  });
});
