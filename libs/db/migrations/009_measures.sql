-- The operations measures (docs/measures.md, ADR 0012). Each measure's cohort is derived, per patient,
-- from the pathway facts and tasks into `measure_item` (one row per thing counted: a patient, a PROM
-- request, a severe score, a caregiver, a task), so that a dashboard query aggregates one narrow table
-- instead of re-deriving two years of facts. The derivation is libs/db/src/measures/cohorts.ts.

-- Equity attributes (the latest registration's), the pathway's stage and its key worker, per patient.
CREATE TABLE measure_patient (
  patient_id          text PRIMARY KEY,
  birth_date          date,
  lives_alone         boolean,
  rural               boolean,
  deprivation         smallint,
  interpreter_needed  boolean,
  stage               text,
  key_worker          text
);

-- One row per counted thing. `in_numerator` is the outcome; `value` the number a median or mean takes;
-- `known_at`: before this time a row not in the numerator is left out (its result is not known yet).
-- Equity attributes are copied in (age as at the index date) so a split needs no join.
CREATE TABLE measure_item (
  measure_id          text NOT NULL,
  patient_id          text NOT NULL,
  item_key            text NOT NULL,
  index_at            timestamptz NOT NULL,
  queue               text,
  in_numerator        boolean NOT NULL,
  value               double precision,
  known_at            timestamptz,
  age_75              boolean,
  lives_alone         boolean,
  rural               boolean,
  deprivation         smallint,
  interpreter_needed  boolean,
  PRIMARY KEY (measure_id, patient_id, item_key)
);
CREATE INDEX measure_item_period ON measure_item (measure_id, index_at)
  INCLUDE (queue, in_numerator, value, known_at, age_75, lives_alone, rural, deprivation, interpreter_needed, patient_id);
CREATE INDEX measure_item_patient ON measure_item (patient_id);

-- Patients whose facts or tasks changed since their items were derived (filled by the triggers below,
-- emptied by the refresher in the API and the digest activity).
CREATE TABLE measure_dirty (
  patient_id  text PRIMARY KEY,
  since       timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION measure_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO measure_dirty (patient_id) VALUES (NEW.patient_id) ON CONFLICT (patient_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER pathway_fact_measures AFTER INSERT ON pathway_fact FOR EACH ROW EXECUTE FUNCTION measure_mark_dirty();
CREATE TRIGGER task_measures AFTER INSERT OR UPDATE OF status, due_at, completed_at, queue ON task FOR EACH ROW EXECUTE FUNCTION measure_mark_dirty();

-- The pathway's stage, from the stage changes a step queues (kept here: the outbox is not a store).
CREATE FUNCTION measure_track_stage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.topic = 'pathway-events' AND NEW.payload->>'type' = 'tandem.pathway.stage-changed' THEN
    INSERT INTO measure_patient (patient_id, stage) VALUES (NEW.patient_id, NEW.payload->'data'->>'to')
    ON CONFLICT (patient_id) DO UPDATE SET stage = EXCLUDED.stage;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_measures_stage AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION measure_track_stage();

-- CONTRACT section 7 `ops.caseload-median`: the key worker named when `assign-key-worker` is completed.
ALTER TABLE task ADD COLUMN key_worker text;

-- Task-based measures by due date, and the open-task counts per queue.
CREATE INDEX task_due ON task (due_at) INCLUDE (queue, status, completed_at);
CREATE INDEX task_created ON task (created_at) INCLUDE (type, queue, source_event_id);
CREATE INDEX pathway_fact_name ON pathway_fact (name, patient_id);

-- The weekly per-team digests (CONTRACT section 7).
CREATE TABLE digest (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  team          text NOT NULL,
  week_start    date NOT NULL,
  week_end      date NOT NULL,
  generated_at  timestamptz NOT NULL DEFAULT now(),
  measures      jsonb NOT NULL,
  UNIQUE (team, week_start)
);
CREATE INDEX digest_team ON digest (team, week_start DESC);

-- Patients with facts before this migration get their items on the first refresh.
INSERT INTO measure_dirty (patient_id) SELECT DISTINCT patient_id FROM pathway_fact ON CONFLICT DO NOTHING;
INSERT INTO measure_patient (patient_id, stage)
SELECT DISTINCT ON (patient_id) patient_id, payload->'data'->>'to' FROM outbox
 WHERE topic = 'pathway-events' AND payload->>'type' = 'tandem.pathway.stage-changed'
 ORDER BY patient_id, created_at DESC, seq DESC
ON CONFLICT (patient_id) DO NOTHING;
