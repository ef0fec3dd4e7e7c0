-- Practitioners who hold consultations (charter commitment 2.12): their
-- profession, their qualifications and the kinds of condition they
-- understand, so a consultation can be matched to the client's conditions.
CREATE TABLE practitioners (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,            -- their profession, as clients are told it
    active     BOOLEAN NOT NULL,         -- false: holds no new consultations
    version    INTEGER NOT NULL,         -- 1 when added, one more with each edit
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Qualifications and registrations, in the order given: "Registered nurse (NMC)".
CREATE TABLE practitioner_qualifications (
    practitioner_id TEXT NOT NULL REFERENCES practitioners (id),
    position        INTEGER NOT NULL,
    qualification   TEXT NOT NULL,
    PRIMARY KEY (practitioner_id, position)
);

-- The condition categories a practitioner understands (casework.Conditions).
CREATE TABLE practitioner_specialisms (
    practitioner_id TEXT NOT NULL REFERENCES practitioners (id),
    specialism      TEXT NOT NULL,
    PRIMARY KEY (practitioner_id, specialism)
);

CREATE INDEX practitioner_specialisms_by_condition ON practitioner_specialisms (specialism, practitioner_id);
