import { describe, expect, it } from 'vitest';
import { OffsetWatermark } from '../src/offset-watermark';

describe('OffsetWatermark', () => {
  it.each([
    // completions in this order → committable offset after each
    ['in order', ['10', '11', '12'], ['10', '11', '12']],
    ['a later record first waits for the earlier', ['12', '10', '11'], [undefined, '10', '12']],
    ['a gap holds back everything after it', ['11', '12', '10'], [undefined, undefined, '12']],
    ['the same record twice moves nothing', ['10', '10', '11', '12'], ['10', undefined, '11', '12']],
  ] as const)('%s', (_name, completions, expected) => {
    const w = new OffsetWatermark(['10', '11', '12']);
    expect(completions.map((o) => w.complete(o))).toEqual(expected);
    expect(w.allDone).toBe(true);
    expect(w.committable).toBe('12');
  });

  it('has nothing to commit until the first record is done', () => {
    const w = new OffsetWatermark(['5', '6']);
    expect(w.committable).toBeUndefined();
    expect(w.complete('6')).toBeUndefined();
    expect(w.allDone).toBe(false);
  });
});
