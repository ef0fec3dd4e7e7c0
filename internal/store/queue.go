package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// Queue statuses, in the order the work queue lists them.
const (
	QueueMissed  = "missed"   // decision date passed, clock running
	QueueAtRisk  = "at-risk"  // most of the time to decide is used
	QueueOnTrack = "on-track" // time left
	QueuePaused  = "paused"   // clock stopped, waiting on the client
)

var queueOrder = []string{QueueMissed, QueueAtRisk, QueueOnTrack, QueuePaused}

// QueueQuery asks for a page of the work queue of open applications.
type QueueQuery struct {
	Today   calendar.Date
	Benefit string // optional
	Stage   string // optional
	Status  string // optional: one of the Queue* statuses
	Cursor  string // from the previous page; empty for the first
	Limit   int
}

// QueueItem is one application in the queue with its queue status.
type QueueItem struct {
	ApplicationRow
	QueueStatus string
}

// QueuePage is one page of the queue. Next is empty on the last page.
type QueuePage struct {
	Items []QueueItem
	Next  string
}

// Queue lists open applications missed first, then at risk, then on track,
// then paused; within each, by decision date and reference. It reads each
// status as its own index range, so a page costs the same at any depth.
func (s *Store) Queue(ctx context.Context, q QueueQuery) (QueuePage, error) {
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	start, after, err := decodeCursor(q.Cursor)
	if err != nil {
		return QueuePage{}, err
	}
	statuses := queueOrder
	if q.Status != "" {
		if !validQueueStatus(q.Status) {
			return QueuePage{}, errs.Invalid("status", "choose one of %s", strings.Join(queueOrder, ", "))
		}
		statuses = []string{q.Status}
	}
	var page QueuePage
	for _, st := range statuses {
		if indexOf(st) < start {
			continue
		}
		var from *cursorPos
		if indexOf(st) == start {
			from = after
		}
		want := q.Limit + 1 - len(page.Items)
		items, err := s.queueSegment(ctx, q, st, from, want)
		if err != nil {
			return QueuePage{}, err
		}
		page.Items = append(page.Items, items...)
		if len(page.Items) > q.Limit {
			page.Items = page.Items[:q.Limit]
			last := page.Items[q.Limit-1]
			page.Next = encodeCursor(indexOf(last.QueueStatus), last.DecideBy, last.Ref)
			break
		}
	}
	return page, nil
}

func (s *Store) queueSegment(ctx context.Context, q QueueQuery, status string, from *cursorPos, limit int) ([]QueueItem, error) {
	where := []string{"status = 'open'"}
	args := []any{}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	today := int64(q.Today)
	switch status {
	case QueueMissed:
		where = append(where, "paused = "+arg(false), "decide_by < "+arg(today))
	case QueueAtRisk:
		where = append(where, "paused = "+arg(false), "decide_by >= "+arg(today), "at_risk_from <= "+arg(today))
	case QueueOnTrack:
		where = append(where, "paused = "+arg(false), "decide_by >= "+arg(today), "at_risk_from > "+arg(today))
	case QueuePaused:
		where = append(where, "paused = "+arg(true))
	}
	if q.Benefit != "" {
		where = append(where, "benefit = "+arg(q.Benefit))
	}
	if q.Stage != "" {
		where = append(where, "stage = "+arg(q.Stage))
	}
	if from != nil {
		where = append(where, "(decide_by, ref) > ("+arg(int64(from.decideBy))+", "+arg(string(from.ref))+")")
	}
	sqlText := `SELECT ` + rowColumns + ` FROM applications WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY decide_by, ref LIMIT ` + strconv.Itoa(limit)
	rows, err := s.read.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	defer rows.Close()
	var out []QueueItem
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		out = append(out, QueueItem{ApplicationRow: r, QueueStatus: status})
	}
	return out, rows.Err()
}

// QueueCounts counts open applications by queue status, summing the
// tallies so that the rules for each status live in one query.
func (s *Store) QueueCounts(ctx context.Context, today calendar.Date) (map[string]int, error) {
	tallies, err := s.QueueTallies(ctx, today)
	if err != nil {
		return nil, err
	}
	return SumTallies(tallies), nil
}

// SumTallies adds stage tallies up by queue status.
func SumTallies(tallies []StageTally) map[string]int {
	var total QueueTally
	for _, t := range tallies {
		total = total.Add(t.QueueTally)
	}
	counts := map[string]int{}
	for _, st := range queueOrder {
		counts[st] = total.Of(st)
	}
	return counts
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.ping(ctx) }

func validQueueStatus(s string) bool { return indexOf(s) >= 0 }

func indexOf(status string) int {
	for i, s := range queueOrder {
		if s == status {
			return i
		}
	}
	return -1
}

type cursorPos struct {
	decideBy calendar.Date
	ref      casework.Reference
}

// Cursors are opaque to clients: status index, decision date, reference.
func encodeCursor(status int, decideBy calendar.Date, ref casework.Reference) string {
	raw := strconv.Itoa(status) + "." + strconv.Itoa(int(decideBy)) + "." + string(ref)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCursor(c string) (int, *cursorPos, error) {
	if c == "" {
		return 0, nil, nil
	}
	bad := errs.Invalid("cursor", "the cursor is not one we gave out; start again from the first page")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, nil, bad
	}
	parts := strings.SplitN(string(raw), ".", 3)
	if len(parts) != 3 {
		return 0, nil, bad
	}
	st, err1 := strconv.Atoi(parts[0])
	d, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || st < 0 || st >= len(queueOrder) {
		return 0, nil, bad
	}
	return st, &cursorPos{decideBy: calendar.Date(d), ref: casework.Reference(parts[2])}, nil
}
