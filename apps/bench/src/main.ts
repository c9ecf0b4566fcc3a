import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { EMBEDDED_DATABASE_URL, loadConfig } from '@tandem/config';
import { migrate } from '@tandem/db';
import { downLocalServices, upLocalServices } from '@tandem/infra/stack';
import { createKafka, ensureTopics, topicNames } from '@tandem/kafka';
import { spawnService } from '@tandem/testing';
import type { ServiceProcess } from '@tandem/testing';
import type { Target } from './drive';
import { cpuByComponent, perEvent } from './cpu';
import { drain, runStep } from './drive';
import type { StepResult } from './stats';
import { bareTemporal, tandemIngest } from './targets';
import type { TargetResults } from './report';
import { renderReport } from './report';
import { freshTemporal } from './temporal';

/**
 * npm run bench:ingest — T1 (bare Temporal: signal → one activity → one INSERT), T1-local (the same
 * with a local activity, the reference for Tandem's local carry-out) and T2 (Tandem: Kafka → bridge →
 * pathway workflow → task committed), one after the other on the local services. For each: p50/p99
 * at 10 and 50 events/s and the highest sustained rate (p99 < 1 s, lag flat).
 */
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 20);
const RATES = (process.env.BENCH_RATES ?? '10,20,30,40,50,60,80,100,125,150,200,250,300').split(',').map(Number);
const DATABASE_URL = EMBEDDED_DATABASE_URL.replace(/\/[^/]+$/, '/tandem_bench');
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

async function main(): Promise<void> {
  const only = (process.env.BENCH_ONLY ?? 't1,t1-local,t2').split(',').map((x) => x.trim());
  const unknown = only.filter((x) => !['t1', 't1-local', 't2'].includes(x));
  if (unknown.length) throw new Error(`BENCH_ONLY: unknown target ${unknown.join(', ')} (use t1, t1-local, t2, comma-separated)`);
  say('starting Kafka and PostgreSQL unless they run, and a fresh Temporal dev server per target …');
  const { started, tools } = await upLocalServices({ temporal: false, kafka: true, postgres: true, mail: false }, ['tandem', 'tandem_bench']);
  const run = randomUUID().slice(0, 8);
  const pool = new Pool({ connectionString: DATABASE_URL, max: 4 });
  const children: ServiceProcess[] = [];
  let temporal: Awaited<ReturnType<typeof freshTemporal>> | undefined;
  try {
    await migrate(pool);
    await pool.query('DROP TABLE IF EXISTS bench_t1_row');
    await pool.query('TRUNCATE task, task_history, outbox, pathway_fact, clinical_event CASCADE');

    // T1 and T1-local: bare Temporal, the worker in a process of its own.
    const results: TargetResults[] = [];
    for (const key of ['t1', 't1-local'] as const) {
      if (!only.includes(key)) continue;
      temporal = await freshTemporal(tools.temporalCli);
      const queue = `bench-${key}-${run}`;
      const t1Worker = spawnService(
        'apps/bench/src/t1/worker.ts',
        { DATABASE_URL, TEMPORAL_ADDRESS: temporal.address, BENCH_TASK_QUEUE: queue },
        /t1 worker polling/,
        PROFILE_ARGS,
      );
      children.push(t1Worker);
      await t1Worker.ready;
      const t1 = await bareTemporal(pool, temporal.address, queue, key === 't1-local');
      results.push({ key, label: t1.name, steps: await ladder(t1, `${key}-${run}`) });
      await t1.close();
      await t1Worker.stop();
      await temporal.stop();
      temporal = undefined;
    }

    // T2: the real worker and kafka-bridge processes, as `npm start` runs them.
    if (only.includes('t2')) {
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
      results.push({ key: 't2', label: t2.name, steps: await ladder(t2, `t2-${run}`) });
      await t2.close();
      await Promise.all([worker.stop(), bridge.stop()]);
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
      await temporal.stop();
      temporal = undefined;
    }

    const text = renderReport(results, { stepSeconds: STEP_SECONDS, rates: RATES });
    process.stdout.write(`\n${text}\n`);
    const dir = resolve(__dirname, '..', '..', '..', 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'bench-ingest.md'), `${text}\n`);
    writeFileSync(resolve(dir, 'bench-ingest.json'), JSON.stringify({ stepSeconds: STEP_SECONDS, targets: results }, null, 2));
    say('results written to test-results/bench-ingest.md and .json');
  } finally {
    for (const c of children) await c.stop();
    await temporal?.stop();
    await pool.end();
    await downLocalServices(started);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).message}\n${process.env.BENCH_DEBUG ? `${(e as Error).stack}\n` : ''}`);
  process.exitCode = 1;
});
