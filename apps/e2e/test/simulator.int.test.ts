import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_POLICY } from '@tandem/domain';
import { simulateCohort } from '@tandem/simulator/cohort';
import { drained, drive } from '@tandem/simulator/drive';
import { tellHistoryLoaded } from '@tandem/simulator/history-loaded';
import { impliedRanges } from '@tandem/simulator/implied';
import { expectedMeasures } from '@tandem/simulator/oracle';
import { compareMeasures, oracleTable } from '@tandem/simulator/oracle-table';
import { COHORT_PARAMETERS } from '@tandem/simulator/parameters';
import { readMeasures } from '@tandem/simulator/read-measures';
import { startStaff, worldOf } from '@tandem/simulator/staff';
import { cohortFigures } from '@tandem/simulator/summary';
import { resetTestDatabase, waitFor } from '@tandem/testing';
import type { RunningTandem } from '../src/system';
import { startTandem } from '../src/system';

/**
 * The simulator through the running system, and the simulator as the measures' oracle: a
 * 300-patient year backfilled through Kafka is taken whole (nothing parked on the dead-letter topic,
 * every event in the event log once) as a history, which the pathways step on its clinical clock
 * (ADR 0019); simulated staff do the year's work, dated when the world did it (ADR 0018); then every measure the cohort's own ground truth can say is exactly what
 * `/api/v1/measures` reports, and the others are named with the reason.
 */
let sys: RunningTandem;
const MONTHS = 12;
const windowMs = Math.round(MONTHS * 30.44 * 86_400_000);
const startMs = Date.now() - windowMs;
// Ids of this run's own: the Temporal dev server keeps pathways across runs, and one that has seen an event id takes it as a duplicate.
const PREFIX = `sim-7-${randomUUID().slice(0, 8)}`;
const cohort = simulateCohort({ patients: 300, seed: 7, months: MONTHS, startMs, policy: DEFAULT_POLICY, idPrefix: PREFIX });
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
const STEPS_MS = 300_000;
const PRESENT_MS = 180_000;
const STAFF_MS = 240_000;
const ORACLE_MS = 120_000;

beforeAll(async () => {
  await resetTestDatabase(); // the measures count this file's patients only
  sys = await startTandem({ databaseUrl: inject('databaseUrl') });
}, 120_000);

afterAll(async () => {
  await sys?.stop();
});

describe('the cohort simulator through the running system', () => {
  it(
    'a backfilled year of 300 patients is taken whole, simulated staff do its work in clinical time, and every measure the cohort can say is what the API reports',
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
      const failures = await sys.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM step_failure`);
      expect(failures.rows[0]!.n).toBe(0);

      // The history is all in: each pathway fires what fell due since its last event and comes to the present (ADR 0019).
      await tellHistoryLoaded(
        sys.apiUrl,
        cohort.patients.map((p) => p.patientId),
      );

      // The simulated staff do the year's work: each task planned from when what opened it happened
      // (the clinical past, in a backfill), done at once and recorded with that time.
      const staff = startStaff({
        apiUrl: sys.apiUrl,
        parameters: COHORT_PARAMETERS,
        seed: 7,
        pollMs: 500,
        world: worldOf(cohort, { startMs, backfill: true, timeScale: 1 }),
      });
      try {
        // Done when two whole passes over every queue find nothing to do now (what is left is planned for later).
        await waitFor(() => staff.done.completed > 0 && staff.done.quietPasses >= 2, {
          what: 'the simulated staff to finish the past year’s work',
          timeoutMs: STAFF_MS,
          intervalMs: 1_000,
        });
      } finally {
        staff.stop();
      }
      const done = await sys.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM task WHERE patient_id LIKE $1 AND status = 'done' AND claimed_by LIKE 'sim-%'`,
        [`${PREFIX}-%`],
      );
      expect(done.rows[0]!.n).toBe(staff.done.completed);

      // The oracle: every measure the simulator can compute equals what the API reports, exactly.
      const q = { from: day(startMs - 86_400_000), to: day(Date.now()) };
      const rows = await waitFor(
        async () => {
          const r = compareMeasures(expectedMeasures(cohort, startMs, { ...q, nowMs: Date.now() }, staff.done), await readMeasures(sys.apiUrl, q.from, q.to));
          return r.every((x) => x.matches !== false) && r;
        },
        { what: 'the measures to be what the cohort implies', timeoutMs: ORACLE_MS, intervalMs: 2_000 },
      ).catch(async (e: unknown) => {
        const r = compareMeasures(expectedMeasures(cohort, startMs, { ...q, nowMs: Date.now() }, staff.done), await readMeasures(sys.apiUrl, q.from, q.to));
        throw new Error(`${(e as Error).message}\n${oracleTable(r)}`);
      });
      const computed = rows.filter((r) => r.matches !== undefined).map((r) => r.id);
      expect(computed).toEqual(
        expect.arrayContaining([
          'timeliness.specialist-within-12w',
          'symptoms.prom-completion',
          'acp.documented-within-90d',
          'eol.place-of-death-concordant',
          'eol.specialist-late-or-never',
          'caregivers.assessed',
          'caregivers.bereavement-contact-14d',
        ]),
      );
      for (const r of rows.filter((x) => x.matches === undefined)) expect(r.why?.length ?? 0, r.id).toBeGreaterThan(20);
      // The care side shows: neither nobody nor everybody, and where the parameters put a cohort of this size.
      const implied = impliedRanges({ patients: 300, months: MONTHS, startMs, nowMs: Date.now(), policy: DEFAULT_POLICY });
      const value = (id: string) => rows.find((r) => r.id === id)!.expected!.value!;
      for (const id of [
        'timeliness.specialist-within-12w',
        'symptoms.prom-completion',
        'caregivers.assessed',
        'caregivers.bereavement-contact-14d',
        'eol.place-of-death-concordant',
      ] as const) {
        expect(value(id), id).toBeGreaterThan(0);
        expect(value(id), id).toBeLessThan(100);
        const [lo, hi] = implied.get(id)!;
        expect(value(id), `${id} within ${lo}–${hi}`).toBeGreaterThanOrEqual(lo);
        expect(value(id), `${id} within ${lo}–${hi}`).toBeLessThanOrEqual(hi);
      }
    },
    DRAIN_MS + STEPS_MS + PRESENT_MS + STAFF_MS + ORACLE_MS + 60_000,
  );
});
