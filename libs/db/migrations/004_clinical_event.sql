-- Every accepted clinical event, stored once (docs/clinical-rules.md invariant 7; audit, measures, replay).
CREATE TABLE clinical_event (
  id           text PRIMARY KEY,
  patient_id   text NOT NULL,
  type         text NOT NULL,
  time         timestamptz NOT NULL,
  source       text NOT NULL,
  envelope     jsonb NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clinical_event_patient ON clinical_event (patient_id, time);
