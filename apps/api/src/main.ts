import { createLogger, loadConfigOrExit, runService } from '@tandem/config';
import { createPool, migrate } from '@tandem/db';
import { createTemporalClient } from '@tandem/temporal';
import { createApiApp } from './app';

runService('api', async () => {
  const config = loadConfigOrExit();
  const log = createLogger('api', config.logLevel);
  const pool = createPool(config);
  await migrate(pool);
  const temporal = await createTemporalClient(config);
  const app = await createApiApp({ config, pool, temporal: temporal.client, log });
  await app.listen(config.http.port, '0.0.0.0');
  log.info('listening', { port: config.http.port });
  return async () => {
    await app.close();
    await temporal.close();
    await pool.end();
  };
});
