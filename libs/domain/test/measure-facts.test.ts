import { describe, expect, it } from 'vitest';
import { DAY, enrolled, event, iso, prom, T0 } from './support';

/**
 * Rules revision 5 (docs/clinical-rules.md section 4): the facts the operations measures are computed
 * from, asserted as stored (one per command id), with the tasks they point at.
 */
describe('measure facts (revision 5)', () => {
  it('a PROM request records when it was sent and until when an answer is in time; an answer in time says so', () => {
    const j = enrolled(); // the baseline request at enrolment
    expect(j.factsNamed('prom-requested')).toEqual([
      expect.objectContaining({
        rule: '2.1.enrolment.baseline-prom',
        at: iso(T0),
        value: expect.objectContaining({ requestId: 'pt-1-prom-1', notReturnedAt: iso(T0 + 5 * DAY) }),
      }),
    ]);
    j.send(prom({ pain: 2 }, j.now));
    j.advance(30 * DAY);
    expect(j.factsNamed('prom-requested')[1]).toMatchObject({
      rule: '2.2.proms.schedule',
      at: iso(T0 + 30 * DAY),
      value: { requestId: 'pt-1-prom-2', instruments: ['ESAS-r', 'DT'], notReturnedAt: iso(T0 + 35 * DAY) },
    });
    j.advance(DAY);
    j.send(prom({ pain: 2 }, j.now));
    expect(j.factsNamed('prom-answered').map((f) => f.value)).toEqual([
      expect.objectContaining({ requestId: 'pt-1-prom-1', late: false }),
      expect.objectContaining({ requestId: 'pt-1-prom-2', late: false }),
    ]);
  });

  it('an answer after the not-returned call is late; a second response to an answered request records no answer', () => {
    const j = enrolled();
    j.advance(6 * DAY); // the baseline request's reminders and its not-returned call
    expect(j.open('prom-not-returned')).toBeTruthy();
    j.send(prom({ pain: 1 }, j.now));
    j.send(prom({ pain: 1 }, j.now + 1000));
    expect(j.factsNamed('prom-answered')).toEqual([expect.objectContaining({ value: expect.objectContaining({ requestId: 'pt-1-prom-1', late: true }) })]);
  });

  it('a severe score names the symptom review that answers it; a merged score names the same review', () => {
    const j = enrolled();
    j.send(prom({ pain: 8, nausea: 2 }, j.now));
    const review = j.open('symptom-review')!;
    j.advance(DAY);
    j.send(prom({ tiredness: 9 }, j.now));
    expect(j.openOf('symptom-review')).toHaveLength(1);
    expect(j.factsNamed('severe-score').map((f) => f.value)).toEqual([
      expect.objectContaining({ items: ['pain'], review: review.commandId }),
      expect.objectContaining({ items: ['tiredness'], review: review.commandId }),
    ]);
  });

  it('a moderate score alone records no severe score', () => {
    const j = enrolled();
    j.send(prom({ pain: 5 }, j.now));
    expect(j.open('symptom-review')).toBeTruthy();
    expect(j.factsNamed('severe-score')).toEqual([]);
  });

  it('the closed-loop follow-up is a request of its own, and its answer records the change of each triggering item', () => {
    const j = enrolled();
    j.send(prom({ pain: 8 }, j.now));
    const review = j.open('symptom-review')!;
    j.complete('symptom-review', 'reviewed');
    j.advance(7 * DAY);
    const followUp = j.factsNamed('prom-requested').find((f) => (f.value as { followUpOf?: string }).followUpOf === review.commandId);
    expect(followUp).toMatchObject({ rule: '2.2.closed-loop.follow-up', value: { instruments: ['ESAS-r'] } });
    const requestId = (followUp!.value as { requestId: string }).requestId;
    j.send(event('prom.submitted', { instrument: 'ESAS-r', responseId: 'fu-r', requestId, scores: { pain: 4 } }, j.now));
    expect(j.factsNamed('follow-up-scores')).toEqual([
      expect.objectContaining({ value: { requestId, followUpOf: review.commandId, changes: [{ item: 'pain', from: 8, to: 4 }] } }),
    ]);
    expect(j.factsNamed('prom-answered').filter((f) => (f.value as { requestId: string }).requestId === requestId)).toEqual([
      expect.objectContaining({ value: expect.objectContaining({ late: false }) }),
    ]);
  });

  it('a registration records the birth date for the age split, and a later one records the newer attributes', () => {
    const j = enrolled();
    j.send(event('patient.registered', { birthDate: '1949-03-02', livesAlone: true }, j.now));
    j.send(event('patient.registered', { birthDate: '1949-03-02', livesAlone: false, deprivationQuintile: 2 }, j.now + DAY));
    expect(j.factsNamed('equity').map((f) => f.value)).toEqual([
      expect.objectContaining({ birthDate: '1949-03-02', livesAlone: true }),
      expect.objectContaining({ birthDate: '1949-03-02', livesAlone: false, deprivationQuintile: 2 }),
    ]);
  });
});
