-- Who saw or did what to which patient's data, and with what outcome (docs/contract.md section 6).
CREATE TABLE audit (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  roles       text[] NOT NULL DEFAULT '{}',
  action      text NOT NULL,
  patient_id  text,
  resource    text,
  status      integer NOT NULL
);
CREATE INDEX audit_patient ON audit (patient_id, at);
CREATE INDEX audit_actor ON audit (actor, at);

-- Append-only: no role the application connects with may change or remove an audit row.
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit rows are append-only';
END $$;
CREATE TRIGGER audit_no_update_or_delete BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
