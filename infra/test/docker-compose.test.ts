import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig, SERVICE_ROLES } from '@tandem/config';
import { repoRoot } from '../src/paths';

/**
 * No Docker engine runs on this machine kind, so docker-compose.yml is checked statically:
 * the services the issue names, the documented ports (docs/contract.md section 1), and app environments that the config
 * loader itself accepts.
 */
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number>;
  ports?: string[];
  depends_on?: Record<string, unknown> | string[];
  deploy?: { replicas?: number };
  command?: string[];
}
const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const appServices = ['worker', 'kafka-bridge', 'api', 'notifier'] as const;
/** Host ports, from `HOST:CONTAINER` or `IP:HOST:CONTAINER`. */
const published = (s: ComposeService) => (s.ports ?? []).map((p) => Number(String(p).split(':').slice(-2)[0]));

/** The secrets a trial passes (docs/development.md, "Docker"), generated, as `${NAME:?…}` requires them. */
const secrets = { TANDEM_PAYLOAD_KEY: `k1:${randomBytes(32).toString('base64')}`, TANDEM_AUTH_SECRET: randomBytes(48).toString('base64') };
/** Resolves `${NAME:-default}` the way compose does when NAME is unset, and `${NAME:?…}` from the given secrets (unset: compose refuses). */
const withDefaults = (env: Record<string, string | number>, given: Record<string, string> = secrets) =>
  Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      k,
      String(v)
        .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
        .replace(/\$\{([A-Z_]+):\?[^}]*\}/g, (_m, name: string) => {
          if (given[name] === undefined) throw new Error(`compose refuses to start: ${name} is required`);
          return given[name];
        }),
    ]),
  );

describe('docker-compose.yml', () => {
  it('runs Temporal on PostgreSQL with its UI, Kafka in KRaft mode, PostgreSQL, the mail catcher and the four Tandem services', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'kafka',
      'kafka-bridge',
      'mail',
      'migrate',
      'notifier',
      'postgresql',
      'temporal',
      'temporal-ui',
      'worker',
    ]);
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services['temporal-ui']!.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(services.kafka!.environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller' });
    expect(services.kafka!.environment).not.toHaveProperty('KAFKA_ZOOKEEPER_CONNECT');
  });

  it('runs two replicas of the kafka-bridge and the worker, which publish no host port (docs/scaling.md)', () => {
    for (const name of ['kafka-bridge', 'worker']) {
      expect(services[name]!.deploy?.replicas, name).toBe(2);
      expect(published(services[name]!), name).toEqual([]);
    }
  });

  it('publishes the API on the host’s loopback only', () => {
    expect(services.api!.ports).toEqual(['127.0.0.1:3000:3000']);
  });

  it('issue 26 finding 4: binds every published port (PostgreSQL, Temporal, its UI, Kafka, mail) to the host’s loopback only', () => {
    const ports = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, String(p)] as const));
    expect(ports.length).toBeGreaterThanOrEqual(6);
    for (const [name, port] of ports) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('issue 26 finding 4: refuses to start without the payload key and the token secret (no default secret)', () => {
    const text = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    for (const name of ['TANDEM_PAYLOAD_KEY', 'TANDEM_AUTH_SECRET']) {
      expect(text).toMatch(new RegExp(`\\$\\{${name}:\\?[^}]+\\}`));
      expect(text).not.toMatch(new RegExp(`\\$\\{${name}:?-`));
      for (const app of appServices) expect(() => withDefaults(services[app]!.environment!, { ...secrets, [name]: undefined! }), app).toThrow(`${name} is required`);
    }
  });

  it('publishes the ports of docs/contract.md section 1: API 3000, Temporal 7233, Temporal UI 8233, Kafka 9092', () => {
    expect(published(services.api!)).toContain(3000);
    expect(published(services.temporal!)).toContain(7233);
    expect(published(services['temporal-ui']!)).toContain(8233);
    expect(published(services.kafka!)).toContain(9092);
  });

  it('migrates as the owner before the services start', () => {
    const migrate = services.migrate!;
    expect(migrate.command).toEqual(['node', '--import', 'tsx', 'libs/db/src/cli/migrate.ts', '--dev-logins']);
    expect(new URL(withDefaults(migrate.environment!).DATABASE_URL!).username).toBe('tandem');
  });

  it.each(appServices)('builds %s from a Dockerfile in infra/ whose entry point exists', (name) => {
    const build = services[name]!.build!;
    expect(build.dockerfile).toMatch(/^infra\/docker\//);
    const dockerfile = readFileSync(join(repoRoot, build.dockerfile), 'utf8');
    const entry = /CMD \[.*"(apps\/[^"]+\.ts)"\]/.exec(dockerfile)?.[1];
    expect(entry).toBe(`apps/${name}/src/main.ts`);
    expect(existsSync(join(repoRoot, entry!))).toBe(true);
    // Every workspace manifest must be copied before `npm ci`, or the lockfile does not match.
    const workspaces = (JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { link?: boolean }> }).packages;
    const manifests = Object.entries(workspaces)
      .filter(([path, p]) => path.startsWith('node_modules/@tandem/') && p.link)
      .map(([path]) => path);
    const copied = [...dockerfile.matchAll(/^COPY (\S+)\/package\.json /gm)].map((m) => m[1]);
    expect(copied.length).toBe(manifests.length);
  });

  it.each(appServices)('gives %s settings that reach the compose services and that the config loader accepts', (name) => {
    const env = withDefaults(services[name]!.environment!);
    expect(env).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', KAFKA_BROKERS: 'kafka:9092', DATABASE_URL: expect.stringMatching(/@postgresql:5432\//) });
    const config = loadConfig(env);
    expect(config.database.embedded).toBe(false);
    // Its own role, not the owner's (ADR 0015); it starts only once the migrations ran as the owner.
    const service = name === 'kafka-bridge' ? 'bridge' : name;
    expect(new URL(config.database.services[service]).username).toBe(SERVICE_ROLES[service]);
    expect(services[name]!.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' } });
    expect(config.payload.currentKey.key).toHaveLength(32);
  });

  it('starts the app services only after the services they need', () => {
    const needs = (s: ComposeService) => Object.keys(s.depends_on ?? {});
    expect(needs(services.worker!)).toEqual(expect.arrayContaining(['temporal', 'postgresql']));
    expect(needs(services['kafka-bridge']!)).toEqual(expect.arrayContaining(['temporal', 'kafka']));
    expect(needs(services.api!)).toEqual(expect.arrayContaining(['temporal', 'postgresql', 'kafka']));
  });
});
