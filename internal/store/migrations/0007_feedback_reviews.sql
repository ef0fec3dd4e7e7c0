-- Charter versions, feedback and complaints, and review rounds.

-- What we know about each published charter version besides its text (the
-- text is in documents, kind 'charter'): the version it replaced, why, and
-- how it was published. A version loaded before this table existed has no
-- row; the history page says less about it.
CREATE TABLE charter_versions (
    version      TEXT PRIMARY KEY,
    based_on     TEXT NOT NULL,         -- the version it replaced; '' for the first
    published_on INTEGER NOT NULL,      -- the date it took effect, days since 1970-01-01
    published_at BIGINT NOT NULL,       -- when it was stored, unix microseconds
    how          TEXT NOT NULL,         -- loaded | draft
    reason       TEXT NOT NULL,         -- why, for the whole version
    round_id     TEXT NOT NULL,         -- the review round behind it, or ''
    published_by TEXT NOT NULL
);

-- Why each commitment changed in a version, as the draft's proposal said.
CREATE TABLE charter_changes (
    version        TEXT NOT NULL,
    commitment_key TEXT NOT NULL,
    reason         TEXT NOT NULL,
    evidence       TEXT NOT NULL,       -- comment ids joined by '|'
    PRIMARY KEY (version, commitment_key)
);

-- Feedback and complaints from the public form. Contact details are
-- personal data: staff pages only, never logged.
CREATE TABLE feedback_items (
    id              TEXT PRIMARY KEY,   -- FB-XXXX-XXXX, the reference the person keeps
    kind            TEXT NOT NULL,      -- feedback | complaint
    received_on     INTEGER NOT NULL,
    received_at     BIGINT NOT NULL,
    charter_version TEXT NOT NULL,      -- the version the person chose commitments from
    something_else  BOOLEAN NOT NULL,
    verdict         TEXT NOT NULL,      -- met | not-met | ''
    app_ref         TEXT NOT NULL,      -- an application reference, or ''
    body            TEXT NOT NULL,      -- what happened, in their words
    contact_name    TEXT NOT NULL,
    contact_email   TEXT NOT NULL,
    contact_phone   TEXT NOT NULL
);

CREATE INDEX feedback_items_received ON feedback_items (received_on);

-- The commitments an item is about, by stable key and by the number the
-- person saw, so counts follow a commitment through renumbering.
CREATE TABLE feedback_commitments (
    item_id        TEXT NOT NULL REFERENCES feedback_items (id),
    position       INTEGER NOT NULL,
    commitment_key TEXT NOT NULL,
    commitment_id  TEXT NOT NULL,
    PRIMARY KEY (item_id, position)
);

CREATE INDEX feedback_commitments_key ON feedback_commitments (commitment_key);

-- A complaint's steps: append-only, folded by internal/feedback.
CREATE TABLE complaint_events (
    item_id     TEXT NOT NULL REFERENCES feedback_items (id),
    seq         INTEGER NOT NULL,
    type        TEXT NOT NULL,
    on_date     INTEGER NOT NULL,
    outcome     TEXT NOT NULL,
    note        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (item_id, seq)
);

-- One row per complaint, rewritten with every step: where it is and the
-- next date we owe the person, so staff can list what is due by index.
CREATE TABLE complaints (
    item_id  TEXT PRIMARY KEY REFERENCES feedback_items (id),
    status   TEXT NOT NULL,
    stage    INTEGER NOT NULL,
    next_due INTEGER NOT NULL,          -- 0 when we owe nothing
    version  INTEGER NOT NULL           -- how many events
);

CREATE INDEX complaints_due ON complaints (next_due);

-- Review rounds. The definition (statements, codebook, commitments gone
-- through) is the round as JSON; participants have a table of their own
-- so that answers and comments must name one.
CREATE TABLE review_rounds (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    starts          INTEGER NOT NULL,
    ends            INTEGER NOT NULL,
    charter_version TEXT NOT NULL,
    definition      TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE TABLE review_participants (
    round_id TEXT NOT NULL REFERENCES review_rounds (id),
    id       TEXT NOT NULL,             -- anonymous: P3, C12
    type     TEXT NOT NULL,             -- partner-organisation | client-group | staff
    PRIMARY KEY (round_id, id)
);

-- Answers to agree/disagree statements: 1 to 5, or 6 for don't know.
CREATE TABLE review_answers (
    round_id    TEXT NOT NULL,
    participant TEXT NOT NULL,
    statement   TEXT NOT NULL,
    scale       INTEGER NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (round_id, participant, statement),
    FOREIGN KEY (round_id, participant) REFERENCES review_participants (round_id, id)
);

-- Coded comments from surveys, interviews and workshops.
CREATE TABLE review_comments (
    round_id       TEXT NOT NULL,
    id             TEXT NOT NULL,       -- W2-014: proposals cite it
    seq            INTEGER NOT NULL,    -- the order they were recorded in
    participant    TEXT NOT NULL,
    commitment_key TEXT NOT NULL,       -- '' for a comment on the charter as a whole
    commitment_id  TEXT NOT NULL,
    source         TEXT NOT NULL,       -- survey | interview | workshop
    body           TEXT NOT NULL,
    themes         TEXT NOT NULL,       -- theme ids joined by '|'
    sentiment      TEXT NOT NULL,       -- positive | negative | mixed
    quotable       BOOLEAN NOT NULL,
    recorded_at    BIGINT NOT NULL,
    PRIMARY KEY (round_id, id),
    FOREIGN KEY (round_id, participant) REFERENCES review_participants (round_id, id)
);

-- Draft revisions of the charter, by the version they would publish, and
-- their proposals, each with its reason and evidence.
CREATE TABLE review_drafts (
    version      TEXT PRIMARY KEY,
    base_version TEXT NOT NULL,
    round_id     TEXT NOT NULL,
    published_on INTEGER NOT NULL,
    renumber     BOOLEAN NOT NULL,
    status       TEXT NOT NULL,         -- draft | published
    saved_at     BIGINT NOT NULL,
    published_at BIGINT NOT NULL        -- 0 until published
);

CREATE TABLE review_proposals (
    draft_version TEXT NOT NULL REFERENCES review_drafts (version),
    position      INTEGER NOT NULL,
    change        TEXT NOT NULL,        -- reword | add | remove
    commitment    TEXT NOT NULL,        -- a key
    section       INTEGER NOT NULL,
    after_key     TEXT NOT NULL,
    body          TEXT NOT NULL,        -- the new text
    terms         TEXT NOT NULL,        -- JSON: null keeps the old terms
    reason        TEXT NOT NULL,
    evidence      TEXT NOT NULL,        -- comment ids joined by '|'
    PRIMARY KEY (draft_version, position)
);
