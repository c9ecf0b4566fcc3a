-- The API's rate limits, shared by every API replica (they were counted in each process's memory, so
-- N replicas let a client make N times the limit). One row per limiter and client: the hits in the
-- client's current window and when that window ends; a hit after the end starts a new window (as
-- express-rate-limit's memory store counted). `key` is `<limiter>:<HMAC of the client>`, never an
-- address, a token or a patient (apps/api/src/rate-limit-store.ts).
--
-- UNLOGGED: a counter that lives a minute needs no WAL; each hit then costs no log flush at commit.
-- After a crash or on a promoted standby the table is empty: every client starts a fresh window.
CREATE UNLOGGED TABLE rate_limit_counter (
  key        text PRIMARY KEY CHECK (length(key) <= 64),
  hits       integer NOT NULL CHECK (hits >= 0),
  resets_at  timestamptz NOT NULL
);
-- Pruning windows that are over (the API does it at most once a minute per replica).
CREATE INDEX rate_limit_counter_resets_at ON rate_limit_counter (resets_at);

-- The API alone counts (ADR 0015): the upsert reads and updates the row it hits, and the API deletes
-- the counters whose window is over.
GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_counter TO tandem_api;
