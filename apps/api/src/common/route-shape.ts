import type { Request } from 'express';

/** What every request that matched no route is labelled and audited as: one value, whatever the caller asked. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The template of the route a request matched (`/api/v1/patients/{patientId}/pathway`), written as
 * the OpenAPI document writes it — never the caller's path, so metrics and audit actions hold no id
 * and no more values than there are routes. Unmatched requests (404s, static files, refusals before
 * routing) share UNMATCHED_ROUTE. Routes match case-sensitively (app.ts), so a path that differs in
 * case is unmatched too.
 */
export function routeTemplate(req: Pick<Request, 'route'>): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path.replace(/:(\w+)/g, '{$1}') : UNMATCHED_ROUTE;
}
