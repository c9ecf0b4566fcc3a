-- Tasks opened by the pathway workflow (docs/contract.md section 5), one row per task.
-- idempotency_key = workflow id + command id: the same command run twice opens one task.
CREATE TABLE task (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  idempotency_key  text NOT NULL UNIQUE,
  patient_id       text NOT NULL,
  workflow_id      text NOT NULL,
  command_id       text NOT NULL,
  type             text NOT NULL,
  queue            text NOT NULL,
  priority         text NOT NULL CHECK (priority IN ('urgent', 'soon', 'routine')),
  priority_rank    smallint GENERATED ALWAYS AS (CASE priority WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 ELSE 2 END) STORED,
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claimed', 'done', 'cancelled')),
  due_at           timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  claimed_by       text,
  claimed_at       timestamptz,
  completed_by     text,
  completed_at     timestamptz,
  outcome          text,
  note             text,
  escalation_level integer NOT NULL DEFAULT 0,
  reason_rule      text NOT NULL,
  reason_evidence  jsonb NOT NULL
);

-- The inbox order: most urgent, then earliest due (docs/contract.md section 6).
CREATE INDEX task_inbox ON task (queue, status, priority_rank, due_at, id);
CREATE INDEX task_patient ON task (patient_id, created_at);

-- Every status change, for the pathway timeline and audit of the work itself.
CREATE TABLE task_history (
  id          bigserial PRIMARY KEY,
  task_id     uuid NOT NULL REFERENCES task (id),
  status      text NOT NULL,
  actor       text NOT NULL,
  outcome     text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_history_task ON task_history (task_id, at);
