-- The operations measures (docs/measures.md, ADR 0012). Each measure's cohort is derived, per patient,
-- from the pathway facts and tasks into `measure_item` (one row per thing counted: a patient, a PROM
-- request, a severe score, a caregiver, a task), so that a dashboard query aggregates one narrow table
-- instead of re-deriving two years of facts. The derivation is libs/db/src/measures/cohorts.ts.

-- Equity attributes (the latest registration's) and the key worker, per patient: written by the refresher only.
CREATE TABLE measure_patient (
  patient_id          text PRIMARY KEY,
  birth_date          date,
  lives_alone         boolean,
  rural               boolean,
  deprivation         smallint,
  interpreter_needed  boolean,
  key_worker          text
);

-- The pathway's stage, written by a step only (its own table: a step and the refresher never wait
-- on each other's rows but for measure_dirty's, so they cannot deadlock).
CREATE TABLE pathway_stage (
  patient_id  text PRIMARY KEY,
  stage       text NOT NULL
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
CREATE INDEX measure_item_period ON measure_item (measure_id, index_at, patient_id, item_key);
CREATE INDEX measure_item_patient ON measure_item (patient_id);
-- The medians (a median cannot be summed): the values of a period, read from the index alone.
CREATE INDEX measure_item_values ON measure_item (measure_id, index_at)
  INCLUDE (value, in_numerator, known_at, queue, age_75, lives_alone, rural, deprivation, interpreter_needed) WHERE value IS NOT NULL;
-- Rows whose result becomes known at a time (not yet in the numerator): the ones judged exactly "today".
CREATE INDEX measure_item_known ON measure_item (measure_id, known_at) WHERE NOT in_numerator AND known_at IS NOT NULL;

-- The items summed by day (ADR 0012): per measure, index day, queue, the day the result is known, and
-- one equity split (`dim` 'all' with key '', or a split and its key). Kept by the triggers below as
-- items are added and removed, so that a year of a 100,000-patient network is a few thousand rows.
-- `known_day`: '-infinity' for a row known from the start (in the numerator, or no follow-up window).
CREATE TABLE measure_tally (
  measure_id  text NOT NULL,
  dim         text NOT NULL,
  key         text NOT NULL,
  day         date NOT NULL,
  queue       text NOT NULL,
  known_day   date NOT NULL,
  n           integer NOT NULL,
  k           integer NOT NULL,
  value_sum   double precision NOT NULL,
  value_n     integer NOT NULL,
  PRIMARY KEY (measure_id, dim, day, queue, known_day, key)
);
CREATE INDEX measure_tally_period ON measure_tally (dim, day);
-- The rows whose result became known this month (see measure_tally_month).
CREATE INDEX measure_tally_known ON measure_tally (known_day) WHERE known_day > '-infinity';

-- The same sums by calendar month (`month`, `known_month`: firsts of months): a year is read as
-- twelve month rows per key plus the days at the period's edges (ADR 0012).
CREATE TABLE measure_tally_month (
  measure_id   text NOT NULL,
  dim          text NOT NULL,
  key          text NOT NULL,
  month        date NOT NULL,
  queue        text NOT NULL,
  known_month  date NOT NULL,
  n            integer NOT NULL,
  k            integer NOT NULL,
  value_sum    double precision NOT NULL,
  value_n      integer NOT NULL,
  PRIMARY KEY (measure_id, dim, month, queue, known_month, key)
);
CREATE INDEX measure_tally_month_period ON measure_tally_month (dim, month);

-- docs/contract.md section 7's equity keys, written once: used by the tallies, the medians and the drill-down.
CREATE FUNCTION measure_split_key(dim text, age_75 boolean, lives_alone boolean, rural boolean, deprivation smallint, interpreter_needed boolean)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE dim
    WHEN 'all' THEN ''
    WHEN 'age' THEN CASE WHEN age_75 IS NULL THEN 'unknown' WHEN age_75 THEN '>=75' ELSE '<75' END
    WHEN 'livesAlone' THEN COALESCE(lives_alone::text, 'unknown')
    WHEN 'rural' THEN COALESCE(rural::text, 'unknown')
    WHEN 'interpreterNeeded' THEN COALESCE(interpreter_needed::text, 'unknown')
    WHEN 'deprivation' THEN COALESCE(deprivation::text, 'unknown')
  END
$$;

-- One tally row per split of an item: 'all', and each equity attribute — but operations measures
-- (ids 'ops.…') have no equity split (docs/contract.md section 7), so only 'all'.
CREATE FUNCTION measure_item_splits(i measure_item) RETURNS TABLE (dim text, key text) LANGUAGE sql IMMUTABLE AS $$
  SELECT d, measure_split_key(d, i.age_75, i.lives_alone, i.rural, i.deprivation, i.interpreter_needed)
    FROM unnest(CASE WHEN i.measure_id LIKE 'ops.%' THEN ARRAY['all'] ELSE ARRAY['all', 'age', 'livesAlone', 'rural', 'interpreterNeeded', 'deprivation'] END) d
$$;

CREATE FUNCTION measure_known_day(i measure_item) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN i.in_numerator OR i.known_at IS NULL THEN '-infinity'::date ELSE (i.known_at AT TIME ZONE 'UTC')::date END
$$;

-- An item's tally rows, by day and by month: what is added when it is inserted, taken away when deleted.
CREATE FUNCTION measure_item_tallies(i measure_item) RETURNS TABLE (dim text, key text, day date, month date, queue text, known_day date, known_month date)
LANGUAGE sql IMMUTABLE AS $$
  SELECT s.dim, s.key, d, date_trunc('month', d::timestamp)::date, COALESCE(i.queue, ''), kd,
         CASE WHEN kd = '-infinity' THEN kd ELSE date_trunc('month', kd::timestamp)::date END
    FROM measure_item_splits(i) s,
         LATERAL (SELECT (i.index_at AT TIME ZONE 'UTC')::date AS d, measure_known_day(i) AS kd) x
$$;

CREATE FUNCTION measure_tally_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO measure_tally AS t (measure_id, dim, key, day, queue, known_day, n, k, value_sum, value_n)
  SELECT a.measure_id, s.dim, s.key, s.day, s.queue, s.known_day,
         count(*), count(*) FILTER (WHERE a.in_numerator), COALESCE(sum(a.value), 0), count(a.value)
    FROM added a CROSS JOIN LATERAL measure_item_tallies(a) s
   GROUP BY 1, 2, 3, 4, 5, 6
   ORDER BY 1, 2, 4, 5, 6, 3
  ON CONFLICT (measure_id, dim, day, queue, known_day, key) DO UPDATE
     SET n = t.n + EXCLUDED.n, k = t.k + EXCLUDED.k, value_sum = t.value_sum + EXCLUDED.value_sum, value_n = t.value_n + EXCLUDED.value_n;
  INSERT INTO measure_tally_month AS t (measure_id, dim, key, month, queue, known_month, n, k, value_sum, value_n)
  SELECT a.measure_id, s.dim, s.key, s.month, s.queue, s.known_month,
         count(*), count(*) FILTER (WHERE a.in_numerator), COALESCE(sum(a.value), 0), count(a.value)
    FROM added a CROSS JOIN LATERAL measure_item_tallies(a) s
   GROUP BY 1, 2, 3, 4, 5, 6
   ORDER BY 1, 2, 4, 5, 6, 3
  ON CONFLICT (measure_id, dim, month, queue, known_month, key) DO UPDATE
     SET n = t.n + EXCLUDED.n, k = t.k + EXCLUDED.k, value_sum = t.value_sum + EXCLUDED.value_sum, value_n = t.value_n + EXCLUDED.value_n;
  RETURN NULL;
END $$;

CREATE FUNCTION measure_tally_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE measure_tally t
     SET n = t.n - r.n, k = t.k - r.k, value_sum = t.value_sum - r.value_sum, value_n = t.value_n - r.value_n
    FROM (SELECT a.measure_id, s.dim, s.key, s.day, s.queue, s.known_day, count(*) AS n, count(*) FILTER (WHERE a.in_numerator) AS k,
                 COALESCE(sum(a.value), 0) AS value_sum, count(a.value) AS value_n
            FROM removed a CROSS JOIN LATERAL measure_item_tallies(a) s
           GROUP BY 1, 2, 3, 4, 5, 6) r
   WHERE t.measure_id = r.measure_id AND t.dim = r.dim AND t.key = r.key AND t.day = r.day AND t.queue = r.queue AND t.known_day = r.known_day;
  UPDATE measure_tally_month t
     SET n = t.n - r.n, k = t.k - r.k, value_sum = t.value_sum - r.value_sum, value_n = t.value_n - r.value_n
    FROM (SELECT a.measure_id, s.dim, s.key, s.month, s.queue, s.known_month, count(*) AS n, count(*) FILTER (WHERE a.in_numerator) AS k,
                 COALESCE(sum(a.value), 0) AS value_sum, count(a.value) AS value_n
            FROM removed a CROSS JOIN LATERAL measure_item_tallies(a) s
           GROUP BY 1, 2, 3, 4, 5, 6) r
   WHERE t.measure_id = r.measure_id AND t.dim = r.dim AND t.key = r.key AND t.month = r.month AND t.queue = r.queue AND t.known_month = r.known_month;
  RETURN NULL;
END $$;

CREATE TRIGGER measure_item_added AFTER INSERT ON measure_item REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION measure_tally_add();
CREATE TRIGGER measure_item_removed AFTER DELETE ON measure_item REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION measure_tally_remove();

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
    INSERT INTO pathway_stage (patient_id, stage) VALUES (NEW.patient_id, NEW.payload->'data'->>'to')
    ON CONFLICT (patient_id) DO UPDATE SET stage = EXCLUDED.stage;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_measures_stage AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION measure_track_stage();

-- docs/contract.md section 7 `ops.caseload-median`: the key worker named when `assign-key-worker` is completed.
ALTER TABLE task ADD COLUMN key_worker text;

-- Event-to-task latency over the last day; key workers' open pathways.
CREATE INDEX task_created ON task (created_at) INCLUDE (queue, source_event_id);
CREATE INDEX measure_patient_key_worker ON measure_patient (key_worker) WHERE key_worker IS NOT NULL;
CREATE INDEX pathway_fact_name ON pathway_fact (name, patient_id);

-- The weekly per-team digests (docs/contract.md section 7).
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
INSERT INTO pathway_stage (patient_id, stage)
SELECT DISTINCT ON (patient_id) patient_id, payload->'data'->>'to' FROM outbox
 WHERE topic = 'pathway-events' AND payload->>'type' = 'tandem.pathway.stage-changed'
 ORDER BY patient_id, created_at DESC, seq DESC
ON CONFLICT (patient_id) DO NOTHING;
