import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/auth.guard';
import { METRICS } from '../tokens';
import type { ApiMetrics } from './metrics';

@Controller()
@Public()
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: ApiMetrics) {}

  @Get('metrics')
  async metricsText(@Res() res: Response): Promise<void> {
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
