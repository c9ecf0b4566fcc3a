import type { Client } from '@temporalio/client';
import type { Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { DEFAULT_POLICY } from '@tandem/domain';
import { topicNames } from '@tandem/kafka';
import { simulateCohort } from '@tandem/simulator/cohort';
import { drive } from '@tandem/simulator/drive';
import { advancedDiagnosis, clinicalEvent, spawnService } from '@tandem/testing';
import type { ServiceProcess } from '@tandem/testing';
import { COHORT_PARAMETERS } from '@tandem/simulator/parameters';
import { startStaff } from '@tandem/simulator/staff';
import { percentile } from './probes';
import type { RssPeaks } from './probes';

export interface ScaleContext {
  pool: Pool;
  producer: Producer;
  topic: string;
  temporal: Client;
  namespace: string;
  say: (s: string) => void;
  peaks: RssPeaks;
}

const API_PORT = 3190;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = async (pool: Pool, sql: string, values: unknown[] = []) => Number((await pool.query<{ n: string }>(sql, values)).rows[0]!.n);

/** Enrols `n` pathways at once through Kafka (one advanced diagnosis each) and times the drain. */
export async function enrol(ctx: ScaleContext, n: number, run: string) {
  const patientIds = Array.from({ length: n }, (_, i) => `scale-${run}-${i}`);
  const began = Date.now();
  for (let i = 0; i < n; i += 1_000) {
    const slice = patientIds.slice(i, i + 1_000);
    await ctx.producer.send({
      topic: ctx.topic,
      messages: slice.map((p) => ({ key: p, value: JSON.stringify(advancedDiagnosis(p, { id: `enrol-${p}`, source: 'bench://ehr' })) })),
    });
  }
  const producedSeconds = (Date.now() - began) / 1000;
  ctx.say(`enrolment: ${n} advanced diagnoses produced in ${producedSeconds.toFixed(1)} s; draining …`);
  const samples: Array<{ t: number; enrolled: number }> = [];
  let last = 0;
  for (let stall = Date.now(); ;) {
    await sleep(5_000);
    const enrolled = await count(ctx.pool, `SELECT count(*) AS n FROM task WHERE type = 'assign-key-worker'`);
    const t = (Date.now() - began) / 1000;
    samples.push({ t, enrolled });
    const rss = ctx.peaks.sample();
    if (samples.length % 12 === 0 || enrolled >= n)
      ctx.say(`enrolment: ${enrolled}/${n} after ${t.toFixed(0)} s (${(enrolled / t).toFixed(0)}/s); RSS MB ${JSON.stringify(rss)}`);
    if (enrolled >= n) break;
    if (enrolled > last) stall = Date.now();
    else if (Date.now() - stall > 180_000) throw new Error(`enrolment stalled at ${enrolled}/${n} for 3 minutes`);
    last = enrolled;
  }
  const seconds = samples.at(-1)!.t;
  // The steady drain rate: between 10% and 90% enrolled (no start-up, no tail).
  const at = (share: number) => samples.find((s) => s.enrolled >= share * n)!;
  const from = at(0.1);
  const to = at(0.9);
  const steadyRate = to.t > from.t ? (to.enrolled - from.enrolled) / (to.t - from.t) : n / seconds;
  return { patientIds, producedSeconds, seconds, overallRate: n / seconds, steadyRate, samples };
}

/**
 * With every pathway open: a severe symptom score a second ten times (each for another patient),
 * each opening an urgent review whose reminder falls due a minute later (the bench policy): the
 * event-to-task latency of the scores, and the lateness of the reminders (due vs fired).
 */
export async function steadyState(ctx: ScaleContext, patientIds: readonly string[], seconds: number, run: string) {
  const rate = 10;
  const total = rate * seconds;
  const ids: string[] = [];
  const began = Date.now();
  for (let k = 0; k < total; k++) {
    const wait = began + (k * 1000) / rate - Date.now();
    if (wait > 0) await sleep(wait);
    const p = patientIds[(k * 7_919) % patientIds.length]!;
    const id = `steady-${run}-${k}`;
    ids.push(id);
    await ctx.producer.send({
      topic: ctx.topic,
      messages: [
        { key: p, value: JSON.stringify(clinicalEvent('prom.submitted', p, { instrument: 'ESAS-r', responseId: `r-${id}`, scores: { pain: 9 } }, { id })) },
      ],
    });
    if (k % (rate * 30) === 0) ctx.say(`steady state: ${k}/${total} scores sent; RSS MB ${JSON.stringify(ctx.peaks.sample())}`);
  }
  ctx.say('steady state: window over; waiting 90 s for the last reviews and their reminders …');
  await sleep(90_000);
  const latency = await ctx.pool.query<{ ms: number }>(
    `SELECT EXTRACT(EPOCH FROM (min(t.created_at) - e.produced_at)) * 1000 AS ms
       FROM task t JOIN clinical_event e ON e.id = t.source_event_id
      WHERE t.source_event_id = ANY($1) AND t.type = 'symptom-review' GROUP BY e.id, e.produced_at`,
    [ids],
  );
  const ms = latency.rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
  const reminders = await ctx.pool.query<{ ms: number }>(
    `SELECT EXTRACT(EPOCH FROM ((payload->>'createdAt')::timestamptz - (payload->'reason'->'evidence'->>'dueAt')::timestamptz)) * 1000 AS ms
       FROM outbox WHERE topic = 'care-notifications' AND payload->'reason'->>'rule' = '2.11.ladder.remind'
        AND payload->'reason'->'evidence'->>'type' = 'symptom-review' AND created_at >= $1`,
    [new Date(began)],
  );
  const late = reminders.rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
  const sample = patientIds.filter((_, i) => i % Math.max(1, Math.floor(patientIds.length / 200)) === 0).slice(0, 200);
  const lengths: number[] = [];
  for (const p of sample) lengths.push(Number((await ctx.temporal.workflow.getHandle(`pathway-${p}`).describe()).historyLength));
  const continuedAsNew = (await ctx.temporal.workflow.count('ExecutionStatus = "ContinuedAsNew"')).count;
  return {
    rate,
    seconds,
    scores: total,
    tasks: ms.length,
    eventToTask: { p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.at(-1) ?? NaN },
    reminders: late.length,
    timerLateness: { p50: percentile(late, 50), p99: percentile(late, 99), max: late.at(-1) ?? NaN },
    historyPerPathway: { mean: lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length), max: Math.max(...lengths), sampled: lengths.length },
    continuedAsNew,
  };
}

/**
 * A month of care for a simulated cohort (apps/simulator, seed 42): journeys produced live with the
 * system's clock 8,640 times faster (30 days in 5 minutes), by a worker and bridge of their own.
 * History events per pathway-month, continue-as-new, and PostgreSQL's bytes per patient with the
 * outbox retention on (a day, on the same scaled clock).
 */
export async function monthOfCare(ctx: ScaleContext, o: { patients: number; months: number; env: Record<string, string>; run: string; children: ServiceProcess[] }) {
  // 30 days in 5 minutes; longer periods faster, so that each takes about 5 minutes.
  const scale = 8_640 * o.months;
  const env = {
    ...o.env,
    TANDEM_TIME_SCALE: String(scale),
    TANDEM_TASK_QUEUE: `scale-month-${o.run}`,
    TANDEM_BRIDGE_GROUP: `scale-month-${o.run}`,
    TANDEM_TOPIC_SUFFIX: `${o.env.TANDEM_TOPIC_SUFFIX}m`,
    TANDEM_OUTBOX_RETENTION_HOURS: String(24 / scale),
    TANDEM_POLICY: '',
  };
  const worker = spawnService('apps/worker/src/main.ts', { ...env, LOG_LEVEL: 'info' }, /"polling"/);
  const bridge = spawnService('apps/kafka-bridge/src/main.ts', { ...env, LOG_LEVEL: 'info' }, /consuming clinical-events/);
  // The API, for simulated staff who work the queues (on the same clock): care, not only escalations.
  const api = spawnService('apps/api/src/main.ts', { ...env, PORT: String(API_PORT), LOG_LEVEL: 'info' }, /"msg":"listening"/);
  o.children.push(worker, bridge, api);
  await Promise.all([worker.ready, bridge.ready, api.ready]);
  const seed = 42;
  const staff = startStaff({
    apiUrl: `http://127.0.0.1:${API_PORT}`,
    parameters: COHORT_PARAMETERS,
    seed,
    pollMs: 1_000,
  });
  const cohort = simulateCohort({ patients: o.patients, seed, months: o.months, startMs: Date.now(), policy: DEFAULT_POLICY });
  ctx.say(
    `care: ${o.patients} simulated patients, ${cohort.events.length} events over ${o.months * 30} days at time scale ${scale} (5 min), simulated staff working the queues …`,
  );
  await drive({
    producer: ctx.producer,
    topic: topicNames(env.TANDEM_TOPIC_SUFFIX).clinicalEvents,
    cohort,
    startMs: Date.now(),
    mode: 'live',
    timeScale: scale,
  });
  // Let the last steps land and a prune pass go by.
  await sleep(30_000);
  staff.stop();
  const prefix = `sim-${seed}-%`;
  const tables = ['task', 'task_history', 'outbox', 'pathway_fact', 'clinical_event'];
  // The cohort's rows, by table, scaled by each table's ratio of total size (indexes, TOAST) to heap.
  const rowBytes: Record<string, number> = {};
  for (const t of tables) {
    const col = t === 'task_history' ? `(SELECT patient_id FROM task WHERE task.id = x.task_id)` : 'x.patient_id';
    const data = await count(ctx.pool, `SELECT COALESCE(sum(pg_column_size(x.*)), 0) AS n FROM ${t} x WHERE ${col} LIKE $1`, [prefix]);
    const ratio = await count(ctx.pool, `SELECT (pg_total_relation_size($1::regclass)::float8 / GREATEST(pg_relation_size($1::regclass), 1)) AS n`, [t]);
    rowBytes[t] = Math.round(data * ratio);
  }
  // History of every run of every pathway (each run's length from its own description), per month
  // of the pathway's life inside the window (diagnoses fall across it).
  let events = 0;
  let runs = 0;
  // ADR 0017: what Temporal keeps of each pathway. An open pathway's running run stays for as long
  // as the pathway is open; a closed run (continued as new, or completed because the pathway ended)
  // only for the namespace's retention.
  const lifetime = { open: 0, ended: 0, openRunBytes: 0, closedRunBytes: 0 };
  for (const p of cohort.patients) {
    let open = false;
    for await (const w of ctx.temporal.workflow.list({ query: `WorkflowId = "pathway-${p.patientId}"` })) {
      const d = await ctx.temporal.workflow.getHandle(w.workflowId, w.runId).describe();
      events += Number(d.historyLength);
      runs++;
      if (d.status.name === 'RUNNING') {
        open = true;
        lifetime.openRunBytes += Number(d.historySize ?? 0);
      } else lifetime.closedRunBytes += Number(d.historySize ?? 0);
    }
    if (open) lifetime.open++;
  }
  lifetime.ended = await count(ctx.pool, `SELECT count(*) AS n FROM pathway_end WHERE patient_id LIKE $1`, [prefix]).catch(() => 0);
  const endedRowBytes = await count(ctx.pool, `SELECT COALESCE(sum(pg_column_size(x.*)), 0) AS n FROM pathway_end x WHERE patient_id LIKE $1`, [prefix]).catch(() => 0);
  const windowMs = o.months * 30.44 * 86_400_000;
  const died = cohort.patients.filter((p) => p.diagnosedAt + p.survivalDays * 86_400_000 < windowMs).length;
  const monthMs = 30.44 * 86_400_000;
  const pathwayMonths = cohort.patients.reduce((m, p) => m + Math.min(windowMs, p.diagnosedAt + p.survivalDays * 86_400_000) - p.diagnosedAt, 0) / monthMs;
  await Promise.all([worker.stop(), bridge.stop(), api.stop()]);
  const perPatient = Object.values(rowBytes).reduce((a, b) => a + b, 0) / o.patients;
  return {
    patients: o.patients,
    events: cohort.events.length,
    timeScale: scale,
    rowBytes,
    rowBytesPerPatient: perPatient,
    historyEventsPerPathwayMonth: events / pathwayMonths,
    pathwayMonths,
    runsPerPathway: runs / o.patients,
    months: o.months,
    lifetime: { ...lifetime, died, endedRowBytes },
    staff: staff.done,
  };
}
