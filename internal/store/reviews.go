package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/review"
)

// Review rounds, their answers and coded comments, and draft revisions.
// internal/review parses and checks them and works out findings; the store
// keeps them.

// RoundRecord is a stored round.
type RoundRecord struct {
	review.Round
	CreatedAt time.Time
	Answers   int // how many answers are stored
	Comments  int // how many coded comments
}

// ReviewImport is what one import adds: a round (stored if new; if it is
// stored already it must be the same), and answers and comments for it.
type ReviewImport struct {
	Round    review.Round
	Answers  []review.Answer
	Comments []review.Comment
}

// ImportReview stores a round with its answers and comments in one
// transaction: all of it, or nothing. A round already stored must have
// the same definition (a conflict on "round" otherwise); an answer a
// participant already gave, or a comment id already used in the round, is
// a conflict and nothing is written. roundCreated says whether the round
// was new.
func (s *Store) ImportReview(ctx context.Context, imp ReviewImport, at time.Time) (roundCreated bool, err error) {
	def, err := json.Marshal(imp.Round)
	if err != nil {
		return false, fmt.Errorf("review round %s: %w", imp.Round.ID, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var stored string
		err := tx.QueryRowContext(ctx, `SELECT definition FROM review_rounds WHERE id = $1`, imp.Round.ID).Scan(&stored)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			r := imp.Round
			if _, err := tx.ExecContext(ctx, `INSERT INTO review_rounds (id, name, starts, ends, charter_version, definition, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.ID, r.Name, int64(r.Starts), int64(r.Ends), r.CharterVersion, string(def), micros(at)); err != nil {
				return fmt.Errorf("review round %s: %w", r.ID, err)
			}
			for _, p := range r.Participants {
				if _, err := tx.ExecContext(ctx, `INSERT INTO review_participants (round_id, id, type) VALUES ($1, $2, $3)`,
					r.ID, p.ID, string(p.Type)); err != nil {
					return fmt.Errorf("review round %s, participant %s: %w", r.ID, p.ID, err)
				}
			}
			roundCreated = true
		case err != nil:
			return fmt.Errorf("review round %s: %w", imp.Round.ID, err)
		case !sameJSON(stored, def):
			return errs.New(errs.KindConflict, "round", "round %s is already stored with a different round file: "+
				"a round's participants, statements and codebook cannot change once it has evidence; give a new round a new id", imp.Round.ID)
		}
		if err := insertAnswers(ctx, tx, imp.Round.ID, imp.Answers, at); err != nil {
			return err
		}
		return insertComments(ctx, tx, imp.Round.ID, imp.Comments, at)
	})
	return roundCreated, err
}

// sameJSON compares a stored definition with a new one.
func sameJSON(stored string, def []byte) bool {
	var a, b bytes.Buffer
	if json.Compact(&a, []byte(stored)) != nil || json.Compact(&b, def) != nil {
		return false
	}
	return a.String() == b.String()
}

func insertAnswers(ctx context.Context, tx *sql.Tx, roundID string, as []review.Answer, at time.Time) error {
	for _, a := range as {
		_, err := tx.ExecContext(ctx, `INSERT INTO review_answers (round_id, participant, statement, scale, recorded_at)
			VALUES ($1, $2, $3, $4, $5)`, roundID, a.Participant, a.Statement, int(a.Scale), micros(at))
		if isUniqueViolation(err) {
			return errs.New(errs.KindConflict, "participant", "%s has already answered %q in round %s", a.Participant, a.Statement, roundID)
		}
		if err != nil {
			return fmt.Errorf("review answer: %w", err)
		}
	}
	return nil
}

func insertComments(ctx context.Context, tx *sql.Tx, roundID string, cs []review.Comment, at time.Time) error {
	if len(cs) == 0 {
		return nil
	}
	var seq int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM review_comments WHERE round_id = $1`, roundID).Scan(&seq); err != nil {
		return fmt.Errorf("review comments: %w", err)
	}
	for _, c := range cs {
		seq++
		_, err := tx.ExecContext(ctx, `INSERT INTO review_comments (round_id, id, seq, participant, commitment_key, commitment_id, source,
			body, themes, sentiment, quotable, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			roundID, c.ID, seq, c.Participant, c.CommitmentKey, c.CommitmentID, string(c.Source), c.Text,
			strings.Join(c.Themes, listSeparator), string(c.Sentiment), c.Quotable, micros(at))
		if isUniqueViolation(err) {
			return errs.New(errs.KindConflict, "id", "round %s already has a comment with the id %s", roundID, c.ID)
		}
		if err != nil {
			return fmt.Errorf("review comment %s: %w", c.ID, err)
		}
	}
	return nil
}

// AddReviewAnswers stores one or more answers in a stored round, all or
// none: an answer already given is a conflict.
func (s *Store) AddReviewAnswers(ctx context.Context, roundID string, as []review.Answer, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := roundExists(ctx, tx, roundID); err != nil {
			return err
		}
		return insertAnswers(ctx, tx, roundID, as, at)
	})
}

// AddReviewComment stores a coded comment in a stored round; its id must
// be new in the round.
func (s *Store) AddReviewComment(ctx context.Context, roundID string, c review.Comment, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := roundExists(ctx, tx, roundID); err != nil {
			return err
		}
		return insertComments(ctx, tx, roundID, []review.Comment{c}, at)
	})
}

func roundExists(ctx context.Context, tx *sql.Tx, id string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM review_rounds WHERE id = $1`, id).Scan(&n); err != nil {
		return fmt.Errorf("review round %s: %w", id, err)
	}
	if n == 0 {
		return errs.NotFound("there is no review round %s", id)
	}
	return nil
}

// ReviewRound returns a stored round.
func (s *Store) ReviewRound(ctx context.Context, id string) (RoundRecord, error) {
	rs, err := s.reviewRounds(ctx, `WHERE r.id = $1`, id)
	if err != nil {
		return RoundRecord{}, err
	}
	if len(rs) == 0 {
		return RoundRecord{}, errs.NotFound("there is no review round %s", id)
	}
	return rs[0], nil
}

// ReviewRounds lists the stored rounds, the latest to start first.
func (s *Store) ReviewRounds(ctx context.Context) ([]RoundRecord, error) {
	return s.reviewRounds(ctx, ``)
}

func (s *Store) reviewRounds(ctx context.Context, where string, args ...any) ([]RoundRecord, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.definition, r.created_at,
		(SELECT count(*) FROM review_answers a WHERE a.round_id = r.id),
		(SELECT count(*) FROM review_comments c WHERE c.round_id = r.id)
		FROM review_rounds r `+where+` ORDER BY r.starts DESC, r.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("review rounds: %w", err)
	}
	defer rows.Close()
	var out []RoundRecord
	for rows.Next() {
		var r RoundRecord
		var def string
		var created int64
		if err := rows.Scan(&def, &created, &r.Answers, &r.Comments); err != nil {
			return nil, fmt.Errorf("review rounds: %w", err)
		}
		if err := json.Unmarshal([]byte(def), &r.Round); err != nil {
			return nil, fmt.Errorf("review round definition: %w", err)
		}
		r.CreatedAt = fromMicros(created)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReviewAnswers lists a round's answers, by participant and statement.
func (s *Store) ReviewAnswers(ctx context.Context, roundID string) ([]review.Answer, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT a.participant, p.type, a.statement, a.scale FROM review_answers a
		JOIN review_participants p ON p.round_id = a.round_id AND p.id = a.participant
		WHERE a.round_id = $1 ORDER BY a.participant, a.statement`, roundID)
	if err != nil {
		return nil, fmt.Errorf("review answers: %w", err)
	}
	defer rows.Close()
	var out []review.Answer
	for rows.Next() {
		var a review.Answer
		var typ string
		var scale int
		if err := rows.Scan(&a.Participant, &typ, &a.Statement, &scale); err != nil {
			return nil, fmt.Errorf("review answers: %w", err)
		}
		a.Type, a.Scale = review.ParticipantType(typ), review.Scale(scale)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ReviewComments lists a round's coded comments in the order they were
// recorded.
func (s *Store) ReviewComments(ctx context.Context, roundID string) ([]review.Comment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, c.participant, p.type, c.commitment_key, c.commitment_id, c.source, c.body,
		c.themes, c.sentiment, c.quotable FROM review_comments c
		JOIN review_participants p ON p.round_id = c.round_id AND p.id = c.participant
		WHERE c.round_id = $1 ORDER BY c.seq`, roundID)
	if err != nil {
		return nil, fmt.Errorf("review comments: %w", err)
	}
	defer rows.Close()
	var out []review.Comment
	for rows.Next() {
		var c review.Comment
		var typ, source, themes, sentiment string
		if err := rows.Scan(&c.ID, &c.Participant, &typ, &c.CommitmentKey, &c.CommitmentID, &source, &c.Text, &themes,
			&sentiment, &c.Quotable); err != nil {
			return nil, fmt.Errorf("review comments: %w", err)
		}
		c.ParticipantType, c.Source, c.Sentiment = review.ParticipantType(typ), review.Source(source), review.Sentiment(sentiment)
		c.Themes = splitList(themes)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Draft statuses.
const (
	DraftOpen      = "draft"     // waiting to be published
	DraftPublished = "published" // published as a charter version
)

// DraftRecord is a stored draft revision.
type DraftRecord struct {
	review.Draft
	Status      string
	SavedAt     time.Time
	PublishedAt time.Time // zero until published
}

// SaveDraft stores a draft revision under the version it would publish.
// A draft not yet published is replaced (replaced is true); a published
// one cannot change (a conflict).
func (s *Store) SaveDraft(ctx context.Context, d review.Draft, at time.Time) (replaced bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM review_drafts WHERE version = $1`, d.Version).Scan(&status)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("draft %s: %w", d.Version, err)
		case status == DraftPublished:
			return errs.New(errs.KindConflict, "version", "version %s is already published: give the new draft a new version", d.Version)
		default:
			replaced = true
			if _, err := tx.ExecContext(ctx, `DELETE FROM review_proposals WHERE draft_version = $1`, d.Version); err != nil {
				return fmt.Errorf("draft %s: %w", d.Version, err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM review_drafts WHERE version = $1`, d.Version); err != nil {
				return fmt.Errorf("draft %s: %w", d.Version, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_drafts (version, base_version, round_id, published_on, renumber, status, saved_at, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 0)`, d.Version, d.BaseVersion, d.Round, int64(d.Published), d.Renumber, DraftOpen, micros(at)); err != nil {
			return fmt.Errorf("draft %s: %w", d.Version, err)
		}
		for i, p := range d.Proposals {
			terms, err := json.Marshal(p.Terms)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO review_proposals (draft_version, position, change, commitment, section, after_key,
				body, terms, reason, evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, d.Version, i, string(p.Change),
				p.Commitment, p.Section, p.After, p.Text, string(terms), p.Reason, strings.Join(p.Evidence, listSeparator)); err != nil {
				return fmt.Errorf("draft %s, proposal %d: %w", d.Version, i+1, err)
			}
		}
		return nil
	})
	return replaced, err
}

// Draft returns a stored draft revision.
func (s *Store) Draft(ctx context.Context, version string) (DraftRecord, error) {
	ds, err := s.drafts(ctx, `WHERE version = $1`, version)
	if err != nil {
		return DraftRecord{}, err
	}
	if len(ds) == 0 {
		return DraftRecord{}, errs.NotFound("there is no draft revision for version %s", version)
	}
	return ds[0], nil
}

// Drafts lists the stored draft revisions, the latest saved first.
func (s *Store) Drafts(ctx context.Context) ([]DraftRecord, error) { return s.drafts(ctx, ``) }

func (s *Store) drafts(ctx context.Context, where string, args ...any) ([]DraftRecord, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT version, base_version, round_id, published_on, renumber, status, saved_at, published_at
		FROM review_drafts `+where+` ORDER BY saved_at DESC, version`, args...)
	if err != nil {
		return nil, fmt.Errorf("drafts: %w", err)
	}
	defer rows.Close()
	var out []DraftRecord
	for rows.Next() {
		var d DraftRecord
		var on, saved, published int64
		if err := rows.Scan(&d.Version, &d.BaseVersion, &d.Round, &on, &d.Renumber, &d.Status, &saved, &published); err != nil {
			return nil, fmt.Errorf("drafts: %w", err)
		}
		d.Published, d.SavedAt = calendar.Date(on), fromMicros(saved)
		if published != 0 {
			d.PublishedAt = fromMicros(published)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("drafts: %w", err)
	}
	rows.Close()
	for i := range out {
		ps, err := s.proposals(ctx, out[i].Version)
		if err != nil {
			return nil, err
		}
		out[i].Proposals = ps
	}
	return out, nil
}

func (s *Store) proposals(ctx context.Context, version string) ([]review.Proposal, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT change, commitment, section, after_key, body, terms, reason, evidence
		FROM review_proposals WHERE draft_version = $1 ORDER BY position`, version)
	if err != nil {
		return nil, fmt.Errorf("proposals: %w", err)
	}
	defer rows.Close()
	var out []review.Proposal
	for rows.Next() {
		var p review.Proposal
		var change, terms, evidence string
		if err := rows.Scan(&change, &p.Commitment, &p.Section, &p.After, &p.Text, &terms, &p.Reason, &evidence); err != nil {
			return nil, fmt.Errorf("proposals: %w", err)
		}
		p.Change, p.Evidence = review.ProposalChange(change), splitList(evidence)
		if err := json.Unmarshal([]byte(terms), &p.Terms); err != nil {
			return nil, fmt.Errorf("proposal terms: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
