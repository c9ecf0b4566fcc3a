import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './paths';

/** One node process per service, with tsx as its loader: signals reach the service directly. */
const node = process.execPath;
const tsxLoader = ['--import', 'tsx'];
const colours = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m'];

/** Runs a TypeScript entry point to completion (migrations, topic creation), output passed through. */
export function runScript(entry: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [...tsxLoader, entry, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${entry} exited with ${code}`))));
  });
}

export interface Service {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Resolves when the service logs the line that says it is serving. */
  ready: Promise<void>;
}

/** Starts a long-running service with its output prefixed by its name. */
export function startService(name: string, entry: string, env: NodeJS.ProcessEnv, index: number, readyLine: RegExp, args: readonly string[] = []): Service {
  const child = spawn(node, [...tsxLoader, entry, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tty = process.stdout.isTTY;
  const prefix = tty ? `${colours[index % colours.length]}[${name}]\x1b[0m ` : `[${name}] `;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(`${prefix}${line}\n`);
      if (readyLine.test(line)) markReady();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, child, exited, ready };
}

export async function stopServices(services: Service[], graceMs = 15_000): Promise<void> {
  await Promise.all(
    services.map(async (s) => {
      if (s.child.exitCode !== null) return;
      s.child.kill('SIGTERM');
      const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs);
      await s.exited;
      clearTimeout(timer);
    }),
  );
}
