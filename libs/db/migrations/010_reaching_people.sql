-- Reaching people (docs/patient-page.md, docs/notifications.md): what became of PROM-page links, and
-- every notification as the notifier delivers it, per channel.

-- A request answered from its link: the link cannot be used again.
CREATE TABLE prom_link_use (
  request_id    text PRIMARY KEY,
  patient_id    text NOT NULL,
  used_at       timestamptz NOT NULL DEFAULT now(),
  response_ids  text[] NOT NULL
);

-- A link withdrawn by staff (sent to the wrong person, or no longer wanted) before it was used.
CREATE TABLE prom_link_revocation (
  request_id  text PRIMARY KEY,
  patient_id  text NOT NULL,
  revoked_at  timestamptz NOT NULL DEFAULT now(),
  revoked_by  text NOT NULL,
  reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500)
);

-- One row per notification id (idempotency: a record read twice from care-notifications is one row).
-- `payload` is the record as queued (its link included) for the deliveries still to make.
CREATE TABLE notification (
  id              uuid PRIMARY KEY,
  patient_id      text NOT NULL,
  kind            text NOT NULL,
  recipient_role  text NOT NULL,
  recipient_id    text,
  task_id         uuid,
  created_at      timestamptz NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  payload         jsonb NOT NULL,
  -- Set when the notification was not delivered at all, with why (e.g. the patient has died).
  dropped_at      timestamptz,
  dropped_why     text
);
CREATE INDEX notification_patient ON notification (patient_id, created_at DESC);
CREATE INDEX notification_recipient ON notification (recipient_role, recipient_id, created_at DESC);

-- One row per channel a notification goes by. `sending` holds a lease: a notifier killed mid-send
-- leaves it to expire and the delivery is tried again (at least once, with the same Message-ID).
CREATE TABLE notification_delivery (
  notification_id  uuid NOT NULL REFERENCES notification (id),
  channel          text NOT NULL CHECK (channel IN ('email', 'sms', 'in-app')),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'parked', 'dropped')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  lease_until      timestamptz,
  -- Why it waits (quiet hours), failed last (the channel's error) or was parked or dropped; never contact details.
  why              text,
  -- Who it went to in words ("the oncology team's mailbox", "the patient's phone"), never the address itself.
  delivered_to     text,
  delivered_at     timestamptz,
  PRIMARY KEY (notification_id, channel)
);
CREATE INDEX notification_delivery_due ON notification_delivery (next_attempt_at) WHERE status IN ('pending', 'sending');
