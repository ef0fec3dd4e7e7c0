-- The outbox: every message to a client (or to staff), written in the same
-- transaction as the event that causes it, then delivered by a worker.
-- key is the idempotency key: REF/seq/kind/channel, given to the provider
-- with every try so that a retry after a crash is not a second message.
CREATE TABLE notifications (
    id           {{ID}},
    key          TEXT NOT NULL UNIQUE,
    app_ref      TEXT NOT NULL,
    event_seq    INTEGER NOT NULL,
    kind         TEXT NOT NULL,            -- message.Kind: the template
    channel      TEXT NOT NULL,            -- email | sms | letter | staff | none
    recipient    TEXT NOT NULL,            -- an email address, a phone number, or address lines; '' for staff
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,            -- rendered when the event was recorded
    large_print  BOOLEAN NOT NULL,
    status       TEXT NOT NULL,            -- message.Status
    status_rank  INTEGER NOT NULL,         -- statuses only move to a higher rank
    reason       TEXT NOT NULL,            -- why it failed, needs a person, or was not sent
    attempts     INTEGER NOT NULL,
    send_after   BIGINT NOT NULL,          -- unix microseconds: not before this
    lease_until  BIGINT NOT NULL,          -- a worker holds it until then; 0 when none does
    provider_id  TEXT NOT NULL,            -- the provider's id for it, once accepted
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- What the worker claims: only rows still to send, by when they are due.
CREATE INDEX notifications_due ON notifications (send_after, id)
    WHERE status IN ('queued', 'sending', 'failed_temporary');
CREATE INDEX notifications_app ON notifications (app_ref, id);
-- What staff must act on.
CREATE INDEX notifications_attention ON notifications (status, id)
    WHERE status IN ('needs_human', 'failed_permanent');

-- Every change of a message's status, with the detail (a provider's
-- reason, who sent it by hand), for the staff case page.
CREATE TABLE notification_log (
    notification_id BIGINT NOT NULL,
    at              BIGINT NOT NULL,
    status          TEXT NOT NULL,
    detail          TEXT NOT NULL
);

CREATE INDEX notification_log_by ON notification_log (notification_id, at);

-- The first date one of the application's timers falls due (no news for
-- too long, at risk, missed, a reminder, a re-determination deadline), so
-- the sweep finds due applications by index. 0: none.
ALTER TABLE applications ADD COLUMN next_check_on INTEGER NOT NULL DEFAULT 0;

CREATE INDEX applications_next_check ON applications (next_check_on) WHERE next_check_on > 0;
