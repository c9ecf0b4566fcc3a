import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { info } from './log';
import { repoRoot } from './paths';
import { provisionAll, provisionChromium, provisionSchemathesis } from './provision';

/**
 * `npm test`: provision the tools (so the first run's slow steps show progress here, not as a
 * test-setup timeout), then lint, typecheck and every vitest project. Test setup starts the real
 * local services it needs and stops the ones it started.
 */
function run(label: string, command: string, args: string[]): void {
  const started = Date.now();
  info(`${label} ...`);
  const r = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } });
  if (r.status !== 0) {
    info(`${label}: FAILED`);
    process.exit(r.status ?? 1);
  }
  info(`${label}: passed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** The browser code's own tsconfigs (checkJs, DOM types). */
const BROWSER_PROJECTS = ['apps/console/public/tsconfig.json', 'apps/prom-page/public/tsconfig.json'];

async function main(): Promise<void> {
  const started = Date.now();
  // Each slow provisioning step reports its own progress; cached tools return at once.
  await provisionAll();
  await provisionChromium();
  await provisionSchemathesis();
  const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);
  run('Computing the Nx project graph', bin('nx'), ['show', 'projects', '--json']);
  run('Lint (ESLint, type-aware, module boundaries)', bin('eslint'), ['.', '--max-warnings', '0']);
  run('Typecheck (tsc, strict)', bin('tsc'), ['-p', 'tsconfig.json']);
  // The browser code (console and PROM page) is JavaScript checked by tsc, with types shared from the API.
  for (const project of BROWSER_PROJECTS) run(`Typecheck browser code (${project})`, bin('tsc'), ['-p', project]);
  run('Rule coverage (every docs/clinical-rules.md rule has a test)', process.execPath, ['--import', 'tsx', 'infra/src/rules-coverage.ts', '--quiet']);
  run('JSON Schemas in docs/schemas are up to date', process.execPath, ['--import', 'tsx', 'infra/src/schemas.ts', '--check']);
  run('docs/clinical-rules.md is up to date with the rule catalogue', process.execPath, ['--import', 'tsx', 'infra/src/clinical-rules.ts', '--check']);
  run('docs/measures.md is up to date with the measure catalogue', process.execPath, ['--import', 'tsx', 'infra/src/measures-doc.ts', '--check']);
  run('Tests (unit, workflow, integration)', bin('vitest'), ['run', ...process.argv.slice(2)]);
  info(`all checks passed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

main().catch((e: unknown) => {
  process.stderr.write(`tandem: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
