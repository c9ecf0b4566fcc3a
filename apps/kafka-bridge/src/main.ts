import { createLogger, loadConfigOrExit, runService } from '@tandem/config';
import { createPool, outboxBacklog, stepFailureCounts } from '@tandem/db';
import { consumerLag, createKafka, ensureTopics, partitioner, registerPipelineGauges, topicNames, TOPICS } from '@tandem/kafka';
import { createTemporalClient } from '@tandem/temporal';
import { createBridge } from './bridge';
import { createBridgeMetrics, serveMetrics } from './metrics';
import { createOutboxRelay } from './outbox-relay';
import { loadPathwayPolicy } from '@tandem/config/policy';

runService('kafka-bridge', async () => {
  const config = loadConfigOrExit();
  const log = createLogger('kafka-bridge', config.logLevel);
  const policy = loadPathwayPolicy(config);
  const topics = topicNames(config.kafka.topicSuffix);
  const kafka = createKafka(config, 'tandem-kafka-bridge');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, Object.values(topics));
  const temporal = await createTemporalClient(config);
  const pool = createPool(config, { max: Math.min(50, config.bridge.concurrency + 5), service: 'bridge' });

  const metrics = createBridgeMetrics();
  registerPipelineGauges(metrics.registry, {
    lag: () => consumerLag(admin, config.bridge.groupId, topics.clinicalEvents),
    backlog: () => outboxBacklog(pool),
    stepFailures: () => stepFailureCounts(pool),
  });
  const server = await serveMetrics(metrics.registry, config.bridge.metricsPort, config.http.host);

  const bridge = createBridge({
    kafka,
    temporal: temporal.client,
    taskQueue: config.temporal.taskQueue,
    policy,
    log,
    pool,
    topics: { in: topics.clinicalEvents, dlq: topics.clinicalEventsDlq },
    groupId: config.bridge.groupId,
    concurrency: config.bridge.concurrency,
    sessionTimeoutMs: config.kafka.sessionTimeoutMs,
    metrics,
  });
  await bridge.start();
  const relayProducer = kafka.producer({ createPartitioner: partitioner, allowAutoTopicCreation: false });
  await relayProducer.connect();
  const relay = createOutboxRelay({
    pool,
    producer: relayProducer,
    log,
    metrics,
    retentionMs: config.bridge.outboxRetentionMs,
    topicFor: (t) =>
      t === TOPICS.careNotifications ? topics.careNotifications : t === TOPICS.clinicalEventsDlq ? topics.clinicalEventsDlq : topics.pathwayEvents,
  });
  relay.start();
  log.info('consuming clinical-events', {
    topic: topics.clinicalEvents,
    metrics: `http://${['0.0.0.0', '::'].includes(config.http.host) ? '127.0.0.1' : config.http.host}:${server.port}/metrics`,
    concurrency: config.bridge.concurrency,
    policy: policy.policy.version,
    timeScale: policy.timeScale,
  });
  return async () => {
    await relay.stop();
    await relayProducer.disconnect();
    await bridge.stop();
    await server.close();
    await admin.disconnect();
    await temporal.close();
    await pool.end();
  };
});
