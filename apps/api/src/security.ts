import type { RequestHandler } from 'express';
import type { Store } from 'express-rate-limit';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';

/**
 * Security headers on every response (helmet): a Content-Security-Policy without 'unsafe-inline'
 * (the console and the PROM page load only their own scripts and styles; ECharts and lit-html are
 * served from their npm packages on this origin), no framing, nosniff, and no referrer — the PROM
 * page's address carries its token, which must never leave in a Referer header.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // No page of Tandem is ever framed (with frame-ancestors 'none' for browsers that read only this).
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
}

/** The largest request body the API reads: a clinical event or a PROM's answers are a few KB. */
export const BODY_LIMIT = '100kb';

/** The codec server's: a page of history payloads, each up to a pathway's state (ADR 0014: < 48 KB). */
export const CODEC_BODY_LIMIT = '8mb';
/** What the Temporal UI sends the codec server: JSON, its namespace, and with passAccessToken the user's token. */
export const CODEC_REQUEST_HEADERS = ['content-type', 'x-namespace', 'authorization'];

/** The routes with a per-client rate limit (documented with 429 in the OpenAPI document). */
export const RATE_LIMITED_ROUTES = ['/api/p/', '/api/dev/token', '/api/v1/events'] as const;

/** Requests a client may make a minute on each rate-limited route before it gets 429. */
export interface RateLimits {
  /** The PROM page's API: open to anyone holding a link. */
  patientPage: number;
  /** The development sign-in: every token it signs is a key to the API. */
  devToken: number;
  /** Clinical events over HTTP: an integration posting in a loop must not flood clinical-events. */
  events: number;
}
export const DEFAULT_RATE_LIMITS: RateLimits = { patientPage: 30, devToken: 60, events: 1_200 };

/**
 * So many requests a minute per client, then 429 with `RateLimit` headers (draft 8) and a JSON error.
 * `store` counts the hits: the app gives each limiter a SharedRateLimitStore (apps/api/src/rate-limit-store.ts),
 * so every replica counts the same client together; without one, this process's memory.
 */
export function perClientLimit(perMinute: number, extra: Record<string, string> = {}, store?: Store): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(store ? { store } : {}),
    // Keyed on req.ip: the socket's address, or behind TANDEM_TRUST_PROXY hops the client's. A forged
    // X-Forwarded-For without a trusted proxy is an attacker's header, ignored, not a misconfiguration.
    validate: { xForwardedForHeader: false },
    handler: (_req, res) => {
      res.status(429).json({ error: 'rate-limited', ...extra, message: 'too many requests from this client; try again in a minute' });
    },
  });
}

/** The PROM page's API: its page reads `state` from every answer, so the 429 names one too. */
export const patientPageLimiter = (perMinute: number, store?: Store): RequestHandler => perClientLimit(perMinute, { state: 'rate-limited' }, store);

/** The routes that answer only known Host values (DNS rebinding): the development sign-in and the codec server. */
export const HOST_CHECKED_ROUTES = ['/api/dev/token', '/api/codec'] as const;

/** Names this machine answers to: the default Host allowlist, on the port the API listens on. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Whether a Host header names this API as the operator configured it. `allowed` entries are `name`
 * (any port) or `name:port`; unset, the loopback names on `localPort` (the port the request came in
 * on — the API's own), and the public URL's host. A page served from another name — a rebinding
 * domain that resolves to 127.0.0.1 — sends its own name as Host and is refused.
 */
export function isKnownHost(host: string | undefined, localPort: number | undefined, allowed: readonly string[]): boolean {
  if (!host) return false;
  const h = host.trim().toLowerCase();
  return allowed.some((entry) => {
    const hasPort = /:\d+$/.test(entry) && !/^\[[^\]]*\]$/.test(entry);
    if (hasPort) return h === entry;
    if (h === entry) return true;
    return h.startsWith(`${entry}:`) && /^\d{1,5}$/.test(h.slice(entry.length + 1));
  });
}

/** The default allowlist for a request that arrived on `localPort`, plus the public URL's host. */
export function defaultKnownHosts(localPort: number | undefined, publicUrl: string): string[] {
  const names = LOOPBACK_NAMES.flatMap((n) => (localPort === 80 ? [n, `${n}:80`] : [`${n}:${localPort ?? ''}`]));
  return [...names, new URL(publicUrl).host.toLowerCase()];
}

/**
 * 421 Misdirected Request for a Host (or, behind a trusted proxy, an X-Forwarded-Host) that is not
 * one of TANDEM_ALLOWED_HOSTS: a browser page on an attacker's domain rebound to this machine cannot
 * sign in or decode payloads. The refused name is not echoed.
 */
export function knownHostsOnly(opts: { allowedHosts: readonly string[] | undefined; publicUrl: string; trustProxy: number }): RequestHandler {
  return (req, res, next) => {
    const localPort = req.socket.localPort;
    const allowed = opts.allowedHosts ?? defaultKnownHosts(localPort, opts.publicUrl);
    const forwarded = opts.trustProxy > 0 ? req.headers['x-forwarded-host'] : undefined;
    const forwardedOk = forwarded === undefined || (typeof forwarded === 'string' && forwarded.split(',').every((f) => isKnownHost(f, localPort, allowed)));
    if (isKnownHost(req.headers.host, localPort, allowed) && forwardedOk) return next();
    res.status(421).json({
      error: 'unknown-host',
      message:
        'this route answers only at the host names it is configured for (TANDEM_ALLOWED_HOSTS; by default localhost, 127.0.0.1 and [::1] on the API’s port)',
    });
  };
}
