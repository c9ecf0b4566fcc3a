import { createServer } from 'node:net';
import { databaseEnv, spawnService } from '@tandem/testing';
import type { RunningTandem } from './system';

/** A port free on 127.0.0.1 now (the API logs the port it was given, so it cannot be 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * The real API entry point (apps/api/src/main.ts) as a child process on a test system's topics and
 * task queue, as one replica of several behind a load balancer; `env` adds settings (e.g.
 * TANDEM_TRUST_PROXY). Its rate limits are the API's defaults, counted under the default scope.
 */
export async function spawnApi(sys: RunningTandem, databaseUrl: string, env: NodeJS.ProcessEnv = {}) {
  const port = await freePort();
  const service = spawnService(
    'apps/api/src/main.ts',
    {
      ...databaseEnv(databaseUrl),
      PORT: String(port),
      HOST: '127.0.0.1',
      TANDEM_TASK_QUEUE: sys.config.temporal.taskQueue,
      TANDEM_TOPIC_SUFFIX: sys.config.kafka.topicSuffix,
      TANDEM_BRIDGE_GROUP: sys.config.bridge.groupId,
      LOG_LEVEL: 'info',
      ...env,
    },
    /"msg":"listening"/,
  );
  return { ...service, url: `http://127.0.0.1:${port}`, ready: service.ready.then(() => `http://127.0.0.1:${port}`) };
}
