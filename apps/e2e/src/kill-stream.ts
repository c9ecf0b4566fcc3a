import { loadPathwayPolicy } from '@tandem/config/policy';
import { newPatientId, waitFor } from '@tandem/testing';
import { expectedOpenTasks, fiveEventJourney } from './expected';
import type { RunningTandem } from './system';

/**
 * The stream the kill tests send while they kill processes: a five-event journey for each of
 * `count` patients, round-robin over patients so every partition carries every stage at once.
 */
export function killTestStream(count: number, prefix: string) {
  const patients = Array.from({ length: count }, () => newPatientId(prefix));
  const journeys = new Map(patients.map((p) => [p, fiveEventJourney(p)]));
  const events = [0, 1, 2, 3, 4].flatMap((i) => patients.map((p) => journeys.get(p)![i]!));
  const ids = events.map((e) => e.id);
  return { patients, journeys, events, ids };
}
export type KillTestStream = ReturnType<typeof killTestStream>;

/** How many of the stream's events are in the event log. */
export async function storedCount(sys: RunningTandem, s: KillTestStream): Promise<number> {
  return (await sys.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM clinical_event WHERE id = ANY($1)', [s.ids])).rows[0]!.n;
}

/** Produces the stream steadily in the background, about 100 events a second. */
export function produceSteadily(sys: RunningTandem, s: KillTestStream) {
  let produced = 0;
  const done = (async () => {
    for (let i = 0; i < s.events.length; i += 10) {
      const chunk = s.events.slice(i, i + 10);
      await sys.producer.send({ topic: sys.topics.in, messages: chunk.map((e) => ({ key: e.subject, value: JSON.stringify(e) })) });
      produced += chunk.length;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return { done, produced: () => produced };
}

/**
 * Every expected task exactly once: waits (within `timeoutMs`) until the stored tasks add up to
 * what the pure engine leaves open for each journey, then returns the patients whose stored
 * tasks differ, expected against actual (the first three).
 */
export async function tasksUnlikeTheEngine(sys: RunningTandem, s: KillTestStream, timeoutMs: number) {
  const policy = loadPathwayPolicy(sys.config);
  const expected = new Map(s.patients.map((p) => [p, expectedOpenTasks(p, s.journeys.get(p)!, policy)]));
  const total = [...expected.values()].reduce((n, t) => n + t.length, 0);
  const stored = async () => {
    const r = await sys.pool.query<{ patient_id: string; k: string }>(
      `SELECT patient_id, type || '/' || subject AS k FROM task WHERE patient_id = ANY($1) ORDER BY patient_id, k`,
      [s.patients],
    );
    const by = new Map<string, string[]>(s.patients.map((p) => [p, []]));
    for (const row of r.rows) by.get(row.patient_id)!.push(row.k);
    return by;
  };
  await waitFor(async () => [...(await stored()).values()].reduce((n, t) => n + t.length, 0) >= total, {
    what: 'the workflows to open every task',
    timeoutMs,
    intervalMs: 500,
  });
  const actual = await stored();
  return {
    total,
    wrong: s.patients
      .filter((p) => JSON.stringify(actual.get(p)) !== JSON.stringify(expected.get(p)))
      .slice(0, 3)
      .map((p) => ({ expected: expected.get(p), actual: actual.get(p) })),
  };
}
