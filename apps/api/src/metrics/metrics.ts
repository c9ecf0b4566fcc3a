import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { PipelineSources } from '@tandem/kafka';
import { registerPipelineGauges } from '@tandem/kafka';
import { routeShape } from '../common/route-shape';

/**
 * The API's Prometheus registry: process metrics, requests by route shape and status (no patient
 * ids), and — given its sources — the pipeline's consumer lag and outbox backlog.
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
      // The route's shape, so that patient and task ids never become label values.
      const route = routeShape(req.originalUrl);
      const labels = { method: req.method, route: route.length > 80 ? 'other' : route };
      end(labels);
      requests.inc({ ...labels, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
