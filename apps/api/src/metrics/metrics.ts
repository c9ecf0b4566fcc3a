import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { PipelineSources } from '@tandem/kafka';
import { registerPipelineGauges } from '@tandem/kafka';
import { routeTemplate } from '../common/route-shape';

/**
 * The API's Prometheus registry: process metrics, requests by route template and status (no patient
 * ids, bounded cardinality), and — given its sources — the pipeline's consumer lag and outbox backlog.
 */
export function createApiMetrics(pipeline?: PipelineSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tandem_api_' });
  if (pipeline) registerPipelineGauges(registry, pipeline);
  const requests = new Counter({
    name: 'tandem_api_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'tandem_api_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // The matched route's template, never the caller's path: no id becomes a label value, and the
      // label has no more values than the API has routes (unmatched requests share one).
      const labels = { method: req.method, route: routeTemplate(req) };
      end(labels);
      requests.inc({ ...labels, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
