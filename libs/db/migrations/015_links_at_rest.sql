-- PROM-page links at rest (docs/security.md "Secrets at rest", docs/patient-page.md). A link's token
-- is a bearer key: whoever holds it may answer for the patient. The PROM page now finds a link by the
-- SHA-256 of its token in `prom_link`, which holds no usable link; the outbox keeps a link only until
-- it is relayed to care-notifications (the topic keeps `link`, docs/contract.md section 4), and the
-- notifier's record only until every channel of it is delivered or dropped.

-- One row per link queued for a patient: the hash of its token, never the token.
CREATE TABLE prom_link (
  token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
  request_id  text NOT NULL,
  patient_id  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX prom_link_request ON prom_link (request_id);

-- The token of a link (`<public url>/p/<token>`), hashed.
CREATE FUNCTION prom_link_hash(link text) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT sha256(convert_to(substring(link FROM '/p/([^/?#]+)$'), 'UTF8'))
$$;

-- A link is recorded by its hash when its notification is queued (and only then: a retried step's
-- notification is not queued twice, ON CONFLICT in tandem_carry_out, so neither is its new link).
CREATE FUNCTION prom_link_record() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.topic = 'care-notifications' AND NEW.payload ? 'link' AND substring(NEW.payload->>'link' FROM '/p/([^/?#]+)$') IS NOT NULL THEN
    INSERT INTO prom_link (token_hash, request_id, patient_id)
    VALUES (prom_link_hash(NEW.payload->>'link'), COALESCE(NEW.payload->'reason'->'evidence'->>'requestId', ''), NEW.patient_id)
    ON CONFLICT (token_hash) DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_prom_link AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION prom_link_record();

-- Relayed: the record on care-notifications carries the link from here; the outbox row no longer does.
CREATE FUNCTION outbox_forget_link() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.sent_at IS NOT NULL AND NEW.payload ? 'link' THEN
    NEW.payload := NEW.payload - 'link';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER outbox_forget_link BEFORE UPDATE OF sent_at ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_forget_link();

-- Links already queued before this migration keep working (recorded by hash), then leave the outbox
-- rows already relayed and the notifications with nothing left to deliver.
INSERT INTO prom_link (token_hash, request_id, patient_id, created_at)
SELECT prom_link_hash(payload->>'link'), COALESCE(payload->'reason'->'evidence'->>'requestId', ''), patient_id, created_at
  FROM outbox WHERE topic = 'care-notifications' AND payload ? 'link' AND substring(payload->>'link' FROM '/p/([^/?#]+)$') IS NOT NULL
ON CONFLICT (token_hash) DO NOTHING;
INSERT INTO prom_link (token_hash, request_id, patient_id, created_at)
SELECT prom_link_hash(payload->>'link'), COALESCE(payload->'reason'->'evidence'->>'requestId', ''), patient_id, created_at
  FROM notification WHERE payload ? 'link' AND substring(payload->>'link' FROM '/p/([^/?#]+)$') IS NOT NULL
ON CONFLICT (token_hash) DO NOTHING;
UPDATE outbox SET payload = payload - 'link' WHERE sent_at IS NOT NULL AND payload ? 'link';
UPDATE notification n SET payload = n.payload - 'link'
 WHERE n.payload ? 'link'
   AND NOT EXISTS (SELECT 1 FROM notification_delivery d WHERE d.notification_id = n.id AND d.status IN ('pending', 'sending', 'parked'));

-- Grants (ADR 0015, migration 012): the API reads the hashes; the worker records them only through
-- the trigger above (as the table owner); nobody else sees them.
REVOKE ALL ON prom_link FROM PUBLIC;
GRANT SELECT ON prom_link TO tandem_api;
