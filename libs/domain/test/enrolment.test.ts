import { describe, expect, it } from 'vitest';
import type { ClinicalEvent, PathwayInput, PathwayState, ResolvedPolicy } from '../src';
import { applyCommands, decide, DEFAULT_POLICY, evolve, initialState } from '../src';

const AT = '2026-11-02T10:00:00.000Z';
const diagnosis = (advanced: boolean, id = 'evt-dx'): PathwayInput => ({
  kind: 'event',
  at: AT,
  event: {
    specversion: '1.0',
    id,
    source: 'ehr',
    type: 'diagnosis.recorded',
    subject: 'pt-1',
    time: '2026-11-01T09:00:00Z',
    data: { cancerType: 'C25.0', advanced, diagnosedAt: '2026-11-01' },
  } as ClinicalEvent,
});
const policy = (timeScale = 1, due = 'P2D'): ResolvedPolicy => ({ policy: { ...DEFAULT_POLICY, enrolment: { assignKeyWorker: { due, priority: 'soon' } } }, timeScale });
const enrolled = (): PathwayState => applyCommands(evolve(initialState('pt-1'), diagnosis(true)), decide(initialState('pt-1'), diagnosis(true), policy()));

describe('2.1.enrolment.assign-key-worker', () => {
  it.each([
    { name: 'advanced diagnosis, not enrolled', state: () => initialState('pt-1'), input: diagnosis(true), p: policy(), due: '2026-11-04T10:00:00.000Z' },
    { name: 'site policy of 1 day', state: () => initialState('pt-1'), input: diagnosis(true), p: policy(1, 'P1D'), due: '2026-11-03T10:00:00.000Z' },
    { name: 'time scale 86400 (a day a second)', state: () => initialState('pt-1'), input: diagnosis(true), p: policy(86_400), due: '2026-11-02T10:00:02.000Z' },
    { name: 'non-advanced diagnosis', state: () => initialState('pt-1'), input: diagnosis(false), p: policy(), due: undefined },
    { name: 'already enrolled', state: enrolled, input: diagnosis(true, 'evt-dx-2'), p: policy(), due: undefined },
  ])('$name', ({ state, input, p, due }) => {
    const commands = decide(state(), input, p);
    if (due === undefined) {
      expect(commands).toEqual([]);
      return;
    }
    expect(commands).toEqual([
      {
        kind: 'open-task',
        commandId: '2.1.enrolment.assign-key-worker#evt-dx',
        task: {
          type: 'assign-key-worker',
          priority: 'soon',
          dueAt: due,
          reason: { rule: '2.1.enrolment.assign-key-worker', evidence: { eventIds: ['evt-dx'], cancerType: 'C25.0', diagnosedAt: '2026-11-01', advanced: true } },
        },
      },
    ]);
  });

  it('enrols the patient (stage enrolled) and records the diagnosis', () => {
    const s = enrolled();
    expect(s.stage).toBe('enrolled');
    expect(s.diagnosis).toEqual({ cancerType: 'C25.0', diagnosedAt: '2026-11-01', eventId: 'evt-dx' });
    expect(Object.values(s.tasks)).toEqual([expect.objectContaining({ type: 'assign-key-worker', status: 'open' })]);
  });

  it('records a task completion once, ignoring completions of unknown or closed tasks', () => {
    const s = enrolled();
    const commandId = '2.1.enrolment.assign-key-worker#evt-dx';
    const completed = (id: string, outcome: string): PathwayInput => ({ kind: 'task.completed', commandId: id, outcome, completedAt: AT, at: AT });
    const done = evolve(s, completed(commandId, 'assigned'));
    expect(done.tasks[commandId]).toMatchObject({ status: 'done', outcome: 'assigned', closedAt: AT });
    expect(evolve(done, completed(commandId, 'other'))).toBe(done);
    expect(evolve(s, completed('nope', 'assigned'))).toBe(s);
  });
});
