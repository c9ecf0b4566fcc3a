import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import type { PartitionLag } from './lag';

export interface PipelineSources {
  lag: () => Promise<PartitionLag[]>;
  backlog: () => Promise<{ rows: number; oldestSeconds: number }>;
  /** Pathway steps whose writes failed for good, by error type. */
  stepFailures?: () => Promise<Array<{ type: string; count: number }>>;
}

/**
 * Gauges read at scrape time from Kafka and PostgreSQL, so that the bridge and the API report the
 * same view: consumer lag per partition and the outbox backlog. A source that cannot be reached
 * leaves its gauge empty for that scrape rather than failing the whole scrape.
 */
export function registerPipelineGauges(registry: Registry, sources: PipelineSources): void {
  new Gauge({
    name: 'tandem_kafka_consumer_lag',
    help: 'Records on clinical-events not yet committed by the kafka-bridge consumer group, per partition',
    labelNames: ['topic', 'partition'],
    registers: [registry],
    async collect() {
      this.reset();
      const lags = await sources.lag().catch(() => []);
      for (const l of lags) this.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
    },
  });
  // One query per scrape: the backlog gauge reads both numbers, the age gauge (collected after it) shows the second.
  const oldest = new Gauge({ name: 'tandem_outbox_oldest_seconds', help: 'Age of the oldest outbox row not yet published', registers: [] });
  new Gauge({
    name: 'tandem_outbox_backlog',
    help: 'Outbox rows (notifications, pathway events) not yet published to Kafka',
    registers: [registry],
    async collect() {
      const b = await sources.backlog().catch(() => undefined);
      if (!b) return;
      this.set(b.rows);
      oldest.set(b.oldestSeconds);
    },
  });
  registry.registerMetric(oldest);
  const failures = sources.stepFailures;
  if (failures)
    new Gauge({
      name: 'tandem_pathway_step_failures',
      help: 'Pathway steps whose writes PostgreSQL refused for good (non-retryable: data or constraint errors), by type',
      labelNames: ['type'],
      registers: [registry],
      async collect() {
        const counts = await failures().catch(() => undefined);
        if (!counts) return;
        this.reset();
        for (const c of counts) this.set({ type: c.type }, c.count);
      },
    });
}
