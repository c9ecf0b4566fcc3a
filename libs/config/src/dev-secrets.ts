import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevSecrets {
  payloadKey: string;
  authSecret: string;
}

/**
 * Development secrets, generated once and kept in TANDEM_HOME so that every local service
 * (worker, bridge, API, tests) encrypts and signs with the same keys across restarts.
 * Never used when NODE_ENV=production.
 */
export function loadOrCreateDevSecrets(home: string): DevSecrets {
  const file = join(home, 'dev-secrets.json');
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>;
    if (typeof parsed.payloadKey === 'string' && typeof parsed.authSecret === 'string') {
      return { payloadKey: parsed.payloadKey, authSecret: parsed.authSecret };
    }
  } catch {
    // missing or unreadable: generate below
  }
  const secrets: DevSecrets = {
    payloadKey: `dev-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}`,
    authSecret: randomBytes(48).toString('base64url'),
  };
  mkdirSync(home, { recursive: true });
  // 'wx' loses a creation race gracefully: another process wrote first, so read theirs.
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
    return secrets;
  } catch {
    return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  }
}
