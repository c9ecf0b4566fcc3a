import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createLogger, loadConfigOrExit, runService } from '@tandem/config';
import { assertMigrated, createPool } from '@tandem/db';
import { loadPathwayPolicy } from '@tandem/config/policy';
import { createTemporalClient } from '@tandem/temporal';
import { ensureDigestSchedule } from './digest-schedule';
import { startMeasuresRefresh } from './measures-refresh';
import { createPathwayWorker } from './worker';

runService('worker', async () => {
  const config = loadConfigOrExit();
  const log = createLogger('worker', config.logLevel);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const pool = createPool(config, { service: 'worker' });
  await assertMigrated(pool);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const policy = loadPathwayPolicy(config);
  const worker = await createPathwayWorker({ connection, config, pool, policy });
  const temporal = await createTemporalClient(config);
  const schedule = await ensureDigestSchedule(temporal.client, {
    taskQueue: config.temporal.taskQueue,
    cron: policy.policy.digest.schedule,
    timeZone: policy.policy.digest.timeZone,
  });
  log.info('weekly digest schedule', { schedule, cron: policy.policy.digest.schedule, timeZone: policy.policy.digest.timeZone });
  const running = worker.run().catch((e: unknown) => {
    log.error('worker stopped unexpectedly', { error: (e as Error).message });
    process.exit(1);
  });
  log.info('polling', { taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace });
  const measures = startMeasuresRefresh({ pool, log });
  return async () => {
    await measures.stop();
    worker.shutdown();
    await running;
    await temporal.close();
    await connection.close();
    await pool.end();
  };
});
