import { Client, Connection } from '@temporalio/client';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { partitioner } from '@tandem/kafka';
import type { Target } from './drive';

const rowsToMap = (rows: Array<{ id: string; at: number }>) => new Map(rows.map((r) => [r.id, Number(r.at)]));

/** T1: bare Temporal. One signalWithStart per event to a minimal workflow whose activity inserts one row. */
export async function bareTemporal(pool: Pool, address: string, taskQueue: string): Promise<Target & { close(): Promise<void> }> {
  await pool.query('CREATE TABLE IF NOT EXISTS bench_t1_row (id text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())');
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  return {
    name: 'T1 bare Temporal',
    async send(ids) {
      await Promise.all(
        ids.map((id) => client.workflow.signalWithStart('benchWorkflow', { workflowId: `bench-t1-${id}`, taskQueue, signal: 'bench', signalArgs: [{ id }] })),
      );
    },
    async completedAt(ids) {
      const r = await pool.query<{ id: string; at: number }>(
        'SELECT id, EXTRACT(EPOCH FROM created_at) * 1000 AS at FROM bench_t1_row WHERE id = ANY($1)',
        [ids],
      );
      return rowsToMap(r.rows);
    },
    close: () => connection.close(),
  };
}

/** T2: Tandem. Each event is a new patient's advanced diagnosis on clinical-events; done when its first task is committed. */
export async function tandemIngest(kafka: Kafka, pool: Pool, topic: string): Promise<Target & { close(): Promise<void>; patientOf(id: string): string }> {
  const producer: Producer = kafka.producer({ createPartitioner: partitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const patientOf = (id: string) => `bench-${id}`;
  return {
    name: 'T2 Tandem (Kafka → task)',
    patientOf,
    async send(ids) {
      const time = new Date().toISOString();
      await producer.send({
        topic,
        messages: ids.map((id) => ({
          key: patientOf(id),
          value: JSON.stringify({
            specversion: '1.0',
            id,
            source: 'bench://ehr',
            type: 'diagnosis.recorded',
            subject: patientOf(id),
            time,
            data: { cancerType: 'C34.9', stage: 'IV', advanced: true, diagnosedAt: time.slice(0, 10) },
          }),
        })),
      });
    },
    async completedAt(ids) {
      const r = await pool.query<{ id: string; at: number }>(
        'SELECT source_event_id AS id, EXTRACT(EPOCH FROM min(created_at)) * 1000 AS at FROM task WHERE source_event_id = ANY($1) GROUP BY 1',
        [ids],
      );
      return rowsToMap(r.rows);
    },
    close: () => producer.disconnect(),
  };
}
