package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/feedback"
	"github.com/charter-service/charter/internal/measure"
)

// Feedback and complaints from the public (charter commitment 1.13). The
// store keeps items and complaint steps; internal/feedback holds the rules
// and folds the steps.

// FeedbackRecord is a stored item.
type FeedbackRecord struct {
	feedback.Item
	ReceivedAt time.Time
}

// ComplaintState is a complaint's projection row: where it is and the next
// date we owe the person (0 when we owe nothing).
type ComplaintState struct {
	Status  feedback.ComplaintStatus
	Stage   int
	NextDue calendar.Date
	Version int // how many events it has
}

// ComplaintEventRecord is a stored complaint step.
type ComplaintEventRecord struct {
	feedback.ComplaintEvent
	Seq        int
	Actor      string
	RecordedAt time.Time
}

// AddFeedback stores an item. A complaint comes with its first event
// (received) and its projection, written in the same transaction, so a
// complaint is never without its clock. The item's id must be new.
func (s *Store) AddFeedback(ctx context.Context, it feedback.Item, at time.Time, first *ComplaintEventRecord, state ComplaintState) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if it.Kind == feedback.KindComplaint && first == nil {
			return fmt.Errorf("add feedback %s: a complaint needs its received event", it.ID)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO feedback_items (id, kind, received_on, received_at, charter_version, something_else,
			verdict, app_ref, body, contact_name, contact_email, contact_phone)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			it.ID, string(it.Kind), int64(it.Received), micros(at), it.CharterVersion, it.SomethingElse, string(it.Verdict),
			string(it.Reference), it.Text, it.Contact.Name, it.Contact.Email, it.Contact.Phone)
		if isUniqueViolation(err) {
			return errs.Conflict("there is already feedback with the reference %s", it.ID)
		}
		if err != nil {
			return fmt.Errorf("add feedback: %w", err)
		}
		for i, c := range it.Commitments {
			if _, err := tx.ExecContext(ctx, `INSERT INTO feedback_commitments (item_id, position, commitment_key, commitment_id)
				VALUES ($1, $2, $3, $4)`, it.ID, i, c.Key, c.ID); err != nil {
				return fmt.Errorf("add feedback: %w", err)
			}
		}
		if first == nil {
			return nil
		}
		if err := insertComplaintEvent(ctx, tx, it.ID, *first); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO complaints (item_id, status, stage, next_due, version) VALUES ($1, $2, $3, $4, $5)`,
			it.ID, string(state.Status), state.Stage, int64(state.NextDue), state.Version)
		return err
	})
}

func insertComplaintEvent(ctx context.Context, tx *sql.Tx, id string, e ComplaintEventRecord) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO complaint_events (item_id, seq, type, on_date, outcome, note, actor, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, e.Seq, string(e.Type), int64(e.On), string(e.Outcome), e.Note, e.Actor, micros(e.RecordedAt))
	if isUniqueViolation(err) {
		return errs.Conflict("someone else changed this complaint first: look at it again")
	}
	if err != nil {
		return fmt.Errorf("complaint event: %w", err)
	}
	return nil
}

// AppendComplaintEvent adds a step to a complaint and rewrites its
// projection, if the complaint still has expectedVersion events: of two
// people recording a step at once, one wins and the other gets a conflict.
func (s *Store) AppendComplaintEvent(ctx context.Context, id string, expectedVersion int, e ComplaintEventRecord, state ComplaintState) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE complaints SET status = $1, stage = $2, next_due = $3, version = $4
			WHERE item_id = $5 AND version = $6`, string(state.Status), state.Stage, int64(state.NextDue), state.Version, id, expectedVersion)
		if err != nil {
			return fmt.Errorf("complaint %s: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var exists int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM complaints WHERE item_id = $1`, id).Scan(&exists); err != nil {
				return err
			}
			if exists == 0 {
				return errs.NotFound("there is no complaint with the reference %s", id)
			}
			return errs.Conflict("someone else changed this complaint first: look at it again")
		}
		return insertComplaintEvent(ctx, tx, id, e)
	})
}

// FeedbackItem returns one item, its complaint steps (none for feedback)
// and, for a complaint, its projection.
func (s *Store) FeedbackItem(ctx context.Context, id string) (FeedbackRecord, []ComplaintEventRecord, error) {
	items, err := s.feedbackItems(ctx, `WHERE id = $1`, id)
	if err != nil {
		return FeedbackRecord{}, nil, err
	}
	if len(items) == 0 {
		return FeedbackRecord{}, nil, errs.NotFound("there is no feedback or complaint with the reference %s", id)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT seq, type, on_date, outcome, note, actor, recorded_at FROM complaint_events
		WHERE item_id = $1 ORDER BY seq`, id)
	if err != nil {
		return FeedbackRecord{}, nil, fmt.Errorf("complaint events: %w", err)
	}
	defer rows.Close()
	var evs []ComplaintEventRecord
	for rows.Next() {
		var e ComplaintEventRecord
		var typ, outcome string
		var on, at int64
		if err := rows.Scan(&e.Seq, &typ, &on, &outcome, &e.Note, &e.Actor, &at); err != nil {
			return FeedbackRecord{}, nil, fmt.Errorf("complaint events: %w", err)
		}
		e.Type, e.On, e.Outcome, e.RecordedAt = feedback.ComplaintEventType(typ), calendar.Date(on), feedback.Outcome(outcome), fromMicros(at)
		evs = append(evs, e)
	}
	return items[0], evs, rows.Err()
}

// FeedbackQuery chooses items to list.
type FeedbackQuery struct {
	From, To calendar.Date // received on these days, both included; 0 for no limit
	Kind     feedback.Kind // "" for both
	Limit    int           // 0 for no limit
}

// FeedbackItems lists items, newest first.
func (s *Store) FeedbackItems(ctx context.Context, q FeedbackQuery) ([]FeedbackRecord, error) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if q.From != 0 {
		add("received_on >= $%d", int64(q.From))
	}
	if q.To != 0 {
		add("received_on <= $%d", int64(q.To))
	}
	if q.Kind != "" {
		add("kind = $%d", string(q.Kind))
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	where += " ORDER BY received_at DESC, id"
	if q.Limit > 0 {
		where += fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	return s.feedbackItems(ctx, where, args...)
}

func (s *Store) feedbackItems(ctx context.Context, where string, args ...any) ([]FeedbackRecord, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, kind, received_on, received_at, charter_version, something_else, verdict, app_ref,
		body, contact_name, contact_email, contact_phone FROM feedback_items `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	defer rows.Close()
	var out []FeedbackRecord
	index := map[string]int{}
	for rows.Next() {
		var r FeedbackRecord
		var kind, verdict, ref string
		var on, at int64
		if err := rows.Scan(&r.ID, &kind, &on, &at, &r.CharterVersion, &r.SomethingElse, &verdict, &ref, &r.Text,
			&r.Contact.Name, &r.Contact.Email, &r.Contact.Phone); err != nil {
			return nil, fmt.Errorf("feedback: %w", err)
		}
		r.Kind, r.Verdict, r.Reference = feedback.Kind(kind), feedback.Verdict(verdict), casework.Reference(ref)
		r.Received, r.ReceivedAt = calendar.Date(on), fromMicros(at)
		index[r.ID] = len(out)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feedback: %w", err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	// The commitments of the items found, in one query.
	ids := make([]any, 0, len(out))
	marks := make([]string, 0, len(out))
	for i, r := range out {
		ids = append(ids, r.ID)
		marks = append(marks, fmt.Sprintf("$%d", i+1))
	}
	crows, err := s.read.QueryContext(ctx, `SELECT item_id, commitment_key, commitment_id FROM feedback_commitments
		WHERE item_id IN (`+strings.Join(marks, ", ")+`) ORDER BY item_id, position`, ids...)
	if err != nil {
		return nil, fmt.Errorf("feedback commitments: %w", err)
	}
	defer crows.Close()
	for crows.Next() {
		var id string
		var c feedback.CommitmentRef
		if err := crows.Scan(&id, &c.Key, &c.ID); err != nil {
			return nil, fmt.Errorf("feedback commitments: %w", err)
		}
		r := &out[index[id]]
		r.Commitments = append(r.Commitments, c)
	}
	return out, crows.Err()
}

// ComplaintRow is a complaint as the list of complaints shows it.
type ComplaintRow struct {
	FeedbackRecord
	ComplaintState
}

// Complaints lists complaints: those we owe the person something on (next
// due first), then, if withAnswered, the rest, newest first.
func (s *Store) Complaints(ctx context.Context, withAnswered bool) ([]ComplaintRow, error) {
	cond := `WHERE c.next_due > 0`
	if withAnswered {
		cond = ``
	}
	rows, err := s.read.QueryContext(ctx, `SELECT c.item_id, c.status, c.stage, c.next_due, c.version FROM complaints c
		JOIN feedback_items f ON f.id = c.item_id `+cond+`
		ORDER BY CASE WHEN c.next_due > 0 THEN 0 ELSE 1 END, c.next_due, f.received_at DESC, c.item_id`)
	if err != nil {
		return nil, fmt.Errorf("complaints: %w", err)
	}
	defer rows.Close()
	var out []ComplaintRow
	for rows.Next() {
		var r ComplaintRow
		var status string
		var due int64
		if err := rows.Scan(&r.ID, &status, &r.Stage, &due, &r.Version); err != nil {
			return nil, fmt.Errorf("complaints: %w", err)
		}
		r.Status, r.NextDue = feedback.ComplaintStatus(status), calendar.Date(due)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("complaints: %w", err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]any, len(out))
	marks := make([]string, len(out))
	for i, r := range out {
		ids[i], marks[i] = r.ID, fmt.Sprintf("$%d", i+1)
	}
	items, err := s.feedbackItems(ctx, `WHERE id IN (`+strings.Join(marks, ", ")+`)`, ids...)
	if err != nil {
		return nil, err
	}
	byID := map[string]FeedbackRecord{}
	for _, it := range items {
		byID[it.ID] = it
	}
	for i := range out {
		out[i].FeedbackRecord = byID[out[i].ID]
	}
	return out, nil
}

// ComplaintState returns a complaint's projection.
func (s *Store) ComplaintState(ctx context.Context, id string) (ComplaintState, error) {
	var c ComplaintState
	var status string
	var due int64
	err := s.read.QueryRowContext(ctx, `SELECT status, stage, next_due, version FROM complaints WHERE item_id = $1`, id).
		Scan(&status, &c.Stage, &due, &c.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.NotFound("there is no complaint with the reference %s", id)
	}
	if err != nil {
		return c, fmt.Errorf("complaint %s: %w", id, err)
	}
	c.Status, c.NextDue = feedback.ComplaintStatus(status), calendar.Date(due)
	return c, nil
}

// FeedbackCounts counts the feedback and complaints received from from to
// to (both days included) about each commitment, per day, as the
// measurement framework takes them: measure.FeedbackCount, complaints
// apart from other feedback. A measure names commitments by the number
// people quote, which a new charter version can change, so ids maps each
// commitment's stable key to its number now (the current charter's); an
// item about a key ids does not have counts under the number the person
// chose. Feedback about "something else" names no commitment and is not
// counted. Rows come by day, then commitment, then feedback before
// complaints.
func (s *Store) FeedbackCounts(ctx context.Context, from, to calendar.Date, ids map[string]string) ([]measure.FeedbackCount, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT f.received_on, c.commitment_key, c.commitment_id, f.kind, count(*)
		FROM feedback_items f JOIN feedback_commitments c ON c.item_id = f.id
		WHERE f.received_on >= $1 AND f.received_on <= $2
		GROUP BY f.received_on, c.commitment_key, c.commitment_id, f.kind`, int64(from), int64(to))
	if err != nil {
		return nil, fmt.Errorf("feedback counts: %w", err)
	}
	defer rows.Close()
	type cell struct {
		on        calendar.Date
		id        string
		complaint bool
	}
	counts := map[cell]int64{}
	var order []cell
	for rows.Next() {
		var on, n int64
		var key, id, kind string
		if err := rows.Scan(&on, &key, &id, &kind, &n); err != nil {
			return nil, fmt.Errorf("feedback counts: %w", err)
		}
		if now, ok := ids[key]; ok {
			id = now
		}
		c := cell{calendar.Date(on), id, kind == string(feedback.KindComplaint)}
		if _, seen := counts[c]; !seen {
			order = append(order, c)
		}
		counts[c] += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("feedback counts: %w", err)
	}
	out := make([]measure.FeedbackCount, 0, len(order))
	for _, c := range order {
		out = append(out, measure.FeedbackCount{Commitment: c.id, On: c.on, Complaint: c.complaint, Count: counts[c]})
	}
	sortFeedbackCounts(out)
	return out, nil
}

func sortFeedbackCounts(fs []measure.FeedbackCount) {
	slices.SortFunc(fs, func(a, b measure.FeedbackCount) int {
		return cmp.Or(cmp.Compare(a.On, b.On), compareCommitmentIDs(a.Commitment, b.Commitment), cmp.Compare(boolInt(a.Complaint), boolInt(b.Complaint)))
	})
}

// compareCommitmentIDs orders commitment numbers as people read them:
// 1.4 before 1.10.
func compareCommitmentIDs(a, b string) int {
	as, an, _ := strings.Cut(a, ".")
	bs, bn, _ := strings.Cut(b, ".")
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			return -1
		}
		return n
	}
	return cmp.Or(cmp.Compare(num(as), num(bs)), cmp.Compare(num(an), num(bn)), cmp.Compare(a, b))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
