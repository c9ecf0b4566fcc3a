import type { RequestHandler } from 'express';
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

/** So many requests a minute per client, then 429 with `RateLimit` headers (draft 8) and a JSON error. */
export function perClientLimit(perMinute: number, extra: Record<string, string> = {}): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({ error: 'rate-limited', ...extra, message: 'too many requests from this client; try again in a minute' });
    },
  });
}

/** The PROM page's API: its page reads `state` from every answer, so the 429 names one too. */
export const patientPageLimiter = (perMinute: number): RequestHandler => perClientLimit(perMinute, { state: 'rate-limited' });
