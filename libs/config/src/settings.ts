import { z } from 'zod';

/**
 * Every setting of docs/contract.md section 1, plus the few Tandem adds, as one zod schema over
 * the raw environment. Defaults are the contract's defaults.
 */

const hostPortPattern = /^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/;
const hostPort = z.string().trim().regex(hostPortPattern, 'expected host:port, e.g. 127.0.0.1:7233');

const splitBrokers = (s: string) =>
  s
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
const brokerList = z
  .string()
  .refine(
    (s) => splitBrokers(s).length > 0 && splitBrokers(s).every((b) => hostPortPattern.test(b)),
    'expected comma-separated host:port pairs, e.g. 127.0.0.1:9092',
  )
  .transform(splitBrokers);

const postgresUrl = z
  .string()
  .trim()
  .refine((s) => /^postgres(ql)?:\/\/.+/.test(s), 'expected a postgres:// or postgresql:// URL');

const port = z.coerce.number({ error: 'expected a number' }).int().min(1).max(65535);

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** The embedded PostgreSQL that `npm start` / `npm run infra:up` run when DATABASE_URL is unset. */
export const EMBEDDED_DATABASE = { host: '127.0.0.1', port: 5433, user: 'tandem', password: 'tandem', database: 'tandem' } as const;
export const EMBEDDED_DATABASE_URL = `postgresql://${EMBEDDED_DATABASE.user}:${EMBEDDED_DATABASE.password}@${EMBEDDED_DATABASE.host}:${EMBEDDED_DATABASE.port}/${EMBEDDED_DATABASE.database}`;

/** The services that connect to PostgreSQL, each as its own role (migration 012, ADR 0015). */
export const DATABASE_SERVICES = ['api', 'worker', 'bridge', 'notifier'] as const;
export type DatabaseService = (typeof DATABASE_SERVICES)[number];
export const SERVICE_ROLES: Record<DatabaseService, string> = {
  api: 'tandem_api',
  worker: 'tandem_worker',
  bridge: 'tandem_bridge',
  notifier: 'tandem_notifier',
};
/** The setting naming each service's connection: `API_DATABASE_URL`, `WORKER_DATABASE_URL`, … */
export const serviceUrlSetting = (service: DatabaseService) => `${service.toUpperCase() as Uppercase<DatabaseService>}_DATABASE_URL` as const;

/**
 * A service's URL on the embedded cluster (or a test's database on it): the same server and database
 * as the owner's URL, as the service's role. Its development password is its name — the embedded
 * cluster listens on 127.0.0.1 only; a real deployment sets each `<SERVICE>_DATABASE_URL`.
 */
export function embeddedServiceUrl(ownerUrl: string, service: DatabaseService): string {
  const url = new URL(ownerUrl);
  url.username = SERVICE_ROLES[service];
  url.password = SERVICE_ROLES[service];
  return url.toString();
}

export const DEFAULTS = {
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  TEMPORAL_NAMESPACE: 'default',
  KAFKA_BROKERS: '127.0.0.1:9092',
  PORT: '3000',
  TANDEM_TIME_SCALE: '1',
  TANDEM_TASK_QUEUE: 'tandem-pathway',
} as const;

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    TEMPORAL_ADDRESS: hostPort.default(DEFAULTS.TEMPORAL_ADDRESS),
    TEMPORAL_NAMESPACE: z.string().trim().min(1).default(DEFAULTS.TEMPORAL_NAMESPACE),
    TANDEM_TASK_QUEUE: z.string().trim().min(1).default(DEFAULTS.TANDEM_TASK_QUEUE),
    KAFKA_BROKERS: brokerList.default([DEFAULTS.KAFKA_BROKERS]),
    KAFKA_CLIENT_ID: z.string().trim().min(1).default('tandem'),
    /** The owner's connection: migrations, and outside production any service whose own URL below is unset. */
    DATABASE_URL: postgresUrl.optional(),
    API_DATABASE_URL: postgresUrl.optional(),
    WORKER_DATABASE_URL: postgresUrl.optional(),
    BRIDGE_DATABASE_URL: postgresUrl.optional(),
    NOTIFIER_DATABASE_URL: postgresUrl.optional(),
    DATABASE_SSL: booleanFlag.default(false),
    PORT: port.default(Number(DEFAULTS.PORT)),
    /**
     * The interface the API and the kafka-bridge's /metrics listen on. Unset: 127.0.0.1 (this machine
     * only) in development and test, 0.0.0.0 in production (containers publish their ports).
     */
    HOST: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z.:-]{1,253}$/, 'expected an address or host name, e.g. 127.0.0.1 or 0.0.0.0')
      .optional(),
    TANDEM_POLICY: z.string().trim().min(1).optional(),
    TANDEM_TIME_SCALE: z.coerce
      .number({ error: 'expected a positive number' })
      .positive('expected a positive number')
      .max(10_000_000, 'at most 10000000')
      .default(1),
    TANDEM_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    TANDEM_AUTH_ISSUER: z.string().trim().min(1).default('tandem-dev'),
    TANDEM_AUTH_AUDIENCE: z.string().trim().min(1).default('tandem-api'),
    TANDEM_OIDC_JWKS_URL: z.url('expected a URL').optional(),
    /** The longest an API token may live (`exp` − `iat`), and the oldest `iat` accepted, in hours. */
    TANDEM_TOKEN_MAX_HOURS: z.coerce.number({ error: 'expected a number of hours' }).positive('expected a positive number').max(168, 'at most 168 (a week)').default(12),
    /**
     * Host header values (`name` or `name:port`, comma-separated) the development sign-in and the codec
     * server answer (DNS rebinding). Unset: localhost, 127.0.0.1 and [::1] on the API's own port.
     */
    TANDEM_ALLOWED_HOSTS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^(\[[0-9a-f:.]+\]|[a-z0-9.-]{1,253})(:\d{1,5})?$/, 'expected host names, e.g. tandem.example.org or localhost:3000')).min(1))
      .optional(),
    /** Proxies (load balancers) in front of the API whose X-Forwarded-For it believes, as a hop count; 0: none. */
    TANDEM_TRUST_PROXY: z.coerce.number({ error: 'expected a number of proxy hops' }).int().min(0).max(10).default(0),
    /** Current payload-encryption key: `<keyId>:<base64 of 32 bytes>`. */
    TANDEM_PAYLOAD_KEY: z.string().trim().optional(),
    /** Older keys still accepted for decryption, comma-separated `<keyId>:<base64>`. */
    TANDEM_PAYLOAD_OLD_KEYS: z.string().trim().optional(),
    /** Where development state (generated secrets, local service data) lives. */
    TANDEM_HOME: z.string().trim().min(1).optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Appended (after a '-') to every topic name: separate environments or test runs on one cluster. */
    TANDEM_TOPIC_SUFFIX: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_]{1,40}$/, 'expected up to 40 letters, digits or _')
      .optional(),
    /** Consumer group of the kafka-bridge. */
    TANDEM_BRIDGE_GROUP: z.string().trim().min(1).default('tandem-kafka-bridge'),
    /** Patients whose events the kafka-bridge hands to Temporal at the same time (order within a patient is kept). */
    TANDEM_BRIDGE_CONCURRENCY: z.coerce.number({ error: 'expected a number' }).int().min(1).max(1000).default(32),
    /**
     * Hours a relayed outbox row is kept before the bridge deletes it (a step retried within this
     * window still queues its events once). The notifications' history is the notifier's own table.
     */
    TANDEM_OUTBOX_RETENTION_HOURS: z.coerce.number({ error: 'expected a number of hours' }).min(0).max(8760).default(24),
    /** The kafka-bridge's Prometheus endpoint (`/metrics`); 0 picks a free port. */
    TANDEM_BRIDGE_METRICS_PORT: z.coerce.number({ error: 'expected a number' }).int().min(0).max(65535).default(9464),
    /**
     * Who may use the codec server (POST /api/codec/decode, /encode): `loopback`, clients on this
     * machine (the dev server's UI); `token`, an admin's bearer token, each decode audited.
     * Unset: `token` when NODE_ENV=production, else `loopback`.
     */
    TANDEM_CODEC_AUTH: z.enum(['loopback', 'token']).optional(),
    /** Browser origins (the Temporal UI's) allowed to call the codec server, comma-separated. */
    TANDEM_CODEC_CORS_ORIGINS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url('expected origins such as https://temporal-ui.example.org')))
      .optional(),
    /**
     * Where people reach Tandem from outside: the base of the links in patients' PROM requests.
     * Unset: `http://localhost:<PORT>`, the API on this machine (loader.ts), so the links follow PORT.
     */
    TANDEM_PUBLIC_URL: z.url('expected a URL, e.g. https://tandem.example.org').optional(),
    /** The notifier's outgoing mail server (development: the local mail catcher that `npm start` runs). */
    TANDEM_SMTP_URL: z
      .string()
      .trim()
      .regex(/^smtps?:\/\/.+/, 'expected an smtp:// or smtps:// URL')
      .default('smtp://127.0.0.1:1025'),
    TANDEM_MAIL_FROM: z.string().trim().min(3).default('Tandem <tandem@localhost>'),
    /** Who receives staff notifications by e-mail: a YAML file (docs/notifications.md); unset, the built-in development directory. */
    TANDEM_DIRECTORY: z.string().trim().min(1).optional(),
    /** The SMS gateway's webhook (the notifier POSTs each text message there as JSON); unset, no SMS is sent. */
    TANDEM_SMS_WEBHOOK_URL: z.url('expected a URL').optional(),
    /** Consumer group of the notifier. */
    TANDEM_NOTIFIER_GROUP: z.string().trim().min(1).default('tandem-notifier'),
    /** Tries of one delivery before it is parked (with its reason, for an operator). */
    TANDEM_NOTIFIER_ATTEMPTS: z.coerce.number({ error: 'expected a number' }).int().min(1).max(50).default(8),
    /** The wait after a delivery's first failure; it doubles on each further one, up to 10 minutes. */
    TANDEM_NOTIFIER_BACKOFF_MS: z.coerce.number({ error: 'expected a number' }).int().min(10).max(600_000).default(5_000),
    /** How long a silent bridge keeps its partitions before another takes them over (broker minimum 6000). */
    KAFKA_SESSION_TIMEOUT_MS: z.coerce.number({ error: 'expected a number' }).int().min(6000).max(300_000).default(10_000),
    /**
     * Pathways a worker keeps in memory between their workflow tasks; one evicted is replayed from its
     * history on its next task. This bounds the worker's memory. Unset: the SDK's default, from the
     * Node heap (docs/scaling.md). The SDK takes no cache smaller than 2, and runs no more workflow
     * tasks at once than it caches.
     */
    TANDEM_WORKER_MAX_CACHED_WORKFLOWS: z.coerce
      .number({ error: 'expected a whole number' })
      .int('expected a whole number')
      .min(2, 'at least 2 (the smallest workflow cache the Temporal SDK takes)')
      .max(1_000_000, 'at most 1000000')
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (env.TANDEM_TIME_SCALE !== 1) {
        ctx.addIssue({ code: 'custom', path: ['TANDEM_TIME_SCALE'], message: 'is refused when NODE_ENV=production (must be 1)' });
      }
      if (!env.TANDEM_PAYLOAD_KEY) {
        ctx.addIssue({ code: 'custom', path: ['TANDEM_PAYLOAD_KEY'], message: 'is required when NODE_ENV=production' });
      }
      if (!env.DATABASE_URL) {
        ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when NODE_ENV=production' });
      }
      // Falling back to the owner would run a service with every privilege, silently: production names what is missing instead.
      for (const setting of DATABASE_SERVICES.map(serviceUrlSetting)) {
        if (!env[setting]) {
          ctx.addIssue({
            code: 'custom',
            path: [setting],
            message: 'is required when NODE_ENV=production: each service connects as its own role, never as the owner (ADR 0015)',
          });
        }
      }
      if (!env.TANDEM_AUTH_SECRET && !env.TANDEM_OIDC_JWKS_URL) {
        ctx.addIssue({ code: 'custom', path: ['TANDEM_OIDC_JWKS_URL'], message: 'is required when NODE_ENV=production (or set TANDEM_AUTH_SECRET)' });
      }
    }
  });

export type RawSettings = z.infer<typeof envSchema>;
