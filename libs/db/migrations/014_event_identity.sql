-- Event identity is (source, id), as CloudEvents defines it (issue 26, finding 2). Before, the event
-- log was keyed on `id` alone: an event whose id another source had used was taken for a redelivery
-- and vanished (not stored, not parked), and a task's `source_event_id` could name another source's
-- event. Now:
--   * clinical_event is keyed on (source, id); rows stored before keep working (ids were unique, so
--     they are unique per source too). The kafka-bridge compares a redelivered pair's content
--     (libs/db/src/events.ts): the same content is a duplicate (one effect), other content is parked
--     as `conflicting-duplicate`.
--   * a task records the source of the event that opened it (`source_event_source`), backfilled for
--     tasks opened before (ids were unique then), and its evidence names the event by both
--     (`sourceEvent: {source, id}`), which the API and the console show.
ALTER TABLE clinical_event DROP CONSTRAINT clinical_event_pkey;
ALTER TABLE clinical_event ADD CONSTRAINT clinical_event_pkey PRIMARY KEY (source, id);
-- Joins from a task to its event, and "which events have this id" (operations), by id first.
CREATE INDEX clinical_event_id ON clinical_event (id);

ALTER TABLE task ADD COLUMN source_event_source text;
UPDATE task t SET source_event_source = e.source FROM clinical_event e WHERE e.id = t.source_event_id AND t.source_event_source IS NULL;
-- The bridge times event to task (events.ts eventToTaskSeconds) with this column too.
GRANT SELECT (source_event_source) ON task TO tandem_bridge;

-- tandem_carry_out (007) with one change: an 'open' writes the source of the step's event beside its
-- id, and names the event by both in the task's evidence. Everything else is as in 007.
CREATE OR REPLACE FUNCTION tandem_carry_out(p_workflow_id text, p_patient_id text, p_ops jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  op       jsonb;
  task_ids jsonb := '{}'::jsonb;
  tid      uuid;
  level    integer;
  at_text  text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
BEGIN
  FOR op IN SELECT value FROM jsonb_array_elements(p_ops) LOOP
    tid := NULL;
    CASE op->>'k'
    WHEN 'event' THEN
      INSERT INTO outbox (idempotency_key, topic, patient_id, payload)
      VALUES (op->>'key', 'pathway-events', p_patient_id, (op->'event') || jsonb_build_object('time', at_text))
      ON CONFLICT (idempotency_key) DO NOTHING;

    WHEN 'open' THEN
      INSERT INTO task (idempotency_key, patient_id, workflow_id, command_id, type, subject, queue, priority, due_at, reason_rule, reason_evidence,
                        source_event_id, source_event_source)
      VALUES (op->>'key', p_patient_id, p_workflow_id, op->>'commandId', op->>'type', op->>'subject', op->>'queue', op->>'priority',
              (op->>'dueAt')::timestamptz, op->>'rule',
              -- The evidence names its event by (source, id): an id alone may be another source's event.
              op->'evidence' || CASE WHEN op->>'sourceEventSource' IS NULL OR op->>'sourceEventId' IS NULL THEN '{}'::jsonb
                                     ELSE jsonb_build_object('sourceEvent', jsonb_build_object('source', op->>'sourceEventSource', 'id', op->>'sourceEventId')) END,
              op->>'sourceEventId', op->>'sourceEventSource')
      ON CONFLICT DO NOTHING
      RETURNING id INTO tid;
      IF tid IS NOT NULL THEN
        INSERT INTO task_history (task_id, status, actor) VALUES (tid, 'open', 'pathway');
        INSERT INTO outbox (idempotency_key, topic, patient_id, payload)
        VALUES (op->>'eventKey', 'pathway-events', p_patient_id,
                jsonb_set(op->'event', '{data,taskId}', to_jsonb(tid)) || jsonb_build_object('time', at_text))
        ON CONFLICT (idempotency_key) DO NOTHING;
      ELSE
        -- A retried step (the task is there already), or another open task of the same type and subject.
        SELECT id INTO tid FROM task WHERE workflow_id = p_workflow_id AND command_id = op->>'commandId';
      END IF;
      IF tid IS NOT NULL THEN
        task_ids := task_ids || jsonb_build_object(op->>'commandId', tid);
      END IF;

    WHEN 'update' THEN
      UPDATE task
         SET priority = op->>'priority', due_at = (op->>'dueAt')::timestamptz,
             escalation_level = GREATEST(escalation_level, (op->>'level')::integer),
             reason_evidence = reason_evidence || (op->'evidence')
       WHERE workflow_id = p_workflow_id AND command_id = op->>'target' AND status IN ('open', 'claimed')
      RETURNING id, escalation_level INTO tid, level;
      IF tid IS NOT NULL THEN
        INSERT INTO outbox (idempotency_key, topic, patient_id, payload)
        VALUES (op->>'eventKey', 'pathway-events', p_patient_id,
                jsonb_set(jsonb_set(op->'event', '{data,taskId}', to_jsonb(tid)), '{data,escalationLevel}', to_jsonb(level))
                  || jsonb_build_object('time', at_text))
        ON CONFLICT (idempotency_key) DO NOTHING;
      END IF;

    WHEN 'close' THEN
      UPDATE task
         SET status = op->>'status', outcome = COALESCE(outcome, op->>'why'), completed_at = COALESCE(completed_at, (op->>'at')::timestamptz)
       WHERE workflow_id = p_workflow_id AND command_id = op->>'target' AND status IN ('open', 'claimed')
      RETURNING id INTO tid;
      IF tid IS NOT NULL THEN
        INSERT INTO task_history (task_id, status, actor, outcome) VALUES (tid, op->>'status', 'pathway', op->>'why');
        INSERT INTO outbox (idempotency_key, topic, patient_id, payload)
        VALUES (op->>'eventKey', 'pathway-events', p_patient_id,
                jsonb_set(op->'event', '{data,taskId}', to_jsonb(tid)) || jsonb_build_object('time', at_text))
        ON CONFLICT (idempotency_key) DO NOTHING;
      END IF;

    WHEN 'notify' THEN
      IF op ? 'taskCommandId' THEN
        tid := (task_ids->>(op->>'taskCommandId'))::uuid;
        IF tid IS NULL THEN
          SELECT id INTO tid FROM task WHERE workflow_id = p_workflow_id AND command_id = op->>'taskCommandId';
        END IF;
      END IF;
      INSERT INTO outbox (idempotency_key, topic, patient_id, payload)
      VALUES (op->>'key', 'care-notifications', p_patient_id,
              jsonb_build_object('id', gen_random_uuid()) || (op->'payload')
                || CASE WHEN tid IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('taskId', tid) END)
      ON CONFLICT (idempotency_key) DO NOTHING;

    WHEN 'fact' THEN
      INSERT INTO pathway_fact (idempotency_key, patient_id, name, value, at, rule, evidence)
      VALUES (op->>'key', p_patient_id, op->>'name', op->'value', (op->>'at')::timestamptz, op->>'rule', op->'evidence')
      ON CONFLICT (idempotency_key) DO NOTHING;

    WHEN 'park' THEN
      INSERT INTO outbox (idempotency_key, topic, patient_id, payload)
      VALUES (op->>'key', 'clinical-events.dlq', p_patient_id, op->'payload')
      ON CONFLICT (idempotency_key) DO NOTHING;

    ELSE
      RAISE EXCEPTION 'tandem_carry_out: unknown operation %', op->>'k' USING ERRCODE = '22023';
    END CASE;
  END LOOP;
  RETURN task_ids;
END
$$;
