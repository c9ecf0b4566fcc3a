import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { Public } from '../auth/auth.guard';
import { KAFKA_ADMIN, PG_POOL, TEMPORAL_CLIENT } from '../tokens';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

@Controller()
@Public()
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(KAFKA_ADMIN) private readonly kafka: Admin,
  ) {}

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready when the services the API depends on answer: PostgreSQL, Temporal and Kafka. */
  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
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
    const ok = Object.values(checks).every((c) => c === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not-ready', checks });
  }
}
