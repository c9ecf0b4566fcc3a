import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { consoleDir } from '@tandem/console';
import { localesDir, promPageDir } from '@tandem/prom-page';
import { BODY_LIMIT, CODEC_BODY_LIMIT, CODEC_REQUEST_HEADERS, DEFAULT_RATE_LIMITS, patientPageLimiter, perClientLimit, securityHeaders } from './security';
import { documentedRoutes } from './common/documented-routes';
import { openApiPaths } from './openapi/document';
import type { ServerResponse } from 'node:http';
import { dirname, join, sep } from 'node:path';
import { NestFactory } from '@nestjs/core';
import cors from 'cors';
import { json } from 'express';
import type { ApiDeps } from './app.module';
import { AppModule } from './app.module';
import { auditMiddleware } from './audit/audit';
import { outboxBacklog, stepFailureCounts } from '@tandem/db';
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
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps, metrics), { logger: ['error', 'warn'], bodyParser: false });
  app.use(securityHeaders());
  // The codec server answers the Temporal UI's origin only (its preflight included), and reads a
  // history's worth of payloads at once.
  app.use('/api/codec', cors({ origin: deps.config.codec.corsOrigins, methods: ['POST'], allowedHeaders: CODEC_REQUEST_HEADERS, maxAge: 600 }));
  app.use('/api/codec', json({ limit: CODEC_BODY_LIMIT }));
  app.use(documentedRoutes(openApiPaths()));
  // JSON bodies only, of at most BODY_LIMIT (a larger one: 413 before it is read in full).
  app.useBodyParser('json', { limit: BODY_LIMIT });
  const limits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
  app.use('/api/p', patientPageLimiter(deps.patientPageRequestsPerMinute ?? limits.patientPage));
  app.use('/api/dev/token', perClientLimit(limits.devToken));
  app.use('/api/v1/events', perClientLimit(limits.events));
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
