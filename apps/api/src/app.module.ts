import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger, TandemConfig } from '@tandem/config';
import { AuthGuard, TOKEN_VERIFIER } from './auth/auth.guard';
import { createTokenVerifier } from './auth/tokens';
import { ErrorFilter } from './common/error.filter';
import { HealthController } from './health/health.controller';
import { DocsController } from './openapi/docs.controller';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';
import { CONFIG, LOGGER, PG_POOL, TEMPORAL_CLIENT } from './tokens';

export interface ApiDeps {
  config: TandemConfig;
  pool: Pool;
  temporal: Client;
  log: Logger;
}

/** Every controller, so tests can enumerate the routes. */
export const CONTROLLERS = [HealthController, DocsController, TasksController];

/** The API's root module, built from its process-boundary dependencies so tests can pass their own. */
@Module({})
export class AppModule {
  static forRoot(deps: ApiDeps): DynamicModule {
    return {
      module: AppModule,
      controllers: CONTROLLERS,
      providers: [
        { provide: CONFIG, useValue: deps.config },
        { provide: PG_POOL, useValue: deps.pool },
        { provide: TEMPORAL_CLIENT, useValue: deps.temporal },
        { provide: LOGGER, useValue: deps.log },
        { provide: TOKEN_VERIFIER, useValue: createTokenVerifier(deps.config) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useValue: new ErrorFilter(deps.log) },
        TasksService,
      ],
    };
  }
}
