import { spawnService, databaseEnv } from '@tandem/testing';
import type { RunningTandem } from './system';

/**
 * The real kafka-bridge entry point (apps/kafka-bridge/src/main.ts) as a child process, configured
 * only through its environment to use a test system's topics, consumer group and task queue, so
 * a test can kill it with SIGKILL like an operating system would.
 */
export function spawnBridge(sys: RunningTandem, databaseUrl: string) {
  const service = spawnService(
    'apps/kafka-bridge/src/main.ts',
    {
      ...databaseEnv(databaseUrl),
      TANDEM_TASK_QUEUE: sys.config.temporal.taskQueue,
      TANDEM_TOPIC_SUFFIX: sys.config.kafka.topicSuffix,
      TANDEM_BRIDGE_GROUP: sys.config.bridge.groupId,
      TANDEM_BRIDGE_METRICS_PORT: '0',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      LOG_LEVEL: 'info',
    },
    /consuming clinical-events/,
  );
  return {
    ...service,
    /** Resolves with the URL of the bridge's /metrics once it consumes. */
    ready: service.ready.then((line) => /"metrics":"(http:[^"]+)"/.exec(line)?.[1] ?? ''),
  };
}
