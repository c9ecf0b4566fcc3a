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
    crossOriginEmbedderPolicy: false,
  });
}

/** The PROM page's API is open to anyone holding a link: a client gets so many requests a minute, then 429. */
export function patientPageLimiter(perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.status(429).json({ error: 'rate-limited', state: 'rate-limited', message: 'too many requests from this client; try again in a minute' });
    },
  });
}
