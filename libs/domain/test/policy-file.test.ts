import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parsePolicy, pathwayPolicySchema } from '../src';

const file = join(__dirname, '..', 'policy', 'default-policy.yaml');

describe('the shipped default policy file', () => {
  it('is exactly DEFAULT_POLICY, so the readable file and the code never drift', () => {
    const document = parse(readFileSync(file, 'utf8')) as unknown;
    expect(pathwayPolicySchema.parse(document)).toEqual(DEFAULT_POLICY);
  });

  it('is a valid site override of itself', () => {
    expect(parsePolicy(parse(readFileSync(file, 'utf8')))).toEqual({ ok: true, policy: DEFAULT_POLICY });
  });
});
