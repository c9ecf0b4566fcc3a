import { describe, expect, it } from 'vitest';
import { dutiesOver, lateEventForEndedPathway } from '../src';
import { DAY, diagnosis, enrolled, event, iso, prom, T0 } from './support';

/**
 * Pathways that end (ADR 0017): a pathway whose duties are all over ends its workflow, and a late
 * event wakes it only when the rules would change something it holds — opening nothing unless it is
 * one of the two re-enrolments (docs/clinical-rules.md 2.10a).
 */
const withdrawn = () => {
  const j = enrolled();
  j.now = T0 + 3 * DAY;
  j.send(event('consent.changed', { scope: 'pathway', decision: 'withdrawn' }, j.now));
  return j;
};

describe('dutiesOver', () => {
  it('holds for a withdrawn pathway: closed, nothing open, no timer', () => {
    const j = withdrawn();
    expect(j.state.stage).toBe('closed');
    expect(dutiesOver(j.state)).toBe(true);
  });

  it('does not hold while a pathway is active, or closed with a severe answer’s review still open', () => {
    const j = enrolled();
    expect(dutiesOver(j.state)).toBe(false);
    j.now = T0 + DAY;
    j.send(prom({ pain: 9 }, j.now));
    j.send(event('consent.changed', { scope: 'pathway', decision: 'withdrawn' }, j.now + 1000));
    expect(j.state.stage).toBe('closed');
    expect(j.openOf('symptom-review')).toHaveLength(1);
    expect(dutiesOver(j.state)).toBe(false);
    j.complete('symptom-review', 'done');
    expect(dutiesOver(j.state)).toBe(true);
  });

  it('does not hold in bereavement, and holds once the last follow-up is done', () => {
    const j = enrolled();
    j.now = T0 + DAY;
    j.send(event('patient.died', { placeOfDeath: 'home' }, j.now));
    expect(j.state.stage).toBe('bereavement');
    expect(dutiesOver(j.state)).toBe(false);
    j.complete('bereavement-contact', 'done');
    for (let day = 0; day < 400 && j.state.stage !== 'closed'; day += 7) {
      j.advance(7 * DAY);
      for (const t of Object.values(j.state.tasks).filter((x) => x.status === 'open')) j.complete(t.type, 'done', t.subject);
    }
    expect(j.state.closure?.reason).toBe('bereavement-complete');
    expect(dutiesOver(j.state)).toBe(true);
  });
});

describe('lateEventForEndedPathway', () => {
  const at = iso(T0 + 30 * DAY);
  it('a questionnaire answered after the withdrawal: no run; the ended state remembers the answer, nothing is opened', () => {
    const j = withdrawn();
    const late = prom({ pain: 9 }, T0 + 30 * DAY);
    const verdict = lateEventForEndedPathway(j.state, late, j.policy, at);
    expect(verdict.kind).toBe('remember');
    if (verdict.kind !== 'remember') return;
    expect(verdict.state.proms.latest.pain?.score).toBe(9);
    expect(dutiesOver(verdict.state)).toBe(true);
    // What the workflow would have done with it: the same state, and nothing to write.
    expect(j.send(late)).toEqual([]);
  });

  it('the same withdrawal again: nothing changes, no run', () => {
    const j = withdrawn();
    const again = event('consent.changed', { scope: 'pathway', decision: 'withdrawn' }, T0 + 3 * DAY, 'evt-again');
    expect(lateEventForEndedPathway(j.state, again, j.policy, at)).toEqual({ kind: 'nothing' });
  });

  it('a death after the withdrawal is remembered without a run, so consent granted later re-enrols nobody', () => {
    const j = withdrawn();
    const death = event('patient.died', { placeOfDeath: 'home' }, T0 + 30 * DAY);
    const verdict = lateEventForEndedPathway(j.state, death, j.policy, at);
    expect(verdict.kind).toBe('remember');
    if (verdict.kind !== 'remember') return;
    const granted = event('consent.changed', { scope: 'pathway', decision: 'granted' }, T0 + 40 * DAY);
    const after = lateEventForEndedPathway(verdict.state, granted, j.policy, at);
    expect(after.kind).not.toBe('start-run');
    if (after.kind === 'remember') expect(after.state.stage).toBe('closed');
  });

  it('a severe answer given before the withdrawal, arriving after the end: a run starts to open its urgent review (2.10.closure.severe-answer)', () => {
    const j = withdrawn();
    const before = prom({ pain: 9 }, T0 + 2 * DAY);
    expect(lateEventForEndedPathway(j.state, before, j.policy, at)).toEqual({ kind: 'start-run' });
    j.send(before);
    expect(j.openOf('symptom-review')).toHaveLength(1);
  });

  it('consent granted again: wakes it, and the run re-enrols', () => {
    const j = withdrawn();
    const granted = event('consent.changed', { scope: 'pathway', decision: 'granted' }, T0 + 30 * DAY);
    expect(lateEventForEndedPathway(j.state, granted, j.policy, at)).toEqual({ kind: 'start-run' });
    j.send(granted);
    expect(j.state.stage).toBe('enrolled');
  });

  it('a new diagnosis after a transfer out: wakes it, and the run re-enrols', () => {
    const j = enrolled();
    j.now = T0 + 2 * DAY;
    j.send(event('patient.transferred', { toOrganisation: 'elsewhere' }, j.now));
    expect(dutiesOver(j.state)).toBe(true);
    const again = diagnosis({}, T0 + 60 * DAY);
    expect(lateEventForEndedPathway(j.state, again, j.policy, at)).toEqual({ kind: 'start-run' });
    j.send(again);
    expect(j.state.stage).toBe('enrolled');
  });
});
