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

-- The write function's change for this migration (an 'open' writes the source of the step's event
-- beside its id, and names the event by both in the task's evidence) is in R__carry_out.sql.
