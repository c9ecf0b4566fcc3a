import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The write function lives in one file (libs/db/migrations/R__carry_out.sql), never copied into a numbered migration. */
describe('tandem_carry_out', () => {
  it('is defined in exactly one migration file, the repeatable one', () => {
    const dir = join(__dirname, '..', 'migrations');
    const defining = readdirSync(dir).filter((f) => /CREATE\s+(OR\s+REPLACE\s+)?FUNCTION\s+tandem_carry_out\b/i.test(readFileSync(join(dir, f), 'utf8')));
    expect(defining).toEqual(['R__carry_out.sql']);
  });
});
