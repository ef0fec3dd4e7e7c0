-- Staff who sign in with an email address and a password (argon2id hash).
CREATE TABLE staff_users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,  -- stored lower-case
    role          TEXT NOT NULL,         -- caseworker | manager | admin
    password_hash TEXT NOT NULL,         -- PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash
    created_at    BIGINT NOT NULL,
    disabled_at   BIGINT NOT NULL        -- 0 while the account may sign in
);

-- Server-side sessions. The cookie holds a random id; only its hash is kept,
-- so a copy of the database cannot be used to sign in.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,            -- staff | client
    subject    TEXT NOT NULL,            -- staff user id, or the application reference
    role       TEXT NOT NULL,
    name       TEXT NOT NULL,            -- what the header shows
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL           -- absolute limit, whatever the activity
);

CREATE INDEX sessions_expiry ON sessions (expires_at);

-- One-time codes for clients signing in; only a hash of the code is kept.
CREATE TABLE sign_in_codes (
    id         TEXT PRIMARY KEY,         -- held in a short-lived cookie while the client types the code
    app_ref    TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT NOT NULL           -- 0 until used
);

-- Messages carrying sign-in codes, until notifications are built: staff can
-- read them on the outbox page, and tests read them here.
CREATE TABLE code_outbox (
    id         {{ID}},
    app_ref    TEXT NOT NULL,
    channel    TEXT NOT NULL,            -- email | sms | letter
    recipient  TEXT NOT NULL,            -- masked: a***@example.org
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Failed sign-in attempts, counted per key (an address, a reference, an
-- email) over the last hour to refuse guessing.
CREATE TABLE auth_failures (
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);

CREATE INDEX auth_failures_key_at ON auth_failures (key, at);

-- Who looked at or changed which case, and when.
CREATE TABLE audit_log (
    id         {{ID}},
    at         BIGINT NOT NULL,
    actor_kind TEXT NOT NULL,            -- staff | client | supporter | token
    actor_id   TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    app_ref    TEXT NOT NULL,
    action     TEXT NOT NULL             -- viewed | recorded <event> | …
);

CREATE INDEX audit_log_app ON audit_log (app_ref, at);
