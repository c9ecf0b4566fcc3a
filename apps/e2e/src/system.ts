import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { TandemConfig } from '@tandem/config';
import { createLogger, loadConfig } from '@tandem/config';
import { createPool } from '@tandem/db';
import { createKafka, ensureTopics, partitioner } from '@tandem/kafka';
import { createTemporalClient } from '@tandem/temporal';
import { createApiApp } from '@tandem/api/app';
import { signDevToken } from '@tandem/api/auth';
import { createBridge } from '@tandem/kafka-bridge/bridge';
import { createOutboxRelay } from '@tandem/kafka-bridge/outbox-relay';
import { loadPathwayPolicy } from '@tandem/kafka-bridge/policy';
import { createPathwayWorker } from '@tandem/worker/worker';

export interface RunningTandem {
  config: TandemConfig;
  apiUrl: string;
  topics: { in: string; dlq: string; notifications: string; pathwayEvents: string };
  groupId: string;
  kafka: Kafka;
  producer: Producer;
  temporal: Client;
  pool: Pool;
  token(roles: Parameters<typeof signDevToken>[1], sub?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The whole system in this process, on the real services: worker, kafka-bridge and API, with a
 * fresh topic pair, consumer group and task queue so test files never see each other's records.
 */
export async function startTandem(opts: { databaseUrl: string; env?: NodeJS.ProcessEnv }): Promise<RunningTandem> {
  quietTemporalRuntime();
  const run = randomUUID().slice(0, 8);
  const config = loadConfig({ ...process.env, ...opts.env, DATABASE_URL: opts.databaseUrl, TANDEM_TASK_QUEUE: `test-${run}`, LOG_LEVEL: 'error' });
  const topics = {
    in: `clinical-events-${run}`,
    dlq: `clinical-events-${run}.dlq`,
    notifications: `care-notifications-${run}`,
    pathwayEvents: `pathway-events-${run}`,
  };
  const groupId = `bridge-${run}`;
  const log = createLogger('test', 'error');

  const pool = createPool(config);
  const kafka = createKafka(config, `test-${run}`);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, Object.values(topics), 3);
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: partitioner, allowAutoTopicCreation: false });
  await producer.connect();

  const temporal = await createTemporalClient(config);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createPathwayWorker({ connection, config, pool });
  const workerRun = worker.run();

  const bridge = createBridge({
    kafka,
    temporal: temporal.client,
    taskQueue: config.temporal.taskQueue,
    policy: loadPathwayPolicy(config),
    log,
    topics,
    groupId,
    pool,
  });
  await bridge.start();
  const relay = createOutboxRelay({
    pool,
    producer,
    log,
    intervalMs: 100,
    topicFor: (t) => (t === 'care-notifications' ? topics.notifications : topics.pathwayEvents),
  });
  relay.start();

  const apiAdmin = kafka.admin();
  await apiAdmin.connect();
  const app: INestApplication = await createApiApp({
    config,
    pool,
    temporal: temporal.client,
    log,
    kafka: { producer, admin: apiAdmin, eventsTopic: topics.in },
  });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;

  return {
    config,
    apiUrl: `http://127.0.0.1:${port}`,
    topics,
    groupId,
    kafka,
    producer,
    temporal: temporal.client,
    pool,
    token: (roles, sub = 'test-user') => signDevToken(config, roles, sub),
    async stop() {
      await app.close();
      await relay.stop();
      await apiAdmin.disconnect();
      await bridge.stop();
      await producer.disconnect();
      worker.shutdown();
      await workerRun;
      await connection.close();
      await temporal.close();
      await pool.end();
    },
  };
}

/** Worker state changes are noise in test output; warnings and errors still show. Install once per process. */
export function quietTemporalRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed in this process
  }
}
