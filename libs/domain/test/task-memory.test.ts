import { describe, expect, it } from 'vitest';
import { allFindings, memoryOf } from '../src/pathway/memory';
import { DAY, enrolled, prom, T0 } from './support';

/**
 * What later decisions need of a task is its typed memory (libs/domain/src/pathway/memory.ts); a task
 * opened before memory was typed has it read from its evidence, as the rules read it then.
 */
describe('task memory', () => {
  it('a symptom review remembers the findings that opened and joined it; its evidence still explains them', () => {
    const j = enrolled();
    j.checkMemory = true;
    j.send(prom({ pain: 8 }, T0 + DAY));
    j.send(prom({ breathlessness: 9 }, T0 + 2 * DAY));
    const review = j.open('symptom-review')!;
    expect(review.memory?.findings?.map((f) => f.item)).toEqual(['pain']);
    expect(review.memory?.joined?.map((u) => [u.rule, u.findings?.map((f) => f.item)])).toEqual([['2.2.triggers.severe-physical', ['breathlessness']]]);
    expect(allFindings(memoryOf(review)).map((f) => f.item)).toEqual(['pain', 'breathlessness']);
    expect(review.reason.evidence.findings).toEqual(review.memory?.findings);
  });

  it('a task recorded without memory is read from its evidence, as before', () => {
    const j = enrolled();
    j.send(prom({ pain: 8 }, T0 + DAY));
    const { memory, ...legacy } = j.open('symptom-review')!;
    expect(memory?.findings?.map((f) => f.item)).toEqual(['pain']);
    expect(memory?.eventIds).toHaveLength(1);
    expect(memoryOf(legacy)).toEqual(memory);
  });

  it('the both-ways check fails when memory and evidence disagree (negative control)', () => {
    const j = enrolled();
    j.checkMemory = true;
    j.send(prom({ pain: 8 }, T0 + DAY));
    const review = j.open('symptom-review')!;
    // A memory that forgot the severe finding: the closed loop would follow up nothing.
    j.state = { ...j.state, tasks: { ...j.state.tasks, [review.commandId]: { ...review, memory: { ...review.memory, findings: [] } } } };
    const tampered = j.state;
    j.checkMemory = false;
    expect(() => j.complete('symptom-review', 'reviewed')).not.toThrow();
    j.state = tampered;
    j.checkMemory = true;
    expect(() => j.complete('symptom-review', 'reviewed')).toThrow(/toEqual|expected/);
  });
});
