-- When the event was produced (its Kafka record timestamp): the start of event-to-task latency.
ALTER TABLE clinical_event ADD COLUMN produced_at timestamptz;
-- The clinical event whose pathway step opened the task (null for timers and task completions).
ALTER TABLE task ADD COLUMN source_event_id text;
CREATE INDEX task_source_event ON task (source_event_id) WHERE source_event_id IS NOT NULL;

-- Dead-letter records already re-submitted by `npm run dlq:replay`, so a second replay re-sends none.
CREATE TABLE dlq_replay (
  dlq_topic     text NOT NULL,
  dlq_partition integer NOT NULL,
  dlq_offset    bigint NOT NULL,
  error         text NOT NULL,
  replayed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset)
);

-- Rows of one transaction share created_at: a sequence keeps the relay's order per patient exact.
ALTER TABLE outbox ADD COLUMN seq bigserial;
DROP INDEX outbox_unsent;
CREATE INDEX outbox_unsent ON outbox (created_at, seq) WHERE sent_at IS NULL;
