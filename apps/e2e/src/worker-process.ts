import { spawnService, databaseEnv } from '@tandem/testing';
import type { RunningTandem } from './system';

/**
 * The real worker entry point (apps/worker/src/main.ts) as a child process on a test system's task
 * queue, so a test can run several and kill one with SIGKILL like an operating system would.
 */
export function spawnWorker(sys: RunningTandem, databaseUrl: string) {
  return spawnService(
    'apps/worker/src/main.ts',
    { ...databaseEnv(databaseUrl), TANDEM_TASK_QUEUE: sys.config.temporal.taskQueue, TANDEM_TOPIC_SUFFIX: sys.config.kafka.topicSuffix, LOG_LEVEL: 'info' },
    /"msg":"polling"/,
  );
}
