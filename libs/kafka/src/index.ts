export { createKafka, ensureTopics, partitioner } from './client';
export { dlqHeaders, parkRecord } from './dlq';
export type { ParkedRecord } from './dlq';
export { DEFAULT_PARTITIONS, DLQ_HEADERS, MAX_RECORD_BYTES, TOPICS } from './topics';
export type { TopicName } from './topics';
