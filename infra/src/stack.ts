import { EMBEDDED_DATABASE_URL } from '@tandem/config';
import { info, step } from './log';
import type { Tools } from './provision';
import { provisionAll } from './provision';
import { KAFKA, startKafka, stopKafka } from './services/kafka';
import { ensureDatabase, startPostgres, stopPostgres } from './services/postgres';
import { TEMPORAL, startTemporal, stopTemporal } from './services/temporal';
import { MAIL_SMTP_URL, MAIL_WEB_URL, startMail, stopMail } from './services/mail';

export interface LocalServices {
  temporal: boolean;
  kafka: boolean;
  postgres: boolean;
  /** The mail catcher the notifier delivers e-mail to (when TANDEM_SMTP_URL is unset). */
  mail: boolean;
}

/** Which local services to run: those whose setting is unset (docs/contract.md section 1). */
export function wantedFromEnv(env: NodeJS.ProcessEnv = process.env): LocalServices {
  return { temporal: !env.TEMPORAL_ADDRESS, kafka: !env.KAFKA_BROKERS, postgres: !env.DATABASE_URL, mail: !env.TANDEM_SMTP_URL };
}

export interface StackResult {
  tools: Tools;
  /** Services this call started (and so may stop); the others were running already or are external. */
  started: LocalServices;
}

export async function upLocalServices(wanted: LocalServices, databases: string[] = ['tandem']): Promise<StackResult> {
  const tools = await provisionAll();
  const started: LocalServices = { temporal: false, kafka: false, postgres: false, mail: false };
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
    wanted.mail &&
      step('Starting the mail catcher (MailDev)', async () => {
        started.mail = (await startMail()) === 'started';
      }),
  ]);
  const failed = (await starts).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await downLocalServices(started).catch(() => undefined);
    throw failed.reason;
  }
  return { tools, started };
}

export async function downLocalServices(which: LocalServices = { temporal: true, kafka: true, postgres: true, mail: true }): Promise<void> {
  await Promise.all([
    which.temporal && stopTemporal().then((s) => info(s ? 'Temporal stopped' : 'Temporal was not running')),
    which.kafka && stopKafka().then((s) => info(s ? 'Kafka stopped' : 'Kafka was not running')),
    which.postgres && stopPostgres().then((s) => info(s ? 'PostgreSQL stopped' : 'PostgreSQL was not running')),
    which.mail && stopMail().then((s) => info(s ? 'Mail catcher stopped' : 'Mail catcher was not running')),
  ]);
}

export function printSettings(wanted: LocalServices): void {
  const lines = [
    '',
    'Local services:',
    wanted.temporal && `  TEMPORAL_ADDRESS=${TEMPORAL.host}:${TEMPORAL.port}    (Temporal UI: http://${TEMPORAL.host}:${TEMPORAL.uiPort})`,
    wanted.kafka && `  KAFKA_BROKERS=${KAFKA.host}:${KAFKA.port}`,
    wanted.postgres && `  DATABASE_URL=${EMBEDDED_DATABASE_URL}`,
    wanted.mail && `  TANDEM_SMTP_URL=${MAIL_SMTP_URL}    (mail view: ${MAIL_WEB_URL})`,
    '',
  ].filter(Boolean);
  process.stdout.write(`${lines.join('\n')}\n`);
}
