import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs';
import type { Pool } from 'pg';
import type { Logger } from '@tandem/config';
import { writeAudit } from '@tandem/db';
import type { AuthedRequest } from '../auth/auth.guard';
import { routeShape } from '../common/route-shape';

type AuditedRequest = AuthedRequest & { auditPatients?: string[] };

/** Collects the patients a successful response exposes (one task, a page of tasks, a pathway). */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<AuditedRequest>();
    return next.handle().pipe(
      tap((body: unknown) => {
        const b = body as { patientId?: unknown; items?: unknown } | undefined;
        // A page of records (`items` an array of them); any other `items` (the vocabulary's PROM items) names no patient.
        const items = Array.isArray(b?.items) ? (b.items as Array<{ patientId?: unknown } | null>) : [];
        const ids = [b?.patientId, ...items.map((i) => i?.patientId)].filter((x): x is string => typeof x === 'string');
        req.auditPatients = [...(req.auditPatients ?? []), ...ids];
      }),
    );
  }
}

/**
 * Every /api/v1 request leaves an audit row when it finishes — allowed, refused or failed: who,
 * which patient (from the path, the query, the event or the response), what, outcome, when.
 */
export function auditMiddleware(pool: Pool, log: Logger) {
  return (req: AuditedRequest, res: Response, next: NextFunction): void => {
    res.on('finish', () => {
      const path = req.originalUrl.split('?')[0] ?? '';
      const patientInPath = /\/patients\/([^/]+)\//.exec(path)?.[1];
      const taskInPath = /\/tasks\/([0-9a-f-]{36})/.exec(path)?.[1];
      const query = (req.query ?? {}) as Record<string, unknown>;
      const body = (req.body ?? {}) as { subject?: unknown };
      const fromRequest = [
        patientInPath && decodeURIComponent(patientInPath),
        typeof query.patientId === 'string' ? query.patientId : undefined,
        typeof body.subject === 'string' ? body.subject : undefined,
      ];
      const patientIds = [...fromRequest, ...(req.auditPatients ?? [])].filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 64);
      // The action is the route's shape; which patient and task go in their own columns.
      const action = `${req.method} ${routeShape(req.originalUrl)}`;
      writeAudit(pool, {
        actor: req.principal?.sub ?? 'anonymous',
        roles: req.principal?.roles ?? [],
        action,
        patientIds,
        resource: taskInPath,
        status: res.statusCode,
      }).catch((e: unknown) => log.error('audit write failed', { error: (e as Error).message }));
    });
    next();
  };
}
