package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/message"
)

// NewNotification is a message to queue with the events that cause it.
type NewNotification struct {
	Key        string // REF/seq/kind/channel: unique, and the idempotency key at the provider
	EventSeq   int
	Kind       message.Kind
	Channel    message.Channel
	Recipient  string
	Subject    string
	Body       string
	LargePrint bool
	Status     message.Status // queued, needs_human or not_sent
	Reason     string
	SendAfter  time.Time
}

// Notification is a message in the outbox.
type Notification struct {
	ID         int64
	Key        string
	Ref        casework.Reference
	EventSeq   int
	Kind       message.Kind
	Channel    message.Channel
	Recipient  string
	Subject    string
	Body       string
	LargePrint bool
	Status     message.Status
	Reason     string
	Attempts   int
	SendAfter  time.Time
	ProviderID string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// NotificationLogEntry is one change of a message's status.
type NotificationLogEntry struct {
	At     time.Time
	Status message.Status
	Detail string
}

const notificationColumns = `id, key, app_ref, event_seq, kind, channel, recipient, subject, body, large_print,
	status, reason, attempts, send_after, provider_id, created_at, updated_at`

const sqlInsertNotification = `INSERT INTO notifications (key, app_ref, event_seq, kind, channel, recipient, subject,
	body, large_print, status, status_rank, reason, attempts, send_after, lease_until, provider_id, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, 0, '', $14, $14)`

// sqlInsertNotificationAtVersion is the PostgreSQL batch form: it writes
// only if the application reached the version the append expects.
const sqlInsertNotificationAtVersion = `INSERT INTO notifications (key, app_ref, event_seq, kind, channel, recipient,
	subject, body, large_print, status, status_rank, reason, attempts, send_after, lease_until, provider_id, created_at, updated_at)
	SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, 0, '', $14, $14
	WHERE EXISTS (SELECT 1 FROM applications WHERE ref = $15 AND version = $16)`

func (n NewNotification) args(ref casework.Reference, now int64) []any {
	return []any{n.Key, string(ref), n.EventSeq, string(n.Kind), string(n.Channel), n.Recipient, n.Subject, n.Body,
		n.LargePrint, string(n.Status), n.Status.Rank(), n.Reason, micros(n.SendAfter), now}
}

func (s *Store) insertNotifications(ctx context.Context, tx *sql.Tx, ref casework.Reference, ns []NewNotification) error {
	now := micros(s.now())
	for _, n := range ns {
		if _, err := tx.ExecContext(ctx, sqlInsertNotification, n.args(ref, now)...); err != nil {
			return fmt.Errorf("queue %s: %w", n.Key, err)
		}
	}
	return nil
}

// sendable are the statuses the worker claims from.
const sendable = `status IN ('queued', 'sending', 'failed_temporary')`

// ClaimNotifications takes up to limit messages that are due at now and
// that no worker holds, and holds them until now+lease: a worker that dies
// lets go when the lease ends, and another takes them. On PostgreSQL, FOR
// UPDATE SKIP LOCKED lets several workers claim at once without waiting
// for each other; SQLite has one writer, so claims take turns.
func (s *Store) ClaimNotifications(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Notification, error) {
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	q := `UPDATE notifications SET status = 'sending', status_rank = 1, attempts = attempts + 1, lease_until = $1, updated_at = $2
		WHERE id IN (SELECT id FROM notifications WHERE ` + sendable + ` AND send_after <= $2 AND lease_until <= $2
			ORDER BY send_after, id LIMIT $3` + lock + `)
		RETURNING ` + notificationColumns
	st, err := s.prepare(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("claim notifications: %w", err)
	}
	rows, err := st.QueryContext(ctx, micros(now.Add(lease)), micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim notifications: %w", err)
	}
	out, err := scanNotifications(rows)
	if err != nil {
		return nil, fmt.Errorf("claim notifications: %w", err)
	}
	return out, nil
}

// NextNotificationDue is when the first message still to send falls due
// (or its lease runs out), and whether there is one; a worker sleeps until
// then.
func (s *Store) NextNotificationDue(ctx context.Context) (time.Time, bool, error) {
	var sendAfter, leaseUntil int64
	err := s.read.QueryRowContext(ctx, `SELECT send_after, lease_until FROM notifications WHERE `+sendable+`
		ORDER BY send_after, id LIMIT 1`).Scan(&sendAfter, &leaseUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next notification: %w", err)
	}
	return fromMicros(max(sendAfter, leaseUntil)), true, nil
}

// NotificationResult is what became of one try at sending a message.
type NotificationResult struct {
	ID         int64
	Status     message.Status // sent, failed_temporary (tried again at RetryAt) or failed_permanent
	ProviderID string
	Reason     string
	RetryAt    time.Time
}

// FinishSend records how one claimed message's send went.
func (s *Store) FinishSend(ctx context.Context, id int64, r NotificationResult) error {
	r.ID = id
	return s.FinishSends(ctx, []NotificationResult{r})
}

// finishChunk keeps each statement's parameters well under SQLite's limit.
const finishChunk = 100

// FinishSends records how a batch of claimed messages' sends went, in one
// transaction. A row changes only while it is still being sent, so a
// delivery receipt that arrived first is not undone. Failures and retries
// go in the status log too; a plain "sent" is on the row.
func (s *Store) FinishSends(ctx context.Context, rs []NotificationResult) error {
	for _, r := range rs {
		if r.Status != message.StatusSent && r.Status != message.StatusRetrying && r.Status != message.StatusFailed {
			return fmt.Errorf("finish send %d: %q is not how a send ends", r.ID, r.Status)
		}
	}
	now := micros(s.now())
	// Each chunk is one UPDATE joined to a VALUES list; its statement is
	// prepared once for each chunk size (almost always the full one).
	type chunk struct {
		update *sql.Stmt
		args   []any
		logs   []string
		logArg []any
	}
	var chunks []chunk
	for start := 0; start < len(rs); start += finishChunk {
		part := rs[start:min(start+finishChunk, len(rs))]
		var vals []string
		var c chunk
		for _, r := range part {
			var retryAt int64
			if !r.RetryAt.IsZero() {
				retryAt = micros(r.RetryAt)
			}
			p := s.params(len(c.args)+1, 6)
			vals = append(vals, "(CAST("+p[0]+" AS BIGINT), CAST("+p[1]+" AS TEXT), CAST("+p[2]+" AS INTEGER), CAST("+
				p[3]+" AS TEXT), CAST("+p[4]+" AS TEXT), CAST("+p[5]+" AS BIGINT))")
			c.args = append(c.args, r.ID, string(r.Status), r.Status.Rank(), r.Reason, r.ProviderID, retryAt)
			if r.Status != message.StatusSent {
				c.logs = append(c.logs, "("+strings.Join(s.params(len(c.logArg)+1, 4), ", ")+")")
				c.logArg = append(c.logArg, r.ID, now, string(r.Status), r.Reason)
			}
		}
		c.args = append(c.args, now)
		q := `WITH v (id, status, rank, reason, provider, retry) AS (VALUES ` + strings.Join(vals, ", ") + `)
			UPDATE notifications SET status = v.status, status_rank = v.rank, reason = v.reason,
				provider_id = CASE WHEN v.provider = '' THEN notifications.provider_id ELSE v.provider END,
				send_after = CASE WHEN v.retry = 0 THEN notifications.send_after ELSE v.retry END,
				lease_until = 0, updated_at = ` + s.params(len(c.args), 1)[0] + `
			FROM v WHERE notifications.id = v.id AND notifications.status = 'sending'`
		st, err := s.prepare(ctx, q)
		if err != nil {
			return fmt.Errorf("finish sends: %w", err)
		}
		c.update = st
		chunks = append(chunks, c)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, c := range chunks {
			if _, err := tx.StmtContext(ctx, c.update).ExecContext(ctx, c.args...); err != nil {
				return fmt.Errorf("finish sends: %w", err)
			}
			if len(c.logs) > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO notification_log (notification_id, at, status, detail) VALUES `+
					strings.Join(c.logs, ", "), c.logArg...); err != nil {
					return fmt.Errorf("finish sends: %w", err)
				}
			}
		}
		return nil
	})
}

// MoveStatus moves a message to status if that is further on than where it
// is, finding it by its key or the provider's id. Callbacks from the
// provider may come twice or out of order; they never move a message back.
// It reports whether the status changed.
func (s *Store) MoveStatus(ctx context.Context, key, providerID string, status message.Status, detail string) (bool, error) {
	if !status.Valid() {
		return false, fmt.Errorf("move status: %q is not a status", status)
	}
	now := micros(s.now())
	var changed bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM notifications WHERE key = $1 OR (provider_id = $2 AND provider_id <> '')`,
			key, providerID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFound("there is no message with that reference")
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET status = $1, status_rank = $2, reason = $3, lease_until = 0,
			provider_id = CASE WHEN provider_id = '' THEN $4 ELSE provider_id END, updated_at = $5
			WHERE id = $6 AND status_rank < $2`, string(status), status.Rank(), detail, providerID, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		changed = true
		return logStatus(ctx, tx, id, now, status, detail)
	})
	return changed, err
}

// SentByHand records that a person prepared and sent a message that needed
// one (Braille, a translation, an address found).
func (s *Store) SentByHand(ctx context.Context, id int64, detail string) error {
	now := micros(s.now())
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET status = 'sent', status_rank = 2, reason = $1, updated_at = $2
			WHERE id = $3 AND status IN ('needs_human', 'failed_permanent')`, detail, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.Conflict("this message does not need a person any more; reload the page")
		}
		return logStatus(ctx, tx, id, now, message.StatusSent, detail)
	})
}

func logStatus(ctx context.Context, tx *sql.Tx, id, at int64, status message.Status, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO notification_log (notification_id, at, status, detail) VALUES ($1, $2, $3, $4)`,
		id, at, string(status), detail)
	return err
}

// Notifications lists an application's messages, newest first.
func (s *Store) Notifications(ctx context.Context, ref casework.Reference) ([]Notification, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE app_ref = $1 ORDER BY id DESC`, string(ref))
	if err != nil {
		return nil, fmt.Errorf("notifications %s: %w", ref, err)
	}
	return scanNotifications(rows)
}

// Notification returns one message.
func (s *Store) Notification(ctx context.Context, id int64) (Notification, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE id = $1`, id)
	if err != nil {
		return Notification{}, fmt.Errorf("notification %d: %w", id, err)
	}
	ns, err := scanNotifications(rows)
	if err != nil {
		return Notification{}, err
	}
	if len(ns) == 0 {
		return Notification{}, errs.NotFound("there is no message %d", id)
	}
	return ns[0], nil
}

// NeedingAttention lists messages a person must act on: those that need a
// person to prepare them, and those that failed for good. Oldest first.
func (s *Store) NeedingAttention(ctx context.Context, limit int) ([]Notification, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE status IN ('needs_human', 'failed_permanent') ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("messages needing attention: %w", err)
	}
	return scanNotifications(rows)
}

// NotificationLog lists a message's status changes, oldest first.
func (s *Store) NotificationLog(ctx context.Context, id int64) ([]NotificationLogEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT at, status, detail FROM notification_log WHERE notification_id = $1 ORDER BY at`, id)
	if err != nil {
		return nil, fmt.Errorf("notification log: %w", err)
	}
	defer rows.Close()
	var out []NotificationLogEntry
	for rows.Next() {
		var e NotificationLogEntry
		var at int64
		if err := rows.Scan(&at, &e.Status, &e.Detail); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// NotificationCounts counts messages by status.
func (s *Store) NotificationCounts(ctx context.Context) (map[message.Status]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT status, count(*) FROM notifications GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("notification counts: %w", err)
	}
	defer rows.Close()
	out := map[message.Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[message.Status(st)] = n
	}
	return out, rows.Err()
}

func scanNotifications(rows *sql.Rows) ([]Notification, error) {
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var ref, kind, channel, status string
		var sendAfter, created, updated int64
		if err := rows.Scan(&n.ID, &n.Key, &ref, &n.EventSeq, &kind, &channel, &n.Recipient, &n.Subject, &n.Body,
			&n.LargePrint, &status, &n.Reason, &n.Attempts, &sendAfter, &n.ProviderID, &created, &updated); err != nil {
			return nil, err
		}
		n.Ref, n.Kind, n.Channel, n.Status = casework.Reference(ref), message.Kind(kind), message.Channel(channel), message.Status(status)
		n.SendAfter, n.CreatedAt, n.UpdatedAt = fromMicros(sendAfter), fromMicros(created), fromMicros(updated)
		out = append(out, n)
	}
	return out, rows.Err()
}

// DueForCheck lists applications whose next timer has fallen due by
// today, earliest first.
func (s *Store) DueForCheck(ctx context.Context, today calendar.Date, limit int) ([]casework.Reference, error) {
	return s.refs(ctx, `SELECT ref FROM applications WHERE next_check_on > 0 AND next_check_on <= $1
		ORDER BY next_check_on, ref LIMIT $2`, int64(today), limit)
}

// NeverChecked lists open applications after the reference after whose
// timers were never worked out: those written before timers existed.
func (s *Store) NeverChecked(ctx context.Context, after casework.Reference, limit int) ([]casework.Reference, error) {
	return s.refs(ctx, `SELECT ref FROM applications WHERE next_check_on = 0 AND status = 'open' AND ref > $1
		ORDER BY ref LIMIT $2`, string(after), limit)
}

func (s *Store) refs(ctx context.Context, q string, args ...any) ([]casework.Reference, error) {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("applications to check: %w", err)
	}
	defer rows.Close()
	var out []casework.Reference
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, err
		}
		out = append(out, casework.Reference(ref))
	}
	return out, rows.Err()
}

// SetNextCheck records an application's next timer date without an event,
// if the application is still at version.
func (s *Store) SetNextCheck(ctx context.Context, ref casework.Reference, version int, next calendar.Date) error {
	_, err := s.write.ExecContext(ctx, `UPDATE applications SET next_check_on = $1 WHERE ref = $2 AND version = $3`,
		int64(next), string(ref), version)
	if err != nil {
		return fmt.Errorf("next check %s: %w", ref, err)
	}
	return nil
}

// RecipientLines splits a stored letter recipient into address lines.
func RecipientLines(recipient string) []string { return strings.Split(recipient, "\n") }
