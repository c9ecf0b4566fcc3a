import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';
import { DLQ_HEADERS } from './topics';

export interface ParkedRecord {
  key: Buffer | null;
  value: Buffer | null;
  topic: string;
  partition: number;
  offset: string;
  /** Machine-readable reason, e.g. invalid-json, invalid-envelope, unknown-type, invalid-data, too-large. */
  error: string;
  /** Human-readable detail; must never contain record contents (PHI). */
  detail: string;
}

export function dlqHeaders(r: Pick<ParkedRecord, 'error' | 'detail' | 'topic' | 'partition' | 'offset'>): IHeaders {
  return {
    [DLQ_HEADERS.error]: r.error,
    [DLQ_HEADERS.detail]: r.detail.slice(0, 2_000),
    [DLQ_HEADERS.originalTopic]: r.topic,
    [DLQ_HEADERS.originalPartition]: String(r.partition),
    [DLQ_HEADERS.originalOffset]: r.offset,
  };
}

/** Parks a record on the dead-letter topic with its reason; the original bytes are kept unchanged. */
export async function parkRecord(producer: Producer, dlqTopic: string, r: ParkedRecord): Promise<void> {
  await producer.send({ topic: dlqTopic, messages: [{ key: r.key, value: r.value, headers: dlqHeaders(r) }] });
}

/** A record header as text (e.g. a parked record's `x-error`), undefined when absent. */
export function headerOf(message: Pick<KafkaMessage, 'headers'>, name: string): string | undefined {
  return message.headers?.[name]?.toString();
}
