import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RevisionChange } from '../src';
import { changesInForce, inForce, initialState, REVISION_CHANGES, REVISIONS, revisionsTable, RULES_REVISION } from '../src';

/**
 * Rules revisions live in one table (libs/domain/src/revisions/table.ts): what each revision changed,
 * by name. Rule bodies ask for a change by its name and never compare revision numbers, and
 * docs/rule-revisions.md shows the table as the code has it.
 */
const SRC = join(__dirname, '..', 'src');
const sources = (dir: string): Array<{ file: string; text: string }> =>
  readdirSync(join(SRC, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(join(SRC, dir, f), 'utf8') }));
const RULE_BODIES = [...sources('rules'), ...sources('pathway')];
const CHANGES = Object.keys(REVISION_CHANGES) as RevisionChange[];

describe('rules revisions', () => {
  it('no rule body compares revisions: they ask for a named change', () => {
    // `.revision` read and compared, a revision constant compared, or the old helpers (isRev4, d.rev5).
    const comparison = /\.revision\b[^;\n]*[<>=]=?|[<>]=?\s*\w*REVISION\b|\w*REVISION\s*[<>]=?|\bisRev\d|\.rev\d\b/;
    const found = RULE_BODIES.flatMap(({ file, text }) =>
      text.split('\n').flatMap((line, i) => (comparison.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//') ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it('the grep above would find a comparison (negative control)', () => {
    const comparison = /\.revision\b[^;\n]*[<>=]=?|[<>]=?\s*\w*REVISION\b|\w*REVISION\s*[<>]=?|\bisRev\d|\.rev\d\b/;
    for (const line of ['if ((s.revision ?? 3) >= 4) x();', 'const a = d.rev4 ? 1 : 2;', 'if (revision >= COMPACTION_REVISION) y();', 'isRev5(s)'])
      expect(comparison.test(line), line).toBe(true);
  });

  it('every change in the table is asked for by some rule or by the engine, and none is asked for that is not in it', () => {
    const asked = new Set<string>();
    const all = [...RULE_BODIES, ...sources('revisions')];
    for (const { text } of all) for (const m of text.matchAll(/(?:has|inForce\([^,]+,)\s*\(?\s*'([a-z0-9-]+)'/g)) asked.add(m[1]!);
    const workflow = readFileSync(join(__dirname, '..', '..', '..', 'workflows', 'src', 'patient-pathway.ts'), 'utf8');
    for (const m of workflow.matchAll(/inForce\([^,]+,\s*'([a-z0-9-]+)'/g)) asked.add(m[1]!);
    expect([...asked].filter((c) => !(c in REVISION_CHANGES))).toEqual([]);
    expect(CHANGES.filter((c) => !asked.has(c))).toEqual([]);
  });

  it('a revision has the changes of every earlier one and its own; a change is in force from its revision on', () => {
    for (const change of CHANGES) {
      const since = REVISION_CHANGES[change].revision;
      expect(since in REVISIONS, change).toBe(true);
      for (const r of Object.keys(REVISIONS).map(Number)) expect(inForce({ revision: r }, change), `${change} under ${r}`).toBe(r >= since);
    }
    // A state recorded before revisions existed runs under revision 3: no change is in force.
    expect(changesInForce({}).size).toBe(0);
    expect(changesInForce(initialState('pt-1')).size).toBe(CHANGES.length);
    expect(initialState('pt-1').revision).toBe(RULES_REVISION);
    expect(() => changesInForce({ revision: 99 })).toThrow(/unknown rules revision 99/);
  });

  it('docs/rule-revisions.md shows the table as the code has it', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'rule-revisions.md'), 'utf8');
    expect(/<!-- revisions -->\n([\s\S]*?)\n<!-- \/revisions -->/.exec(doc)?.[1]).toBe(revisionsTable());
    for (const change of CHANGES) expect(revisionsTable()).toContain(`\`${change}\``);
  });
});
