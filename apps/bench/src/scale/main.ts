import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { EMBEDDED_DATABASE_URL, loadConfig } from '@tandem/config';
import { migrate } from '@tandem/db';
import { dataDir } from '@tandem/infra/paths';
import { downLocalServices, upLocalServices } from '@tandem/infra/stack';
import { createKafka, ensureTopics, partitioner, topicNames } from '@tandem/kafka';
import { createTemporalClient } from '@tandem/temporal';
import { spawnService } from '@tandem/testing';
import type { ServiceProcess } from '@tandem/testing';
import { freshTemporal } from '../temporal';
import { enrol, monthOfCare, steadyState } from './phases';
import type { ScaleContext } from './phases';
import { diskBytes, kafkaTopicBytes, postgresBytes, RssPeaks } from './probes';
import { renderScaleReport } from './report';

/**
 * npm run bench:scale — Tandem with N open pathways on this machine (default 100,000): the
 * enrolment backlog drained through Kafka; then, with all of them open, event-to-task latency at
 * 10 events/s and the lateness of the timers that fire meanwhile; memory of every process; disk of
 * Temporal, PostgreSQL (by table) and Kafka; history per pathway; and a month of care for a
 * simulated cohort (history per pathway-month, PostgreSQL per patient with retention on).
 */
const say = (s: string) => process.stdout.write(`bench:scale: ${s}\n`);
const DATABASE_URL = EMBEDDED_DATABASE_URL.replace(/\/[^/]+$/, '/tandem_scale');

function options() {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string', default: process.env.BENCH_PATIENTS ?? '100000' },
      'steady-seconds': { type: 'string', default: '180' },
      'month-patients': { type: 'string', default: '300' },
      'care-months': { type: 'string', default: '1' },
    },
  });
  const n = (name: string, v: string) => {
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1) throw new Error(`--${name} must be a whole number of at least 1 (got "${v}")`);
    return x;
  };
  return {
    patients: n('patients', values.patients),
    steadySeconds: n('steady-seconds', values['steady-seconds']),
    monthPatients: n('month-patients', values['month-patients']),
    careMonths: n('care-months', values['care-months']),
  };
}

async function main(): Promise<void> {
  const o = options();
  say(`${o.patients} pathways; starting Kafka and PostgreSQL unless they run, and a fresh Temporal dev server …`);
  const { started, tools } = await upLocalServices({ temporal: false, kafka: true, postgres: true, mail: false }, ['tandem', 'tandem_scale']);
  const pool = new Pool({ connectionString: DATABASE_URL, max: 4 });
  const children: ServiceProcess[] = [];
  const temporal = await freshTemporal(tools.temporalCli);
  const run = randomUUID().slice(0, 8);
  const suffix = `scale_${run}`;
  const topics = topicNames(suffix);
  const config = loadConfig({ ...process.env, DATABASE_URL, TANDEM_TOPIC_SUFFIX: suffix, TEMPORAL_ADDRESS: temporal.address });
  const kafka = createKafka(config, 'tandem-bench-scale');
  const admin = kafka.admin();
  const peaks = new RssPeaks();
  const sampler = setInterval(() => peaks.sample(), 5_000);
  try {
    await migrate(pool);
    await pool.query('TRUNCATE task, task_history, outbox, pathway_fact, clinical_event, notification, notification_delivery, step_failure CASCADE');
    await pool.query('VACUUM FULL');
    await admin.connect();
    await ensureTopics(admin, Object.values(topics));
    // The policy as shipped, but a severe score's review falls due a minute after it opens, so the
    // reminders of the steady-state load fire inside the window (timer lateness); retention an
    // hour, so the outbox is pruned as in operation and the window's notifications can be read.
    const policyDir = mkdtempSync(join(tmpdir(), 'tandem-scale-policy-'));
    const policyFile = join(policyDir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ proms: { severeReview: { due: 'PT1M', priority: 'urgent' } } }));
    const env = {
      DATABASE_URL,
      TEMPORAL_ADDRESS: temporal.address,
      TANDEM_TASK_QUEUE: `scale-${run}`,
      TANDEM_TOPIC_SUFFIX: suffix,
      TANDEM_BRIDGE_GROUP: `scale-${run}`,
      TANDEM_BRIDGE_METRICS_PORT: '0',
      TANDEM_POLICY: policyFile,
      TANDEM_OUTBOX_RETENTION_HOURS: '1',
      LOG_LEVEL: 'warn',
    };
    const worker = spawnService('apps/worker/src/main.ts', { ...env, LOG_LEVEL: 'info' }, /"polling"/);
    const bridge = spawnService('apps/kafka-bridge/src/main.ts', { ...env, LOG_LEVEL: 'info' }, /consuming clinical-events/);
    children.push(worker, bridge);
    await Promise.all([worker.ready, bridge.ready]);
    const client = await createTemporalClient(config);
    const producer = kafka.producer({ createPartitioner: partitioner, allowAutoTopicCreation: false });
    await producer.connect();
    const ctx: ScaleContext = { pool, producer, topic: topics.clinicalEvents, temporal: client.client, namespace: config.temporal.namespace, say, peaks };

    const enrolment = await enrol(ctx, o.patients, run);
    const afterEnrolment = {
      postgres: await postgresBytes(pool),
      temporalBytes: diskBytes(temporal.dir),
      kafkaBytes: kafkaTopicBytes(join(dataDir, 'kafka', 'logs'), suffix),
      rss: peaks.sample(),
    };
    const steady = await steadyState(ctx, enrolment.patientIds, o.steadySeconds, run);
    const afterSteady = { rss: peaks.sample() };
    await Promise.all([worker.stop(), bridge.stop()]);

    // A month of care for a simulated cohort, at a time scale that runs it in minutes.
    const month = await monthOfCare(ctx, { patients: o.monthPatients, months: o.careMonths, env, run, children });
    const final = {
      postgres: await postgresBytes(pool),
      temporalBytes: diskBytes(temporal.dir),
      kafkaBytes: kafkaTopicBytes(join(dataDir, 'kafka', 'logs'), suffix),
    };
    await producer.disconnect();
    await client.close();

    const text = renderScaleReport({
      patients: o.patients,
      enrolment,
      afterEnrolment,
      steady,
      afterSteady,
      month,
      final,
      peaks: peaks.peak,
      steadySeconds: o.steadySeconds,
    });
    process.stdout.write(`\n${text}\n`);
    const dir = resolve(__dirname, '..', '..', '..', '..', 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'bench-scale.md'), `${text}\n`);
    writeFileSync(
      resolve(dir, 'bench-scale.json'),
      JSON.stringify({ o, enrolment: { ...enrolment, patientIds: undefined }, afterEnrolment, steady, afterSteady, month, final, peaks: peaks.peak }, null, 2),
    );
    say('results written to test-results/bench-scale.md and .json');
  } finally {
    clearInterval(sampler);
    for (const c of children) await c.stop();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await temporal.stop();
    await pool.end();
    await downLocalServices(started);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:scale: ${(e as Error).message}\n${process.env.BENCH_DEBUG ? `${(e as Error).stack}\n` : ''}`);
  process.exitCode = 1;
});
