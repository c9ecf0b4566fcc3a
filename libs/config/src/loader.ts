import { resolve } from 'node:path';
import { loadOrCreateDevSecrets } from './dev-secrets';
import type { PayloadKey } from './keys';
import { parsePayloadKey, parsePayloadKeyList } from './keys';
import type { DatabaseService } from './settings';
import { DATABASE_SERVICES, EMBEDDED_DATABASE_URL, embeddedServiceUrl, envSchema, serviceUrlSetting } from './settings';

export interface TandemConfig {
  env: 'development' | 'test' | 'production';
  home: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  temporal: { address: string; namespace: string; taskQueue: string };
  kafka: { brokers: string[]; clientId: string; topicSuffix: string | undefined; sessionTimeoutMs: number };
  bridge: { groupId: string; concurrency: number; metricsPort: number; outboxRetentionMs: number };
  /** `maxCachedWorkflows`: undefined leaves the Temporal SDK's default (derived from the heap). */
  worker: { maxCachedWorkflows: number | undefined };
  /**
   * `url` is the owner's (migrations); `services` each service's own role. `embedded` is true when
   * DATABASE_URL was unset and the local embedded PostgreSQL is meant.
   */
  database: { url: string; services: Record<DatabaseService, string>; ssl: boolean; embedded: boolean };
  /** Where the HTTP servers listen (the API; the kafka-bridge's metrics use the same host). */
  /**
   * `allowedHosts`: the Host values the dev sign-in and the codec answer (undefined: loopback names on
   * the API's port); `trustProxy`: proxy hops whose X-Forwarded-For is believed (0: none).
   */
  http: { port: number; host: string; allowedHosts: string[] | undefined; trustProxy: number };
  policy: { file: string | undefined; timeScale: number };
  /** `maxLifetimeSeconds`: the longest a token may live, and the oldest `iat` accepted. */
  auth: { secret: string | undefined; issuer: string; audience: string; jwksUrl: string | undefined; maxLifetimeSeconds: number };
  payload: { currentKey: PayloadKey; decryptionKeys: PayloadKey[] };
  /** The base of links sent to patients (no trailing slash). */
  publicUrl: string;
  /** The codec server for the Temporal UI (apps/api/src/codec). */
  codec: { auth: 'loopback' | 'token'; corsOrigins: string[] };
  notifier: {
    groupId: string;
    smtpUrl: string;
    mailFrom: string;
    directoryFile: string | undefined;
    smsWebhookUrl: string | undefined;
    retry: { attempts: number; firstMs: number; maxMs: number };
  };
}

/** A configuration problem, worded for the person who set it: names the setting, never echoes secrets. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The Temporal dev server's UI as a browser on this machine reaches it (port 8233). */
const DEV_UI_ORIGINS = ['http://127.0.0.1:8233', 'http://localhost:8233'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): TandemConfig {
  // Empty strings mean "unset" — a common shell/compose accident that should fall back to defaults.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`));
  }
  const s = parsed.data;
  const home = resolve(s.TANDEM_HOME ?? '.tandem');
  const dev = s.NODE_ENV === 'production' ? undefined : () => loadOrCreateDevSecrets(home);

  const problems: string[] = [];
  let currentKey: PayloadKey | undefined;
  let oldKeys: PayloadKey[] = [];
  try {
    const spec = s.TANDEM_PAYLOAD_KEY ?? dev?.().payloadKey;
    if (spec) currentKey = parsePayloadKey(spec, 'TANDEM_PAYLOAD_KEY');
  } catch (e) {
    problems.push((e as Error).message);
  }
  try {
    oldKeys = parsePayloadKeyList(s.TANDEM_PAYLOAD_OLD_KEYS, 'TANDEM_PAYLOAD_OLD_KEYS');
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (problems.length > 0 || !currentKey) throw new ConfigError(problems.length ? problems : ['TANDEM_PAYLOAD_KEY is required']);

  return {
    env: s.NODE_ENV,
    home,
    logLevel: s.LOG_LEVEL,
    temporal: { address: s.TEMPORAL_ADDRESS, namespace: s.TEMPORAL_NAMESPACE, taskQueue: s.TANDEM_TASK_QUEUE },
    kafka: { brokers: s.KAFKA_BROKERS, clientId: s.KAFKA_CLIENT_ID, topicSuffix: s.TANDEM_TOPIC_SUFFIX, sessionTimeoutMs: s.KAFKA_SESSION_TIMEOUT_MS },
    bridge: {
      groupId: s.TANDEM_BRIDGE_GROUP,
      concurrency: s.TANDEM_BRIDGE_CONCURRENCY,
      metricsPort: s.TANDEM_BRIDGE_METRICS_PORT,
      outboxRetentionMs: s.TANDEM_OUTBOX_RETENTION_HOURS * 3_600_000,
    },
    worker: { maxCachedWorkflows: s.TANDEM_WORKER_MAX_CACHED_WORKFLOWS },
    database: {
      url: s.DATABASE_URL ?? EMBEDDED_DATABASE_URL,
      // Unset: on the embedded cluster, the service's own role; elsewhere, DATABASE_URL (set them to run
      // least-privileged). Production refuses to start with one unset (settings.ts), so never falls back.
      services: Object.fromEntries(
        DATABASE_SERVICES.map((service) => [
          service,
          s[serviceUrlSetting(service)] ?? (s.DATABASE_URL === undefined ? embeddedServiceUrl(EMBEDDED_DATABASE_URL, service) : s.DATABASE_URL),
        ]),
      ) as Record<DatabaseService, string>,
      ssl: s.DATABASE_SSL,
      embedded: s.DATABASE_URL === undefined,
    },
    http: {
      port: s.PORT,
      host: s.HOST ?? (s.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
      allowedHosts: s.TANDEM_ALLOWED_HOSTS,
      trustProxy: s.TANDEM_TRUST_PROXY,
    },
    policy: { file: s.TANDEM_POLICY ? resolve(s.TANDEM_POLICY) : undefined, timeScale: s.TANDEM_TIME_SCALE },
    auth: {
      secret: s.TANDEM_AUTH_SECRET ?? dev?.().authSecret,
      issuer: s.TANDEM_AUTH_ISSUER,
      audience: s.TANDEM_AUTH_AUDIENCE,
      jwksUrl: s.TANDEM_OIDC_JWKS_URL,
      maxLifetimeSeconds: Math.round(s.TANDEM_TOKEN_MAX_HOURS * 3600),
    },
    payload: { currentKey, decryptionKeys: [currentKey, ...oldKeys.filter((k) => k.id !== currentKey.id)] },
    publicUrl: (s.TANDEM_PUBLIC_URL ?? `http://localhost:${s.PORT}`).replace(/\/+$/, ''),
    codec: {
      auth: s.TANDEM_CODEC_AUTH ?? (s.NODE_ENV === 'production' ? 'token' : 'loopback'),
      // The local dev server's UI (npm start) unless set; none in production unless set.
      corsOrigins: s.TANDEM_CODEC_CORS_ORIGINS ?? (s.NODE_ENV === 'production' ? [] : DEV_UI_ORIGINS),
    },
    notifier: {
      groupId: s.TANDEM_NOTIFIER_GROUP,
      smtpUrl: s.TANDEM_SMTP_URL,
      mailFrom: s.TANDEM_MAIL_FROM,
      directoryFile: s.TANDEM_DIRECTORY ? resolve(s.TANDEM_DIRECTORY) : undefined,
      smsWebhookUrl: s.TANDEM_SMS_WEBHOOK_URL,
      retry: { attempts: s.TANDEM_NOTIFIER_ATTEMPTS, firstMs: s.TANDEM_NOTIFIER_BACKOFF_MS, maxMs: Math.max(600_000, s.TANDEM_NOTIFIER_BACKOFF_MS) },
    },
  };
}

/** For process entry points: print a readable message naming the bad setting and exit(1), no stack trace. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): TandemConfig {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`tandem: ${e.message}\nSee the settings in docs/contract.md section 1.\n`);
      process.exit(1);
    }
    throw e;
  }
}
