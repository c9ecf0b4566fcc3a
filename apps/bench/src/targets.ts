import { Client, Connection } from '@temporalio/client';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { partitioner } from '@tandem/kafka';
import { advancedDiagnosis } from '@tandem/testing';
import type { Target } from './drive';

/** Commit times (ms since the epoch) by event id, from a query returning `id` and `at` for the ids in $1. */
async function completionTimes(pool: Pool, sql: string, ids: string[]): Promise<Map<string, number>> {
  const r = await pool.query<{ id: string; at: number }>(sql, [ids]);
  return new Map(r.rows.map((x) => [x.id, Number(x.at)]));
}

/**
 * T1: bare Temporal. One signalWithStart per event to a minimal workflow whose activity inserts one
 * row; `local`: the same with a local activity (the reference for Tandem's local carry-out).
 */
export async function bareTemporal(pool: Pool, address: string, taskQueue: string, local = false): Promise<Target & { close(): Promise<void> }> {
  await pool.query('CREATE TABLE IF NOT EXISTS bench_t1_row (id text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now())');
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  return {
    name: local ? 'T1-local bare Temporal (local activity)' : 'T1 bare Temporal',
    async send(ids) {
      const workflowType = local ? 'benchWorkflowLocal' : 'benchWorkflow';
      await Promise.all(
        ids.map((id) => client.workflow.signalWithStart(workflowType, { workflowId: `bench-t1-${id}`, taskQueue, signal: 'bench', signalArgs: [{ id }] })),
      );
    },
    completedAt: (ids) => completionTimes(pool, 'SELECT id, EXTRACT(EPOCH FROM created_at) * 1000 AS at FROM bench_t1_row WHERE id = ANY($1)', ids),
    close: () => connection.close(),
  };
}

/** T2: Tandem. Each event is a new patient's advanced diagnosis on clinical-events; done when its first task is committed. */
export async function tandemIngest(kafka: Kafka, pool: Pool, topic: string): Promise<Target & { close(): Promise<void> }> {
  const producer: Producer = kafka.producer({ createPartitioner: partitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const patientOf = (id: string) => `bench-${id}`;
  return {
    name: 'T2 Tandem (Kafka → task)',
    async send(ids) {
      await producer.send({
        topic,
        messages: ids.map((id) => ({ key: patientOf(id), value: JSON.stringify(advancedDiagnosis(patientOf(id), { id, source: 'bench://ehr' })) })),
      });
    },
    completedAt: (ids) =>
      completionTimes(
        pool,
        'SELECT source_event_id AS id, EXTRACT(EPOCH FROM min(created_at)) * 1000 AS at FROM task WHERE source_event_id = ANY($1) GROUP BY 1',
        ids,
      ),
    close: () => producer.disconnect(),
  };
}
