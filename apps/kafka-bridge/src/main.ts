import { createLogger, loadConfigOrExit, runService } from '@tandem/config';
import { createKafka, ensureTopics } from '@tandem/kafka';
import { createTemporalClient } from '@tandem/temporal';
import { createBridge } from './bridge';
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
  const bridge = createBridge({ kafka, temporal: temporal.client, taskQueue: config.temporal.taskQueue, policy, log });
  await bridge.start();
  log.info('consuming clinical-events', { brokers: config.kafka.brokers.length, policy: policy.policy.version, timeScale: policy.timeScale });
  return async () => {
    await bridge.stop();
    await temporal.close();
  };
});
