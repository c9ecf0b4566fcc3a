-- Least privilege (ADR 0015): the role that runs migrations owns every table; each service
-- connects as a role of its own holding only the grants below. Roles are the cluster's, so they are
-- created here only when missing (the migrating role needs CREATEROLE for that; an operator may
-- create them beforehand). Logging in (LOGIN, a password) is the operator's to set: `npm start` and
-- the test set-up do it for the embedded cluster. A new table needs its grants in its migration.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['tandem_api', 'tandem_bridge', 'tandem_worker', 'tandem_notifier'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
  END LOOP;
END $$;

-- Nothing by default: no table, sequence or function of this schema for anyone not named below.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO tandem_api, tandem_bridge, tandem_worker, tandem_notifier;
-- Every service checks at start that the schema is up to date (assertMigrated).
GRANT SELECT ON schema_migration TO tandem_api, tandem_bridge, tandem_worker, tandem_notifier;

-- The measures' bookkeeping follows tasks, facts and stages by trigger, as the table owner, so a
-- service that writes a task needs no grant on the tallies (search_path pinned, as for any definer).
ALTER FUNCTION measure_tally_add() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION measure_tally_remove() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION measure_mark_dirty() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION measure_track_stage() SECURITY DEFINER SET search_path = public, pg_temp;

-- The API: task queues (claim, complete, reassign: the columns those change, never a new or
-- deleted task), the read side of pathways, notifications and measures, PROM links, and the audit,
-- which it may only append to. The event log it reads, never writes (events go through Kafka).
GRANT SELECT ON task, task_history, clinical_event, pathway_fact, pathway_stage, outbox, notification, notification_delivery,
  prom_link_use, prom_link_revocation, step_failure, dlq_replay, digest,
  measure_item, measure_patient, measure_tally, measure_tally_month, measure_dirty TO tandem_api;
GRANT UPDATE (status, claimed_by, claimed_at, outcome, note, completed_by, completed_at, key_worker) ON task TO tandem_api;
GRANT INSERT ON task_history, audit, prom_link_use, prom_link_revocation TO tandem_api;
GRANT DELETE ON prom_link_use TO tandem_api;
GRANT UPDATE (status, next_attempt_at, attempts) ON notification_delivery TO tandem_api;
-- Bringing the measure items up to date before answering (refreshDirtyMeasures).
GRANT INSERT, DELETE ON measure_item TO tandem_api;
GRANT INSERT, UPDATE ON measure_patient TO tandem_api;
GRANT UPDATE, DELETE ON measure_dirty TO tandem_api;
GRANT USAGE ON SEQUENCE task_history_id_seq, audit_id_seq TO tandem_api;

-- The kafka-bridge: appends accepted events to the log, relays and prunes the outbox, records DLQ
-- replays. No notification, no audit, and of tasks only their timing.
GRANT SELECT, INSERT ON clinical_event TO tandem_bridge;
GRANT SELECT, DELETE ON outbox TO tandem_bridge;
GRANT UPDATE (sent_at) ON outbox TO tandem_bridge;
GRANT SELECT, INSERT ON dlq_replay TO tandem_bridge;
GRANT SELECT ON step_failure TO tandem_bridge;
-- The relay's event-to-task histogram: when a task was made from which event, nothing of what it is.
GRANT SELECT (id, created_at, source_event_id) ON task TO tandem_bridge;

-- The worker: each pathway step's writes (tandem_carry_out, as the worker: tasks, their history,
-- facts, the outbox; its grant is in R__carry_out.sql), step failures, the weekly digest, and the
-- measure items it refreshes first.
GRANT SELECT, INSERT, UPDATE ON task TO tandem_worker;
GRANT INSERT ON task_history TO tandem_worker;
GRANT SELECT, INSERT ON outbox, pathway_fact TO tandem_worker;
GRANT SELECT, INSERT, UPDATE ON step_failure, digest TO tandem_worker;
GRANT SELECT ON clinical_event, pathway_stage, measure_tally, measure_tally_month TO tandem_worker;
GRANT SELECT, INSERT, DELETE ON measure_item TO tandem_worker;
GRANT SELECT, INSERT, UPDATE ON measure_patient TO tandem_worker;
GRANT SELECT, UPDATE, DELETE ON measure_dirty TO tandem_worker;
GRANT USAGE ON SEQUENCE task_history_id_seq, outbox_seq_seq, pathway_fact_id_seq, step_failure_id_seq TO tandem_worker;

-- The notifier: what it sent to whom and how each delivery fared; reads contacts and standing
-- from the event log and the key worker from the tasks.
GRANT SELECT, INSERT, UPDATE ON notification, notification_delivery TO tandem_notifier;
GRANT SELECT ON clinical_event, task TO tandem_notifier;
