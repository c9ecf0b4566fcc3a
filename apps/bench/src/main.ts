import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { EMBEDDED_DATABASE_URL, loadConfig } from '@tandem/config';
import { migrate } from '@tandem/db';
import { startTemporal, stopTemporal } from '@tandem/infra/services';
import { downLocalServices, upLocalServices } from '@tandem/infra/stack';
import { createKafka, ensureTopics, topicNames } from '@tandem/kafka';
import { spawnService } from '@tandem/testing';
import type { ServiceProcess } from '@tandem/testing';
import type { Target } from './drive';
import { cpuByComponent, perEvent } from './cpu';
import { drain, runStep } from './drive';
import type { StepResult } from './stats';
import { bareTemporal, tandemIngest } from './targets';

/**
 * npm run bench:ingest — T1 (bare Temporal: signal → one activity → one INSERT) against T2 (Tandem:
 * Kafka → bridge → pathway workflow → task committed), one after the other on the local services.
 * For each: p50/p99 at 10 and 50 events/s and the highest sustained rate (p99 < 1 s, lag flat).
 */
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 20);
const RATES = (process.env.BENCH_RATES ?? '10,20,30,40,50,60,80,100,125,150,200,250,300').split(',').map(Number);
const DATABASE_URL = EMBEDDED_DATABASE_URL.replace(/\/[^/]+$/, '/tandem_bench');
/** The benchmark's own Temporal dev server (UI on +1000), beside any development one on 7233. */
const BENCH_TEMPORAL_PORT = 7243;
/** BENCH_PROFILE=<dir>: the services write V8 CPU profiles there when they stop (open in Chrome DevTools). */
const PROFILE_ARGS = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_PROFILE)}`] : [];
const say = (s: string) => process.stdout.write(`bench: ${s}\n`);

async function ladder(target: Target, prefix: string): Promise<StepResult[]> {
  say(`${target.name}: warming up (5 s at 10/s)`);
  await runStep(target, 10, 5, `${prefix}-warm`);
  const results: StepResult[] = [];
  const step = async (rate: number) => {
    const cpuBefore = cpuByComponent();
    const { ids, ...measured } = await runStep(target, rate, STEP_SECONDS, `${prefix}-${rate}`);
    const r = { ...measured, cpuMsPerEvent: perEvent(cpuBefore, cpuByComponent(), measured.offered) };
    results.push(r);
    say(
      `${target.name}: ${rate}/s for ${STEP_SECONDS} s → ${r.completed}/${r.offered} done, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, lag ${r.lagStart}→${r.lagEnd}: ${r.sustained ? 'sustained' : 'NOT sustained'}`,
    );
    if (!r.sustained && !(await drain(target, ids))) say(`${target.name}: the backlog of ${rate}/s did not drain within 3 minutes`);
    await new Promise((ok) => setTimeout(ok, 3_000));
    return r;
  };
  // Up the ladder until a rate is not sustained, then halve the gap twice to find the edge.
  let lo = 0;
  let hi: number | undefined;
  for (const rate of RATES) {
    if ((await step(rate)).sustained) lo = rate;
    else {
      hi = rate;
      break;
    }
  }
  for (let i = 0; hi !== undefined && i < 2 && hi - lo > 2; i++) {
    const mid = Math.round((lo + hi) / 2);
    if ((await step(mid)).sustained) lo = mid;
    else hi = mid;
  }
  // The report always shows 10 and 50 events/s.
  for (const rate of [10, 50]) if (!results.some((r) => r.rate === rate)) await step(rate);
  return results.sort((a, b) => a.rate - b.rate);
}

/** The highest rate sustained below the lowest rate that was not. */
const maxSustained = (rs: StepResult[]) => {
  const firstFailure = Math.min(...rs.filter((r) => !r.sustained).map((r) => r.rate));
  return Math.max(0, ...rs.filter((r) => r.sustained && r.rate < firstFailure).map((r) => r.rate));
};

/** A Temporal dev server of its own, on a fresh database, for one target: no drift from earlier runs or the other target. */
async function freshTemporal(cli: string): Promise<{ address: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-temporal-'));
  await startTemporal(cli, { name: 'bench-temporal', port: BENCH_TEMPORAL_PORT, uiPort: BENCH_TEMPORAL_PORT + 1000, dir });
  return {
    address: `127.0.0.1:${BENCH_TEMPORAL_PORT}`,
    async stop() {
      await stopTemporal('bench-temporal');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  say('starting Kafka and PostgreSQL unless they run, and a fresh Temporal dev server per target …');
  const { started, tools } = await upLocalServices({ temporal: false, kafka: true, postgres: true }, ['tandem', 'tandem_bench']);
  const run = randomUUID().slice(0, 8);
  const only = process.env.BENCH_ONLY;
  const pool = new Pool({ connectionString: DATABASE_URL, max: 4 });
  const children: ServiceProcess[] = [];
  let temporal: Awaited<ReturnType<typeof freshTemporal>> | undefined;
  try {
    await migrate(pool);
    await pool.query('DROP TABLE IF EXISTS bench_t1_row');
    await pool.query('TRUNCATE task, task_history, outbox, pathway_fact, clinical_event CASCADE');

    // T1: bare Temporal, its worker in a process of its own.
    let t1Results: StepResult[] = [];
    if (only !== 't2') {
      temporal = await freshTemporal(tools.temporalCli);
      const t1Queue = `bench-t1-${run}`;
      const t1Worker = spawnService('apps/bench/src/t1/worker.ts', { DATABASE_URL, TEMPORAL_ADDRESS: temporal.address, BENCH_TASK_QUEUE: t1Queue }, /t1 worker polling/, PROFILE_ARGS);
      children.push(t1Worker);
      await t1Worker.ready;
      const t1 = await bareTemporal(pool, temporal.address, t1Queue);
      t1Results = await ladder(t1, `t1-${run}`);
      await t1.close();
      await t1Worker.stop();
      await temporal.stop();
      temporal = undefined;
    }

    // T2: the real worker and kafka-bridge processes, as `npm start` runs them.
    let t2Results: StepResult[] = [];
    if (only !== 't1') {
      temporal = await freshTemporal(tools.temporalCli);
      const suffix = `bench_${run}`;
      const topics = topicNames(suffix);
      const config = loadConfig({ ...process.env, DATABASE_URL, TANDEM_TOPIC_SUFFIX: suffix });
      const kafka = createKafka(config, 'tandem-bench');
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, Object.values(topics));
      const env = {
        DATABASE_URL,
        TEMPORAL_ADDRESS: temporal.address,
        TANDEM_TASK_QUEUE: `bench-t2-${run}`,
        TANDEM_TOPIC_SUFFIX: suffix,
        TANDEM_BRIDGE_GROUP: `bench-${run}`,
        TANDEM_BRIDGE_METRICS_PORT: '0',
        LOG_LEVEL: 'info',
      };
      const worker = spawnService('apps/worker/src/main.ts', env, /"polling"/, PROFILE_ARGS);
      const bridge = spawnService('apps/kafka-bridge/src/main.ts', env, /consuming clinical-events/, PROFILE_ARGS);
      children.push(worker, bridge);
      await Promise.all([worker.ready, bridge.ready]);
      const t2 = await tandemIngest(kafka, pool, topics.clinicalEvents);
      t2Results = await ladder(t2, `t2-${run}`);
      await t2.close();
      await Promise.all([worker.stop(), bridge.stop()]);
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
      await temporal.stop();
      temporal = undefined;
    }

    report(t1Results, t2Results);
  } finally {
    for (const c of children) await c.stop();
    await temporal?.stop();
    await pool.end();
    await downLocalServices(started);
  }
}

function report(t1: StepResult[], t2: StepResult[]): void {
  const at = (rs: StepResult[], rate: number) => rs.find((r) => r.rate === rate);
  const fmt = (r: StepResult | undefined) => (r ? `${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} ms` : 'not run');
  const m1 = maxSustained(t1);
  const m2 = maxSustained(t2);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
  const lines = [
    `| | T1 bare Temporal | T2 Tandem |`,
    `|---|---|---|`,
    `| highest sustained rate (p99 < 1 s, lag flat) | ${m1} events/s | ${m2} events/s |`,
    `| p50 / p99 at 10 events/s | ${fmt(at(t1, 10))} | ${fmt(at(t2, 10))} |`,
    `| p50 / p99 at 50 events/s | ${fmt(at(t1, 50))} | ${fmt(at(t2, 50))} |`,
    ``,
    `T2/T1 sustained rate: ${m1 ? ((100 * m2) / m1).toFixed(0) : '—'}% (target ≥ 75%); T2 p99 at 10 events/s: ${fmt(at(t2, 10)).split(' / ')[1] ?? '—'} (target < 250 ms).`,
    `Machine: ${machine}. Steps of ${STEP_SECONDS} s up the ladder ${RATES.join(', ')} events/s, then two halvings of the gap at the edge.`,
    ``,
    `| rate | T1 done | T1 p50 | T1 p99 | T1 lag | T2 done | T2 p50 | T2 p99 | T2 lag |`,
    `|---|---|---|---|---|---|---|---|---|`,
    ...[...new Set([...t1, ...t2].map((r) => r.rate))].sort((a, b) => a - b).map((rate) => {
      const a = at(t1, rate);
      const b = at(t2, rate);
      const cells = (r: StepResult | undefined) =>
        r ? [`${r.completed}/${r.offered}${r.sustained ? '' : ' ✗'}`, r.p50.toFixed(0), r.p99.toFixed(0), `${r.lagStart}→${r.lagEnd}`] : ['—', '—', '—', '—'];
      return `| ${rate}/s | ${[...cells(a), ...cells(b)].join(' | ')} |`;
    }),
  ];
  // Where the CPU goes, at the highest rate both sustained.
  const common = [...t1, ...t2].filter((r) => r.sustained && at(t1, r.rate)?.sustained && at(t2, r.rate)?.sustained).map((r) => r.rate);
  const cpuRate = common.length ? Math.max(...common) : 10;
  const c1 = at(t1, cpuRate)?.cpuMsPerEvent ?? {};
  const c2 = at(t2, cpuRate)?.cpuMsPerEvent ?? {};
  const components = ['Temporal server', 'worker', 'kafka-bridge', 'Kafka', 'PostgreSQL', 'load generator'];
  const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0).toFixed(1);
  lines.push(
    ``,
    `CPU ms per event at ${cpuRate} events/s (user + system, all processes of each component):`,
    ``,
    `| component | T1 | T2 |`,
    `|---|---|---|`,
    ...components.map((k) => `| ${k} | ${c1[k]?.toFixed(1) ?? '—'} | ${c2[k]?.toFixed(1) ?? '—'} |`),
    `| total | ${total(c1)} | ${total(c2)} |`,
  );
  const text = lines.join('\n');
  process.stdout.write(`\n${text}\n`);
  const dir = resolve(__dirname, '..', '..', '..', 'test-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'bench-ingest.md'), `${text}\n`);
  writeFileSync(resolve(dir, 'bench-ingest.json'), JSON.stringify({ machine, stepSeconds: STEP_SECONDS, t1, t2 }, null, 2));
  say('results written to test-results/bench-ingest.md and .json');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).message}\n${process.env.BENCH_DEBUG ? `${(e as Error).stack}\n` : ''}`);
  process.exitCode = 1;
});
