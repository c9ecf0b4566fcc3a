import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tandem/config';
import { DEFAULT_POLICY } from '@tandem/domain';
import { loadPathwayPolicy } from '@tandem/config/policy';

const dir = mkdtempSync(join(tmpdir(), 'tandem-policy-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const load = (path: string | undefined, timeScale = 1) => loadPathwayPolicy({ policy: { file: path, timeScale } });

describe('TANDEM_POLICY', () => {
  it('uses the built-in defaults when unset, with the time scale', () => {
    expect(load(undefined, 86_400)).toEqual({ policy: DEFAULT_POLICY, timeScale: 86_400 });
  });

  it('merges a site YAML file over the defaults', () => {
    const path = file('site.yaml', '# weekly PROMs during therapy\nversion: site-7\nproms:\n  intervalDuringSystemicTherapy: P7D\n');
    const { policy } = load(path);
    expect(policy.version).toBe('site-7');
    expect(policy.proms.intervalDuringSystemicTherapy).toBe('P7D');
    expect(policy.proms.interval).toBe(DEFAULT_POLICY.proms.interval);
  });

  it.each([
    ['an invalid duration', 'proms:\n  interval: monthly\n', /TANDEM_POLICY proms\.interval: expected an ISO-8601 duration/],
    ['an unknown key', 'prom:\n  interval: P7D\n', /TANDEM_POLICY .*Unrecognized key/],
    ['broken YAML', 'proms: [unclosed\n', /TANDEM_POLICY: cannot read/],
  ])('refuses %s with a message naming the setting and the problem', (_name, text, message) => {
    expect(() => load(file(`bad-${Math.random()}.yaml`, text))).toThrow(ConfigError);
    try {
      load(file(`bad2-${Math.random()}.yaml`, text));
    } catch (e) {
      expect((e as ConfigError).problems.join('\n')).toMatch(message);
    }
  });

  it('refuses a missing file', () => {
    expect(() => load(join(dir, 'nope.yaml'))).toThrow(/TANDEM_POLICY: cannot read/);
  });
});
