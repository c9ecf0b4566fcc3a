import type { RequestHandler } from 'express';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface Route {
  pattern: RegExp;
  allow: string[];
  /** Methods whose operation takes a JSON body. */
  withBody: Set<string>;
}

function routes(paths: Record<string, Record<string, unknown>>): Route[] {
  return Object.entries(paths).map(([template, operations]) => {
    const declared = Object.keys(operations).filter((m) => METHODS.includes(m));
    const allow = declared.map((m) => m.toUpperCase());
    if (allow.includes('GET')) allow.push('HEAD');
    const withBody = new Set(declared.filter((m) => (operations[m] as { requestBody?: unknown }).requestBody).map((m) => m.toUpperCase()));
    return { pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}/?$`), allow, withBody };
  });
}

/**
 * What the OpenAPI document promises about methods and bodies, held before any controller runs:
 * a documented path asked with a method it does not list answers 405 with `Allow` (RFC 9110
 * 15.5.6), not Express's 404; an operation that takes a body refuses one that is not JSON with 415.
 * Built from the document's paths, so the two cannot disagree.
 */
export function documentedRoutes(paths: Record<string, Record<string, unknown>>): RequestHandler {
  const table = routes(paths);
  return (req, res, next) => {
    const route = table.find((r) => r.pattern.test(req.path));
    if (!route) return next();
    if (!route.allow.includes(req.method)) {
      res.setHeader('Allow', route.allow.join(', '));
      res.status(405).json({ error: 'method-not-allowed', message: `${req.method} is not allowed here; use ${route.allow.join(', ')}` });
      return;
    }
    // `req.is` is null when the request has no body, false when it has one of another type.
    if (route.withBody.has(req.method) && req.is(['application/json']) === false) {
      res.status(415).json({ error: 'unsupported-media-type', message: 'send the body as application/json' });
      return;
    }
    next();
  };
}
