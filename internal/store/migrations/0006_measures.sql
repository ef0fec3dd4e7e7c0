-- The charter measurement framework (charter commitments in every section).

-- Case facts: one row per application, worked out from its whole event log
-- by measure.FactsOf and rewritten in the same transaction as every append
-- (and written with each application by the bulk path), so the facts never
-- disagree with the events. Measures are computed in one pass over these
-- rows rather than over every event. The columns are measure.FactFields,
-- in its order (with last_on after the reference): dates are day numbers
-- (0 when the thing did not happen),
-- counts are whole numbers, flags are yes or no. A change to the facts
-- needs a new migration and `charter facts rebuild`. On SQLite the table is
-- kept in reference order with no other index, so an append rewrites one
-- page of it: every index is one more page written with every event.
CREATE TABLE case_facts (
    ref                            TEXT     PRIMARY KEY,
    -- The latest of the dates below, kept next to the reference so that
    -- reading a year's rows skips older ones after looking at two columns,
    -- not every date (no index: every index is one more page written with
    -- every event).
    last_on                        INTEGER  NOT NULL,
    benefit                        TEXT     NOT NULL,
    area                           TEXT     NOT NULL,
    age_band                       TEXT     NOT NULL,
    channel                        TEXT     NOT NULL,
    status                         TEXT     NOT NULL,
    received_on                    INTEGER  NOT NULL,
    acknowledge_due                INTEGER  NOT NULL,
    acknowledged_on                INTEGER  NOT NULL,
    acknowledged_in_time           BOOLEAN  NOT NULL,
    decision_due                   INTEGER  NOT NULL,
    decided_on                     INTEGER  NOT NULL,
    outcome                        TEXT     NOT NULL,
    working_days_to_decision       INTEGER  NOT NULL,
    paused_working_days            INTEGER  NOT NULL,
    pauses                         INTEGER  NOT NULL,
    decided_in_time                BOOLEAN  NOT NULL,
    reasons_for_every_criterion    BOOLEAN  NOT NULL,
    date_revised_on                INTEGER  NOT NULL,
    date_revised_in_time           BOOLEAN  NOT NULL,
    withdrawn_on                   INTEGER  NOT NULL,
    closed_on                      INTEGER  NOT NULL,
    longest_silence                INTEGER  NOT NULL,
    silence_limit                  INTEGER  NOT NULL,
    silence_kept                   BOOLEAN  NOT NULL,
    information_requests           INTEGER  NOT NULL,
    client_requests                INTEGER  NOT NULL,
    requests_answered              INTEGER  NOT NULL,
    requests_answered_by_due       INTEGER  NOT NULL,
    redetermination_requested_on   INTEGER  NOT NULL,
    redetermination_requests       INTEGER  NOT NULL,
    late_request                   BOOLEAN  NOT NULL,
    late_requests_refused          INTEGER  NOT NULL,
    redetermination_due            INTEGER  NOT NULL,
    redetermination_decided_on     INTEGER  NOT NULL,
    redetermination_in_time        BOOLEAN  NOT NULL,
    redetermination_outcome        TEXT     NOT NULL,
    redetermination_changed        BOOLEAN  NOT NULL,
    appeal_lodged_on               INTEGER  NOT NULL,
    appeal_decided_on              INTEGER  NOT NULL,
    appeal_outcome                 TEXT     NOT NULL,
    consultation_proposed_on       INTEGER  NOT NULL,
    consultations_proposed         INTEGER  NOT NULL,
    consultations_with_reason      INTEGER  NOT NULL,
    consultations_client_asked     INTEGER  NOT NULL,
    consultations_scheduled        INTEGER  NOT NULL,
    consultations_matched          INTEGER  NOT NULL,
    consultations_held             INTEGER  NOT NULL,
    consultations_cancelled        INTEGER  NOT NULL,
    first_referral_on              INTEGER  NOT NULL,
    referrals                      INTEGER  NOT NULL,
    referrals_with_consent         INTEGER  NOT NULL,
    signposts                      INTEGER  NOT NULL,
    supporters                     INTEGER  NOT NULL,
    advocates                      INTEGER  NOT NULL,
    -- The application's version (its number of events) the facts were
    -- worked out at: a write never replaces facts of a later version, so a
    -- rebuild racing an append cannot put older facts back.
    version                        INTEGER  NOT NULL
){{WITHOUT ROWID}};

-- Survey answers, imported from CSV (charter import survey), all or nothing.
CREATE TABLE survey_imports (
    id          {{ID}},
    period      TEXT NOT NULL,             -- the period the file was imported for: 2025-26 or 2025-26 Q3
    source      TEXT NOT NULL,             -- the file's name, as given
    responses   INTEGER NOT NULL,
    imported_at BIGINT NOT NULL
);

CREATE TABLE survey_responses (
    import_id   BIGINT NOT NULL REFERENCES survey_imports (id),
    response_id TEXT NOT NULL,             -- as the file gave it
    year        INTEGER NOT NULL,          -- the financial year it counts in: 2025 for 2025-26
    period      TEXT NOT NULL,             -- 2025-26 or 2025-26 Q3
    answered_on INTEGER NOT NULL,          -- a day number when the file gave a date; 0 when not
    respondent  TEXT NOT NULL,             -- client | partner organisation | staff | '' when not given
    answers     TEXT NOT NULL,             -- JSON: {"question-id": 1 to 5}, blanks left out
    PRIMARY KEY (year, response_id)
);

-- What a measure's figures mean and why, for one period, in the words of
-- the people who run the service.
CREATE TABLE measure_narratives (
    measure    TEXT NOT NULL,              -- the measure's id
    period     TEXT NOT NULL,              -- a financial year: 2025-26
    text       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (measure, period)
);

-- Qualitative evidence about a commitment: what someone said or what we
-- found, where it came from and when.
CREATE TABLE measure_evidence (
    id         {{ID}},
    commitment TEXT NOT NULL,
    text       TEXT NOT NULL,
    source     TEXT NOT NULL,
    on_date    INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX measure_evidence_by_date ON measure_evidence (on_date, id);

-- The improvement plan: what will change where we fall short, who is
-- responsible, by when, and how it is going.
CREATE TABLE improvement_actions (
    id          {{ID}},
    what        TEXT NOT NULL,
    owner       TEXT NOT NULL,             -- a role or a team
    due_on      INTEGER NOT NULL,
    status      TEXT NOT NULL,             -- planned | in progress | done | dropped
    measures    TEXT NOT NULL,             -- measure ids joined by '|'
    commitments TEXT NOT NULL,             -- commitment ids joined by '|'
    version     INTEGER NOT NULL,          -- 1 when added, one more with each change
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE action_progress (
    action_id  BIGINT NOT NULL REFERENCES improvement_actions (id),
    position   INTEGER NOT NULL,           -- 1 for the first note
    on_date    INTEGER NOT NULL,
    text       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (action_id, position)
);

-- "You said, we did": what people told us, and what we did about it.
CREATE TABLE you_said_we_did (
    id          {{ID}},
    said        TEXT NOT NULL,
    did         TEXT NOT NULL,
    on_date     INTEGER NOT NULL,
    measures    TEXT NOT NULL,             -- ids joined by '|'
    commitments TEXT NOT NULL,
    actions     TEXT NOT NULL,             -- improvement action ids
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
