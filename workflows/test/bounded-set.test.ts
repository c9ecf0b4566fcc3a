import { describe, expect, it } from 'vitest';
import { BoundedIdSet } from '../src/bounded-set';

describe('BoundedIdSet', () => {
  it('remembers ids up to its capacity, forgetting the oldest first', () => {
    const s = new BoundedIdSet([], 3);
    for (const id of ['a', 'b', 'c', 'a', 'd']) s.add(id);
    expect(s.toArray()).toEqual(['b', 'c', 'd']);
    expect(s.has('a')).toBe(false);
    expect(s.has('d')).toBe(true);
  });

  it('restores from a carried-over list, keeping only the newest `capacity`', () => {
    const s = new BoundedIdSet(['a', 'b', 'c', 'd'], 2);
    expect(s.toArray()).toEqual(['c', 'd']);
    expect(s.size).toBe(2);
  });
});
