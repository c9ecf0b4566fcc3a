import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { KAFKA_ADMIN, PG_POOL, TEMPORAL_CLIENT } from '../tokens';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export type CheckResult = 'ok' | 'unreachable';

export interface Readiness {
  ready: boolean;
  checks: { postgres: CheckResult; temporal: CheckResult; kafka: CheckResult };
}

/** Whether the services the API depends on answer: PostgreSQL, Temporal and Kafka, each within 2 s. */
@Injectable()
export class HealthService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(KAFKA_ADMIN) private readonly kafka: Admin,
  ) {}

  async readiness(): Promise<Readiness> {
    const check = async (fn: () => Promise<unknown>) =>
      withTimeout(fn(), 2_000).then(
        () => 'ok' as const,
        () => 'unreachable' as const,
      );
    const checks = {
      postgres: await check(() => this.pool.query('SELECT 1')),
      // A deadline on the call itself, so an unreachable Temporal is not retried on in the background.
      temporal: await check(() => this.temporal.connection.withDeadline(Date.now() + 2_000, () => this.temporal.workflowService.getSystemInfo({}))),
      kafka: await check(() => this.kafka.describeCluster()),
    };
    return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
  }
}
