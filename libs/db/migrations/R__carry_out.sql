-- The pathway's write function, in this one file: one step's writes in one statement (ADR 0010).
-- The operations are built in TypeScript (libs/db/src/step-ops.ts: every key and payload); this
-- only runs them in order, adding what PostgreSQL knows (task ids, escalation levels, the time).
-- Every write is idempotent by its key. Returns the task ids by the command that opened them.
--
-- A repeatable migration (libs/db/src/migrate.ts): applied after the numbered ones whenever this
-- file's checksum differs from the one recorded, so a change to the function is a change to this
-- file, reviewed as a diff, never a copy of the whole function in a new numbered migration.
-- Operations (StepOp in step-ops.ts): 'event', 'open', 'update', 'close', 'notify', 'fact', and
-- 'park' (an event the pathway cannot keep, queued for the dead-letter topic with its reason:
-- docs/clinical-rules.md invariant 7).
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
                        source_event_id, source_event_source, opened_at)
      VALUES (op->>'key', p_patient_id, p_workflow_id, op->>'commandId', op->>'type', op->>'subject', op->>'queue', op->>'priority',
              (op->>'dueAt')::timestamptz, op->>'rule',
              -- The evidence names its event by (source, id): an id alone may be another source's event.
              op->'evidence' || CASE WHEN op->>'sourceEventSource' IS NULL OR op->>'sourceEventId' IS NULL THEN '{}'::jsonb
                                     ELSE jsonb_build_object('sourceEvent', jsonb_build_object('source', op->>'sourceEventSource', 'id', op->>'sourceEventId')) END,
              op->>'sourceEventId', op->>'sourceEventSource',
              -- Opened on a loaded history's clock (ADR 0019): when, clinically; NULL in the present.
              (op->>'openedAt')::timestamptz)
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

-- Only the worker writes a step (ADR 0015); CREATE OR REPLACE keeps these, stated here so that a
-- database built from nothing gets them too.
REVOKE EXECUTE ON FUNCTION tandem_carry_out(text, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tandem_carry_out(text, text, jsonb) TO tandem_worker;
