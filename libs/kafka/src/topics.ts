/** Every Kafka topic Tandem uses (docs/contract.md section 2), in one list. */
export const TOPICS = {
  clinicalEvents: 'clinical-events',
  clinicalEventsDlq: 'clinical-events.dlq',
  careNotifications: 'care-notifications',
  pathwayEvents: 'pathway-events',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export type TopicNames = { [K in keyof typeof TOPICS]: string };

/** The topic names with an environment's suffix (TANDEM_TOPIC_SUFFIX), e.g. `clinical-events-ci7` and `clinical-events-ci7.dlq`. */
export function topicNames(suffix?: string): TopicNames {
  const s = suffix ? `-${suffix}` : '';
  return {
    clinicalEvents: `${TOPICS.clinicalEvents}${s}`,
    clinicalEventsDlq: `${TOPICS.clinicalEvents}${s}.dlq`,
    careNotifications: `${TOPICS.careNotifications}${s}`,
    pathwayEvents: `${TOPICS.pathwayEvents}${s}`,
  };
}

/** Partitions per topic: keyed by patient id, so this bounds parallelism across patients. */
export const DEFAULT_PARTITIONS = 6;

/** Headers on every record parked in the dead-letter topic (docs/contract.md section 2). */
export const DLQ_HEADERS = {
  error: 'x-error',
  detail: 'x-error-detail',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
} as const;

/** Records above this size are parked without parsing. */
export const MAX_RECORD_BYTES = 1_048_576;

/** What the topics accept (topic config max.message.bytes): well above MAX_RECORD_BYTES. */
export const MAX_TOPIC_MESSAGE_BYTES = 8 * 1_048_576;
