import { EMBEDDED_DATABASE_URL } from '@tandem/config';
import { info, step } from './log';
import type { Tools } from './provision';
import { provisionAll } from './provision';
import { KAFKA, startKafka, stopKafka } from './services/kafka';
import { ensureDatabase, startPostgres, stopPostgres } from './services/postgres';
import { TEMPORAL, startTemporal, stopTemporal } from './services/temporal';

export interface LocalServices {
  temporal: boolean;
  kafka: boolean;
  postgres: boolean;
}

/** Which local services to run: those whose setting is unset (CONTRACT.md section 1). */
export function wantedFromEnv(env: NodeJS.ProcessEnv = process.env): LocalServices {
  return { temporal: !env.TEMPORAL_ADDRESS, kafka: !env.KAFKA_BROKERS, postgres: !env.DATABASE_URL };
}

export interface StackResult {
  tools: Tools;
  /** Services this call started (and so may stop); the others were running already or are external. */
  started: LocalServices;
}

export async function upLocalServices(wanted: LocalServices, databases: string[] = ['tandem']): Promise<StackResult> {
  const tools = await provisionAll();
  const started: LocalServices = { temporal: false, kafka: false, postgres: false };
  // Start all three at once: each waits on its own port; the JVM and Go server starts overlap.
  // If one fails, stop the ones this call started: nothing is left running behind a failed set-up.
  const starts = Promise.allSettled([
    wanted.temporal &&
      step('Starting Temporal dev server', async () => {
        started.temporal = (await startTemporal(tools.temporalCli)) === 'started';
      }),
    wanted.kafka &&
      step('Starting Kafka (KRaft)', async () => {
        started.kafka = (await startKafka(tools.kafkaLib)) === 'started';
      }),
    wanted.postgres &&
      step('Starting embedded PostgreSQL', async () => {
        started.postgres = (await startPostgres()) === 'started';
        for (const db of databases) await ensureDatabase(db);
      }),
  ]);
  const failed = (await starts).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await downLocalServices(started).catch(() => undefined);
    throw failed.reason;
  }
  return { tools, started };
}

export async function downLocalServices(which: LocalServices = { temporal: true, kafka: true, postgres: true }): Promise<void> {
  await Promise.all([
    which.temporal && stopTemporal().then((s) => info(s ? 'Temporal stopped' : 'Temporal was not running')),
    which.kafka && stopKafka().then((s) => info(s ? 'Kafka stopped' : 'Kafka was not running')),
    which.postgres && stopPostgres().then((s) => info(s ? 'PostgreSQL stopped' : 'PostgreSQL was not running')),
  ]);
}

export function printSettings(wanted: LocalServices): void {
  const lines = [
    '',
    'Local services:',
    wanted.temporal && `  TEMPORAL_ADDRESS=${TEMPORAL.host}:${TEMPORAL.port}    (Temporal UI: http://${TEMPORAL.host}:${TEMPORAL.uiPort})`,
    wanted.kafka && `  KAFKA_BROKERS=${KAFKA.host}:${KAFKA.port}`,
    wanted.postgres && `  DATABASE_URL=${EMBEDDED_DATABASE_URL}`,
    '',
  ].filter(Boolean);
  process.stdout.write(`${lines.join('\n')}\n`);
}
