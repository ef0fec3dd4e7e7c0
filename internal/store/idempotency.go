package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// IdempotencyRecord is the first response to a request sent with an
// Idempotency-Key, kept so a replay gets the same answer.
type IdempotencyRecord struct {
	Scope    string // token, method and path
	Key      string
	Request  string // hash of the request body, so a different body under the same key is refused
	Status   int
	Response []byte
}

// Idempotent returns the stored response for a key and whether there is one.
func (s *Store) Idempotent(ctx context.Context, scope, key string) (IdempotencyRecord, bool, error) {
	r := IdempotencyRecord{Scope: scope, Key: key}
	var resp string
	err := s.read.QueryRowContext(ctx, `SELECT request, status, response FROM idempotency_keys WHERE scope = $1 AND key = $2`,
		scope, key).Scan(&r.Request, &r.Status, &resp)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("idempotency key: %w", err)
	}
	r.Response = []byte(resp)
	return r, true, nil
}

func (s *Store) insertIdempotency(ctx context.Context, tx *sql.Tx, r IdempotencyRecord) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (scope, key, request, status, response, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, r.Scope, r.Key, r.Request, r.Status, string(r.Response), micros(s.now()))
	return err
}
