import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FieldRead } from '../src/step-ops';
import { STEP_OP_FIELDS } from '../src/step-ops';

/**
 * The typed contract of a step's writes (ADR 0014): `tandem_carry_out` in the migrated database
 * reads exactly the fields STEP_OP_FIELDS names, each the way it says — so a field renamed in
 * TypeScript but not in PL/pgSQL (or the other way round) fails here instead of writing NULL.
 */
let pool: Pool;
let source: string;
beforeAll(async () => {
  pool = new Pool({ connectionString: inject('databaseUrl'), max: 1 });
  source = (await pool.query<{ def: string }>(`SELECT pg_get_functiondef('tandem_carry_out'::regproc) AS def`)).rows[0]!.def;
});
afterAll(async () => {
  await pool?.end();
});

/** Each `WHEN '<kind>' THEN` branch of the function's CASE, by kind. */
function branches(def: string): Map<string, string> {
  const parts = def.split(/\n\s*WHEN '([a-z]+)' THEN/);
  const out = new Map<string, string>();
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i]!, parts[i + 1]!.split(/\n\s*ELSE\n/)[0]!);
  return out;
}

/** The fields a branch reads of `op`, with how. */
function reads(branch: string): Map<string, Set<FieldRead>> {
  const out = new Map<string, Set<FieldRead>>();
  const add = (f: string, how: FieldRead) => out.set(f, (out.get(f) ?? new Set()).add(how));
  for (const m of branch.matchAll(/\bop\s*->>\s*'([A-Za-z]+)'/g)) add(m[1]!, 'text');
  for (const m of branch.matchAll(/\bop\s*->\s*'([A-Za-z]+)'/g)) add(m[1]!, 'json');
  for (const m of branch.matchAll(/\bop\s*\?\s*'([A-Za-z]+)'/g)) add(m[1]!, 'present');
  return out;
}

describe('the step-write contract between step-ops.ts and tandem_carry_out', () => {
  it('has a branch for every operation and none besides', () => {
    expect([...branches(source).keys()].sort()).toEqual(Object.keys(STEP_OP_FIELDS).sort());
  });

  it.each(Object.entries(STEP_OP_FIELDS))('%s: the function reads exactly the declared fields, each as declared', (kind, fields) => {
    const branch = branches(source).get(kind)!;
    const found = reads(branch);
    expect([...found.keys()].sort()).toEqual(Object.keys(fields).sort());
    for (const [field, how] of Object.entries(fields as Record<string, FieldRead>)) {
      // A field read for presence is then read as text (the task it names).
      const expected = how === 'present' ? ['present', 'text'] : [how];
      expect([...found.get(field)!].sort(), `${kind}.${field}`).toEqual(expected);
    }
  });

  it('would catch a rename: a field read under another name is reported', () => {
    const renamed = branches(source).get('open')!.replace(`op->>'queue'`, `op->>'queueName'`);
    expect([...reads(renamed).keys()]).toContain('queueName');
    expect([...reads(renamed).keys()]).not.toContain('queue');
  });
});
