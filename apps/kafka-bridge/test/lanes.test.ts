import { describe, expect, it } from 'vitest';
import { planLanes } from '../src/lanes';

const event = (id: string, subject: string) =>
  Buffer.from(JSON.stringify({ specversion: '1.0', id, source: 's', type: 'patient.dying', subject, time: '2026-11-01T00:00:00Z', data: {} }));
const rec = (offset: string, key: string | null, value: Buffer) => ({ offset, key: key === null ? null : Buffer.from(key), value, timestamp: '0' });

describe('planLanes', () => {
  it('puts each patient in one lane, in offset order, and each bad record in a lane of its own', () => {
    const lanes = planLanes([
      rec('1', 'a', event('e1', 'a')),
      rec('2', 'b', event('e2', 'b')),
      rec('3', 'a', Buffer.from('{not json')),
      rec('4', null, event('e4', 'a')), // unkeyed: still patient a's lane, by subject
      rec('5', 'b', event('e5', 'b')),
      rec('6', 'a', event('e6', 'a')),
    ]);
    expect(lanes.map((l) => l.map((r) => r.offset))).toEqual([['1', '4', '6'], ['2', '5'], ['3']]);
    expect(lanes[2]![0]!.verdict).toMatchObject({ ok: false, error: 'invalid-json' });
  });

  it('returns no lanes for an empty batch', () => {
    expect(planLanes([])).toEqual([]);
  });
});
