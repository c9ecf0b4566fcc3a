import type { DynamicModule, ValueProvider } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Admin, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger, TandemConfig } from '@tandem/config';
import { loadPathwayPolicy } from '@tandem/config/policy';
import type { ResolvedPolicy } from '@tandem/domain';
import { TOKEN_VERIFIER } from '../auth/auth.guard';
import { createTokenVerifier } from '../auth/tokens';
import type { ApiMetrics } from '../metrics/metrics';
import type { RateLimits } from '../security';
import { refusingRevoked, SESSION_REVOCATIONS, SessionRevocations } from '../session/revocation';
import { CONFIG, EVENTS_TOPIC, KAFKA_ADMIN, KAFKA_PRODUCER, LOGGER, METRICS, PG_POOL, POLICY, TEMPORAL_CLIENT } from '../tokens';

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
  /**
   * The API deployments that count rate limits together (their counters in PostgreSQL); unset, all
   * that share the database and payload key. Tests give each system its own, so files do not share counts.
   */
  rateLimitScope?: string;
}

/**
 * The process-boundary resources every feature module may inject by token: configuration, the pool,
 * the Temporal client, Kafka, the logger, metrics, the policy and the session checks. Global, so a
 * feature module names only its own controllers and services; tests build it from their own deps.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(deps: ApiDeps, metrics: ApiMetrics): DynamicModule {
    const revocations = new SessionRevocations(deps.pool);
    const providers: ValueProvider[] = [
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
    ];
    return { module: CoreModule, global: true, providers, exports: providers.map((p) => p.provide) };
  }
}
