import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ApiDeps } from './app.module';
import { AppModule } from './app.module';

export async function createApiApp(deps: ApiDeps): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(deps), { logger: ['error', 'warn'], bodyParser: true });
  app.enableShutdownHooks();
  return app;
}
