import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { RunningTandem } from './system';

const ROOT = resolve(__dirname, '..', '..', '..');

/**
 * The real kafka-bridge entry point (apps/kafka-bridge/src/main.ts) as a child process, configured
 * only through its environment to use a test system's topics, consumer group and task queue, so
 * a test can kill it with SIGKILL like an operating system would.
 */
export function spawnBridge(sys: RunningTandem, databaseUrl: string) {
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/kafka-bridge/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TANDEM_TASK_QUEUE: sys.config.temporal.taskQueue,
      TANDEM_TOPIC_SUFFIX: sys.config.kafka.topicSuffix,
      TANDEM_BRIDGE_GROUP: sys.config.bridge.groupId,
      TANDEM_BRIDGE_METRICS_PORT: '0',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let readyResolve: (metricsUrl: string) => void = () => undefined;
  const ready = new Promise<string>((r) => (readyResolve = r));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const take = (chunk: Buffer) => {
    const text = chunk.toString();
    output.push(text);
    if (output.length > 200) output.shift();
    const url = /"metrics":"(http:[^"]+)"/.exec(text)?.[1];
    if (text.includes('consuming clinical-events') && url) readyResolve(url);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return {
    /** Resolves with the URL of the bridge's /metrics once it consumes. */
    ready: Promise.race([ready, exited.then((code) => Promise.reject(new Error(`bridge exited (${code}) before it was ready:\n${output.join('')}`)))]),
    exited,
    output,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
