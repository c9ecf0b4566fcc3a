import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { Client } from '@temporalio/client';
import type { Admin, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger, TandemConfig } from '@tandem/config';
import { AuditInterceptor } from './audit/audit';
import { AuthGuard, TOKEN_VERIFIER } from './auth/auth.guard';
import { createTokenVerifier } from './auth/tokens';
import { ErrorFilter } from './common/error.filter';
import { EventsController } from './events/events.controller';
import { HealthController } from './health/health.controller';
import { PathwaysController } from './pathways/pathways.controller';
import { SessionController } from './session/session.controller';
import { refusingRevoked, SESSION_REVOCATIONS, SessionRevocations } from './session/revocation';
import { createApiMetrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { DocsController } from './openapi/docs.controller';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';
import { DigestsController } from './measures/digests.controller';
import { MeasuresController } from './measures/measures.controller';
import { MeasuresService } from './measures/measures.service';
import { CONFIG, EVENTS_TOPIC, KAFKA_ADMIN, KAFKA_PRODUCER, LOGGER, METRICS, PG_POOL, POLICY, TEMPORAL_CLIENT } from './tokens';
import { EventIntake } from './events/event-intake';
import { PromPageController } from './prom-page/prom-page.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { VocabularyController } from './vocabulary/vocabulary.controller';
import { QueuesController } from './tasks/queues.controller';
import { PromPageService } from './prom-page/prom-page.service';
import { CodecController } from './codec/codec.controller';
import { loadPathwayPolicy } from '@tandem/config/policy';
import type { ResolvedPolicy } from '@tandem/domain';
import type { RateLimits } from './security';

export interface ApiDeps {
  config: TandemConfig;
  pool: Pool;
  temporal: Client;
  log: Logger;
  /** Produces POST /api/v1/events to the clinical-events topic (or a test's own topic). */
  kafka: { producer: Producer; admin: Admin; eventsTopic: string };
  /** The pathway policy (the PROM page's numbers); TANDEM_POLICY or the built-in defaults when not given. */
  policy?: ResolvedPolicy;
  /** Requests a client may make to the PROM page's API per minute (app.ts); tests lower it. */
  patientPageRequestsPerMinute?: number;
  /** Per-client limits of the other rate-limited routes (security.ts defaults); tests change them. */
  rateLimits?: Partial<RateLimits>;
}

/** Every controller, so tests can enumerate the routes. */
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

/** The API's root module, built from its process-boundary dependencies so tests can pass their own. */
@Module({})
export class AppModule {
  static forRoot(deps: ApiDeps, metrics = createApiMetrics()): DynamicModule {
    const revocations = new SessionRevocations(deps.pool);
    return {
      module: AppModule,
      controllers: CONTROLLERS,
      providers: [
        { provide: CONFIG, useValue: deps.config },
        { provide: PG_POOL, useValue: deps.pool },
        { provide: TEMPORAL_CLIENT, useValue: deps.temporal },
        { provide: LOGGER, useValue: deps.log },
        { provide: METRICS, useValue: metrics },
        { provide: KAFKA_PRODUCER, useValue: deps.kafka.producer },
        { provide: KAFKA_ADMIN, useValue: deps.kafka.admin },
        { provide: POLICY, useValue: deps.policy ?? loadPathwayPolicy(deps.config) },
        { provide: EVENTS_TOPIC, useValue: deps.kafka.eventsTopic },
        { provide: SESSION_REVOCATIONS, useValue: revocations },
        { provide: TOKEN_VERIFIER, useValue: refusingRevoked(createTokenVerifier(deps.config), revocations) },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        { provide: APP_FILTER, useValue: new ErrorFilter(deps.log) },
        TasksService,
        MeasuresService,
        EventIntake,
        PromPageService,
      ],
    };
  }
}
