package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// Charter versions: the text of each version is a document (documents.go);
// this file keeps what else we know about a version, and publishes a
// version with everything that goes with it in one transaction.

// VersionInfo is what we know about a published charter version besides
// its text.
type VersionInfo struct {
	Version     string
	BasedOn     string        // the version it replaced; "" for the first
	PublishedOn calendar.Date // the date it took effect
	PublishedAt time.Time
	How         string // VersionLoaded or VersionFromDraft
	Reason      string // why, for the whole version
	RoundID     string // the review round behind it, or ""
	PublishedBy string
	// Changes are the reasons for the commitments it changed, by key
	// (versions published from a draft).
	Changes map[string]ChangeReason
}

// How a version was published.
const (
	VersionLoaded    = "loaded" // charter load, from a YAML file
	VersionFromDraft = "draft"  // a draft revision, from a review
)

// ChangeReason is why one commitment changed, and the coded comments
// behind it.
type ChangeReason struct {
	Reason   string
	Evidence []string
}

// Publication is a charter version to publish: its document, the
// documents that must change with it (the benefits, whose stages name
// commitments by number), what we know about it, and the draft it comes
// from, if any.
type Publication struct {
	Documents []Document // the charter first
	Info      VersionInfo
	// Draft, when set, is the draft revision being published: it must
	// still be a draft, and is marked published in the same transaction.
	Draft string
}

// PublishVersion stores a publication in one transaction: the documents
// (as PutDocuments does: the same body again is no change, a different body
// under a published version is a conflict), the version's information and
// change reasons (written once: a version already described keeps its
// first description), and the draft marked published. created says
// whether each document was new.
func (s *Store) PublishVersion(ctx context.Context, p Publication) (created []bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		created, err = s.putDocuments(ctx, tx, p.Documents)
		if err != nil {
			return err
		}
		if p.Draft != "" {
			res, err := tx.ExecContext(ctx, `UPDATE review_drafts SET status = $1, published_at = $2
				WHERE version = $3 AND status = $4`, DraftPublished, micros(p.Info.PublishedAt), p.Draft, DraftOpen)
			if err != nil {
				return fmt.Errorf("publish draft %s: %w", p.Draft, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				return errs.Conflict("draft %s is not waiting to be published: someone may have published it already", p.Draft)
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM charter_versions WHERE version = $1`, p.Info.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil // described when it was first published
		}
		i := p.Info
		if _, err := tx.ExecContext(ctx, `INSERT INTO charter_versions (version, based_on, published_on, published_at, how, reason, round_id, published_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, i.Version, i.BasedOn, int64(i.PublishedOn), micros(i.PublishedAt), i.How, i.Reason,
			i.RoundID, i.PublishedBy); err != nil {
			return fmt.Errorf("charter version %s: %w", i.Version, err)
		}
		for key, c := range i.Changes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO charter_changes (version, commitment_key, reason, evidence) VALUES ($1, $2, $3, $4)`,
				i.Version, key, c.Reason, strings.Join(c.Evidence, listSeparator)); err != nil {
				return fmt.Errorf("charter version %s, change to %s: %w", i.Version, key, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// listSeparator joins short lists (theme ids, comment ids) in one column:
// none of them may contain it.
const listSeparator = "|"

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, listSeparator)
}

// Documents lists every version of a kind, oldest first (in the order
// they were loaded).
func (s *Store) Documents(ctx context.Context, kind string) ([]Document, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT kind, version, body, sha256, loaded_at FROM documents
		WHERE kind = $1 ORDER BY loaded_at, version`, kind)
	if err != nil {
		return nil, fmt.Errorf("documents %s: %w", kind, err)
	}
	defer rows.Close()
	var out []Document
	for rows.Next() {
		var d Document
		var body string
		var loaded int64
		if err := rows.Scan(&d.Kind, &d.Version, &body, &d.SHA256, &loaded); err != nil {
			return nil, fmt.Errorf("documents %s: %w", kind, err)
		}
		d.Body, d.LoadedAt = []byte(body), fromMicros(loaded)
		out = append(out, d)
	}
	return out, rows.Err()
}

// DocumentVersion returns one version of a document.
func (s *Store) DocumentVersion(ctx context.Context, kind, version string) (Document, error) {
	var d Document
	var body string
	var loaded int64
	err := s.read.QueryRowContext(ctx, `SELECT kind, version, body, sha256, loaded_at FROM documents WHERE kind = $1 AND version = $2`,
		kind, version).Scan(&d.Kind, &d.Version, &body, &d.SHA256, &loaded)
	if errors.Is(err, sql.ErrNoRows) {
		return d, errs.NotFound("there is no %s version %s", kind, version)
	}
	if err != nil {
		return d, fmt.Errorf("%s %s: %w", kind, version, err)
	}
	d.Body, d.LoadedAt = []byte(body), fromMicros(loaded)
	return d, nil
}

// VersionInfos returns what we know about every described charter
// version, by version.
func (s *Store) VersionInfos(ctx context.Context) (map[string]VersionInfo, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT version, based_on, published_on, published_at, how, reason, round_id, published_by
		FROM charter_versions`)
	if err != nil {
		return nil, fmt.Errorf("charter versions: %w", err)
	}
	defer rows.Close()
	out := map[string]VersionInfo{}
	for rows.Next() {
		var i VersionInfo
		var on, at int64
		if err := rows.Scan(&i.Version, &i.BasedOn, &on, &at, &i.How, &i.Reason, &i.RoundID, &i.PublishedBy); err != nil {
			return nil, fmt.Errorf("charter versions: %w", err)
		}
		i.PublishedOn, i.PublishedAt, i.Changes = calendar.Date(on), fromMicros(at), map[string]ChangeReason{}
		out[i.Version] = i
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("charter versions: %w", err)
	}
	rows, err = s.read.QueryContext(ctx, `SELECT version, commitment_key, reason, evidence FROM charter_changes`)
	if err != nil {
		return nil, fmt.Errorf("charter changes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var version, key, reason, evidence string
		if err := rows.Scan(&version, &key, &reason, &evidence); err != nil {
			return nil, fmt.Errorf("charter changes: %w", err)
		}
		if i, ok := out[version]; ok {
			i.Changes[key] = ChangeReason{Reason: reason, Evidence: splitList(evidence)}
		}
	}
	return out, rows.Err()
}
