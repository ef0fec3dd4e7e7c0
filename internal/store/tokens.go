package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/charter-service/charter/internal/errs"
)

// Token is an API credential. Only the hash of its secret is stored.
type Token struct {
	ID        string
	Name      string
	Role      string
	Hash      string
	CreatedAt time.Time
	RevokedAt time.Time // zero while valid
}

// CreateToken stores a new token.
func (s *Store) CreateToken(ctx context.Context, t Token) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, name, role, hash, created_at, revoked_at)
			VALUES ($1, $2, $3, $4, $5, 0)`, t.ID, t.Name, t.Role, t.Hash, micros(t.CreatedAt))
		if isUniqueViolation(err) {
			// The id or the hash clashed: both are random, so drawing again works.
			return errs.Conflict("a token with that id or secret already exists; make the token again")
		}
		return err
	})
}

// TokenByHash finds a token that has not been revoked.
func (s *Store) TokenByHash(ctx context.Context, hash string) (Token, error) {
	var t Token
	var created, revoked int64
	err := s.read.QueryRowContext(ctx, `SELECT id, name, role, hash, created_at, revoked_at FROM api_tokens
		WHERE hash = $1 AND revoked_at = 0`, hash).Scan(&t.ID, &t.Name, &t.Role, &t.Hash, &created, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return t, errs.New(errs.KindUnauthorized, "", "the token is not valid")
	}
	if err != nil {
		return t, fmt.Errorf("token: %w", err)
	}
	t.CreatedAt = fromMicros(created)
	return t, nil
}

// Tokens lists tokens, newest first, without their hashes.
func (s *Store) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, role, created_at, revoked_at FROM api_tokens ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created, revoked int64
		if err := rows.Scan(&t.ID, &t.Name, &t.Role, &created, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt = fromMicros(created)
		if revoked != 0 {
			t.RevokedAt = fromMicros(revoked)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes a token by id or by name.
func (s *Store) RevokeToken(ctx context.Context, idOrName string) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE (id = $2 OR name = $2) AND revoked_at = 0`,
			micros(s.now()), idOrName)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err == nil && n == 0 {
		return 0, errs.NotFound("no valid token has the id or name %q", idOrName)
	}
	return int(n), err
}
