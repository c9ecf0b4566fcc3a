-- Pathways that end (ADR 0017): a pathway whose duties are all over (closed, nothing open, no timer)
-- ends its workflow, and what it held is kept here, one row per patient: the closure (docs/clinical-rules.md
-- 2.10a), the state and de-duplication window it ended with (`carried`, as a continue-as-new would
-- carry them), and the run that ended. The kafka-bridge reads it for a late event: an event the
-- rules act on starts a run from `carried`; one they only remember updates `carried`; the API shows
-- an ended pathway from it once Temporal no longer holds the history.
CREATE TABLE pathway_end (
  patient_id  text PRIMARY KEY,
  workflow_id text NOT NULL,
  run_id      text NOT NULL,
  reason      text NOT NULL,
  closed_at   timestamptz NOT NULL,
  ended_at    timestamptz NOT NULL DEFAULT now(),
  -- Orders the ends one run records (its history length then): a late retry of an earlier write
  -- never overwrites a later end of the same run.
  sequence    bigint NOT NULL,
  -- Every write adds one: the bridge updates `carried` only if nobody wrote since it read (optimistic).
  version     bigint NOT NULL DEFAULT 1,
  carried     jsonb NOT NULL
);

GRANT SELECT, INSERT, UPDATE ON pathway_end TO tandem_worker;
GRANT SELECT, UPDATE (carried, version) ON pathway_end TO tandem_bridge;
GRANT SELECT ON pathway_end TO tandem_api;
