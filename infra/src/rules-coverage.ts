import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RULE_CATALOGUE, RULE_IDS } from '@tandem/domain';
import { repoRoot } from './paths';

/**
 * `npm run -s rules:coverage`: every rule id of the catalogue (docs/clinical-rules.md sections 2.1–2.11), where
 * the engine uses it and which tests exercise it. Fails if a rule has no test, if the engine uses
 * an id the catalogue lacks, or if a catalogued id is used nowhere.
 */
function files(dir: string, match: (f: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, match) : match(path) ? [path] : [];
  });
}

const source = files(join(repoRoot, 'libs', 'domain', 'src'), (f) => f.endsWith('.ts'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const tests = ['libs', 'workflows', 'apps', 'activities'].flatMap((d) => files(join(repoRoot, d), (f) => f.endsWith('.test.ts')));
const testText = tests.map((f) => ({ file: relative(repoRoot, f), lines: readFileSync(f, 'utf8').split('\n') }));

const usedInEngine = new Set([...source.matchAll(/'(2\.\d+\.[a-z0-9-]+\.[a-z0-9-]+)'/g)].map((m) => m[1]!));
// Template ids such as `2.10.consent.${scope}` expand to the catalogue's members of that family.
for (const m of source.matchAll(/`(2\.\d+\.[a-z0-9-]+)\.\$\{/g)) for (const id of RULE_IDS) if (id.startsWith(`${m[1]}.`)) usedInEngine.add(id);

const problems: string[] = [];
const rows = RULE_IDS.map((id) => {
  // The id as a whole word: 2.3.needs.delirium does not count for 2.3.needs.delirium-extra.
  const pattern = new RegExp(`(?<![\\w.-])${id.replace(/\./g, '\\.')}(?![\\w-])`);
  const where = testText.flatMap(({ file, lines }) => lines.flatMap((l, i) => (pattern.test(l) ? [`${file}:${i + 1}`] : [])));
  if (where.length === 0) problems.push(`${id} has no test`);
  if (!usedInEngine.has(id) && !source.includes(id)) problems.push(`${id} is catalogued but the engine never uses it`);
  return { id, summary: RULE_CATALOGUE[id], where };
});
for (const id of usedInEngine) if (!(id in RULE_CATALOGUE)) problems.push(`${id} is used by the engine but missing from the catalogue`);

const quiet = process.argv.includes('--quiet');
for (const r of quiet ? [] : rows) {
  process.stdout.write(`${r.where.length ? 'ok  ' : 'NONE'} ${r.id.padEnd(38)} ${r.summary}\n`);
  for (const w of r.where.slice(0, 3)) process.stdout.write(`       ${w}\n`);
  if (r.where.length > 3) process.stdout.write(`       … and ${r.where.length - 3} more\n`);
}
const covered = rows.filter((r) => r.where.length > 0).length;
process.stdout.write(`\n${covered}/${rows.length} rules exercised by tests (${tests.length} test files read)\n`);
if (problems.length) {
  process.stderr.write(`\nrules:coverage FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exitCode = 1;
}
