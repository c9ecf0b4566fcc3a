import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { Registry } from 'prom-client';
import type { TandemConfig } from '@tandem/config';
import type { DatabaseService } from '@tandem/config';
import { createLogger, DATABASE_SERVICES, loadConfig } from '@tandem/config';
import { createPool } from '@tandem/db';
import { databaseEnv } from '@tandem/testing';
import { createKafka, ensureTopics, partitioner, topicNames } from '@tandem/kafka';
import { createTemporalClient } from '@tandem/temporal';
import { createApiApp } from '@tandem/api/app';
import type { RateLimits } from '@tandem/api/security';
import { signDevToken } from '@tandem/api/auth';
import type { Bridge } from '@tandem/kafka-bridge/bridge';
import { createBridge } from '@tandem/kafka-bridge/bridge';
import type { BridgeMetrics } from '@tandem/kafka-bridge/metrics';
import { createBridgeMetrics } from '@tandem/kafka-bridge/metrics';
import { createOutboxRelay } from '@tandem/kafka-bridge/outbox-relay';
import { loadPathwayPolicy } from '@tandem/config/policy';
import { createPathwayWorker } from '@tandem/worker/worker';

export interface RunningTandem {
  config: TandemConfig;
  apiUrl: string;
  topics: { in: string; dlq: string; notifications: string; pathwayEvents: string };
  groupId: string;
  kafka: Kafka;
  producer: Producer;
  temporal: Client;
  /** The owner's pool: the test's own checks and set-up. */
  pool: Pool;
  /** Each service's pool, as its own role (migration 012), as the services connect in production. */
  pools: Record<DatabaseService, Pool>;
  /** The in-process kafka-bridge consumer: restartable, with its metrics. */
  bridge: { metrics: BridgeMetrics; start(): Promise<void>; stop(): Promise<void> };
  token(roles: Parameters<typeof signDevToken>[1], sub?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The whole system in this process, on the real services: worker, kafka-bridge and API, with a
 * fresh topic pair, consumer group and task queue so test files never see each other's records.
 */
export interface StartOptions {
  databaseUrl: string;
  env?: NodeJS.ProcessEnv;
  /** Run the kafka-bridge consumer in this process (default); false when a test runs it as a child process. */
  bridge?: boolean;
  /** Run the outbox relay in this process (default); false when a test drives its own relay. */
  relay?: boolean;
  /** Run the Temporal worker in this process (default); false when a test runs workers as child processes. */
  worker?: boolean;
  /** The PROM page API's per-client limit (default: the API's own). */
  patientPageRequestsPerMinute?: number;
  /** The other per-client limits (default: the API's own). */
  rateLimits?: Partial<RateLimits>;
}

export async function startTandem(opts: StartOptions): Promise<RunningTandem> {
  quietTemporalRuntime();
  const run = randomUUID().slice(0, 8);
  const config = loadConfig({
    ...process.env,
    ...opts.env,
    ...databaseEnv(opts.databaseUrl),
    TANDEM_TASK_QUEUE: `test-${run}`,
    TANDEM_TOPIC_SUFFIX: run,
    TANDEM_BRIDGE_GROUP: `bridge-${run}`,
    LOG_LEVEL: 'error',
  });
  const names = topicNames(run);
  const topics = { in: names.clinicalEvents, dlq: names.clinicalEventsDlq, notifications: names.careNotifications, pathwayEvents: names.pathwayEvents };
  const groupId = config.bridge.groupId;
  const log = createLogger('test', 'error');

  const pool = createPool(config);
  const pools = Object.fromEntries(DATABASE_SERVICES.map((service) => [service, createPool(config, { service })])) as Record<DatabaseService, Pool>;
  const kafka = createKafka(config, `test-${run}`);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, Object.values(topics), 3);
  await admin.disconnect();
  const producer = kafka.producer({ createPartitioner: partitioner, allowAutoTopicCreation: false });
  await producer.connect();

  const temporal = await createTemporalClient(config);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = opts.worker === false ? undefined : await createPathwayWorker({ connection, config, pool: pools.worker, policy: loadPathwayPolicy(config) });
  const workerRun = worker?.run();

  const bridgeMetrics = createBridgeMetrics(new Registry());
  const newBridge = () =>
    createBridge({
      kafka,
      temporal: temporal.client,
      taskQueue: config.temporal.taskQueue,
      policy: loadPathwayPolicy(config),
      log,
      topics,
      groupId,
      pool: pools.bridge,
      sessionTimeoutMs: 6_000,
      metrics: bridgeMetrics,
    });
  let bridge: Bridge | undefined;
  const bridgeControl = {
    metrics: bridgeMetrics,
    async start() {
      if (bridge) return;
      bridge = newBridge();
      await bridge.start();
    },
    async stop() {
      await bridge?.stop();
      bridge = undefined;
    },
  };
  if (opts.bridge !== false) await bridgeControl.start();
  const relay = createOutboxRelay({
    pool: pools.bridge,
    producer,
    log,
    intervalMs: 100,
    metrics: bridgeMetrics,
    topicFor: (t) => (t === 'care-notifications' ? topics.notifications : t === 'clinical-events.dlq' ? topics.dlq : topics.pathwayEvents),
  });
  if (opts.relay !== false) relay.start();

  const apiAdmin = kafka.admin();
  await apiAdmin.connect();
  const app: INestApplication = await createApiApp({
    config,
    pool: pools.api,
    temporal: temporal.client,
    log,
    kafka: { producer, admin: apiAdmin, eventsTopic: topics.in },
    policy: loadPathwayPolicy(config),
    ...(opts.patientPageRequestsPerMinute ? { patientPageRequestsPerMinute: opts.patientPageRequestsPerMinute } : {}),
    ...(opts.rateLimits ? { rateLimits: opts.rateLimits } : {}),
    // Rate limits are counted in the (shared) test database: each system counts its own, as each
    // used to in its own memory, so one file's requests from 127.0.0.1 never count in another's.
    rateLimitScope: run,
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
    pools,
    bridge: bridgeControl,
    token: (roles, sub = 'test-user') => signDevToken(config, roles, sub),
    async stop() {
      await app.close();
      await relay.stop();
      await apiAdmin.disconnect();
      await bridgeControl.stop();
      await producer.disconnect();
      worker?.shutdown();
      await workerRun;
      await connection.close();
      await temporal.close();
      await Promise.all([pool, ...Object.values(pools)].map((p) => p.end()));
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
