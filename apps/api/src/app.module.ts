import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditInterceptor } from './audit/audit';
import { AuthGuard } from './auth/auth.guard';
import { CodecController } from './codec/codec.controller';
import { CodecModule } from './codec/codec.module';
import { ErrorFilter } from './common/error.filter';
import type { ApiDeps } from './core/core.module';
import { CoreModule } from './core/core.module';
import { EventsController } from './events/events.controller';
import { EventsModule } from './events/events.module';
import { HealthController } from './health/health.controller';
import { HealthModule } from './health/health.module';
import { DigestsController } from './measures/digests.controller';
import { MeasuresController } from './measures/measures.controller';
import { MeasuresModule } from './measures/measures.module';
import { createApiMetrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsModule } from './notifications/notifications.module';
import { DocsController } from './openapi/docs.controller';
import { OpenApiModule } from './openapi/openapi.module';
import { PathwaysController } from './pathways/pathways.controller';
import { PathwaysModule } from './pathways/pathways.module';
import { PromPageController } from './prom-page/prom-page.controller';
import { PromPageModule } from './prom-page/prom-page.module';
import { SessionController } from './session/session.controller';
import { SessionModule } from './session/session.module';
import { QueuesController } from './tasks/queues.controller';
import { TasksController } from './tasks/tasks.controller';
import { TasksModule } from './tasks/tasks.module';
import { VocabularyController } from './vocabulary/vocabulary.controller';
import { VocabularyModule } from './vocabulary/vocabulary.module';

export type { ApiDeps };

/** One module per folder: its controllers and the services they call (docs/architecture.md, "The API"). */
export const FEATURE_MODULES = [
  HealthModule,
  MetricsModule,
  OpenApiModule,
  SessionModule,
  TasksModule,
  EventsModule,
  PathwaysModule,
  MeasuresModule,
  PromPageModule,
  NotificationsModule,
  VocabularyModule,
  CodecModule,
];

/** Every controller, so tests can enumerate the routes (each is declared by one of FEATURE_MODULES). */
export const CONTROLLERS = [
  HealthController,
  MetricsController,
  DocsController,
  SessionController,
  TasksController,
  EventsController,
  PathwaysController,
  MeasuresController,
  DigestsController,
  PromPageController,
  NotificationsController,
  VocabularyController,
  CodecController,
  QueuesController,
];

/**
 * The API's root module, built from its process-boundary dependencies so tests can pass their own:
 * the core module provides them to every feature module; the guard, the audit and the error filter
 * apply to every route.
 */
@Module({})
export class AppModule {
  static forRoot(deps: ApiDeps, metrics = createApiMetrics()): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(deps, metrics), ...FEATURE_MODULES],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        { provide: APP_FILTER, useValue: new ErrorFilter(deps.log) },
      ],
    };
  }
}
