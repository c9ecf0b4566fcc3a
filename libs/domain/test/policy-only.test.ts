import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, upgradePolicy } from '../src';

const rulesDir = join(__dirname, '..', 'src', 'rules');

describe('numbers live in the policy', () => {
  it.each(readdirSync(rulesDir).filter((f) => f.endsWith('.ts')))('%s has no inline ISO-8601 durations', (file) => {
    const code = readFileSync(join(rulesDir, file), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    expect(code.match(/'P(T?\d+[WDHMS])+'/g) ?? []).toEqual([]);
  });

  it('completes a policy carried by an older pathway with the keys added since', () => {
    const older = structuredClone(DEFAULT_POLICY) as Partial<typeof DEFAULT_POLICY> & { escalation: Partial<typeof DEFAULT_POLICY.escalation> };
    delete (older.escalation as { serviceLeadTask?: unknown }).serviceLeadTask;
    older.proms = { ...DEFAULT_POLICY.proms, interval: 'P14D' };
    const upgraded = upgradePolicy({ policy: older as typeof DEFAULT_POLICY, timeScale: 2 });
    expect(upgraded.policy.escalation.serviceLeadTask).toEqual(DEFAULT_POLICY.escalation.serviceLeadTask);
    expect(upgraded.policy.proms.interval).toBe('P14D');
    expect(upgraded.timeScale).toBe(2);
  });
});
