/** Every Kafka topic Tandem uses (CONTRACT.md section 2), in one list. */
export const TOPICS = {
  clinicalEvents: 'clinical-events',
  clinicalEventsDlq: 'clinical-events.dlq',
  careNotifications: 'care-notifications',
  pathwayEvents: 'pathway-events',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** Partitions per topic: keyed by patient id, so this bounds parallelism across patients. */
export const DEFAULT_PARTITIONS = 6;

/** Headers on every record parked in the dead-letter topic (CONTRACT.md section 2). */
export const DLQ_HEADERS = {
  error: 'x-error',
  detail: 'x-error-detail',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
} as const;

/** Records above this size are parked without parsing. */
export const MAX_RECORD_BYTES = 1_048_576;
