import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_POLICY } from '@tandem/domain';
import { simulateCohort } from '@tandem/simulator/cohort';
import { drained, drive } from '@tandem/simulator/drive';
import { COHORT_PARAMETERS } from '@tandem/simulator/parameters';
import { startStaff } from '@tandem/simulator/staff';
import { cohortFigures } from '@tandem/simulator/summary';
import { resetTestDatabase, waitFor } from '@tandem/testing';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The simulator through the running system: a 200-patient year backfilled through Kafka is taken
 * whole (nothing parked on the dead-letter topic, every event in the event log once), and the
 * measures over HTTP are the cohort's own figures — which fall where the parameters put them.
 */
let sys: RunningTandem;
const MONTHS = 12;
const windowMs = Math.round(MONTHS * 30.44 * 86_400_000);
const startMs = Date.now() - windowMs;
// Ids of this run's own: the Temporal dev server keeps pathways across runs, and one that has seen an event id takes it as a duplicate.
const PREFIX = `sim-7-${randomUUID().slice(0, 8)}`;
const cohort = simulateCohort({ patients: 200, seed: 7, months: MONTHS, startMs, policy: DEFAULT_POLICY, idPrefix: PREFIX });
const figures = cohortFigures(cohort);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type Figure = { id: string; numerator?: number | null; denominator?: number | null };
async function measures(token: string): Promise<Map<string, Figure>> {
  const res = await fetch(`${sys.apiUrl}/api/v1/measures?from=${day(startMs - 86_400_000)}&to=${day(Date.now())}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return new Map(((await res.json()) as { measures: Figure[] }).measures.map((m) => [m.id, m]));
}

const DRAIN_MS = 180_000;
const STEPS_MS = 120_000;
const STAFF_MS = 60_000;

beforeAll(async () => {
  await resetTestDatabase(); // the measures count this file's patients only
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

describe('the cohort simulator through the running system', () => {
  it(
    'a backfilled year of 200 patients is taken whole, the measures are the cohort’s own figures, and simulated staff work the queues',
    async () => {
      const produced = await drive({ producer: sys.producer, topic: sys.topics.in, cohort, startMs, mode: 'backfill', timeScale: 1 });
      expect(produced).toBe(cohort.events.length);
      const admin = sys.kafka.admin();
      await admin.connect();
      try {
        const drain = drained(admin, sys.groupId, sys.topics.in);
        await Promise.race([
          drain,
          new Promise((_, reject) => setTimeout(() => reject(new Error(`the bridge did not take the cohort within ${DRAIN_MS / 1000} s`)), DRAIN_MS)),
        ]);
        // Nothing parked: the dead-letter topic is empty.
        const dlq = await admin.fetchTopicOffsets(sys.topics.dlq);
        expect(dlq.map((p) => Number(p.high) - Number(p.low))).toEqual(dlq.map(() => 0));
      } finally {
        await admin.disconnect();
      }
      const stored = await sys.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM clinical_event WHERE patient_id LIKE $1`, [`${PREFIX}-%`]);
      expect(stored.rows[0]!.n).toBe(cohort.events.length);

      // Every death stepped by the pathways: the measure's denominator is the cohort's deaths.
      const token = await sys.token(['clinician'], 'dr-lead');
      const m = await waitFor(
        async () => {
          const x = await measures(token);
          return x.get('eol.death-in-hospital')?.denominator === figures.deaths && x;
        },
        { what: 'every simulated death in the measures', timeoutMs: STEPS_MS },
      );
      const hospital = figures.places.hospital ?? 0;
      expect(m.get('eol.death-in-hospital')).toMatchObject({ numerator: hospital, denominator: figures.deaths });
      // And the cohort is where its parameters put it (a fixed seed: this is a check of the generator's wiring, not luck).
      expect(Math.abs(hospital / figures.deaths - COHORT_PARAMETERS.placeOfDeath.hospital)).toBeLessThan(0.15);
      expect(figures.deaths).toBeGreaterThan(30);
      const { rows } = await sys.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM step_failure`);
      expect(rows[0]!.n).toBe(0);

      // The simulated staff sign in and work the queues over the API: tasks already past their due
      // time (opened now for a past clinical date) are claimed and completed at once.
      const staff = startStaff({ apiUrl: sys.apiUrl, parameters: COHORT_PARAMETERS, seed: 7, pollMs: 500 });
      try {
        await waitFor(() => staff.done.completed >= 5, { what: 'the simulated staff to complete tasks', timeoutMs: STAFF_MS });
      } finally {
        staff.stop();
      }
      const done = await sys.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM task WHERE patient_id LIKE $1 AND status = 'done' AND claimed_by LIKE 'sim-%'`,
        [`${PREFIX}-%`],
      );
      expect(done.rows[0]!.n).toBeGreaterThanOrEqual(5);
    },
    DRAIN_MS + STEPS_MS + STAFF_MS + 60_000,
  );
});
