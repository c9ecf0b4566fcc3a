import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** `GET /metrics` (Prometheus); the metrics themselves are a core provider, as the app's middleware records them. */
@Module({ controllers: [MetricsController] })
export class MetricsModule {}
