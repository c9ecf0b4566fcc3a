-- Signing out revokes the session on the server (issue 26, finding 15): the API records the signed-out
-- token's id (its `jti`, or a hash of the token when it has none) until the token would have expired
-- anyway, and refuses it from then on. Rows past `expires_at` mean nothing and are pruned by the API.
CREATE TABLE session_revocation (
  token_id    text PRIMARY KEY CHECK (length(token_id) <= 200),
  actor       text NOT NULL,
  revoked_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX session_revocation_expiry ON session_revocation (expires_at);

-- The API alone reads and writes it (ADR 0015): it checks every bearer token against it, adds a row
-- on sign-out, and deletes rows whose token has expired.
GRANT SELECT, INSERT, DELETE ON session_revocation TO tandem_api;
