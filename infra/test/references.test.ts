import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/paths';

/**
 * Every reference in the code and the docs leads somewhere the repository has: a file named by
 * its path, a Markdown link and its heading, a section of docs/contract.md or docs/clinical-rules.md,
 * an ADR by number, a document named in capitals (README.md). A reader must never be sent to a
 * file that lives elsewhere.
 */
const TEXT = /\.(ts|js|mjs|md|sql|yaml|yml|toml|json|html|css|sh)$|(^|\/)(run|Dockerfile)$|\.Dockerfile$/;
const SKIP = /^(package-lock\.json|docs\/schemas\/|test-results\/|infra\/test\/references\.test\.ts$)|\/fixtures?\/|workflows\/test\/histories\//;

function trackedTextFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  return out
    .split('\n')
    .filter((f) => f && TEXT.test(f) && !SKIP.test(f) && existsSync(join(repoRoot, f)));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens; a repeated one gets -1, -2, … */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  return new Set(
    headings(file).map((h) => {
      const s = slug(h);
      const n = seen.get(s) ?? 0;
      seen.set(s, n + 1);
      return n === 0 ? s : `${s}-${n}`;
    }),
  );
}

const headingsCache = new Map<string, string[]>();
function headings(file: string): string[] {
  if (!headingsCache.has(file))
    headingsCache.set(
      file,
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => /^#{1,6} /.test(l))
        .map((l) => l.replace(/^#+ /, '')),
    );
  return headingsCache.get(file)!;
}

interface Problem {
  file: string;
  line: number;
  reference: string;
}

/**
 * A path as written: from the file's own folder or one above it (`rules/closure.ts` from inside
 * libs/domain/src), from the repository's root, or inside an npm package (`echarts/package.json`).
 */
function resolves(from: string, path: string): string | undefined {
  const bases = [repoRoot, join(repoRoot, 'node_modules')];
  for (let dir = dirname(join(repoRoot, from)); dir.startsWith(repoRoot) && dir !== repoRoot; dir = dirname(dir)) bases.unshift(dir);
  for (const base of bases) {
    const full = normalize(join(base, path));
    if (existsSync(full)) return full;
  }
  return undefined;
}

/** The references in `text`, read as the contents of `file`, that lead nowhere. */
function problemsOf(file: string, text: string): Problem[] {
  const problems: Problem[] = [];
  const lines = text.split('\n');
  const contract = join(repoRoot, 'docs', 'contract.md');
  const rules = join(repoRoot, 'docs', 'clinical-rules.md');
  lines.forEach((text, i) => {
    const miss = (reference: string) => problems.push({ file, line: i + 1, reference });
    // Markdown links to files of the repository, and the heading they name.
    for (const m of text.matchAll(/\]\(([\w.][\w./%-]*(?:#[\w-]+)?)\)/g)) {
      const target = m[1]!;
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const full = resolves(file, decodeURI(path));
      if (!full) miss(target);
      else if (anchor && full.endsWith('.md') && !anchors(full).has(anchor)) miss(target);
    }
    // Paths written out: folder/file.ext (not a URL's path, not a pattern with placeholders).
    for (const m of text.matchAll(/(?<![\w/.@:<*{$-])((?:\.\.?\/)*(?:[\w.-]+\/)+[\w.-]+\.(?:md|ts|js|mjs|sql|json|yaml|yml|toml|sh))(?![\w/*<{-])/g)) {
      const path = m[1]!;
      if (/^(node_modules|dist|\.tandem|\.nx|test-results)\//.test(path) || path.startsWith('~')) continue;
      if (!resolves(file, path)) miss(path);
    }
    // Documents named in capitals: README.md, CONTRACT.md, …
    for (const m of text.matchAll(/(?<![\w/.-])([A-Z][A-Z_]+\.md)\b/g)) if (!resolves(file, m[1]!) && !existsSync(join(repoRoot, 'docs', m[1]!))) miss(m[1]!);
    // Sections of the contract and of the clinical rules.
    for (const m of text.matchAll(/docs\/contract\.md sections? (\d+)(?: and (\d+))?/g))
      for (const n of [m[1], m[2]].filter(Boolean)) if (!headings(contract).some((h) => h.startsWith(`${n}. `))) miss(`docs/contract.md section ${n}`);
    for (const m of text.matchAll(/docs\/clinical-rules\.md (\d+(?:\.\d+)?[a-z]?)\b/g))
      if (!headings(rules).some((h) => h.startsWith(`${m[1]} `))) miss(`docs/clinical-rules.md ${m[1]}`);
    // Decisions by number.
    for (const m of text.matchAll(/\bADR (\d{4})\b/g)) if (!readdirSync(join(repoRoot, 'docs', 'adr')).some((f) => f.startsWith(`${m[1]}-`))) miss(`ADR ${m[1]}`);
  });
  return problems;
}

describe('references', () => {
  it('lead to files, headings and sections the repository has', () => {
    const files = trackedTextFiles();
    expect(files.length).toBeGreaterThan(300);
    const problems = files.flatMap((f) => problemsOf(f, readFileSync(join(repoRoot, f), 'utf8')));
    expect(problems.map((p) => `${p.file}:${p.line} → ${p.reference}`)).toEqual([]);
  });

  it('catch a reference to a missing file, heading or section', () => {
    const probe = 'docs/architecture.md';
    expect(statSync(join(repoRoot, probe)).isFile()).toBe(true);
    // Each kind of reference, written wrong, is reported; written right, it is not.
    for (const wrong of [
      'see CONTRACT.md',
      'see [the contract](contract.md#9-nothing)',
      'as in libs/db/src/no-such-file.ts',
      'docs/contract.md section 12',
      'docs/clinical-rules.md 2.99',
      'ADR 0999',
    ])
      expect(problemsOf(probe, wrong), wrong).toHaveLength(1);
    expect(problemsOf(probe, 'see [the contract](contract.md#6-http-api) and docs/contract.md section 6, ADR 0010')).toEqual([]);
  });
});
