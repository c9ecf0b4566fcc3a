import { DATABASE_SERVICES, loadConfig } from '@tandem/config';
import type { Service } from './children';
import { runScript, startService, stopServices } from './children';
import { info, step } from './log';
import { TEMPORAL } from './services/temporal';
import { MAIL_WEB_URL } from './services/mail';
import { downLocalServices, upLocalServices, wantedFromEnv } from './stack';

/** A day of the pathway per minute, unless TANDEM_TIME_SCALE says otherwise: the demo's clock. */
const DEMO_TIME_SCALE = '1440';

/**
 * `npm start`: provisions what is missing, starts the local infrastructure (unless settings
 * point elsewhere), migrates, creates topics, starts worker, kafka-bridge, API and notifier, prints the
 * URLs, and on Ctrl-C stops everything it started. `npm start -- --demo` (or TANDEM_DEMO=1) also
 * runs the cohort simulator: a past year of patients, then new ones live, with simulated staff.
 */
async function main(args: readonly string[]): Promise<void> {
  const startedAt = Date.now();
  const unknown = args.filter((a) => a !== '--demo');
  if (unknown.length) throw new Error(`unknown option ${unknown.join(' ')}; \`npm start\` takes only --demo`);
  const demo = args.includes('--demo') || ['1', 'true', 'yes'].includes((process.env.TANDEM_DEMO ?? '').toLowerCase());
  if (demo) process.env.TANDEM_TIME_SCALE ??= DEMO_TIME_SCALE;
  const config = loadConfig(); // fail fast on bad settings, before starting anything
  const wanted = wantedFromEnv();
  const { started } = await upLocalServices(wanted);
  const env = { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' };

  let services: Service[] = [];
  let stopping: Promise<void> | undefined;
  // npm follows a Ctrl-C with a SIGTERM: every signal waits for the one shutdown in progress.
  const shutdown = (why: string): Promise<void> =>
    (stopping ??= (async () => {
      info(`${why}: stopping services ...`);
      await stopServices(services);
      await downLocalServices(started);
      info('stopped. Data is kept in .tandem/data; `npm start` picks up where it left off.');
    })());
  process.on('SIGINT', () => void shutdown('Ctrl-C').then(() => process.exit(0)));
  process.on('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(0)));

  try {
    // As the owner; on the embedded cluster the services' roles may then log in (migration 012).
    await step('Running database migrations', () => runScript('libs/db/src/cli/migrate.ts', env, config.database.embedded ? ['--dev-logins'] : []));
    await step('Creating Kafka topics', () => runScript('libs/kafka/src/cli/create-topics.ts', env));
  } catch (e) {
    await shutdown('set-up failed');
    throw e;
  }

  services = [
    startService('worker', 'apps/worker/src/main.ts', env, 0, /"msg":"polling"/),
    startService('kafka-bridge', 'apps/kafka-bridge/src/main.ts', env, 1, /"msg":"consuming clinical-events"/),
    startService('api', 'apps/api/src/main.ts', env, 2, /"msg":"listening"/),
    startService('notifier', 'apps/notifier/src/main.ts', env, 3, /"msg":"delivering care-notifications"/),
  ];
  for (const s of services) {
    void s.exited.then((code) => {
      if (stopping === undefined) void shutdown(`${s.name} exited with code ${code}`).then(() => process.exit(1));
    });
  }

  // Listening on all interfaces still answers on loopback; any other HOST is shown as it is.
  const host = ['0.0.0.0', '::'].includes(config.http.host) ? '127.0.0.1' : config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const base = `http://${host}:${config.http.port}`;
  await step('Waiting for worker, kafka-bridge, API and notifier', async () => {
    await withTimeout(Promise.all(services.map((s) => s.ready)), 120_000, 'the services did not report ready within 120s; see their lines above');
    await waitForReady(`${base}/readyz`, 30_000);
  });
  let simulator: Service | undefined;
  if (demo) {
    simulator = startService('simulator', 'apps/simulator/src/main.ts', env, 4, /demo: running/, ['--demo', '--api', base]);
    // The demo is not the system: if it stops, the system runs on.
    void simulator.exited.then((code) => {
      if (stopping === undefined && code !== 0) info(`the demo's simulator exited with code ${code}; Tandem runs on without it`);
    });
    services.push(simulator);
    await step('Simulating a past year of 150 patients', () =>
      withTimeout(simulator!.ready, 300_000, 'the demo did not start within 5 minutes; see the [simulator] lines above'),
    );
  }
  const temporalUi = wanted.temporal ? `http://${TEMPORAL.host}:${TEMPORAL.uiPort}` : '(external Temporal: see its own UI)';
  process.stdout.write(
    [
      '',
      `Tandem is running (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)}s).`,
      `  Console:      ${base}/   (dashboard: ${base}/#/dashboard)`,
      `  API:          ${base}/api/v1   (token: npm run -s token -- coordinator)`,
      `  API docs:     ${base}/api/docs`,
      `  Health:       ${base}/healthz  ${base}/readyz`,
      `  Metrics:      ${base}/metrics  http://${host}:${config.bridge.metricsPort}/metrics (kafka-bridge)`,
      `  Temporal UI:  ${temporalUi}`,
      `  Mail:         ${wanted.mail ? `${MAIL_WEB_URL}   (every e-mail the notifier sends lands here)` : config.notifier.smtpUrl.replace(/\/\/[^@/]*@/, '//***@')}`,
      `  PROM links:   ${config.publicUrl}/p/<token>   (sent to patients in their questionnaire requests)`,
      `  Kafka:        ${config.kafka.brokers.join(',')}   (produce to clinical-events)`,
      `  PostgreSQL:   ${config.database.embedded ? 'embedded, ' : ''}${hidePassword(config.database.url)} (owner: migrations)`,
      ...DATABASE_SERVICES.map((s) => `                  ${`${s}:`.padEnd(10)}${hidePassword(config.database.services[s])}`),
      ...(demo
        ? [
            `  Demo:         simulated patients and staff at time scale ${config.policy.timeScale} (a pathway day per ${(1440 / config.policy.timeScale).toFixed(1)} min); the inbox, patient pages and dashboard fill within a minute`,
          ]
        : []),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

const hidePassword = (url: string) => url.replace(/:[^:@/]+@/, ':***@');

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become ready at ${url} within ${timeoutMs / 1000}s; see the [api] lines above`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`tandem: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
