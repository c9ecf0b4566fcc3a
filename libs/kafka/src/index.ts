export { createKafka, ensureTopics, partitioner } from './client';
export { dlqHeaders, headerOf, parkRecord } from './dlq';
export type { ParkedRecord } from './dlq';
export { DEFAULT_PARTITIONS, DLQ_HEADERS, MAX_RECORD_BYTES, TOPICS, topicNames } from './topics';
export type { TopicName, TopicNames } from './topics';
export { consumerLag, parkedRecords } from './lag';
export type { PartitionLag } from './lag';
export { registerPipelineGauges } from './metrics';
export type { PipelineSources } from './metrics';
