import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../paths';
import { isPortOpen, logFileOf, startDetached, stopDetached, waitForPort } from './process';

export const TEMPORAL = { host: '127.0.0.1', port: 7233, uiPort: 8233 } as const;

export interface TemporalServerOptions {
  /** Process name for its pid and log files. */
  name: string;
  port: number;
  uiPort: number;
  /** Directory of its SQLite database. */
  dir: string;
  /** The codec server its UI asks to decode payloads (the API's, on this machine); none: ciphertext. */
  uiCodecEndpoint?: string;
}

/**
 * The API's codec server on this machine (`PORT`, default 3000): the dev server's UI shows pathway
 * payloads decrypted to whoever opens it here (TANDEM_CODEC_AUTH=loopback), and only here.
 */
export const devCodecEndpoint = (apiPort = Number(process.env.PORT ?? 3000)) => `http://${TEMPORAL.host}:${apiPort}/api/codec`;

const DEV_SERVER: TemporalServerOptions = {
  name: 'temporal',
  port: TEMPORAL.port,
  uiPort: TEMPORAL.uiPort,
  dir: join(dataDir, 'temporal'),
  uiCodecEndpoint: devCodecEndpoint(),
};

/**
 * The Temporal CLI dev server: a real Temporal server on SQLite, with the web UI built in. Other
 * options run another one beside it (the benchmark's, on a fresh database).
 */
export async function startTemporal(cli: string, o: TemporalServerOptions = DEV_SERVER): Promise<'started' | 'already-running'> {
  if (await isPortOpen(TEMPORAL.host, o.port)) return 'already-running';
  const dir = o.dir;
  mkdirSync(dir, { recursive: true });
  startDetached(o.name, cli, [
    'server',
    'start-dev',
    '--ip',
    TEMPORAL.host,
    '--port',
    String(o.port),
    '--ui-port',
    String(o.uiPort),
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
    ...(o.uiCodecEndpoint ? ['--ui-codec-endpoint', o.uiCodecEndpoint] : []),
  ]);
  await waitForPort('Temporal', TEMPORAL.host, o.port, 60_000, logFileOf(o.name));
  await waitForPort('Temporal UI', TEMPORAL.host, o.uiPort, 30_000, logFileOf(o.name));
  return 'started';
}

export function stopTemporal(name = DEV_SERVER.name): Promise<boolean> {
  return stopDetached(name);
}
