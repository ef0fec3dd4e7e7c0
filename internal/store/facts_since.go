package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/measure"
)

// FactsMark says which events the case facts read by EachFactsGrouped
// reflect, so that FactsSince can tell which applications have changed
// since: a report kept from one day to the next is brought up to date
// from those alone, not from every row again.
//
// A marked read holds the highest event id its snapshot holds, and every
// event with a higher id is one it does not reflect. On SQLite, whose one
// writer appends events with ids in the order they commit, that is so of
// any read in a transaction. PostgreSQL hands out ids before transactions
// commit, so an event with a lower id than one a read saw could commit
// after it: there the read's snapshot is taken while appends are held
// back (see holdAppends), when none is half done.
type FactsMark struct {
	parts []markPart // in reference order, covering every reference
}

// markPart: the rows with references from from (or the start) up to, not
// including, to (or the end) reflect the events with ids up to upTo.
type markPart struct {
	from, to string
	upTo     int64
}

// sqlLastEvent is the highest event id there is: a read's mark.
const sqlLastEvent = `SELECT coalesce(max(id), 0) FROM events`

// Exact reports whether the mark tells what a read reflected.
func (m FactsMark) Exact() bool { return len(m.parts) > 0 }

// holdAppendsFor is how long a marked read on PostgreSQL waits for the
// appends under way to finish before it gives up marking (and reads
// unmarked). A variable for tests.
var holdAppendsFor = 5 * time.Second

// holdAppends holds back appends on PostgreSQL until release is called,
// once the appends under way have committed: a snapshot taken meanwhile
// holds every event with an id up to its highest, and any later event has
// a higher one. It locks the events table in SHARE mode (on a connection
// of its own), which waits for the inserting transactions and makes new
// ones wait; reads go on. The caller takes its snapshot and releases at
// once.
func (s *Store) holdAppends(ctx context.Context) (release func(), err error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`SET LOCAL lock_timeout = %d`, holdAppendsFor.Milliseconds())); err != nil {
		tx.Rollback()
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `LOCK TABLE events IN SHARE MODE`); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("waiting for the appends under way: %w", err)
	}
	return func() { tx.Rollback() }, nil
}

// upTo is the highest event id the rows of ref reflect.
func (m FactsMark) upTo(ref string) int64 {
	for _, p := range m.parts {
		if (p.from == "" || ref >= p.from) && (p.to == "" || ref < p.to) {
			return p.upTo
		}
	}
	return 0
}

// FactsChange is one application that FactsSince found: its events as
// the mark saw them and its facts now.
type FactsChange struct {
	Ref casework.Reference
	// Before are the events the marked read reflected, in order; none for
	// an application received since, or one the caller knows (see
	// FactsSince).
	Before []casework.Event
	// After are its case facts now.
	After measure.Facts
}

// factsSinceBatch is how many applications FactsSince reads at a time.
const factsSinceBatch = 500

// FactsSince returns, as of one moment, every application with events
// appended since mark, and the applications of also, each with the
// events mark reflected (except those known says the caller knows already:
// reading an application's events means a page for each, as they lie
// among everyone's) and its facts now; and a mark for that moment. ok is
// false, with nothing read, when mark is not exact (see FactsMark) or
// appends could not be held back for a new one.
func (s *Store) FactsSince(ctx context.Context, mark FactsMark, also []casework.Reference, known func(casework.Reference) bool) (changes []FactsChange, next FactsMark, ok bool, err error) {
	if !mark.Exact() {
		return nil, FactsMark{}, false, nil
	}
	marked, err := s.markedRead(ctx, func(q queryer, upTo int64) error {
		low := mark.parts[0].upTo
		for _, p := range mark.parts {
			low = min(low, p.upTo)
		}
		// Not DISTINCT: SQLite would walk the whole (app_ref, seq) index
		// for it rather than the few ids at the end of the table.
		refs, err := queryStrings(ctx, q, `SELECT app_ref FROM events WHERE id > $1`, low)
		if err != nil {
			return err
		}
		for _, r := range also {
			refs = append(refs, string(r))
		}
		slices.Sort(refs)
		refs = slices.Compact(refs)
		for batch := range slices.Chunk(refs, factsSinceBatch) {
			got, err := changesOf(ctx, q, mark, batch, known)
			if err != nil {
				return err
			}
			changes = append(changes, got...)
		}
		next = FactsMark{parts: []markPart{{upTo: upTo}}}
		return nil
	})
	if err != nil {
		return nil, FactsMark{}, false, fmt.Errorf("case facts since: %w", err)
	}
	if !marked {
		return nil, FactsMark{}, false, nil
	}
	return changes, next, true, nil
}

// queryer is a pool, a connection or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryStrings returns the one text column of a query's rows.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// markedRead calls fn in a read transaction, with the highest event id its
// snapshot holds (taken, on PostgreSQL, while appends are held back). It
// calls nothing, and says so, when appends could not be held back.
func (s *Store) markedRead(ctx context.Context, fn func(q queryer, upTo int64) error) (marked bool, err error) {
	var upTo int64
	if s.dialect == SQLite {
		conn, err := s.read.Conn(ctx)
		if err != nil {
			return false, err
		}
		defer conn.Close()
		end, err := beginMarked(ctx, conn, &upTo)
		if err != nil {
			return false, err
		}
		defer end()
		return true, fn(conn, upTo)
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	release, err := s.holdAppends(ctx)
	if err != nil {
		return false, nil
	}
	err = tx.QueryRowContext(ctx, sqlLastEvent).Scan(&upTo)
	release()
	if err != nil {
		return false, err
	}
	return true, fn(tx, upTo)
}

// changesOf reads the events and facts of refs, inside FactsSince's
// transaction. Only events up to the mark are kept as Before: an
// application received since has none.
func changesOf(ctx context.Context, conn queryer, mark FactsMark, refs []string, known func(casework.Reference) bool) ([]FactsChange, error) {
	args := make([]any, len(refs))
	for i, r := range refs {
		args[i] = r
	}
	rows, err := conn.QueryContext(ctx, `SELECT `+strings.Join(factNames, ", ")+` FROM case_facts WHERE ref IN (`+placeholders(1, len(args))+`) ORDER BY ref`, args...)
	if err != nil {
		return nil, err
	}
	var out []FactsChange
	for rows.Next() {
		var f measure.Facts
		if err := rows.Scan(f.ScanTargets()...); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, FactsChange{Ref: casework.Reference(f.Ref), After: f})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	args = args[:0]
	for _, r := range refs {
		if known == nil || !known(casework.Reference(r)) {
			args = append(args, r)
		}
	}
	if len(args) == 0 {
		return out, nil
	}
	rows, err = conn.QueryContext(ctx, `SELECT app_ref, id, seq, type, at, actor, body FROM events WHERE app_ref IN (`+placeholders(1, len(args))+`) ORDER BY app_ref, seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			ref string
			id  int64
		)
		e, err := scanEventWithID(rows, &ref, &id)
		if err != nil {
			return nil, err
		}
		i, found := slices.BinarySearchFunc(out, ref, func(c FactsChange, ref string) int { return strings.Compare(string(c.Ref), ref) })
		if !found {
			return nil, fmt.Errorf("application %s has events but no case facts: run charter facts rebuild", ref)
		}
		if id <= mark.upTo(ref) {
			out[i].Before = append(out[i].Before, e)
		}
	}
	return out, rows.Err()
}

// beginMarked begins a read transaction on a SQLite connection and sets
// upTo to the highest event id it sees; end finishes it.
func beginMarked(ctx context.Context, conn *sql.Conn, upTo *int64) (end func(), err error) {
	if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
		return nil, err
	}
	end = func() { conn.ExecContext(context.WithoutCancel(ctx), `COMMIT`) }
	if err := conn.QueryRowContext(ctx, sqlLastEvent).Scan(upTo); err != nil {
		end()
		return nil, fmt.Errorf("the last event: %w", err)
	}
	return end, nil
}
