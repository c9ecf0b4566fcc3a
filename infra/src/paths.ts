import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (infra/src/paths.ts → ../..). */
export const repoRoot = resolve(__dirname, '..', '..');

/** Provisioned tools live outside the clone so fresh clones and CI reuse them. */
export const cacheDir = resolve(process.env.TANDEM_CACHE ?? join(homedir(), '.cache', 'tandem'));

/** Local service data, pid files and logs: per clone, survives restarts, ignored by git. */
export const stateDir = resolve(process.env.TANDEM_HOME ?? join(repoRoot, '.tandem'));

export const runDir = join(stateDir, 'run');
export const logDir = join(stateDir, 'logs');
export const dataDir = join(stateDir, 'data');
