import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec';
import { step } from '../log';
import { cacheDir } from '../paths';

/** The API fuzzer of apps/e2e/test/api-fuzz.int.test.ts, from PyPI, pinned. */
export const SCHEMATHESIS_VERSION = '4.32.5';

const venv = () => join(cacheDir, `schemathesis-${SCHEMATHESIS_VERSION}`);

/** The `st` command of the cached virtual environment. */
export function schemathesisPath(): string {
  return join(venv(), 'bin', 'st');
}

/** Installs schemathesis into its own virtual environment in the cache, once (needs python3 with venv). */
export async function provisionSchemathesis(): Promise<string> {
  const bin = schemathesisPath();
  if (existsSync(bin)) return bin;
  const python = process.env.PYTHON ?? 'python3';
  await step(
    `Installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${venv()}`,
    async () => {
      try {
        await run(python, ['-m', 'venv', venv()]);
        await run(join(venv(), 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`]);
      } catch (e) {
        // A half-made environment would pass the existsSync check next time.
        rmSync(venv(), { recursive: true, force: true });
        throw new Error(`installing schemathesis needs ${python} with its venv module and access to PyPI: ${(e as Error).message}`);
      }
    },
    { slowHint: 'first run only, about 30 seconds' },
  );
  return bin;
}
