import { describe, expect, it } from 'vitest';
import type { ClinicalEvent } from '../src';
import { MAX_HELD_BEFORE_ENROLMENT, openTasks } from '../src';
import { diagnosis, event, HOUR, Journey, prom, T0 } from './support';

/** docs/clinical-rules.md invariant 6: rules judge by clinical time, so arrival order must not change the tasks. */
const journeyEvents = (): ClinicalEvent[] => [
  event('patient.registered', { birthDate: '1950-01-01', livesAlone: true }, T0),
  diagnosis({}, T0 + 1 * HOUR),
  event('performance.recorded', { ecog: 3 }, T0 + 2 * HOUR),
  prom({ pain: 8, anxiety: 3 }, T0 + 3 * HOUR),
  event('prognosis.estimated', { months: 5 }, T0 + 4 * HOUR),
  event('clinical.flag', { flag: 'existential-crisis' }, T0 + 5 * HOUR),
];

const tasksAfter = (events: ClinicalEvent[]) => {
  const j = new Journey();
  for (const e of events) j.send(e);
  return openTasks(j.state)
    .map((t) => `${t.type} ${t.priority} ${t.reason.rule}`)
    .sort();
};

describe('events arriving out of clinical order', () => {
  const inOrder = journeyEvents();
  const expected = tasksAfter(inOrder);

  it('the in-order journey opens the enrolment, symptom, referral and hospice tasks', () => {
    expect(expected).toEqual([
      'acp-conversation routine 2.1.enrolment.acp-conversation',
      'assign-key-worker soon 2.1.enrolment.assign-key-worker',
      'baseline-assessment routine 2.1.enrolment.baseline-assessment',
      'explain-palliative-care routine 2.1.enrolment.explain-palliative-care',
      'hospice-referral-discussion soon 2.5.hospice.discussion',
      'specialist-referral-proposal soon 2.3.needs.severe-physical',
      'symptom-review urgent 2.2.triggers.severe-physical',
    ]);
  });

  it.each([
    ['reversed', [5, 4, 3, 2, 1, 0]],
    ['PROM before the diagnosis', [3, 1, 5, 0, 4, 2]],
    ['diagnosis last', [0, 2, 3, 4, 5, 1]],
    ['late flag and performance', [0, 1, 3, 4, 5, 2]],
  ])('%s gives the same tasks as in order', (_name, order) => {
    expect(tasksAfter(order.map((i) => inOrder[i]!))).toEqual(expected);
  });

  it('acts on a severe score from just before the diagnosis the same way whether it arrives before or after it', () => {
    const earlyPain = prom({ pain: 9 }, T0 - HOUR);
    const after = tasksAfter([diagnosis({}, T0), earlyPain]);
    const before = tasksAfter([earlyPain, diagnosis({}, T0)]);
    expect(before).toEqual(after);
    expect(before).toContain('symptom-review urgent 2.2.triggers.severe-physical');
  });

  it('decides nothing for held events until a diagnosis enrols the patient', () => {
    const j = new Journey();
    j.send(prom({ pain: 9 }, T0));
    j.send(event('clinical.flag', { flag: 'existential-crisis' }, T0 + HOUR));
    expect(openTasks(j.state)).toEqual([]);
    expect(j.state.heldBeforeEnrolment).toHaveLength(2);
  });

  it('holds at most the newest events while waiting for enrolment', () => {
    const j = new Journey();
    for (let i = 0; i < MAX_HELD_BEFORE_ENROLMENT + 5; i++) j.send(event('sact.administered', {}, T0 + i * HOUR));
    expect(j.state.heldBeforeEnrolment).toHaveLength(MAX_HELD_BEFORE_ENROLMENT);
    j.send(diagnosis({}, T0));
    expect(j.state.heldBeforeEnrolment).toBeUndefined();
  });
});
