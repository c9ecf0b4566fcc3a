import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DATABASE_SERVICES, EMBEDDED_DATABASE_URL, loadConfig, serviceUrlSetting } from '../src';

const home = () => mkdtempSync(join(tmpdir(), 'tandem-config-'));
const key = `k1:${randomBytes(32).toString('base64')}`;
const base = () => ({ TANDEM_HOME: home() });

/** A production environment that starts: the owner, each service's own role, a payload key and an auth method. */
const production = (): Record<string, string> => ({
  ...base(),
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://o:p@db:5432/t',
  ...Object.fromEntries(DATABASE_SERVICES.map((s) => [serviceUrlSetting(s), `postgresql://tandem_${s}:pw@db:5432/t`])),
  TANDEM_PAYLOAD_KEY: key,
  TANDEM_AUTH_SECRET: 'x'.repeat(40),
});

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults (docs/contract.md section 1) when nothing is set', () => {
    const c = loadConfig(base());
    expect(c.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'tandem-pathway' });
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.database).toMatchObject({ url: EMBEDDED_DATABASE_URL, ssl: false, embedded: true });
    expect(c.http.port).toBe(3000);
    expect(c.policy).toEqual({ file: undefined, timeScale: 1 });
    expect(c.auth.secret?.length).toBeGreaterThanOrEqual(32);
    expect(c.payload.currentKey.key).toHaveLength(32);
  });

  it('generates development secrets once and reuses them, so every local service agrees', () => {
    const env = base();
    const a = loadConfig(env);
    const b = loadConfig(env);
    expect(b.payload.currentKey.id).toBe(a.payload.currentKey.id);
    expect(b.auth.secret).toBe(a.auth.secret);
  });

  it('reads every setting', () => {
    const c = loadConfig({
      ...base(),
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'care',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      DATABASE_URL: 'postgres://u:p@db:5432/tandem',
      PORT: '8080',
      TANDEM_POLICY: 'site-policy.yaml',
      TANDEM_TIME_SCALE: '86400',
      TANDEM_AUTH_SECRET: 'x'.repeat(40),
      TANDEM_PAYLOAD_KEY: key,
    });
    expect(c.temporal.address).toBe('temporal:7233');
    expect(c.temporal.namespace).toBe('care');
    expect(c.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(c.database).toMatchObject({ url: 'postgres://u:p@db:5432/tandem', embedded: false });
    expect(c.http.port).toBe(8080);
    expect(c.policy.file).toMatch(/site-policy\.yaml$/);
    expect(c.policy.timeScale).toBe(86400);
    expect(c.auth.secret).toBe('x'.repeat(40));
    expect(c.payload.currentKey.id).toBe('k1');
  });

  it("points PROM links at the API's own port when TANDEM_PUBLIC_URL is unset", () => {
    expect(loadConfig(base()).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ ...base(), PORT: '3900' }).publicUrl).toBe('http://localhost:3900');
    expect(loadConfig({ ...base(), PORT: '3900', TANDEM_PUBLIC_URL: 'https://tandem.example.org/' }).publicUrl).toBe('https://tandem.example.org');
  });

  it("reads the worker's workflow cache size, unset by default (the SDK's own, from the heap)", () => {
    expect(loadConfig(base()).worker.maxCachedWorkflows).toBeUndefined();
    expect(loadConfig({ ...base(), TANDEM_WORKER_MAX_CACHED_WORKFLOWS: '5000' }).worker.maxCachedWorkflows).toBe(5000);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...base(), KAFKA_BROKERS: '', PORT: '' }).http.port).toBe(3000);
  });

  it.each([
    ['KAFKA_BROKERS', 'localhost', /^KAFKA_BROKERS expected comma-separated host:port pairs/],
    ['KAFKA_BROKERS', 'k1:9092,,bad', /^KAFKA_BROKERS expected comma-separated host:port pairs/],
    ['TEMPORAL_ADDRESS', 'http://temporal', /^TEMPORAL_ADDRESS expected host:port/],
    ['PORT', 'eighty', /^PORT /],
    ['PORT', '70000', /^PORT /],
    ['DATABASE_URL', 'mysql://db/tandem', /^DATABASE_URL expected a postgres/],
    ['TANDEM_TIME_SCALE', '0', /^TANDEM_TIME_SCALE expected a positive number/],
    ['TANDEM_TIME_SCALE', 'fast', /^TANDEM_TIME_SCALE /],
    ['TANDEM_AUTH_SECRET', 'short', /^TANDEM_AUTH_SECRET must be at least 32 characters/],
    ['NODE_ENV', 'staging', /^NODE_ENV /],
    ['TANDEM_PAYLOAD_KEY', 'k1:c2hvcnQ=', /^TANDEM_PAYLOAD_KEY: key must be 32 bytes/],
    ['TANDEM_PAYLOAD_KEY', 'no-separator', /^TANDEM_PAYLOAD_KEY: expected <keyId>:<base64/],
    ['TANDEM_WORKER_MAX_CACHED_WORKFLOWS', 'many', /^TANDEM_WORKER_MAX_CACHED_WORKFLOWS expected a whole number/],
    ['TANDEM_WORKER_MAX_CACHED_WORKFLOWS', '1.5', /^TANDEM_WORKER_MAX_CACHED_WORKFLOWS expected a whole number/],
    ['TANDEM_WORKER_MAX_CACHED_WORKFLOWS', '0', /^TANDEM_WORKER_MAX_CACHED_WORKFLOWS at least 2/],
    ['TANDEM_WORKER_MAX_CACHED_WORKFLOWS', '-5', /^TANDEM_WORKER_MAX_CACHED_WORKFLOWS at least 2/],
  ])('names the bad setting %s=%s in a readable message', (name, value, message) => {
    const found = problems({ ...base(), [name]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('never echoes key material in its messages', () => {
    const secretish = 'k1:' + 'A'.repeat(20);
    const [message] = problems({ ...base(), TANDEM_PAYLOAD_KEY: secretish });
    expect(message).not.toContain('A'.repeat(20));
  });

  it('refuses time scaling and generated secrets in production', () => {
    const found = problems({ NODE_ENV: 'production', TANDEM_TIME_SCALE: '86400' });
    expect(found).toEqual(
      expect.arrayContaining([
        'TANDEM_TIME_SCALE is refused when NODE_ENV=production (must be 1)',
        'TANDEM_PAYLOAD_KEY is required when NODE_ENV=production',
        'DATABASE_URL is required when NODE_ENV=production',
      ]),
    );
  });

  it('keeps old payload keys for decryption after rotation', () => {
    const old = `k0:${randomBytes(32).toString('base64')}`;
    const c = loadConfig({ ...base(), TANDEM_PAYLOAD_KEY: key, TANDEM_PAYLOAD_OLD_KEYS: old });
    expect(c.payload.decryptionKeys.map((k) => k.id)).toEqual(['k1', 'k0']);
  });
});

describe('database roles and the codec server', () => {
  it('connects each service as its own role: on the embedded cluster by default, else as set (or DATABASE_URL)', () => {
    const embedded = loadConfig(base());
    expect(new URL(embedded.database.url).username).toBe('tandem');
    expect(Object.fromEntries(Object.entries(embedded.database.services).map(([s, url]) => [s, new URL(url).username]))).toEqual({
      api: 'tandem_api',
      worker: 'tandem_worker',
      bridge: 'tandem_bridge',
      notifier: 'tandem_notifier',
    });
    const elsewhere = loadConfig({ ...base(), DATABASE_URL: 'postgresql://owner:pw@db:5432/t', API_DATABASE_URL: 'postgresql://api:pw2@db:5432/t' });
    expect(elsewhere.database.services.api).toBe('postgresql://api:pw2@db:5432/t');
    expect(elsewhere.database.services.worker).toBe('postgresql://owner:pw@db:5432/t');
  });

  it('refuses to start in production without every service URL, naming each one missing and no value', () => {
    const owner = 'postgresql://owner:owner-s3cret@db:5432/t';
    // An empty value is unset (as a compose file's `${API_DATABASE_URL:-}` gives).
    const found = problems({ ...production(), DATABASE_URL: owner, API_DATABASE_URL: '', NOTIFIER_DATABASE_URL: '' });
    expect(found).toEqual([
      'API_DATABASE_URL is required when NODE_ENV=production: each service connects as its own role, never as the owner (ADR 0015)',
      'NOTIFIER_DATABASE_URL is required when NODE_ENV=production: each service connects as its own role, never as the owner (ADR 0015)',
    ]);
    expect(found.join('\n')).not.toContain('s3cret');
    expect(loadConfig(production()).database.services).toEqual({
      api: 'postgresql://tandem_api:pw@db:5432/t',
      worker: 'postgresql://tandem_worker:pw@db:5432/t',
      bridge: 'postgresql://tandem_bridge:pw@db:5432/t',
      notifier: 'postgresql://tandem_notifier:pw@db:5432/t',
    });
  });

  it("falls back to the owner's DATABASE_URL outside production, so development keeps one URL", () => {
    const owner = 'postgresql://owner:pw@db:5432/t';
    for (const NODE_ENV of ['development', 'test']) {
      expect(Object.values(loadConfig({ ...base(), NODE_ENV, DATABASE_URL: owner }).database.services)).toEqual([owner, owner, owner, owner]);
    }
  });

  it('answers this machine only in development, an admin token in production, unless set', () => {
    expect(loadConfig(base()).codec).toEqual({ auth: 'loopback', corsOrigins: ['http://127.0.0.1:8233', 'http://localhost:8233'] });
    expect(loadConfig(production()).codec).toEqual({ auth: 'token', corsOrigins: [] });
    expect(loadConfig({ ...base(), TANDEM_CODEC_CORS_ORIGINS: 'https://ui.example.org, https://ui2.example.org' }).codec.corsOrigins).toEqual([
      'https://ui.example.org',
      'https://ui2.example.org',
    ]);
    expect(() => loadConfig({ ...base(), TANDEM_CODEC_AUTH: 'open' })).toThrow(ConfigError);
  });
});
