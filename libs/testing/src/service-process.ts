import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

export interface ServiceProcess {
  /** The service's own process (node, with tsx as a loader: no wrapper process). */
  pid: number;
  /** Resolves with the line that announced readiness; rejects if the process exits first. */
  ready: Promise<string>;
  exited: Promise<number | null>;
  /** The last lines it wrote, for a failure message. */
  output: string[];
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs a Tandem entry point (e.g. apps/kafka-bridge/src/main.ts) as a child process with the given
 * environment, the way `npm start` runs it, so tests and benchmarks can kill it or measure it apart.
 */
export function spawnService(entry: string, env: NodeJS.ProcessEnv, readyWhen: RegExp, nodeArgs: string[] = []): ServiceProcess {
  const output: string[] = [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let announce: (line: string) => void = () => undefined;
  const announced = new Promise<string>((r) => (announce = r));
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      output.push(line);
      if (output.length > 200) output.shift();
      if (readyWhen.test(line)) announce(line);
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const ready = Promise.race([
    announced,
    exited.then((code) => Promise.reject(new Error(`${entry} exited (${code}) before it was ready:\n${output.join('\n')}`))),
  ]);
  ready.catch(() => undefined); // observed by callers that await it
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { pid: child.pid!, ready, exited, output, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
