import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/auth.guard';
import { HealthService } from './health.service';

@Controller()
@Public()
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready when the services the API depends on answer: PostgreSQL, Temporal and Kafka. */
  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    const { ready, checks } = await this.health.readiness();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', checks });
  }
}
