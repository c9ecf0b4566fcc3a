import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { consoleDir } from '@tandem/console';
import type { ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { ApiDeps } from './app.module';
import { AppModule } from './app.module';
import { auditMiddleware } from './audit/audit';
import { outboxBacklog, stepFailureCounts } from '@tandem/db';
import { consumerLag } from '@tandem/kafka';
import { createApiMetrics } from './metrics/metrics';

const swaggerUiAssets = dirname(require.resolve('swagger-ui-dist/package.json'));
/** The dashboard's charts: Apache ECharts' ES module build, from the npm package (no CDN). */
const echartsDist = join(dirname(require.resolve('echarts/package.json')), 'dist');

export async function createApiApp(deps: ApiDeps): Promise<INestApplication> {
  const metrics = createApiMetrics({
    lag: () => consumerLag(deps.kafka.admin, deps.config.bridge.groupId, deps.kafka.eventsTopic),
    backlog: () => outboxBacklog(deps.pool),
    stepFailures: () => stepFailureCounts(deps.pool),
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps, metrics), { logger: ['error', 'warn'], bodyParser: true });
  // The web console: static files at /, talking to this API over HTTP.
  app.useStaticAssets(consoleDir, { index: 'index.html' });
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
