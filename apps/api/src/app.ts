import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { consoleDir } from '@tandem/console';
import { localesDir, promPageDir } from '@tandem/prom-page';
import {
  BODY_LIMIT,
  CODEC_BODY_LIMIT,
  CODEC_REQUEST_HEADERS,
  DEFAULT_RATE_LIMITS,
  HOST_CHECKED_ROUTES,
  knownHostsOnly,
  patientPageLimiter,
  perClientLimit,
  securityHeaders,
} from './security';
import { documentedRoutes } from './common/documented-routes';
import { openApiPaths } from './openapi/document';
import type { ServerResponse } from 'node:http';
import { dirname, join, sep } from 'node:path';
import { NestFactory } from '@nestjs/core';
import cors from 'cors';
import express, { json } from 'express';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { ApiDeps } from './app.module';
import { AppModule } from './app.module';
import { auditMiddleware } from './audit/audit';
import { rateLimitKeyer, SharedRateLimitStore } from './rate-limit-store';
import { outboxBacklog, rateLimitCounters, stepFailureCounts } from '@tandem/db';
import { consumerLag } from '@tandem/kafka';
import { createApiMetrics } from './metrics/metrics';

const swaggerUiAssets = dirname(require.resolve('swagger-ui-dist/package.json'));
/** The dashboard's charts: Apache ECharts' ES module build, from the npm package (no CDN). */
const echartsDist = join(dirname(require.resolve('echarts/package.json')), 'dist');
/** lit-html's browser ES modules: its package root (it exports no package.json; Node resolves to its node/ build). */
const litHtmlEntry = require.resolve('lit-html');
const litHtmlDir = litHtmlEntry.slice(0, litHtmlEntry.lastIndexOf(`${sep}lit-html${sep}`) + `${sep}lit-html`.length);

export async function createApiApp(deps: ApiDeps): Promise<INestApplication> {
  const metrics = createApiMetrics({
    lag: () => consumerLag(deps.kafka.admin, deps.config.bridge.groupId, deps.kafka.eventsTopic),
    backlog: () => outboxBacklog(deps.pool),
    stepFailures: () => stepFailureCounts(deps.pool),
  });
  const server = express();
  // Routes match case-sensitively: `/api/v1/PATIENTS/…` is no route (404), never an alias whose path
  // would reach a label or the audit. Set before the first route or middleware makes the router.
  server.set('case sensitive routing', true);
  // The proxies in front of the API whose X-Forwarded-For names the client (rate limits key on it); none by default.
  server.set('trust proxy', deps.config.http.trustProxy > 0 ? deps.config.http.trustProxy : false);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps, metrics), new ExpressAdapter(server), {
    logger: ['error', 'warn'],
    bodyParser: false,
  });
  // The development sign-in and the codec server answer only known Host values (DNS rebinding).
  app.use(
    [...HOST_CHECKED_ROUTES],
    knownHostsOnly({ allowedHosts: deps.config.http.allowedHosts, publicUrl: deps.config.publicUrl, trustProxy: deps.config.http.trustProxy }),
  );
  app.use(securityHeaders());
  // The codec server answers the Temporal UI's origin only (its preflight included), and reads a
  // history's worth of payloads at once.
  app.use('/api/codec', cors({ origin: deps.config.codec.corsOrigins, methods: ['POST'], allowedHeaders: CODEC_REQUEST_HEADERS, maxAge: 600 }));
  app.use('/api/codec', json({ limit: CODEC_BODY_LIMIT }));
  app.use(documentedRoutes(openApiPaths()));
  // JSON bodies only, of at most BODY_LIMIT (a larger one: 413 before it is read in full).
  app.useBodyParser('json', { limit: BODY_LIMIT });
  const limits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
  // Counted in PostgreSQL, so the limits hold across replicas (a client spread over N replicas by the
  // load balancer gets the limit once, not N times); in memory while PostgreSQL does not answer.
  const counters = rateLimitCounters(deps.pool);
  const keyOf = rateLimitKeyer(deps.config.payload.currentKey.key, deps.rateLimitScope);
  const shared = (limiter: string) => new SharedRateLimitStore({ counters, limiter, keyOf, log: deps.log });
  app.use('/api/p', patientPageLimiter(deps.patientPageRequestsPerMinute ?? limits.patientPage, shared('patient-page')));
  app.use('/api/dev/token', perClientLimit(limits.devToken, {}, shared('dev-token')));
  app.use('/api/v1/events', perClientLimit(limits.events, {}, shared('events')));
  // The web console: static files at /, talking to this API over HTTP.
  app.useStaticAssets(consoleDir, { index: 'index.html' });
  // The patient's PROM page (its document is served at /p/<token> by its controller) and its words.
  app.useStaticAssets(promPageDir, { prefix: '/p-assets/', index: false });
  app.useStaticAssets(localesDir, { prefix: '/p-assets/locales/', index: false });
  // Safe templating for both (lit-html escapes what it renders), from its npm package.
  app.useStaticAssets(litHtmlDir, { prefix: '/vendor/lit-html/', index: false });
  app.useStaticAssets(swaggerUiAssets, { prefix: '/api/docs-assets/', index: false });
  app.useStaticAssets(echartsDist, {
    prefix: '/vendor/echarts/',
    index: false,
    // Browsers run a module script only with a JavaScript type; older mime tables do not know .mjs.
    setHeaders: (res: ServerResponse, path: string) => {
      if (path.endsWith('.mjs')) res.setHeader('content-type', 'text/javascript; charset=utf-8');
    },
  });
  app.use(metrics.middleware);
  app.use('/api/v1', auditMiddleware(deps.pool, deps.log));
  app.enableShutdownHooks();
  return app;
}
