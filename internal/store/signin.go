package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/errs"
)

// StaffUser is a member of staff who signs in with a password.
type StaffUser struct {
	ID           string
	Email        string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
	Disabled     bool
}

// CreateStaffUser adds a member of staff. The email must be new.
func (s *Store) CreateStaffUser(ctx context.Context, u StaffUser) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO staff_users (id, email, role, password_hash, created_at, disabled_at)
			VALUES ($1, $2, $3, $4, $5, 0)`, u.ID, strings.ToLower(u.Email), u.Role, u.PasswordHash, micros(u.CreatedAt))
		if isUniqueViolation(err) {
			return errs.New(errs.KindConflict, "email", "there is already a member of staff with the email %s", u.Email)
		}
		return err
	})
}

// StaffUserByEmail finds a member of staff by email, enabled or not.
func (s *Store) StaffUserByEmail(ctx context.Context, email string) (StaffUser, error) {
	var u StaffUser
	var created, disabled int64
	err := s.read.QueryRowContext(ctx, `SELECT id, email, role, password_hash, created_at, disabled_at FROM staff_users WHERE email = $1`,
		strings.ToLower(email)).Scan(&u.ID, &u.Email, &u.Role, &u.PasswordHash, &created, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return u, errs.NotFound("there is no member of staff with that email")
	}
	if err != nil {
		return u, fmt.Errorf("staff user: %w", err)
	}
	u.CreatedAt, u.Disabled = fromMicros(created), disabled != 0
	return u, nil
}

// SessionRow is a stored session.
type SessionRow struct {
	IDHash    string
	Kind      string
	Subject   string
	Role      string
	Name      string
	CSRF      string
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, r SessionRow) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, kind, subject, role, name, csrf, created_at, last_seen, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, r.IDHash, r.Kind, r.Subject, r.Role, r.Name, r.CSRF,
			micros(r.CreatedAt), micros(r.LastSeen), micros(r.ExpiresAt))
		return err
	})
}

// Session returns a stored session by the hash of its id.
func (s *Store) Session(ctx context.Context, idHash string) (SessionRow, error) {
	var r SessionRow
	var created, seen, expires int64
	err := s.read.QueryRowContext(ctx, `SELECT id_hash, kind, subject, role, name, csrf, created_at, last_seen, expires_at
		FROM sessions WHERE id_hash = $1`, idHash).Scan(&r.IDHash, &r.Kind, &r.Subject, &r.Role, &r.Name, &r.CSRF, &created, &seen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.New(errs.KindUnauthorized, "", "you are not signed in")
	}
	if err != nil {
		return r, fmt.Errorf("session: %w", err)
	}
	r.CreatedAt, r.LastSeen, r.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
	return r, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen = $1 WHERE id_hash = $2`, micros(at), idHash)
		return err
	})
}

// DeleteSession ends a session, and any expired ones while it is there.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1 OR expires_at < $2`, idHash, micros(s.now())); err != nil {
			return err
		}
		return nil
	})
}

// SignInCode is a one-time code sent to a client.
type SignInCode struct {
	ID        string
	Ref       string
	CodeHash  string
	Attempts  int
	CreatedAt time.Time
	ExpiresAt time.Time
	Used      bool
}

// CreateSignInCode stores a code and the message that carries it, together.
func (s *Store) CreateSignInCode(ctx context.Context, c SignInCode, msg CodeMessage) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sign_in_codes (id, app_ref, code_hash, attempts, created_at, expires_at, used_at)
			VALUES ($1, $2, $3, 0, $4, $5, 0)`, c.ID, c.Ref, c.CodeHash, micros(c.CreatedAt), micros(c.ExpiresAt)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO code_outbox (app_ref, channel, recipient, body, created_at) VALUES ($1, $2, $3, $4, $5)`,
			msg.Ref, msg.Channel, msg.Recipient, msg.Body, micros(c.CreatedAt))
		return err
	})
}

// SignInCode returns a code by id.
func (s *Store) SignInCode(ctx context.Context, id string) (SignInCode, error) {
	var c SignInCode
	var created, expires, used int64
	err := s.read.QueryRowContext(ctx, `SELECT id, app_ref, code_hash, attempts, created_at, expires_at, used_at FROM sign_in_codes WHERE id = $1`,
		id).Scan(&c.ID, &c.Ref, &c.CodeHash, &c.Attempts, &created, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.NotFound("that code has expired; ask for a new one")
	}
	if err != nil {
		return c, fmt.Errorf("sign-in code: %w", err)
	}
	c.CreatedAt, c.ExpiresAt, c.Used = fromMicros(created), fromMicros(expires), used != 0
	return c, nil
}

// UseSignInCode marks a code used (ok) or counts a wrong attempt. It is
// atomic: a code can be used once, however many requests race for it.
func (s *Store) UseSignInCode(ctx context.Context, id string, correct bool) (used bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if !correct {
			_, err := tx.ExecContext(ctx, `UPDATE sign_in_codes SET attempts = attempts + 1 WHERE id = $1`, id)
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE sign_in_codes SET used_at = $1 WHERE id = $2 AND used_at = 0`, micros(s.now()), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		used = n == 1
		return err
	})
	return used, err
}

// CodeMessage is a message carrying a sign-in code.
type CodeMessage struct {
	ID        int64
	Ref       string
	Channel   string
	Recipient string // masked
	Body      string
	CreatedAt time.Time
}

// CodeMessages lists the newest messages in the code outbox.
func (s *Store) CodeMessages(ctx context.Context, limit int) ([]CodeMessage, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, app_ref, channel, recipient, body, created_at FROM code_outbox
		ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("code outbox: %w", err)
	}
	defer rows.Close()
	var out []CodeMessage
	for rows.Next() {
		var m CodeMessage
		var created int64
		if err := rows.Scan(&m.ID, &m.Ref, &m.Channel, &m.Recipient, &m.Body, &created); err != nil {
			return nil, err
		}
		m.CreatedAt = fromMicros(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// RecordAuthFailure counts one failed attempt against each key.
func (s *Store) RecordAuthFailure(ctx context.Context, at time.Time, keys ...string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO auth_failures (key, at) VALUES ($1, $2)`, k, micros(at)); err != nil {
				return err
			}
		}
		// Forget attempts older than a day while we are here.
		_, err := tx.ExecContext(ctx, `DELETE FROM auth_failures WHERE at < $1`, micros(at.Add(-24*time.Hour)))
		return err
	})
}

// AuthFailures counts failed attempts against a key since a time.
func (s *Store) AuthFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM auth_failures WHERE key = $1 AND at >= $2`, key, micros(since)).Scan(&n)
	return n, err
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	At        time.Time
	ActorKind string
	ActorID   string
	ActorName string
	Ref       string
	Action    string
}

// Audit writes an audit row.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, app_ref, action)
			VALUES ($1, $2, $3, $4, $5, $6)`, micros(e.At), e.ActorKind, e.ActorID, e.ActorName, e.Ref, e.Action)
		return err
	})
}

// AuditFor lists the audit rows for an application, oldest first.
func (s *Store) AuditFor(ctx context.Context, ref string) ([]AuditEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT at, actor_kind, actor_id, actor_name, app_ref, action FROM audit_log
		WHERE app_ref = $1 ORDER BY at, id`, ref)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&at, &e.ActorKind, &e.ActorID, &e.ActorName, &e.Ref, &e.Action); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// SetStaffPassword replaces a member of staff's password hash.
func (s *Store) SetStaffPassword(ctx context.Context, email, hash string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff_users SET password_hash = $1 WHERE email = $2`, hash, strings.ToLower(email))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errs.NotFound("there is no member of staff with the email %s", email)
		}
		return nil
	})
}
