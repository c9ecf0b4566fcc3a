import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { EMBEDDED_DATABASE_URL, loadConfig } from '@tandem/config';
import { migrate, refreshDirtyMeasures } from '@tandem/db';
import { downLocalServices, upLocalServices } from '@tandem/infra/stack';
import { signDevToken } from '@tandem/api/auth';
import { spawnService } from '@tandem/testing';
import { percentile } from '../stats';
import { generateHistory } from './synthetic';
import { planSummary, ROUTES } from './routes';

/**
 * npm run bench:measures — the measures API at the scale of a regional network: a separate database
 * filled with a synthetic two-year history of BENCH_PATIENTS (default 100,000) patients, generated
 * in SQL; the measure items and tallies derived as the refresher derives them; then every measures
 * route timed over HTTP against the real API process (sequential requests, after a warm-up).
 */
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const DATABASE = 'tandem_bench_measures';
const DATABASE_URL = EMBEDDED_DATABASE_URL.replace(/\/[^/]+$/, `/${DATABASE}`);
const OUT = join(__dirname, '..', '..', '..', '..', 'test-results', 'bench-measures');
const say = (s: string) => process.stdout.write(`bench: ${s}\n`);

async function fill(pool: Pool): Promise<Record<string, number>> {
  const today = new Date().toISOString().slice(0, 10);
  say(`generating ${PATIENTS.toLocaleString('en-GB')} patients' history up to ${today} …`);
  const client = await pool.connect();
  try {
    await generateHistory(client, PATIENTS, today, (s) => say(s));
  } finally {
    client.release();
  }
  const t0 = Date.now();
  say('deriving measure items and tallies (as the refresher does, 2,000 patients at a time) …');
  const refreshed = await refreshDirtyMeasures(pool, 2000);
  say(`  ${refreshed.toLocaleString('en-GB')} patients in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await pool.query('VACUUM ANALYZE');
  const { rows } = await pool.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM pathway_fact) AS facts, (SELECT count(*) FROM task) AS tasks, (SELECT count(*) FROM clinical_event) AS events,
            (SELECT count(*) FROM measure_item) AS items, (SELECT count(*) FROM measure_tally) AS day_tallies, (SELECT count(*) FROM measure_tally_month) AS month_tallies`,
  );
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
}

async function time(url: string, token: string): Promise<{ p50: number; p95: number; max: number }> {
  const once = async () => {
    const t = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    return performance.now() - t;
  };
  for (let i = 0; i < 5; i++) await once();
  const ms: number[] = [];
  for (let i = 0; i < REQUESTS; i++) ms.push(await once());
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms) };
}

async function main(): Promise<void> {
  if (!Number.isInteger(PATIENTS) || PATIENTS < 1) throw new Error('BENCH_PATIENTS must be a positive whole number');
  say('starting PostgreSQL, Kafka and Temporal unless they run …');
  const { started } = await upLocalServices({ temporal: true, kafka: true, postgres: true, mail: false }, ['tandem']);
  const admin = new Pool({ connectionString: EMBEDDED_DATABASE_URL, max: 1 });
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  const pool = new Pool({ connectionString: DATABASE_URL, max: 4 });
  let api: ReturnType<typeof spawnService> | undefined;
  try {
    await migrate(pool);
    const sizes = await fill(pool);
    say(
      `stored: ${Object.entries(sizes)
        .map(([k, v]) => `${k} ${v.toLocaleString('en-GB')}`)
        .join(', ')}`,
    );
    api = spawnService('apps/api/src/main.ts', { DATABASE_URL, PORT: '3019', LOG_LEVEL: 'info' }, /"listening"/);
    await api.ready;
    const config = loadConfig({ ...process.env, DATABASE_URL });
    const tokens = { clinician: await signDevToken(config, ['clinician'], 'bench-lead'), ops: await signDevToken(config, ['ops'], 'bench-ops') };
    const lines = ['| route | role | p50 ms | p95 ms | max ms |', '|---|---|---:|---:|---:|'];
    for (const r of ROUTES) {
      const t = await time(`http://127.0.0.1:3019${r.path}`, tokens[r.role]);
      lines.push(`| \`${r.path}\` | ${r.role} | ${t.p50.toFixed(0)} | ${t.p95.toFixed(0)} | ${t.max.toFixed(0)} |`);
      say(`${r.path} (${r.role}): p50 ${t.p50.toFixed(0)} ms, p95 ${t.p95.toFixed(0)} ms`);
    }
    mkdirSync(OUT, { recursive: true });
    const report = [
      `# bench:measures — ${PATIENTS.toLocaleString('en-GB')} patients, ${new Date().toISOString()}`,
      '',
      `Stored: ${Object.entries(sizes)
        .map(([k, v]) => `${k} ${v.toLocaleString('en-GB')}`)
        .join(', ')}.`,
      `Each route: ${REQUESTS} sequential requests after 5 warm-up requests, over HTTP to the API process.`,
      '',
      ...lines,
      '',
    ].join('\n');
    writeFileSync(join(OUT, 'report.md'), report);
    writeFileSync(join(OUT, 'plans.txt'), await planSummary(pool));
    process.stdout.write(`\n${report}\nplans: ${join(OUT, 'plans.txt')}\n`);
  } finally {
    await api?.stop();
    await pool.end();
    await admin.end();
    await downLocalServices(started);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:measures: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
