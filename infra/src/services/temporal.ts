import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../paths';
import { isPortOpen, logFileOf, startDetached, stopDetached, waitForPort } from './process';

export const TEMPORAL = { host: '127.0.0.1', port: 7233, uiPort: 8233 } as const;

/** The Temporal CLI dev server: a real Temporal server on SQLite, with the web UI built in. */
export async function startTemporal(cli: string): Promise<'started' | 'already-running'> {
  if (await isPortOpen(TEMPORAL.host, TEMPORAL.port)) return 'already-running';
  const dir = join(dataDir, 'temporal');
  mkdirSync(dir, { recursive: true });
  startDetached('temporal', cli, [
    'server',
    'start-dev',
    '--ip',
    TEMPORAL.host,
    '--port',
    String(TEMPORAL.port),
    '--ui-port',
    String(TEMPORAL.uiPort),
    '--db-filename',
    join(dir, 'temporal.db'),
    // Write-ahead log with fsync at checkpoints: survives a crashed process (not a power cut) and
    // multiplies the local server's throughput (docs/benchmarks.md).
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    '--namespace',
    'default',
    '--log-level',
    'warn',
  ]);
  await waitForPort('Temporal', TEMPORAL.host, TEMPORAL.port, 60_000, logFileOf('temporal'));
  await waitForPort('Temporal UI', TEMPORAL.host, TEMPORAL.uiPort, 30_000, logFileOf('temporal'));
  return 'started';
}

export function stopTemporal(): Promise<boolean> {
  return stopDetached('temporal');
}
