import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ApiDeps } from './app.module';
import { AppModule } from './app.module';
import { auditMiddleware } from './audit/audit';

export async function createApiApp(deps: ApiDeps): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(deps), { logger: ['error', 'warn'], bodyParser: true });
  app.use('/api/v1', auditMiddleware(deps.pool, deps.log));
  app.enableShutdownHooks();
  return app;
}
