package store

import (
	"context"
	"fmt"

	"github.com/charter-service/charter/internal/calendar"
)

// QueueTally is how many open applications are in each queue status.
type QueueTally struct {
	Missed, AtRisk, OnTrack, Paused int
}

// Total is the number of open applications in the tally.
func (t QueueTally) Total() int { return t.Missed + t.AtRisk + t.OnTrack + t.Paused }

// Of returns the count for one of the Queue* statuses, or 0.
func (t QueueTally) Of(status string) int {
	switch status {
	case QueueMissed:
		return t.Missed
	case QueueAtRisk:
		return t.AtRisk
	case QueueOnTrack:
		return t.OnTrack
	case QueuePaused:
		return t.Paused
	}
	return 0
}

// Add returns the sum of two tallies.
func (t QueueTally) Add(o QueueTally) QueueTally {
	return QueueTally{t.Missed + o.Missed, t.AtRisk + o.AtRisk, t.OnTrack + o.OnTrack, t.Paused + o.Paused}
}

// StageTally is the tally of the open applications of one benefit at one
// stage.
type StageTally struct {
	Benefit, Stage string
	QueueTally
}

// QueueTallies counts open applications by benefit, stage and queue status
// as of today, classified as Queue classifies them. There are few benefits
// and stages, so callers sum the rows they need: the work queue's counts
// for its filters, the performance page's counts per benefit.
func (s *Store) QueueTallies(ctx context.Context, today calendar.Date) ([]StageTally, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT benefit, stage,
		coalesce(sum(CASE WHEN NOT paused AND decide_by < $1 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN NOT paused AND decide_by >= $1 AND at_risk_from <= $1 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN NOT paused AND decide_by >= $1 AND at_risk_from > $1 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN paused THEN 1 ELSE 0 END), 0)
		FROM applications WHERE status = 'open' GROUP BY benefit, stage ORDER BY benefit, stage`, int64(today))
	if err != nil {
		return nil, fmt.Errorf("queue tallies: %w", err)
	}
	defer rows.Close()
	var out []StageTally
	for rows.Next() {
		var t StageTally
		var m, r, o, p int64
		if err := rows.Scan(&t.Benefit, &t.Stage, &m, &r, &o, &p); err != nil {
			return nil, fmt.Errorf("queue tallies: %w", err)
		}
		t.Missed, t.AtRisk, t.OnTrack, t.Paused = int(m), int(r), int(o), int(p)
		out = append(out, t)
	}
	return out, rows.Err()
}
