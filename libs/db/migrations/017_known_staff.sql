-- Who is a known member of staff (ADR 0004, issue 26): the API checks that a key worker named at
-- completion is an identity it has admitted with a care role. It reads only who, with which roles
-- and with what outcome, never what was done or to which patient (the audit stays append-only).
GRANT SELECT (actor, roles, status) ON audit TO tandem_api;
