-- What a task is about when a patient may have several of one type (a caregiver, an overdue task).
ALTER TABLE task ADD COLUMN subject text NOT NULL DEFAULT '';
UPDATE task SET subject = type WHERE subject = '';
-- docs/clinical-rules.md invariant 4: at most one open task per (patient, type, subject).
CREATE UNIQUE INDEX task_one_open ON task (patient_id, type, subject) WHERE status IN ('open', 'claimed');

-- Notifications and pathway events waiting for the outbox relay (docs/contract.md sections 2 and 4).
CREATE TABLE outbox (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  idempotency_key text NOT NULL UNIQUE,
  topic           text NOT NULL,
  patient_id      text NOT NULL,
  payload         jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz
);
CREATE INDEX outbox_unsent ON outbox (created_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_patient ON outbox (patient_id, created_at);

-- Pathway facts for measures: diagnosis, first specialist contact, ACP, death and its place, …
CREATE TABLE pathway_fact (
  id              bigserial PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  patient_id      text NOT NULL,
  name            text NOT NULL,
  value           jsonb NOT NULL,
  at              timestamptz NOT NULL,
  rule            text NOT NULL,
  evidence        jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pathway_fact_patient ON pathway_fact (patient_id, name, at);
