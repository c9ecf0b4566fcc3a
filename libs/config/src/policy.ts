import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { TandemConfig } from './loader';
import { ConfigError } from './loader';
import type { ResolvedPolicy } from '@tandem/domain';
import { DEFAULT_POLICY, parsePolicy } from '@tandem/domain';

/**
 * The pathway policy for new pathways: the built-in defaults, or TANDEM_POLICY merged over them.
 * Here, beside the settings, so every service reads it without the worker's activity SDK or pg.
 */
export function loadPathwayPolicy(config: Pick<TandemConfig, 'policy'>): ResolvedPolicy {
  if (!config.policy.file) return { policy: DEFAULT_POLICY, timeScale: config.policy.timeScale };
  let document: unknown;
  try {
    document = parse(readFileSync(config.policy.file, 'utf8'));
  } catch (e) {
    throw new ConfigError([`TANDEM_POLICY: cannot read ${config.policy.file}: ${(e as Error).message.split('\n')[0]}`]);
  }
  const parsed = parsePolicy(document);
  if (!parsed.ok) throw new ConfigError(parsed.problems.map((p) => `TANDEM_POLICY ${p}`));
  return { policy: parsed.policy, timeScale: config.policy.timeScale };
}
