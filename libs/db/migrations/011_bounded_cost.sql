-- Bounded per-patient cost at scale (docs/scaling.md, ADR 0014).
-- The step's writes find a pathway's task by (workflow id, command id): without an index each
-- update and close scanned the whole task table, which grows with every patient.
CREATE UNIQUE INDEX task_by_command ON task (workflow_id, command_id);
-- Relayed rows are deleted after the retention (TANDEM_OUTBOX_RETENTION_HOURS): found by this index.
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
