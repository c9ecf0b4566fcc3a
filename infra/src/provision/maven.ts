import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec';
import { step } from '../log';
import { cacheDir, repoRoot } from '../paths';

/**
 * Copies the runtime jars of infra/maven/<name>/pom.xml into the tool cache. A marker holding the
 * pom's hash makes it idempotent and re-provisions when the pom (e.g. a version) changes.
 */
export async function provisionMavenRuntime(name: string, label: string): Promise<string> {
  const pom = join(repoRoot, 'infra', 'maven', name, 'pom.xml');
  const hash = createHash('sha256').update(readFileSync(pom)).digest('hex').slice(0, 16);
  const target = join(cacheDir, 'maven', name, hash);
  const lib = join(target, 'lib');
  const marker = join(target, '.complete');
  if (existsSync(marker)) return lib;
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  await step(
    `Fetching ${label} from Maven Central`,
    () =>
      run('mvn', [
        '-B',
        '-q',
        '-f',
        pom,
        'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
        `-DoutputDirectory=${lib}`,
        '-DincludeScope=runtime',
      ]),
    { slowHint: 'first run only' },
  );
  writeFileSync(marker, new Date().toISOString());
  return lib;
}
