-- Charter and benefit catalogues as published documents (YAML), by version.
CREATE TABLE documents (
    kind       TEXT NOT NULL,           -- charter | benefits | holidays
    version    TEXT NOT NULL,
    body       TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    loaded_at  BIGINT NOT NULL,         -- unix microseconds
    PRIMARY KEY (kind, version)
);

-- One row per application: a projection of its events, rewritten in the same
-- transaction as every append, so the work queue can be read with an index.
CREATE TABLE applications (
    ref          TEXT PRIMARY KEY,
    benefit      TEXT NOT NULL,
    status       TEXT NOT NULL,         -- open | decided | withdrawn
    stage        TEXT NOT NULL,
    client_name  TEXT NOT NULL,
    area         TEXT NOT NULL,
    received_on  INTEGER NOT NULL,      -- days since 1970-01-01
    decide_by    INTEGER NOT NULL,
    at_risk_from INTEGER NOT NULL,
    paused       BOOLEAN NOT NULL,
    closed_on    INTEGER NOT NULL,      -- 0 while open
    version      INTEGER NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE INDEX applications_queue ON applications (status, paused, decide_by, ref);

-- The append-only event log. seq numbers each application's events from 1.
CREATE TABLE events (
    id          {{ID}},
    app_ref     TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    type        TEXT NOT NULL,
    at          BIGINT NOT NULL,        -- when it happened, unix microseconds
    on_date     INTEGER NOT NULL,       -- the London date it happened on
    actor       TEXT NOT NULL,
    body        TEXT NOT NULL,          -- JSON
    recorded_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX events_app_seq ON events (app_ref, seq);
CREATE INDEX events_type_date ON events (type, on_date);

-- API tokens for staff and systems; only a hash of each token is kept.
CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT NOT NULL          -- 0 while valid
);

-- Responses to POSTs sent with an Idempotency-Key, written in the same
-- transaction as the change, so a replay returns the first response.
CREATE TABLE idempotency_keys (
    scope      TEXT NOT NULL,           -- who and where: token id, method, path
    key        TEXT NOT NULL,
    request    TEXT NOT NULL,           -- hash of the request body
    status     INTEGER NOT NULL,
    response   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
