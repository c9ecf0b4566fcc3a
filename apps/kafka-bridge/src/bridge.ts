import type { Client } from '@temporalio/client';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { recordEvent } from '@tandem/db';
import type { Logger } from '@tandem/config';
import type { ClinicalEvent, ResolvedPolicy } from '@tandem/domain';
import { parkRecord, partitioner, TOPICS } from '@tandem/kafka';
import { clinicalEventSignal, PATHWAY_WORKFLOW_TYPE, pathwayWorkflowId } from '@tandem/workflows/contract';
import type { PathwayWorkflowInput } from '@tandem/workflows/contract';
import { classifyRecord } from './classify';

export interface BridgeOptions {
  kafka: Kafka;
  temporal: Client;
  taskQueue: string;
  policy: ResolvedPolicy;
  log: Logger;
  topics?: { in: string; dlq: string };
  groupId?: string;
  /** Attempts for errors that are not connection problems before the record is parked. */
  maxAttempts?: number;
  /** The event log: every accepted event is stored once in clinical_event before it is signalled. */
  pool: Pool;
}

export interface Bridge {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** gRPC status codes worth waiting out: the server is down, busy or slow, not the record's fault. */
const TRANSIENT_GRPC = new Set([4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, 14 /* UNAVAILABLE */]);

function isTransient(e: unknown): boolean {
  const code = (e as { code?: unknown; cause?: { code?: unknown } }).code ?? (e as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'number' && TRANSIENT_GRPC.has(code);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * clinical-events → Temporal. Each valid record becomes a signalWithStart of its patient's
 * pathway; the offset is committed only after Temporal accepted it (kafkajs commits after the
 * handler resolves). Invalid records are parked on the DLQ with their reason and consumption
 * goes on.
 */
export function createBridge(o: BridgeOptions): Bridge {
  const topics = o.topics ?? { in: TOPICS.clinicalEvents, dlq: TOPICS.clinicalEventsDlq };
  const maxAttempts = o.maxAttempts ?? 5;
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let stopping = false;

  const deliver = async (event: ClinicalEvent): Promise<void> => {
    await recordEvent(o.pool, event);
    const input: PathwayWorkflowInput = { patientId: event.subject, policy: o.policy };
    await o.temporal.workflow.signalWithStart(PATHWAY_WORKFLOW_TYPE, {
      workflowId: pathwayWorkflowId(event.subject),
      taskQueue: o.taskQueue,
      args: [input],
      signal: clinicalEventSignal,
      signalArgs: [event],
    });
  };

  return {
    async start() {
      producer = o.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: partitioner });
      await producer.connect();
      consumer = o.kafka.consumer({ groupId: o.groupId ?? 'tandem-kafka-bridge', allowAutoTopicCreation: false });
      await consumer.connect();
      await consumer.subscribe({ topic: topics.in, fromBeginning: true });
      const dlqProducer = producer;
      await consumer.run({
        autoCommit: true,
        eachMessage: async ({ topic, partition, message }) => {
          const verdict = classifyRecord(message.key, message.value);
          const where = { topic, partition, offset: message.offset };
          if (!verdict.ok) {
            await parkRecord(dlqProducer, topics.dlq, { key: message.key, value: message.value, ...where, error: verdict.error, detail: verdict.detail });
            o.log.warn('record parked', { ...where, error: verdict.error });
            return;
          }
          for (let attempt = 1; ; attempt++) {
            try {
              await deliver(verdict.event);
              return;
            } catch (e) {
              if (stopping) throw e; // leave the offset uncommitted; the next owner redelivers
              const transient = isTransient(e);
              if (!transient && attempt >= maxAttempts) {
                await parkRecord(dlqProducer, topics.dlq, {
                  key: message.key,
                  value: message.value,
                  ...where,
                  error: 'processing-failed',
                  detail: `Temporal refused the event: ${(e as Error).name}`,
                });
                o.log.error('event parked after retries', { ...where, attempts: attempt });
                return;
              }
              const delay = Math.min(30_000, 200 * 2 ** Math.min(attempt, 8));
              o.log.warn('Temporal unavailable, retrying', { ...where, attempt, transient, delayMs: delay });
              await sleep(delay);
            }
          }
        },
      });
    },
    async stop() {
      stopping = true;
      await consumer?.disconnect();
      await producer?.disconnect();
    },
  };
}
