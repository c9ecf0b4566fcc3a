-- Pathway steps whose writes PostgreSQL refused for good (SQLSTATE classes 22/23): counted on the
-- API's /metrics and listed for operations. Ids and error classes only, never the step's data.
CREATE TABLE step_failure (
  id          bigserial PRIMARY KEY,
  workflow_id text NOT NULL,
  step_key    text,
  type        text NOT NULL,
  sqlstate    text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workflow_id, step_key, sqlstate)
);
