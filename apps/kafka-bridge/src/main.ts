import { createLogger, loadConfigOrExit, runService } from '@tandem/config';
import { createPool } from '@tandem/db';
import { createKafka, ensureTopics, partitioner } from '@tandem/kafka';
import { createTemporalClient } from '@tandem/temporal';
import { createBridge } from './bridge';
import { createOutboxRelay } from './outbox-relay';
import { loadPathwayPolicy } from './policy';

runService('kafka-bridge', async () => {
  const config = loadConfigOrExit();
  const log = createLogger('kafka-bridge', config.logLevel);
  const policy = loadPathwayPolicy(config);
  const kafka = createKafka(config, 'tandem-kafka-bridge');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin);
  await admin.disconnect();
  const temporal = await createTemporalClient(config);
  const pool = createPool(config, { max: 5 });
  const bridge = createBridge({ kafka, temporal: temporal.client, taskQueue: config.temporal.taskQueue, policy, log, pool });
  await bridge.start();
  const relayProducer = kafka.producer({ createPartitioner: partitioner, allowAutoTopicCreation: false });
  await relayProducer.connect();
  const relay = createOutboxRelay({ pool, producer: relayProducer, log });
  relay.start();
  log.info('consuming clinical-events', { brokers: config.kafka.brokers.length, policy: policy.policy.version, timeScale: policy.timeScale });
  return async () => {
    await relay.stop();
    await relayProducer.disconnect();
    await bridge.stop();
    await temporal.close();
    await pool.end();
  };
});
