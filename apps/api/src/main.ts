import { createLogger, loadConfigOrExit, runService } from '@tandem/config';
import { assertMigrated, createPool } from '@tandem/db';
import { createKafka, partitioner, topicNames } from '@tandem/kafka';
import { createTemporalClient } from '@tandem/temporal';
import { createApiApp } from './app';

runService('api', async () => {
  const config = loadConfigOrExit();
  const log = createLogger('api', config.logLevel);
  const pool = createPool(config, { service: 'api' });
  await assertMigrated(pool);
  const temporal = await createTemporalClient(config);
  const kafka = createKafka(config, 'tandem-api');
  const producer = kafka.producer({ createPartitioner: partitioner, allowAutoTopicCreation: false });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const app = await createApiApp({
    config,
    pool,
    temporal: temporal.client,
    log,
    kafka: { producer, admin, eventsTopic: topicNames(config.kafka.topicSuffix).clinicalEvents },
  });
  await app.listen(config.http.port, config.http.host);
  log.info('listening', { host: config.http.host, port: config.http.port });
  return async () => {
    await app.close();
    await Promise.all([producer.disconnect(), admin.disconnect()]);
    await temporal.close();
    await pool.end();
  };
});
