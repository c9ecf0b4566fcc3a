// The entry point of the README's commands. Plain Node with no dependencies, so it can run on a
// fresh clone: it installs npm dependencies when they are missing or stale, then hands over to
// the TypeScript tooling (tsx) for the real work.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [command, ...rest] = process.argv.slice(2);

function sh(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  if (r.error) {
    console.error(`tandem: could not run ${cmd}: ${r.error.message}`);
    process.exit(1);
  }
  return r.status ?? 1;
}

function ensureDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('tandem: installing npm dependencies from package-lock.json (npm ci) ...');
  const started = Date.now();
  // `npm ci` installs exactly the committed lock and never rewrites it, so a fresh clone stays
  // clean. The lock lists every platform's optional packages; should it ever not (a lock written
  // with other npm settings), `npm ci` refuses it and `npm install` completes it instead — then
  // `git status` shows the lock changed, and the completed lock is what to commit.
  if (sh('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']) !== 0) {
    console.log('tandem: npm ci refused package-lock.json (out of sync with package.json?); running npm install, which may update it ...');
    if (sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']) !== 0) {
      console.error('tandem: npm install failed; see the output above.');
      process.exit(1);
    }
  }
  console.log(`tandem: npm dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

// tsx as a loader inside one node process (not the tsx CLI, which adds a relaying parent process),
// so signals reach the code that handles them.
const node = process.execPath;
const tsxLoader = ['--import', 'tsx'];
const scripts = {
  start: ['infra/src/start.ts'],
  test: ['infra/src/test.ts'],
  'infra:up': ['infra/src/cli.ts', 'up'],
  'infra:down': ['infra/src/cli.ts', 'down'],
  provision: ['infra/src/cli.ts', 'provision'],
  'bench:ingest': ['apps/bench/src/main.ts'],
  'bench:measures': ['apps/bench/src/measures/main.ts'],
  'bench:scale': ['apps/bench/src/scale/main.ts'],
};
if (command === 'install') {
  // Dependencies only (used by the fresh-install test and by anyone who wants just this step).
  ensureDependencies();
  process.exit(0);
}
if (!scripts[command]) {
  console.error(`tandem: unknown command ${command}; expected one of install, ${Object.keys(scripts).join(', ')}`);
  process.exit(2);
}
ensureDependencies();
// Hand over to tsx. A terminal's Ctrl-C reaches the child too (same process group); a signal sent
// to this process alone (a supervisor's SIGTERM) is forwarded so the child can shut down cleanly.
const child = spawn(node, [...tsxLoader, ...scripts[command], ...rest], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
