import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import type { Observable } from 'rxjs';
import { concatMap } from 'rxjs';
import type { Pool } from 'pg';
import type { Logger } from '@tandem/config';
import type { AuditEntry } from '@tandem/db';
import { writeAudit } from '@tandem/db';
import type { AuthedRequest } from '../auth/auth.guard';
import { ApiError } from '../common/api-error';
import { routeTemplate } from '../common/route-shape';
import { LOGGER, PG_POOL } from '../tokens';

type AuditedRequest = AuthedRequest & {
  /** Patients the response names (collected by the interceptor from the body). */
  auditPatients?: string[];
  /** Set once this request's audit row is written, so it is written once. */
  audited?: boolean;
  /** What a handler names as the record it made (the event it queued: `event <source> <id>`), when no task is in the path. */
  auditResource?: string;
};

/** Requests whose answer is only data: an audit row that cannot be written withholds it. */
const READS = new Set(['GET', 'HEAD']);

/** Who, which patients (from the path, the query, the event or the response), what (the route template), outcome. */
function auditEntry(req: AuditedRequest, status: number): AuditEntry {
  const path = req.originalUrl.split('?')[0] ?? '';
  const patientInPath = /\/patients\/([^/]+)\//.exec(path)?.[1];
  const taskInPath = /\/tasks\/([0-9a-f-]{36})/.exec(path)?.[1];
  const query = (req.query ?? {}) as Record<string, unknown>;
  const body = (req.body ?? {}) as { subject?: unknown };
  let fromPath: string | undefined;
  try {
    fromPath = patientInPath && decodeURIComponent(patientInPath);
  } catch {
    fromPath = undefined;
  }
  const fromRequest = [
    fromPath,
    typeof query.patientId === 'string' ? query.patientId : undefined,
    typeof body.subject === 'string' ? body.subject : undefined,
  ];
  const patientIds = [...fromRequest, ...(req.auditPatients ?? [])].filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 64);
  // The template hides which record: a task id from the path, or (answered, so it exists) the route's own id.
  const params = (req.params ?? {}) as Record<string, unknown>;
  const named = [params.id, params.measureId, params.requestId].find((v): v is string => typeof v === 'string' && v.length <= 128);
  return {
    actor: req.principal?.sub ?? 'anonymous',
    roles: req.principal?.roles ?? [],
    // The matched route's template, never the caller's path: which patient and task go in their own columns.
    action: `${req.method} ${routeTemplate(req)}`,
    patientIds,
    resource: taskInPath ?? req.auditResource ?? (status < 400 ? named : undefined),
    status,
  };
}

/**
 * Audits every /api/v1 answer a handler produced before it leaves (write, then send): the patients a
 * response exposes (one task, a page of tasks, a pathway) are collected from its body, and the row
 * is written first. A read whose row cannot be written answers 503 `audit-unavailable` with no data
 * (fail closed). A write has already happened by then: its answer is sent, the failure logged, and
 * the row tried once more when the response finishes (docs/security.md).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<AuditedRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      concatMap(async (body: unknown) => {
        const b = body as { patientId?: unknown; items?: unknown } | undefined;
        // A page of records (`items` an array of them); any other `items` (the vocabulary's PROM items) names no patient.
        const items = Array.isArray(b?.items) ? (b.items as Array<{ patientId?: unknown } | null>) : [];
        const ids = [b?.patientId, ...items.map((i) => i?.patientId)].filter((x): x is string => typeof x === 'string');
        req.auditPatients = [...(req.auditPatients ?? []), ...ids];
        if (!req.originalUrl.startsWith('/api/v1/')) return body;
        try {
          await writeAudit(this.pool, auditEntry(req, res.statusCode));
          req.audited = true;
        } catch (e) {
          this.log.error('audit write failed', { error: (e as Error).message, action: `${req.method} ${routeTemplate(req)}` });
          if (READS.has(req.method)) throw new ApiError(503, 'audit-unavailable', 'this access could not be audited, so nothing is shown; try again');
        }
        return body;
      }),
    );
  }
}

/**
 * Every /api/v1 request leaves an audit row — allowed, refused or failed. Answers a handler produced
 * are audited before they are sent (AuditInterceptor); the rest (refusals, errors, unmatched routes)
 * when the response finishes, since they carry no patient data.
 */
export function auditMiddleware(pool: Pool, log: Logger) {
  return (req: AuditedRequest, res: Response, next: NextFunction): void => {
    res.on('finish', () => {
      if (req.audited) return;
      writeAudit(pool, auditEntry(req, res.statusCode)).catch((e: unknown) =>
        log.error('audit write failed', { error: (e as Error).message, action: `${req.method} ${routeTemplate(req)}` }),
      );
    });
    next();
  };
}
