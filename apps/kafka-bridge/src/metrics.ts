import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The kafka-bridge's metrics. Labels are reasons and topics only: never patient or event ids. */
export function createBridgeMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'tandem_bridge_' });
  return {
    registry,
    consumed: new Counter({ name: 'tandem_bridge_events_consumed_total', help: 'Records read from clinical-events', registers: [registry] }),
    accepted: new Counter({
      name: 'tandem_bridge_events_accepted_total',
      help: 'Events stored in the event log and accepted by Temporal (redeliveries included)',
      registers: [registry],
    }),
    parked: new Counter({
      name: 'tandem_bridge_events_parked_total',
      help: 'Records parked on clinical-events.dlq, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    retried: new Counter({
      name: 'tandem_bridge_retries_total',
      help: 'Retries of an event Temporal or PostgreSQL did not accept, by kind (transient: waited out; permanent: parked after the last attempt)',
      labelNames: ['kind'],
      registers: [registry],
    }),
    eventToTask: new Histogram({
      name: 'tandem_event_to_task_seconds',
      help: 'From an event being produced to Kafka to the commit of each task it opened',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    afterEnd: new Counter({
      name: 'tandem_bridge_events_after_end_total',
      help: 'Events for a pathway whose workflow had ended (ADR 0017), by what became of them: started (a run from its ended state), remembered, unchanged, duplicate',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    published: new Counter({
      name: 'tandem_outbox_published_total',
      help: 'Outbox rows published to Kafka, by topic (republished rows after a crash count again)',
      labelNames: ['topic'],
      registers: [registry],
    }),
  };
}

export type BridgeMetrics = ReturnType<typeof createBridgeMetrics>;

/** A tiny HTTP endpoint for the bridge (it has no API of its own): GET /metrics and /healthz. */
export async function serveMetrics(registry: Registry, port: number, host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
        .catch(() => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'));
    } else if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not-found","message":"GET /metrics or /healthz"}');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
