-- Our deadline to look again at a decision the client challenged, while a
-- request for a re-determination is open (0: none), so the work queue can
-- list re-determinations by their deadline.
ALTER TABLE applications ADD COLUMN challenge_due INTEGER NOT NULL DEFAULT 0;

CREATE INDEX applications_challenge_due ON applications (challenge_due, ref) WHERE challenge_due > 0;
