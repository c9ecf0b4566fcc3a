-- A change's mark outlives a refresh that did not see it (issue 21; found by the simulator's oracle).
-- measure_dirty held one row per patient, and a change whose patient was marked already did nothing
-- (ON CONFLICT DO NOTHING). If the refresher took that row while the change was still uncommitted (the
-- API keeps a completion's transaction open while it tells the workflow, ADR 0004), it derived the
-- patient's items without the change, and the change left no mark: the measure stayed stale until the
-- patient's next change. Now each transaction leaves its own mark, keyed by its id: one the refresher
-- cannot see yet (uncommitted) is not taken, and the next refresh finds it. A transaction still
-- marks its patient once, whatever number of rows it writes.
ALTER TABLE measure_dirty DROP CONSTRAINT measure_dirty_pkey;
ALTER TABLE measure_dirty ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE measure_dirty ADD PRIMARY KEY (patient_id, xid);
CREATE INDEX measure_dirty_since ON measure_dirty (since);

CREATE OR REPLACE FUNCTION measure_mark_dirty() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO measure_dirty (patient_id) VALUES (NEW.patient_id) ON CONFLICT (patient_id, xid) DO NOTHING;
  RETURN NULL;
END $$;
