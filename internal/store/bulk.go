package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/measure"
)

// BulkApplication is a whole application written at once: its projection
// row and all its events, already checked by folding.
type BulkApplication struct {
	Row    ApplicationRow
	Events []casework.Event
	Facts  measure.Facts // its case facts after the events (measure.FactsOf)
}

// BulkInsert writes many new applications in one transaction: COPY on
// PostgreSQL, multi-row INSERTs on SQLite. It is for loading history (the
// seed), not for live casework, which goes through Append.
func (s *Store) BulkInsert(ctx context.Context, apps []BulkApplication) error {
	if len(apps) == 0 {
		return nil
	}
	now := micros(s.now())
	appRows := make([][]any, 0, len(apps))
	factRows := make([][]any, 0, len(apps))
	var eventRows [][]any
	for i := range apps {
		a := &apps[i]
		r := a.Row
		if err := checkFacts(r.Ref, &a.Facts); err != nil {
			return fmt.Errorf("bulk %w", err)
		}
		factRows = append(factRows, factValues(r.Ref, &a.Facts, r.Version))
		appRows = append(appRows, []any{string(r.Ref), r.Benefit, string(r.Status), r.Stage, r.ClientName, r.Area,
			int64(r.ReceivedOn), int64(r.DecideBy), int64(r.AtRiskFrom), r.Paused, int64(r.ClosedOn), int64(r.Version), now,
			int64(r.NextCheckOn), int64(r.ChallengeDue)})
		for _, e := range a.Events {
			body, err := json.Marshal(e.Body)
			if err != nil {
				return fmt.Errorf("bulk %s event %d: %w", r.Ref, e.Seq, err)
			}
			eventRows = append(eventRows, []any{string(r.Ref), int64(e.Seq), string(e.Type), micros(e.At),
				int64(casework.LocalDate(e.At)), e.Actor, string(body), now})
		}
	}
	if s.dialect == Postgres {
		return s.bulkCopy(ctx, appRows, eventRows, factRows)
	}
	return s.bulkInsert(ctx, appRows, eventRows, factRows)
}

var (
	applicationColumns = []string{"ref", "benefit", "status", "stage", "client_name", "area", "received_on",
		"decide_by", "at_risk_from", "paused", "closed_on", "version", "updated_at", "next_check_on", "challenge_due"}
	eventColumns = []string{"app_ref", "seq", "type", "at", "on_date", "actor", "body", "recorded_at"}
)

func (s *Store) bulkCopy(ctx context.Context, appRows, eventRows, factRows [][]any) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("bulk: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return fmt.Errorf("bulk: %w", err)
		}
		defer tx.Rollback(ctx)
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"applications"}, applicationColumns, pgx.CopyFromRows(appRows)); err != nil {
			return fmt.Errorf("bulk applications: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"events"}, eventColumns, pgx.CopyFromRows(eventRows)); err != nil {
			return fmt.Errorf("bulk events: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"case_facts"}, factColumns, pgx.CopyFromRows(factRows)); err != nil {
			return fmt.Errorf("bulk case facts: %w", err)
		}
		return tx.Commit(ctx)
	})
}

// bulkRowsPerStatement keeps each statement well under SQLite's limit on
// bound parameters while amortising the per-statement cost.
const bulkRowsPerStatement = 100

func (s *Store) bulkInsert(ctx context.Context, appRows, eventRows, factRows [][]any) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := insertMany(ctx, tx, "applications", applicationColumns, appRows); err != nil {
			return fmt.Errorf("bulk applications: %w", err)
		}
		if err := insertMany(ctx, tx, "events", eventColumns, eventRows); err != nil {
			return fmt.Errorf("bulk events: %w", err)
		}
		if err := insertMany(ctx, tx, "case_facts", factColumns, factRows); err != nil {
			return fmt.Errorf("bulk case facts: %w", err)
		}
		return nil
	})
}

// insertMany inserts rows with prepared multi-row INSERT statements.
func insertMany(ctx context.Context, tx *sql.Tx, table string, columns []string, rows [][]any) error {
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, bulkRowsPerStatement*len(columns))
	for start := 0; start < len(rows); start += bulkRowsPerStatement {
		end := min(start+bulkRowsPerStatement, len(rows))
		args = args[:0]
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		var err error
		if end-start == bulkRowsPerStatement {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, multiInsert(table, columns, bulkRowsPerStatement)); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, multiInsert(table, columns, end-start), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// multiInsert is for SQLite only (PostgreSQL loads with COPY), so it uses
// plain ? parameters: with numbered ones ($1…) the driver looks up each
// parameter's name in a list as long as the statement's, which is quadratic
// in the 1,300 parameters of a full statement and made BulkInsert 2-4× slower.
func multiInsert(table string, columns []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES ")
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range columns {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('?')
		}
		b.WriteByte(')')
	}
	return b.String()
}

// Analyze brings PostgreSQL's planner statistics up to date after a bulk
// load, as autovacuum would after a while: until then the planner guesses
// how many rows and groups a query has (see EachFactsGrouped). On SQLite
// it does nothing: its plans here do not depend on statistics.
func (s *Store) Analyze(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	if _, err := s.write.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}
