import { describe, expect, it } from 'vitest';
import { guardTaskCompletion, MAX_COMMAND_ID } from '../src/signal-guard';

const completion = (commandId: string) => ({ taskId: 'task-1', commandId, outcome: 'done', completedAt: '2026-12-07T10:00:00.000Z' });
/** An escalation's id as the engine makes it: the escalated task's id twice (seen at 305 characters in a simulated year). */
const escalationId =
  '2.11.ladder.on-call#overdue:2.2.triggers.severe-physical#done:2.2.triggers.severe-physical#s~e9d7a9052d4d8436:symptom-review/symptom-review:on-call@2026-12-07T17:40:09.992Z:escalation/escalated:2.2.triggers.severe-physical#done:2.2.triggers.severe-physical#s~e9d7a9052d4d8436:symptom-review/symptom-review';

describe('a task completion signal', () => {
  it('takes the completion of a task whose id the engine made long (an escalation: 305 characters), which it refused at 256', () => {
    expect(escalationId.length).toBe(305);
    expect(guardTaskCompletion(completion(escalationId))).toMatchObject({ ok: true });
  });

  it('still refuses a command id past any the engine makes, an empty one, and a missing field', () => {
    expect(guardTaskCompletion(completion('x'.repeat(MAX_COMMAND_ID + 1)))).toMatchObject({ ok: false, reason: 'invalid-completion' });
    expect(guardTaskCompletion(completion(''))).toMatchObject({ ok: false, reason: 'invalid-completion' });
    expect(guardTaskCompletion({ taskId: 't', commandId: 'c', outcome: 'done' })).toMatchObject({ ok: false, reason: 'invalid-completion' });
  });
});
