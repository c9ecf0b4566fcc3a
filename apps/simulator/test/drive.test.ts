import type { Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { Cohort } from '../src/cohort';
import { drive } from '../src/drive';
import type { SimulatedEvent } from '../src/journey';

/** A cohort whose events count how often they are looked at (index reads). */
function countedCohort(n: number): { cohort: Cohort; reads: () => number } {
  const events: SimulatedEvent[] = Array.from({ length: n }, (_, i) => ({
    id: `e${i}`,
    patientId: `p${i % 50}`,
    at: i,
    type: 'performance.recorded',
    data: { ecog: 1 },
  }));
  let reads = 0;
  const counted = new Proxy(events, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { cohort: { patients: [], events: counted, windowMs: n }, reads: () => reads };
}

const producer = (sent: number[]) => ({ send: (r: { messages: unknown[] }) => (sent.push(r.messages.length), Promise.resolve([])) }) as unknown as Producer;

describe('drive', () => {
  it('live: each step starts where the last batch ended, so sending n events looks at each about once (it scanned from the first every step)', async () => {
    const { cohort, reads } = countedCohort(20_000);
    const sent: number[] = [];
    // Every event is already due (time scale huge): the work is all in finding the batches.
    const n = await drive({ producer: producer(sent), topic: 't', cohort, startMs: 0, mode: 'live', timeScale: 1e12, batch: 100 });
    expect(n).toBe(20_000);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(20_000);
    expect(sent.every((b) => b <= 100)).toBe(true);
    // Each event is read to judge it and to send it: a few reads each, not one per event per step (4 million before).
    expect(reads()).toBeLessThan(20_000 * 4);
  });

  it('backfill: every event at once, in batches', async () => {
    const { cohort } = countedCohort(1_234);
    const sent: number[] = [];
    expect(await drive({ producer: producer(sent), topic: 't', cohort, startMs: 0, mode: 'backfill', timeScale: 1, batch: 500 })).toBe(1_234);
    expect(sent).toEqual([500, 500, 234]);
  });
});
