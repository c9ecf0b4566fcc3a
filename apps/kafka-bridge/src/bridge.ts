import type { Client } from '@temporalio/client';
import type { Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { birthDates, conflictingEvents, recordEvents } from '@tandem/db';
import type { Logger } from '@tandem/config';
import type { ResolvedPolicy } from '@tandem/domain';
import { DEFAULT_PARTITIONS, parkRecord, partitioner, TOPICS } from '@tandem/kafka';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { clinicalEventSignal, PATHWAY_WORKFLOW_TYPE, pathwayWorkflowId } from '@tandem/workflows/contract';
import type { PathwayWorkflowInput } from '@tandem/workflows/contract';
import { createBatchHandler } from './batch-handler';
import { deliverAfterEnd } from './ended-pathway';
import { OffsetCommitter } from './offset-committer';
import type { BridgeMetrics } from './metrics';
import { createBridgeMetrics } from './metrics';

export interface BridgeOptions {
  kafka: Kafka;
  temporal: Client;
  taskQueue: string;
  policy: ResolvedPolicy;
  log: Logger;
  /** The event log: every accepted event is stored once in clinical_event before it is signalled. */
  pool: Pool;
  topics?: { in: string; dlq: string };
  groupId?: string;
  /** Patients handled at the same time across all partitions; one patient's events always one at a time. */
  concurrency?: number;
  sessionTimeoutMs?: number;
  /** Attempts for a permanent refusal (the request's fault) before the record is parked; transient errors are retried until they pass. */
  maxAttempts?: number;
  metrics?: BridgeMetrics;
  /** How often the consumer's progress is committed (offset-committer.ts); default 1 s. */
  commitIntervalMs?: number;
}

export interface Bridge {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * clinical-events → Temporal: a kafkajs consumer running the batch handler (batch-handler.ts) with
 * the real event log (PostgreSQL), Temporal client and DLQ producer.
 */
export function createBridge(o: BridgeOptions): Bridge {
  const topics = o.topics ?? { in: TOPICS.clinicalEvents, dlq: TOPICS.clinicalEventsDlq };
  const metrics = o.metrics ?? createBridgeMetrics();
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let stopping = false;
  const inFlight = new Set<Promise<void>>();
  const committer = new OffsetCommitter({
    commit: (offsets) => consumer!.commitOffsets(offsets),
    intervalMs: o.commitIntervalMs ?? 1_000,
    onError: (e) => o.log.warn('offset commit failed; will retry', { error: e.name }),
  });

  const handleBatch = createBatchHandler({
    store: (rows) => recordEvents(o.pool, rows),
    conflicting: (events) => conflictingEvents(o.pool, events),
    birthDates: (patientIds) => birthDates(o.pool, patientIds),
    async signal(event) {
      const input: PathwayWorkflowInput = { patientId: event.subject, policy: o.policy };
      try {
        await o.temporal.workflow.signalWithStart(PATHWAY_WORKFLOW_TYPE, {
          workflowId: pathwayWorkflowId(event.subject),
          taskQueue: o.taskQueue,
          args: [input],
          signal: clinicalEventSignal,
          signalArgs: [event],
          // A completed pathway (it ended: ADR 0017) is never started afresh: a fresh run would know
          // nothing of why it closed. A failed or terminated one may be started again.
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        });
      } catch (e) {
        if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
        const after = await deliverAfterEnd({ pool: o.pool, temporal: o.temporal, taskQueue: o.taskQueue, policy: o.policy }, event);
        metrics.afterEnd.inc({ outcome: after });
      }
    },
    park: (record) => parkRecord(producer!, topics.dlq, record),
    progress: (topic, partition, offset) => committer.done(topic, partition, offset),
    stopping: () => stopping,
    metrics,
    log: o.log,
    concurrency: o.concurrency,
    maxAttempts: o.maxAttempts,
  });
  const eachBatch = async (p: EachBatchPayload) => {
    const run = handleBatch(p);
    inFlight.add(run);
    try {
      await run;
    } finally {
      inFlight.delete(run);
    }
  };

  return {
    async start() {
      producer = o.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: partitioner });
      await producer.connect();
      consumer = o.kafka.consumer({
        groupId: o.groupId ?? 'tandem-kafka-bridge',
        allowAutoTopicCreation: false,
        sessionTimeout: o.sessionTimeoutMs ?? 10_000,
        heartbeatInterval: Math.max(1_000, Math.floor((o.sessionTimeoutMs ?? 10_000) / 5)),
      });
      consumer.on(consumer.events.GROUP_JOIN, (e) => committer.assign(e.payload.memberAssignment));
      await consumer.connect();
      await consumer.subscribe({ topic: topics.in, fromBeginning: true });
      // autoCommit off: kafkajs would commit after every batch; the committer does it every second.
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: DEFAULT_PARTITIONS, eachBatch });
      committer.start();
    },
    async stop() {
      stopping = true;
      // Let the batches in hand wind down (nothing new starts), commit what they finished while
      // still a member of the group, then leave it.
      await Promise.allSettled([...inFlight]);
      await committer.stop();
      await consumer?.disconnect();
      await producer?.disconnect();
    },
  };
}
