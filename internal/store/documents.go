package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/charter-service/charter/internal/errs"
)

// Document is a published YAML document: a charter or a benefit catalogue.
type Document struct {
	Kind     string
	Version  string
	Body     []byte
	SHA256   string
	LoadedAt time.Time
}

// PutDocuments stores document versions in one transaction. Storing the
// same body again is a no-op (its created flag is false); a different body
// under the same version is a conflict, because published versions do not
// change. Either every document is stored or none is.
func (s *Store) PutDocuments(ctx context.Context, docs ...Document) (created []bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		created, err = s.putDocuments(ctx, tx, docs)
		return err
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

func (s *Store) putDocuments(ctx context.Context, tx *sql.Tx, docs []Document) ([]bool, error) {
	var created []bool
	for _, d := range docs {
		sum := sha256.Sum256(d.Body)
		hash := hex.EncodeToString(sum[:])
		var existing string
		err := tx.QueryRowContext(ctx, `SELECT sha256 FROM documents WHERE kind = $1 AND version = $2`, d.Kind, d.Version).Scan(&existing)
		switch {
		case err == nil && existing == hash:
			created = append(created, false)
			continue
		case err == nil:
			return nil, errs.Conflict("%s version %s is already published with different text; give the new text a new version", d.Kind, d.Version)
		case !errors.Is(err, sql.ErrNoRows):
			return nil, fmt.Errorf("store %s %s: %w", d.Kind, d.Version, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO documents (kind, version, body, sha256, loaded_at) VALUES ($1, $2, $3, $4, $5)`,
			d.Kind, d.Version, string(d.Body), hash, micros(s.now())); err != nil {
			return nil, fmt.Errorf("store %s %s: %w", d.Kind, d.Version, err)
		}
		created = append(created, true)
	}
	return created, nil
}

// LatestDocument returns the most recently loaded version of a kind.
func (s *Store) LatestDocument(ctx context.Context, kind string) (Document, error) {
	var d Document
	var body string
	var loaded int64
	err := s.read.QueryRowContext(ctx, `SELECT kind, version, body, sha256, loaded_at FROM documents
		WHERE kind = $1 ORDER BY loaded_at DESC, version DESC LIMIT 1`, kind).Scan(&d.Kind, &d.Version, &body, &d.SHA256, &loaded)
	if errors.Is(err, sql.ErrNoRows) {
		return d, errs.NotFound("no %s has been loaded yet; load one with charter load", kind)
	}
	if err != nil {
		return d, fmt.Errorf("latest %s: %w", kind, err)
	}
	d.Body, d.LoadedAt = []byte(body), fromMicros(loaded)
	return d, nil
}
