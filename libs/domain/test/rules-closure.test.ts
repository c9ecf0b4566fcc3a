import { describe, expect, it } from 'vitest';
import { initialState } from '../src';
import type { ClinicalEvent } from '../src';
import { DAY, diagnosis, enrolled, event, HOUR, Journey, notified, policyWith, prom, T0 } from './support';

// 2.10.closure.severe-answer (revision 7, issue 26): a severe answer given while the patient was in
// the pathway's care reaches a person even when a transfer or a withdrawal closes the pathway.
const EXITS: Array<{ exit: string; close: (at: number) => ClinicalEvent; why: string }> = [
  { exit: 'transfer', close: (at) => event('patient.transferred', { toOrganisation: 'North Trust' }, at), why: 'patient-transferred' },
  { exit: 'withdrawal', close: (at) => event('consent.changed', { scope: 'pathway', decision: 'withdrawn' }, at), why: 'consent-withdrawn' },
  { exit: 'refusal', close: (at) => event('consent.changed', { scope: 'pathway', decision: 'declined' }, at), why: 'consent-withdrawn' },
];

const openTasks = (j: Journey) => Object.values(j.state.tasks).filter((t) => t.status === 'open');
const reviewsOf = (j: Journey) => j.tasksOf('symptom-review');

describe('2.10.closure.severe-answer: a severe answer accepted just before closure reaches a person', () => {
  it.each(EXITS)('2.10.closure.severe-answer: answer then $exit keeps the urgent symptom-review open, saying why, with its ladder', ({ close, why }) => {
    const j = enrolled();
    const answer = prom({ pain: 9 }, T0 + HOUR);
    j.send(answer);
    const closing = close(T0 + 2 * HOUR);
    j.send(closing);
    expect(j.state.stage).toBe('closed');
    // The resulting tasks: the urgent review is the one task left open, and its reason says why.
    expect(openTasks(j).map((t) => `${t.type}/${t.priority}`)).toEqual(['symptom-review/urgent']);
    const review = openTasks(j)[0]!;
    expect(review.reason.rule).toBe('2.2.triggers.severe-physical');
    expect(review.reason.evidence).toMatchObject({
      eventIds: [answer.id],
      keptOpenAtClosure: { rule: '2.10.closure.severe-answer', closure: why, eventIds: [closing.id], closedAt: closing.time },
    });
    expect(String((review.reason.evidence.keptOpenAtClosure as { why: string }).why)).toMatch(/person must still act/);
    // Everything else was cancelled with the closure's reason.
    expect(Object.values(j.state.tasks).filter((t) => t.status === 'cancelled').length).toBeGreaterThan(0);
    expect(Object.values(j.state.tasks).every((t) => t.status === 'open' || t.outcome === why)).toBe(true);
    // The ladder still works: a reminder at the due time, on-call an hour later; never the patient.
    j.advance(2 * DAY);
    const reminders = j.delivered('clinician-reminder').filter((n) => n.taskCommandId === review.commandId);
    expect(reminders.map((n) => n.reason.rule)).toEqual(['2.11.ladder.remind']);
    expect(j.open('escalation', `escalated:${review.commandId}`)).toMatchObject({ queue: 'on-call', reason: { rule: '2.11.ladder.on-call' } });
    expect(j.delivered().filter((n) => n.patientFacing && n.kind === 'prom-request')).toHaveLength(1); // the baseline only
    // Done by a person: the review and its escalation close, nothing more is asked.
    j.complete('symptom-review', 'reviewed');
    expect(openTasks(j)).toEqual([]);
    const before = j.delivered().length;
    j.advance(30 * DAY);
    expect(j.delivered()).toHaveLength(before);
    expect(j.state.stage).toBe('closed');
  });

  it.each(EXITS)('2.10.closure.severe-answer: $exit then a late severe answer given before it opens the urgent symptom-review', ({ close }) => {
    const j = enrolled();
    j.send(close(T0 + 2 * DAY));
    expect(openTasks(j)).toEqual([]);
    j.now = T0 + 3 * DAY; // the answer was queued: it arrives after the closure
    const late = prom({ pain: 9, tiredness: 2 }, T0 + DAY);
    j.send(late);
    expect(j.state.stage).toBe('closed');
    expect(openTasks(j).map((t) => `${t.type}/${t.priority}/${t.queue}`)).toEqual(['symptom-review/urgent/oncology']);
    const review = openTasks(j)[0]!;
    expect(review.reason).toMatchObject({
      rule: '2.10.closure.severe-answer',
      evidence: { eventIds: [late.id], findings: [{ item: 'pain', score: 9, trigger: 'severe-physical' }], answeredBeforeClosure: { closedAt: expect.any(String) } },
    });
    expect(review.dueAt).toBe(new Date(T0 + 4 * DAY).toISOString());
    expect(j.factsNamed('severe-score').map((f) => f.rule)).toEqual(['2.10.closure.severe-answer']);
    // Nothing else: no referral proposal, no psychosocial work, no questionnaire to the patient.
    expect(j.last.filter((c) => c.kind === 'notify')).toEqual([]);
    j.advance(DAY);
    expect(j.delivered('clinician-reminder').map((n) => n.taskCommandId)).toEqual([review.commandId]);
  });

  it.each(EXITS)('2.10.closure.severe-answer: a severe answer clinically after the $exit opens nothing (2.10a)', ({ close }) => {
    const j = enrolled();
    j.send(close(T0 + DAY));
    const before = j.delivered().length;
    const out = j.send(prom({ pain: 10, depression: 9 }, T0 + 2 * DAY));
    expect(out).toEqual([]);
    expect(openTasks(j)).toEqual([]);
    expect(j.delivered()).toHaveLength(before);
  });

  it('2.10.closure.severe-answer: an answer that arrived first but is clinically after the transfer is cancelled with it', () => {
    const j = enrolled();
    j.send(prom({ pain: 9 }, T0 + 3 * DAY));
    expect(j.open('symptom-review')).toMatchObject({ type: 'symptom-review', status: 'open', priority: 'urgent' });
    j.send(event('patient.transferred', { toOrganisation: 'North Trust' }, T0 + DAY));
    expect(openTasks(j)).toEqual([]);
    expect(reviewsOf(j).map((t) => t.outcome)).toEqual(['patient-transferred']);
  });

  it.each(EXITS)('2.10.closure.severe-answer: a non-severe answer is cancelled by the $exit as before, and late it opens nothing', ({ close, why }) => {
    const j = enrolled();
    j.send(prom({ pain: 6, tiredness: 5 }, T0 + HOUR));
    expect(j.open('symptom-review')).toMatchObject({ priority: 'routine' });
    j.send(close(T0 + 2 * HOUR));
    expect(openTasks(j)).toEqual([]);
    expect(reviewsOf(j).map((t) => t.outcome)).toEqual([why]);
    expect(j.send(prom({ pain: 6 }, T0 + HOUR / 2))).toEqual([]);
    expect(openTasks(j)).toEqual([]);
  });

  it('2.9.death.cancel unchanged: answer then death cancels the urgent review with reason patient-died', () => {
    const j = enrolled();
    j.send(prom({ pain: 9 }, T0 + HOUR));
    j.send(event('patient.died', { placeOfDeath: 'home' }, T0 + 2 * HOUR));
    expect(reviewsOf(j).map((t) => `${t.status}/${t.outcome}`)).toEqual(['cancelled/patient-died']);
    expect(openTasks(j).map((t) => t.type)).toEqual(['bereavement-contact']);
  });

  it('2.9.death.cancel: a death after the transfer cancels the review the transfer kept, and a late answer then opens nothing', () => {
    const j = enrolled();
    j.send(prom({ pain: 9 }, T0 + HOUR));
    j.send(event('patient.transferred', { toOrganisation: 'North Trust' }, T0 + 2 * HOUR));
    expect(j.open('symptom-review')).toMatchObject({ type: 'symptom-review', status: 'open', priority: 'urgent' });
    j.send(event('patient.died', { placeOfDeath: 'home' }, T0 + 3 * HOUR));
    expect(openTasks(j)).toEqual([]);
    expect(reviewsOf(j).map((t) => t.outcome)).toEqual(['patient-died']);
    expect(j.send(prom({ pain: 9 }, T0 + 90 * 60_000))).toEqual([]);
    const before = j.delivered().length;
    j.advance(10 * DAY);
    expect(j.delivered()).toHaveLength(before);
  });

  it('2.10.closure.severe-answer: the severity threshold is the pathway policy’s', () => {
    const j = enrolled(policyWith((p) => void (p.proms.severeAtLeast = 9)));
    j.send(event('patient.transferred', { toOrganisation: 'North Trust' }, T0 + 2 * DAY));
    expect(j.send(prom({ pain: 8 }, T0 + DAY))).toEqual([]);
    j.send(prom({ pain: 9 }, T0 + DAY + HOUR));
    expect(openTasks(j).map((t) => `${t.type}/${t.priority}`)).toEqual(['symptom-review/urgent']);
  });

  it('2.10.closure.severe-answer: a withdrawal clinically before the enrolling diagnosis enrolled nobody, so a late answer opens nothing', () => {
    const j = new Journey();
    j.send(event('consent.changed', { scope: 'pathway', decision: 'withdrawn' }, T0 - DAY));
    j.send(diagnosis());
    expect(j.state.stage).toBe('closed');
    expect(j.send(prom({ pain: 9 }, T0 - 2 * DAY))).toEqual([]);
    expect(openTasks(j)).toEqual([]);
  });

  it('2.10.closure.severe-answer applies from rules revision 7: a revision-6 pathway keeps its behaviour', () => {
    const j = new Journey();
    j.state = { ...initialState('pt-1'), revision: 6 };
    j.send(diagnosis());
    j.send(prom({ pain: 9 }, T0 + HOUR));
    j.send(event('patient.transferred', { toOrganisation: 'North Trust' }, T0 + 2 * HOUR));
    expect(openTasks(j)).toEqual([]);
    expect(reviewsOf(j).map((t) => t.outcome)).toEqual(['patient-transferred']);
    expect(j.send(prom({ pain: 9 }, T0 + 90 * 60_000))).toEqual([]);
    expect(openTasks(j)).toEqual([]);
    expect(notified(j.advance(10 * DAY))).toEqual([]);
  });
});
