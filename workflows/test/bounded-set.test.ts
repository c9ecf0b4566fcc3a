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

describe('BoundedIdSet by characters (issue 26, finding 3)', () => {
  it('forgets the oldest ids once their characters pass the bound, however few they are', () => {
    const s = new BoundedIdSet([], 2_000, 10);
    for (const id of ['aaaa', 'bbbb', 'cccc']) s.add(id);
    expect(s.toArray()).toEqual(['bbbb', 'cccc']);
    s.delete('bbbb');
    s.add('dddd');
    expect(s.toArray()).toEqual(['cccc', 'dddd']);
  });

  it('restores a carried-over list within the bound', () => {
    expect(new BoundedIdSet(['a'.repeat(6), 'b'.repeat(6), 'c'.repeat(6)], 2_000, 13).toArray()).toEqual(['b'.repeat(6), 'c'.repeat(6)]);
  });
});

describe('BoundedIdSet.evictOldest (the legacy window of plain ids gives way)', () => {
  it('forgets the oldest id, and nothing when empty', () => {
    const s = new BoundedIdSet(['a', 'bb', 'c'], 10, 4);
    s.evictOldest();
    expect(s.toArray()).toEqual(['bb', 'c']);
    expect(s.has('a')).toBe(false);
    // Its characters are freed: two more characters fit under the bound of 4 again.
    s.add('d');
    expect(s.toArray()).toEqual(['bb', 'c', 'd']);
    const empty = new BoundedIdSet([], 10);
    empty.evictOldest();
    expect(empty.size).toBe(0);
  });
});
