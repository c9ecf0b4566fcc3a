import { describe, expect, it } from 'vitest';
import type { Reason, RuleId } from '../src';
import { RULE_IDS } from '../src';

/**
 * A rule is named by a `RuleId` wherever it is named (a task's, notification's or fact's reason, the
 * rule helpers in libs/domain/src/rules/context.ts): a typo is a compile error, caught by `tsc` in `npm test`.
 */
describe('rule ids', () => {
  it('are the catalogue’s: a misspelt id does not compile', () => {
    const named: Reason = { rule: '2.1.enrolment.assign-key-worker', evidence: {} };
    // @ts-expect-error "asign" is not a catalogued rule id (tsc fails if this line ever compiles)
    const misspelt: Reason = { rule: '2.1.enrolment.asign-key-worker', evidence: {} };
    const ids: readonly string[] = RULE_IDS;
    expect(ids).toContain(named.rule);
    expect(ids).not.toContain(misspelt.rule);
    const everyOne: RuleId[] = [...RULE_IDS];
    expect(new Set(everyOne).size).toBe(RULE_IDS.length);
  });
});
