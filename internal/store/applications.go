package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
)

// ApplicationRow is the projection of an application that the work queue
// reads. It is derived from the events and rewritten with every append.
type ApplicationRow struct {
	Ref        casework.Reference
	Benefit    string
	Status     casework.Status
	Stage      string
	ClientName string
	Area       string
	ReceivedOn calendar.Date
	DecideBy   calendar.Date
	AtRiskFrom calendar.Date
	Paused     bool
	ClosedOn   calendar.Date
	Version    int
	// NextCheckOn is the first date one of the application's timers falls
	// due (message.NextCheck); zero if none.
	NextCheckOn calendar.Date
	// ChallengeDue is our deadline for an open re-determination; zero if
	// none is open.
	ChallengeDue calendar.Date
}

// Append is one write to an application's log: the new events, the
// projection after them, and optionally the response to remember for an
// idempotency key — all committed together or not at all.
type Append struct {
	Ref             casework.Reference
	ExpectedVersion int // the version the caller folded; 0 for a new application
	Events          []casework.Event
	Row             ApplicationRow
	Idempotency     *IdempotencyRecord
	// Notifications are the messages the events cause, queued in the same
	// transaction so that none is lost and none is sent for an event that
	// was not written.
	Notifications []NewNotification
	// Facts are the application's case facts after the events, worked out
	// from its whole log (measure.FactsOf), written in the same
	// transaction so that they never disagree with the events.
	Facts measure.Facts
}

// ErrVersionConflict means another writer appended first.
var ErrVersionConflict = errs.Conflict("someone else changed this application at the same moment; reload it and try again")

// Events returns an application's events in order.
func (s *Store) Events(ctx context.Context, ref casework.Reference) ([]casework.Event, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT seq, type, at, actor, body FROM events WHERE app_ref = $1 ORDER BY seq`, string(ref))
	if err != nil {
		return nil, fmt.Errorf("events %s: %w", ref, err)
	}
	defer rows.Close()
	var out []casework.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("events %s: %w", ref, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events %s: %w", ref, err)
	}
	if len(out) == 0 {
		return nil, errs.NotFound("there is no application with the reference %s", ref)
	}
	return out, nil
}

func scanEvent(rows *sql.Rows) (casework.Event, error) {
	var (
		e    casework.Event
		at   int64
		body string
	)
	if err := rows.Scan(&e.Seq, &e.Type, &at, &e.Actor, &body); err != nil {
		return e, err
	}
	e.At = fromMicros(at)
	b, err := casework.DecodeBody(e.Type, json.RawMessage(body), false)
	if err != nil {
		return e, fmt.Errorf("event %d: %w", e.Seq, err)
	}
	e.Body = b
	return e, nil
}

// Append writes events to an application's log if its version is still
// ExpectedVersion. If another writer got there first, nothing is written and
// the error is ErrVersionConflict.
func (s *Store) Append(ctx context.Context, a Append) error {
	if len(a.Events) == 0 {
		return errors.New("append: no events")
	}
	for i, e := range a.Events {
		if e.Seq != a.ExpectedVersion+i+1 {
			return fmt.Errorf("append %s: event %d has seq %d, want %d", a.Ref, i, e.Seq, a.ExpectedVersion+i+1)
		}
	}
	if err := checkFacts(a.Ref, &a.Facts); err != nil {
		return fmt.Errorf("append %w", err)
	}
	if s.dialect == Postgres {
		return s.appendPostgres(ctx, a)
	}
	st, err := s.statements(ctx)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.writeRow(ctx, tx, st, a.Row, a.ExpectedVersion); err != nil {
			return err
		}
		for _, e := range a.Events {
			if err := s.insertEvent(ctx, tx, st, a.Ref, e); err != nil {
				return err
			}
		}
		version := a.ExpectedVersion + len(a.Events)
		if _, err := tx.StmtContext(ctx, st.upsertFacts).ExecContext(ctx, factValues(a.Ref, &a.Facts, version)...); err != nil {
			return fmt.Errorf("case facts: %w", err)
		}
		if err := s.insertNotifications(ctx, tx, a.Ref, a.Notifications); err != nil {
			return err
		}
		if a.Idempotency != nil {
			return s.insertIdempotency(ctx, tx, *a.Idempotency)
		}
		return nil
	})
	if isUniqueViolation(err) {
		return ErrVersionConflict
	}
	return err
}

// The statements every append runs.
const (
	sqlInsertApplication = `INSERT INTO applications
		(ref, benefit, status, stage, client_name, area, received_on, decide_by, at_risk_from, paused, closed_on, version, updated_at, next_check_on, challenge_due)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`
	sqlUpdateApplication = `UPDATE applications SET status = $1, stage = $2, client_name = $3, area = $4,
		decide_by = $5, at_risk_from = $6, paused = $7, closed_on = $8, version = $9, updated_at = $10, next_check_on = $13,
		challenge_due = $14
		WHERE ref = $11 AND version = $12`
	sqlInsertEvent = `INSERT INTO events (app_ref, seq, type, at, on_date, actor, body, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
)

// appendStatements are prepared once and reused by every append, which
// saves parsing them each time (the SQLite driver keeps no statement cache).
type appendStatements struct {
	insertApplication, updateApplication, insertEvent, upsertFacts *sql.Stmt
}

// statements prepares the append statements on first use. It runs before
// the append's transaction begins: preparing inside it would wait for the
// SQLite write pool's only connection, which the transaction holds.
func (s *Store) statements(ctx context.Context) (*appendStatements, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if s.stmts != nil {
		return s.stmts, nil
	}
	var st appendStatements
	for _, p := range []struct {
		dst  **sql.Stmt
		text string
	}{{&st.insertApplication, sqlInsertApplication}, {&st.updateApplication, sqlUpdateApplication}, {&st.insertEvent, sqlInsertEvent},
		{&st.upsertFacts, sqlUpsertFacts}} {
		stmt, err := s.write.PrepareContext(ctx, p.text)
		if err != nil {
			return nil, fmt.Errorf("prepare: %w", err)
		}
		*p.dst = stmt
	}
	s.stmts = &st
	return s.stmts, nil
}

// writeRow inserts a new application or updates one still at expected.
func (s *Store) writeRow(ctx context.Context, tx *sql.Tx, st *appendStatements, r ApplicationRow, expected int) error {
	now := micros(s.now())
	if expected == 0 {
		_, err := tx.StmtContext(ctx, st.insertApplication).ExecContext(ctx,
			string(r.Ref), r.Benefit, string(r.Status), r.Stage, r.ClientName, r.Area, int64(r.ReceivedOn),
			int64(r.DecideBy), int64(r.AtRiskFrom), r.Paused, int64(r.ClosedOn), r.Version, now, int64(r.NextCheckOn), int64(r.ChallengeDue))
		return err
	}
	res, err := tx.StmtContext(ctx, st.updateApplication).ExecContext(ctx,
		string(r.Status), r.Stage, r.ClientName, r.Area, int64(r.DecideBy), int64(r.AtRiskFrom), r.Paused,
		int64(r.ClosedOn), r.Version, now, string(r.Ref), expected, int64(r.NextCheckOn), int64(r.ChallengeDue))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return ErrVersionConflict
	}
	return nil
}

func (s *Store) insertEvent(ctx context.Context, tx *sql.Tx, st *appendStatements, ref casework.Reference, e casework.Event) error {
	body, err := json.Marshal(e.Body)
	if err != nil {
		return fmt.Errorf("event %d: %w", e.Seq, err)
	}
	_, err = tx.StmtContext(ctx, st.insertEvent).ExecContext(ctx,
		string(ref), e.Seq, string(e.Type), micros(e.At), int64(casework.LocalDate(e.At)), e.Actor, string(body), micros(s.now()))
	return err
}

// Application returns the projection row for one application.
func (s *Store) Application(ctx context.Context, ref casework.Reference) (ApplicationRow, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+rowColumns+` FROM applications WHERE ref = $1`, string(ref))
	r, err := scanRow(row)
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.NotFound("there is no application with the reference %s", ref)
	}
	return r, err
}

const rowColumns = `ref, benefit, status, stage, client_name, area, received_on, decide_by, at_risk_from, paused, closed_on, version, next_check_on, challenge_due`

type scanner interface{ Scan(...any) error }

func scanRow(sc scanner) (ApplicationRow, error) {
	var (
		r                                        ApplicationRow
		ref, status                              string
		received, decideBy, atRiskFrom, closedOn int64
		nextCheck, challengeDue                  int64
	)
	err := sc.Scan(&ref, &r.Benefit, &status, &r.Stage, &r.ClientName, &r.Area, &received, &decideBy, &atRiskFrom,
		&r.Paused, &closedOn, &r.Version, &nextCheck, &challengeDue)
	r.NextCheckOn, r.ChallengeDue = calendar.Date(nextCheck), calendar.Date(challengeDue)
	r.Ref, r.Status = casework.Reference(ref), casework.Status(status)
	r.ReceivedOn, r.DecideBy = calendar.Date(received), calendar.Date(decideBy)
	r.AtRiskFrom, r.ClosedOn = calendar.Date(atRiskFrom), calendar.Date(closedOn)
	return r, err
}

// Counts of events appended since the process started, for /metrics.
func (s *Store) CountEvents(ctx context.Context) (int64, error) {
	var n int64
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM events`).Scan(&n)
	return n, err
}

// ApplicationsOf lists the references of applications whose client has
// exactly this name (as given, ignoring case), newest first.
func (s *Store) ApplicationsOf(ctx context.Context, name string, limit int) ([]casework.Reference, error) {
	return s.refs(ctx, `SELECT ref FROM applications WHERE lower(client_name) = lower($1)
		ORDER BY received_on DESC, ref LIMIT $2`, name, limit)
}

// Redeterminations lists the applications with a re-determination open,
// by our deadline, earliest first.
func (s *Store) Redeterminations(ctx context.Context, limit int) ([]ApplicationRow, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+rowColumns+` FROM applications WHERE challenge_due > 0
		ORDER BY challenge_due, ref LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("re-determinations: %w", err)
	}
	defer rows.Close()
	var out []ApplicationRow
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
