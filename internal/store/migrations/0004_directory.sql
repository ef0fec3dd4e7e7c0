-- The directory of organisations we refer clients to or tell them about
-- (charter commitments 1.10 and 1.11): independent advice, advocacy, money
-- advice and local services, with the areas they serve and how to contact
-- them. Referrals keep a copy of the entry in the event log.
CREATE TABLE directory_organisations (
    id          TEXT PRIMARY KEY,          -- a slug: citizens-advice-fife
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,             -- independent-advice | advocacy | money-advice | local-service | other
    areas       TEXT NOT NULL,             -- council areas joined by '|', or 'all of Scotland'
    phone       TEXT NOT NULL,
    email       TEXT NOT NULL,
    website     TEXT NOT NULL,
    description TEXT NOT NULL,
    active      BOOLEAN NOT NULL,          -- false: no new referrals
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
