import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { repoRoot } from './paths';

/** Writes a generated document, or with `--check` fails (exit code 1) when the file differs from it. */
export function writeOrCheck(path: string, text: string, source: string, command: string): void {
  const name = relative(repoRoot, path);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current !== text) {
      process.stderr.write(`${name} is out of date with ${source}; run ${command}\n`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(path, text);
  process.stdout.write(`wrote ${name}\n`);
}
