import { describe, expect, it } from 'vitest';
import { DAY, enrolled, event, facts, iso, opened, prom, T0 } from './support';

const flag = (f: string, at = T0 + DAY) => event('clinical.flag', { flag: f }, at);

describe('2.3 needs-based criteria open a referral proposal (agreed with the patient first)', () => {
  it.each([
    { flag: 'hastened-death-request', rule: '2.3.needs.hastened-death', priority: 'urgent', days: 1 },
    { flag: 'spinal-cord-compression', rule: '2.3.needs.cord-compression', priority: 'urgent', days: 1 },
    { flag: 'cauda-equina-compression', rule: '2.3.needs.cord-compression', priority: 'urgent', days: 1 },
    { flag: 'delirium', rule: '2.3.needs.delirium', priority: 'urgent', days: 1 },
    { flag: 'existential-crisis', rule: '2.3.needs.existential-crisis', priority: 'soon', days: 3 },
    { flag: 'decision-support-needed', rule: '2.3.needs.decision-support', priority: 'soon', days: 3 },
    { flag: 'patient-request', rule: '2.3.needs.patient-request', priority: 'soon', days: 3 },
    { flag: 'brain-metastases', rule: '2.3.needs.brain-metastases', priority: 'soon', days: 3 },
    { flag: 'leptomeningeal-metastases', rule: '2.3.needs.brain-metastases', priority: 'soon', days: 3 },
  ])('$flag → $rule ($priority, due in $days days)', ({ flag: f, rule, priority, days }) => {
    const j = enrolled();
    const e = flag(f);
    const [p] = opened(j.send(e), 'specialist-referral-proposal');
    expect(p!.task).toMatchObject({ queue: 'oncology', priority, dueAt: iso(j.now + days * DAY), reason: { rule, evidence: { eventIds: [e.id], flag: f } } });
  });

  it.each([
    { scores: { pain: 7 }, rule: '2.3.needs.severe-physical' },
    { scores: { anxiety: 9 }, rule: '2.3.needs.severe-emotional' },
  ])('$rule from a PROM ($scores) — soon', ({ scores, rule }) => {
    const [p] = opened(enrolled().send(prom(scores, T0 + DAY)), 'specialist-referral-proposal');
    expect(p!.task).toMatchObject({ priority: 'soon', reason: { rule } });
  });

  it('wellbeing alone is never a referral criterion', () => {
    expect(opened(enrolled().send(prom({ wellbeing: 10 }, T0 + DAY)), 'specialist-referral-proposal')).toHaveLength(0);
  });

  it('one open referral: a second criterion joins the open proposal and raises its urgency', () => {
    const j = enrolled();
    j.send(flag('existential-crisis'));
    j.send(flag('delirium', T0 + 2 * DAY));
    expect(j.openOf('specialist-referral-proposal')).toHaveLength(1);
    expect(j.open('specialist-referral-proposal')!.priority).toBe('urgent');
  });

  it('2.3.referral.agreed sends the referral: a triage task in specialist-palliative with the urgency’s deadline', () => {
    const j = enrolled();
    j.send(flag('spinal-cord-compression'));
    const out = j.complete('specialist-referral-proposal', 'agreed');
    const [triage] = opened(out, 'specialist-referral-triage');
    expect(triage!.task).toMatchObject({
      queue: 'specialist-palliative',
      priority: 'urgent',
      dueAt: iso(j.now + DAY),
      reason: { rule: '2.3.referral.agreed', evidence: { criterion: '2.3.needs.cord-compression' } },
    });
    expect(facts(out, 'referral-sent')).toHaveLength(1);
    // With the triage open, a new criterion adds to it rather than opening a second referral.
    j.send(flag('delirium', j.now));
    expect(j.openOf('specialist-referral-triage')).toHaveLength(1);
    expect(j.openOf('specialist-referral-proposal')).toHaveLength(0);
  });

  it('2.3.referral.declined is recorded and re-offered after 90 days, or at the next new criterion', () => {
    const j = enrolled(undefined, { medianSurvivalMonths: 24 }); // no time-based clock in the way
    j.send(flag('existential-crisis'));
    expect(facts(j.complete('specialist-referral-proposal', 'declined'), 'referral-declined')).toHaveLength(1);
    const reoffer = opened(j.advance(90 * DAY), 'specialist-referral-proposal').find((c) => c.task.reason.rule === '2.3.referral.declined');
    expect(reoffer!.task).toMatchObject({ priority: 'routine', reason: { evidence: { reoffer: true } } });
    j.complete('specialist-referral-proposal', 'declined');
    expect(opened(j.send(flag('patient-request', j.now)), 'specialist-referral-proposal')).toHaveLength(1);
  });

  it('2.3.referral.first-contact: specialist contact moves the patient to tertiary care and stops the time-based clock', () => {
    const j = enrolled();
    const out = j.send(event('palliative.contact', { team: 'specialist' }, T0 + 10 * DAY));
    expect(j.state).toMatchObject({ stage: 'specialist-involvement', level: 'tertiary' });
    expect(facts(out, 'first-specialist-contact')[0]!.fact.reason.rule).toBe('2.3.referral.first-contact');
    expect(j.timer('time-based-referral')).toBeUndefined();
  });

  it('2.3.referral.first-contact also follows a triage completed as seen', () => {
    const j = enrolled();
    j.send(flag('delirium'));
    j.complete('specialist-referral-proposal', 'agreed');
    j.complete('specialist-referral-triage', 'seen');
    expect(j.state.level).toBe('tertiary');
  });
});

describe('2.3 time-based criteria', () => {
  it.each([
    { weeks: 5, proposal: false },
    { weeks: 6, proposal: true },
  ])('2.3.time.within-3-months: week $weeks after diagnosis without specialist contact', ({ weeks, proposal }) => {
    const j = enrolled();
    const out = j.advance(weeks * 7 * DAY);
    const p = opened(out, 'specialist-referral-proposal').filter((c) => c.task.reason.rule === '2.3.time.within-3-months');
    expect(p.length > 0).toBe(proposal);
    if (proposal) expect(p[0]!.task).toMatchObject({ priority: 'routine', dueAt: iso(Date.parse(`${iso(T0).slice(0, 10)}T00:00:00.000Z`) + 56 * DAY) });
  });

  it.each([
    { months: 12, applies: true },
    { months: 12.5, applies: false },
  ])('applies unless a median survival above 12 months is recorded ($months)', ({ months, applies }) => {
    const j = enrolled(undefined, { medianSurvivalMonths: months });
    expect(opened(j.advance(6 * 7 * DAY), 'specialist-referral-proposal').length > 0).toBe(applies);
  });

  it('2.3.time.escalate-week-12 escalates at week 12 with still no specialist contact', () => {
    const j = enrolled();
    j.advance(6 * 7 * DAY);
    j.complete('specialist-referral-proposal', 'declined');
    const [esc] = opened(j.advance(6 * 7 * DAY), 'escalation').filter((c) => c.task.reason.rule === '2.3.time.escalate-week-12');
    expect(esc!.task).toMatchObject({ queue: 'escalations', reason: { evidence: { criterion: expect.stringContaining('12 weeks') } } });
  });

  it.each([
    { line: 1, proposal: false },
    { line: 2, proposal: true },
  ])('2.3.time.progression-second-line: progression during line $line', ({ line, proposal }) => {
    const [p] = opened(enrolled().send(event('disease.progressed', { line }, T0 + DAY)), 'specialist-referral-proposal');
    expect(Boolean(p)).toBe(proposal);
    if (p) expect(p.task).toMatchObject({ priority: 'routine', dueAt: iso(T0 + 7 * DAY), reason: { rule: '2.3.time.progression-second-line' } });
  });
});
