import { describe, expect, it } from 'vitest';
import { DAY, enrolled, event, iso, notified, opened, policyWith, prom, T0 } from './support';

describe('2.2 PROM schedule and non-response ladder', () => {
  it('2.2.proms.schedule requests PROMs monthly (policy interval)', () => {
    const j = enrolled();
    j.send(prom({ pain: 1 }, T0 + DAY));
    const sent = notified(j.advance(30 * DAY), 'prom-request');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.notification.reason.rule).toBe('2.2.proms.schedule');
    expect(j.timer('prom-due')).toBe(iso(T0 + 60 * DAY));
  });

  it('2.2.proms.schedule uses the therapy interval during systemic therapy when a site sets it weekly', () => {
    const j = enrolled(policyWith((p) => (p.proms.intervalDuringSystemicTherapy = 'P7D')));
    j.send(event('treatment.started', { line: 1, intent: 'palliative' }, T0));
    j.send(prom({ pain: 1 }, T0 + DAY));
    expect(notified(j.advance(30 * DAY), 'prom-request').length).toBeGreaterThanOrEqual(1);
    expect(Date.parse(j.timer('prom-due')!) - j.now).toBeLessThanOrEqual(7 * DAY);
  });

  it.each([
    { after: 1, reminders: 0, task: false },
    { after: 2, reminders: 1, task: false },
    { after: 4, reminders: 2, task: false },
    { after: 5, reminders: 2, task: true },
  ])('2.2.proms.reminder and 2.2.proms.not-returned: day $after without a response', ({ after, reminders, task }) => {
    const j = enrolled();
    const out = j.advance(after * DAY);
    const sent = notified(out, 'prom-reminder');
    expect(sent).toHaveLength(reminders);
    sent.forEach((r) => expect(r.notification).toMatchObject({ recipient: { role: 'patient' }, reason: { rule: '2.2.proms.reminder' } }));
    const call = opened(out, 'prom-not-returned');
    expect(call.length > 0).toBe(task);
    if (task) expect(call[0]!.task).toMatchObject({ queue: 'coordination', reason: { rule: '2.2.proms.not-returned' } });
  });

  it('a response stops the ladder and closes the call task', () => {
    const j = enrolled();
    j.advance(5 * DAY);
    expect(j.open('prom-not-returned')).toMatchObject({ queue: 'coordination', status: 'open', reason: { rule: '2.2.proms.not-returned' } });
    j.send(prom({ pain: 1 }, j.now));
    expect(j.open('prom-not-returned')).toBeUndefined();
    expect(notified(j.advance(20 * DAY), 'prom-reminder')).toHaveLength(0);
  });
});
