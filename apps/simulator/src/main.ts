import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { loadPathwayPolicy } from '@tandem/config/policy';
import { loadConfigOrExit } from '@tandem/config';
import { createKafka, ensureTopics, partitioner, topicNames } from '@tandem/kafka';
import type { Cohort } from './cohort';
import { simulateCohort } from './cohort';
import { tellHistoryLoaded } from './history-loaded';
import { drained, drive } from './drive';
import { COHORT_PARAMETERS } from './parameters';
import type { StaffRecord } from './oracle';
import { impliedRanges } from './implied';
import { expectedMeasures } from './oracle';
import { compareMeasures, oracleTable } from './oracle-table';
import { readMeasures } from './read-measures';
import type { World } from './staff';
import { startStaff, worldOf, worlds } from './staff';
import { summarise } from './summary';

const usage = `usage: npm run -s simulate -- [--patients 500] [--seed 42] [--months 18] [--backfill] [--no-staff]

  --patients N   people in the cohort (default 500)
  --seed S       the same seed gives the same events (default 42)
  --months M     the window the diagnoses fall in and the journeys run over (default 18)
  --backfill     write the journeys with past clinical dates, as fast as the bridge takes them;
                 without it the journeys run live at TANDEM_TIME_SCALE (1 = real time)
  --no-staff     do not work the queues (by default simulated staff claim and complete tasks)
  --api URL      the API the simulated staff use (default http://127.0.0.1:$PORT)
  --demo         what \`npm start -- --demo\` runs: a past year of 150 patients, then new ones live

Figures and their sources: apps/simulator/src/parameters.ts. docs/simulator.md says more.`;

function options() {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string', default: '500' },
      seed: { type: 'string', default: '42' },
      months: { type: 'string', default: '18' },
      backfill: { type: 'boolean', default: false },
      'no-staff': { type: 'boolean', default: false },
      api: { type: 'string' },
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const number = (name: string, v: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max} (got "${v}")`);
    return n;
  };
  return {
    patients: Math.round(number('patients', values.patients, 1, 1_000_000)),
    seed: Math.round(number('seed', values.seed, 0, 2 ** 31 - 1)),
    months: number('months', values.months, 0.1, 120),
    backfill: values.backfill,
    staff: !values['no-staff'],
    api: values.api,
    demo: values.demo,
  };
}

interface Run {
  patients: number;
  seed: number;
  months: number;
  backfill: boolean;
  /** Clinical time of a backfill's first day (default: its window back from now). */
  startMs?: number;
}

/** The services a run needs, connected once. */
async function connect() {
  const config = loadConfigOrExit();
  const policy = loadPathwayPolicy(config);
  const topics = topicNames(config.kafka.topicSuffix);
  const kafka = createKafka(config, 'tandem-simulator');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [topics.clinicalEvents]);
  const producer = kafka.producer({ createPartitioner: partitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const close = async () => {
    await producer.disconnect();
    await admin.disconnect();
  };
  return { config, policy, topics, admin, producer, stop, close };
}
type Connected = Awaited<ReturnType<typeof connect>>;

/** One cohort, produced and taken by the bridge (`withStaff` starts staff who know its world); returns the figures. */
async function run(c: Connected, r: Run, api: string | undefined, quiet = false, withStaff?: (world: World) => void) {
  const windowMs = Math.round(r.months * 30.44 * 86_400_000);
  const startMs = r.backfill ? (r.startMs ?? Date.now() - windowMs) : Date.now();
  const cohort = simulateCohort({ patients: r.patients, seed: r.seed, months: r.months, startMs, policy: c.policy.policy });
  const world = worldOf(cohort, { startMs, backfill: r.backfill, timeScale: c.policy.timeScale });
  // Live, the staff work as the events come. A backfill's staff start once the pathways have their whole history and are in the present (below).
  if (!r.backfill) withStaff?.(world);
  const mode = r.backfill ? 'backfill' : 'live';
  process.stdout.write(
    `simulate: ${r.patients} patients, seed ${r.seed}, ${r.months} months, ${cohort.events.length} clinical events, ${mode}` +
      (mode === 'live' ? ` at time scale ${c.policy.timeScale} (${(windowMs / c.policy.timeScale / 60_000).toFixed(1)} min of wall time)` : '') +
      '\n',
  );
  const bar = new SingleBar({
    format: 'simulate: {bar} {percentage}% | {value}/{total} events | {stage}',
    hideCursor: true,
    noTTYOutput: !quiet,
    notTTYSchedule: 10_000,
  });
  bar.start(cohort.events.length, 0, { stage: mode === 'live' ? 'running live' : 'producing' });
  const began = Date.now();
  const produced = await drive({
    producer: c.producer,
    topic: c.topics.clinicalEvents,
    cohort,
    startMs,
    mode,
    timeScale: c.policy.timeScale,
    signal: c.stop.signal,
    progress: (n) => bar.update(n),
  });
  bar.update(produced, { stage: 'waiting for the bridge' });
  await drained(c.admin, c.config.bridge.groupId, c.topics.clinicalEvents, (left) => bar.update(produced, { stage: `bridge: ${left} to take` }), c.stop.signal);
  if (r.backfill) {
    const ids = cohort.patients.map((p) => p.patientId);
    await tellHistoryLoaded(apiOf(c, api), ids, { progress: (stage) => bar.update(produced, { stage }), signal: c.stop.signal });
    withStaff?.(world);
  }
  bar.stop();
  return { cohort, startMs, produced, seconds: (Date.now() - began) / 1000 };
}

function staffFor(c: Connected, seed: number, api: string | undefined, world?: World) {
  return startStaff({
    apiUrl: apiOf(c, api),
    parameters: COHORT_PARAMETERS,
    seed,
    timeScale: c.policy.timeScale,
    ...(world ? { world } : {}),
    log: (l) => process.stderr.write(`${l}\n`),
  });
}

/**
 * The staff are still doing the past's work. Waits until two whole passes over every queue in a row
 * find nothing to do now (what is left is planned for later, or waits for the team's capacity), at
 * most ten minutes, saying how far it is.
 */
async function settled(staff: ReturnType<typeof staffFor>, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  while (staff.done.quietPasses < 2 && Date.now() < deadline && !signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    process.stderr.write(`simulate: the staff have done ${staff.done.completed} tasks${staff.done.quietPasses > 0 ? ', nothing more to do now' : ''}\n`);
  }
}

const apiOf = (c: Connected, api: string | undefined) => api ?? `http://127.0.0.1:${c.config.http.port}`;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The oracle: what the cohort implies for every measure, beside what the API reports for the same
 * period. The measures settle a little after the bridge has taken the events (the pathways step and
 * the measure items refresh), so it reads until the computed ones agree, or until a minute and a
 * half has passed, and then prints what it has: a difference is a finding, not a hang.
 */
async function oracle(c: Connected, api: string | undefined, r: Run, cohort: Cohort, startMs: number, staff?: StaffRecord): Promise<string> {
  const q = { from: isoDay(startMs - 86_400_000), to: isoDay(Date.now()) };
  const implied = impliedRanges({ patients: r.patients, months: r.months, startMs, nowMs: Date.now(), policy: c.policy.policy });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const expected = expectedMeasures(cohort, startMs, { ...q, nowMs: Date.now() }, staff);
    const rows = compareMeasures(expected, await readMeasures(apiOf(c, api), q.from, q.to), implied);
    const differing = rows.filter((r) => r.matches === false).length;
    if (differing === 0 || Date.now() > deadline || c.stop.signal.aborted) return oracleTable(rows);
    process.stderr.write(`simulate: ${differing} measures not yet what the cohort implies; reading again\n`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
}

/**
 * `npm start -- --demo`: a past year of a small service (backfilled, so the dashboard has figures
 * at once), then new patients arriving live with simulated staff working the queues, until stopped.
 */
async function demo(c: Connected, api: string | undefined): Promise<void> {
  // The staff know every cohort's world: the past year's (whose work they date in the past) and each live one's.
  const known: World[] = [];
  const startMs = demoPastStart(c.config.home, Math.round(DEMO.pastMonths * 30.44 * 86_400_000));
  let staff: ReturnType<typeof staffFor> | undefined;
  const past = await run(c, { patients: DEMO.pastPatients, seed: DEMO.seed, months: DEMO.pastMonths, backfill: true, startMs }, api, true, (w) => {
    known.push(w);
    staff = staffFor(c, DEMO.seed, api, worlds(known));
  });
  process.stdout.write(`demo: running — ${past.produced} past events taken; new patients arrive live, simulated staff work the queues\n`);
  // Each start brings new people (the past year is the same every time, to the millisecond: its events are duplicates, taken once).
  while (!c.stop.signal.aborted) {
    await run(c, { patients: DEMO.livePatients, seed: Date.now() % 2 ** 31, months: DEMO.liveMonths, backfill: false }, api, true, (w) => known.push(w));
  }
  staff?.stop();
}

const DEMO = { seed: 42, pastPatients: 150, pastMonths: 12, livePatients: 40, liveMonths: 3 };

/**
 * Where the demo's past year starts, fixed at its first start and kept in TANDEM_HOME beside the
 * data: a later start sends the very same events again (same source, id and content), which the
 * event log takes as duplicates. A past year re-dated to each start would be the same events with
 * other clinical times: conflicting duplicates, parked (docs/security.md).
 */
function demoPastStart(home: string, windowMs: number): number {
  const file = join(home, 'demo-past-start.json');
  try {
    const kept = (JSON.parse(readFileSync(file, 'utf8')) as { startMs?: unknown }).startMs;
    if (typeof kept === 'number' && Number.isFinite(kept)) return kept;
  } catch {
    // First start (or an unreadable file): fix the start now.
  }
  const startMs = Date.now() - windowMs;
  mkdirSync(home, { recursive: true });
  writeFileSync(file, JSON.stringify({ startMs }));
  return startMs;
}

async function main(): Promise<void> {
  const o = options();
  const c = await connect();
  try {
    if (o.demo) return await demo(c, o.api);
    let staff: ReturnType<typeof staffFor> | undefined;
    const r = await run(c, o, o.api, false, (world) => {
      if (o.staff) staff = staffFor(c, o.seed, o.api, world);
    });
    if (staff) await settled(staff, c.stop.signal);
    staff?.stop();
    process.stdout.write(summarise(r.cohort, { produced: r.produced, seconds: r.seconds, staff: staff?.done }));
    // Live, the journeys' clinical times are the compressed clock's (drive.ts): the contract's days mean nothing there.
    if (o.backfill) process.stdout.write(await oracle(c, o.api, o, r.cohort, r.startMs, staff?.done));
    else process.stdout.write('The oracle compares a backfill (--backfill): a live run stamps its events with the compressed clock.\n');
  } finally {
    await c.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`simulate: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
