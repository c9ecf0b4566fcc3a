-- Who brought each clinical event (issue 26, finding 1; docs/security.md). Every event reaches
-- the log through the clinical-events topic: where the kafka-bridge read it, and for an event the
-- API produced, the author the API named in the record's `tandem-author` header (the authenticated
-- principal of POST /api/v1/events and its roles, or the patient's PROM link by its request id).
-- `brought_via`: 'api', 'prom-page' or 'kafka' (produced to the topic by an integration). Rows
-- stored before this migration have no provenance: `brought_via` NULL.
ALTER TABLE clinical_event
  ADD COLUMN brought_via      text CHECK (brought_via IN ('api', 'prom-page', 'kafka')),
  ADD COLUMN brought_by       text,
  ADD COLUMN brought_by_roles text[],
  ADD COLUMN kafka_topic      text,
  ADD COLUMN kafka_partition  integer,
  ADD COLUMN kafka_offset     bigint;

-- The grants of 012 are on the whole table, so they cover these columns: the bridge inserts them,
-- the API (the console's timeline), the worker and the notifier read them. Stated here, so a later
-- narrowing to column grants keeps them.
GRANT SELECT, INSERT ON clinical_event TO tandem_bridge;
GRANT SELECT ON clinical_event TO tandem_api, tandem_worker, tandem_notifier;
