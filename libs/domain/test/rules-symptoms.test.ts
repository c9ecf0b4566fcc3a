import { describe, expect, it } from 'vitest';
import { DAY, enrolled, iso, opened, prom, T0 } from './support';

const at = T0 + DAY;

describe('2.2 score triggers', () => {
  it.each([
    { scores: { pain: 6 }, priority: 'routine', rule: '2.2.triggers.moderate', days: 7 },
    { scores: { pain: 7 }, priority: 'urgent', rule: '2.2.triggers.severe-physical', days: 1 },
    { scores: { breathlessness: 10 }, priority: 'urgent', rule: '2.2.triggers.severe-physical', days: 1 },
    { scores: { depression: 7 }, priority: 'urgent', rule: '2.2.triggers.severe-emotional', days: 1 },
    { scores: { wellbeing: 4 }, priority: 'routine', rule: '2.2.triggers.moderate', days: 7 },
    { scores: { pain: 3 }, priority: undefined, rule: undefined, days: 0 },
    { scores: { wellbeing: 3 }, priority: undefined, rule: undefined, days: 0 },
  ])('$scores → symptom-review $priority', ({ scores, priority, rule, days }) => {
    const j = enrolled();
    const [review] = opened(j.send(prom(scores, at)), 'symptom-review');
    if (!priority) return expect(review).toBeUndefined();
    expect(review!.task).toMatchObject({ priority, dueAt: iso(j.now + days * DAY), reason: { rule } });
  });

  it.each([
    { first: 3, second: 5, fires: true },
    { first: 3, second: 4, fires: false },
  ])('2.2.triggers.worsening: $first then $second (moderate aside)', ({ first, second, fires }) => {
    const j = enrolled();
    j.send(prom({ tiredness: first }, at));
    const review = opened(j.send(prom({ tiredness: second }, at + DAY)), 'symptom-review')[0];
    expect(review!.task.reason.evidence.findings).toEqual(
      expect.arrayContaining(fires ? [expect.objectContaining({ trigger: 'worsening', item: 'tiredness', previous: first })] : []),
    );
    if (fires) expect(review!.task.priority).toBe('soon');
  });

  it('2.2.triggers.worsening compares with the previous response by clinical time, not arrival', () => {
    const j = enrolled();
    j.send(prom({ nausea: 1 }, at + 2 * DAY));
    // A late response from before: its "previous" is nothing, and it does not overwrite the newer score.
    j.send(prom({ nausea: 0 }, at));
    expect(j.state.proms.latest.nausea!.score).toBe(1);
    const review = opened(j.send(prom({ nausea: 3 }, at + 3 * DAY)), 'symptom-review')[0];
    expect(review!.task.reason.evidence.findings).toEqual([expect.objectContaining({ trigger: 'worsening', previous: 1 })]);
  });

  it.each([
    { distress: 3, opens: false },
    { distress: 4, opens: true },
  ])('2.2.triggers.distress: Distress Thermometer $distress', ({ distress, opens }) => {
    const [psy] = opened(enrolled().send(prom({ distress }, at)), 'psychosocial-assessment');
    expect(Boolean(psy)).toBe(opens);
    if (psy) expect(psy.task).toMatchObject({ queue: 'psychosocial', priority: 'routine', reason: { rule: '2.2.triggers.distress' } });
  });

  it('2.2.triggers.severe-emotional also opens a psychosocial assessment (soon, 3 days)', () => {
    const j = enrolled();
    const [psy] = opened(j.send(prom({ anxiety: 8 }, at)), 'psychosocial-assessment');
    expect(psy!.task).toMatchObject({ priority: 'soon', dueAt: iso(j.now + 3 * DAY), reason: { rule: '2.2.triggers.severe-emotional' } });
  });

  it('keeps one symptom-review: new findings join it and raise its priority and due time', () => {
    const j = enrolled();
    j.send(prom({ pain: 5 }, at));
    const review = j.open('symptom-review')!;
    expect(review.priority).toBe('routine');
    j.send(prom({ pain: 5, nausea: 9 }, at + DAY));
    expect(j.openOf('symptom-review')).toHaveLength(1);
    const raised = j.state.tasks[review.commandId]!;
    expect(raised).toMatchObject({ priority: 'urgent', dueAt: iso(j.now + DAY) });
    expect(raised.reason.evidence.updates).toEqual([expect.objectContaining({ rule: '2.2.triggers.severe-physical' })]);
  });
});

describe('2.2 closed loop', () => {
  it('2.2.closed-loop.follow-up sends a follow-up PROM 7 days after the review is completed', () => {
    const j = enrolled();
    j.send(prom({ pain: 8 }, at));
    j.complete('symptom-review', 'done');
    j.send(prom({ pain: 2 }, j.now)); // the routine response in between does not count as the follow-up
    const out = j.advance(7 * DAY);
    const follow = out.find((c) => c.kind === 'notify' && c.notification.reason.rule === '2.2.closed-loop.follow-up');
    expect(follow).toMatchObject({
      kind: 'notify',
      notification: { kind: 'prom-request', recipient: { role: 'patient' }, reason: { evidence: { instruments: ['ESAS-r'], items: ['pain'] } } },
    });
  });

  it.each([
    { followUp: 7, escalates: true },
    { followUp: 6, escalates: false },
  ])('2.2.closed-loop.still-severe: pain $followUp at follow-up', ({ followUp, escalates }) => {
    const j = enrolled();
    j.send(prom({ pain: 8 }, at));
    j.complete('specialist-referral-proposal', 'declined');
    j.complete('symptom-review', 'done');
    j.advance(7 * DAY);
    const out = j.send(prom({ pain: followUp }, j.now));
    const proposal = opened(out, 'specialist-referral-proposal')[0];
    expect(Boolean(proposal)).toBe(escalates);
    if (proposal) expect(proposal.task).toMatchObject({ priority: 'urgent', reason: { rule: '2.2.closed-loop.still-severe' } });
  });

  it('2.2.closed-loop.still-severe escalates to the specialist team when already referred', () => {
    const j = enrolled();
    j.send(prom({ pain: 8 }, at));
    j.complete('specialist-referral-proposal', 'agreed');
    j.complete('specialist-referral-triage', 'seen');
    j.complete('symptom-review', 'done');
    j.advance(7 * DAY);
    const [esc] = opened(j.send(prom({ pain: 9 }, j.now)), 'escalation');
    expect(esc!.task).toMatchObject({ queue: 'specialist-palliative', priority: 'urgent', reason: { rule: '2.2.closed-loop.still-severe' } });
  });
});
