package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
)

// Case facts are one row per application (measure.Facts), rewritten with
// every append and written with every application the bulk path loads.
// Their columns are measure.FactFields, then version (the application's
// version they were worked out at).

// factFields are the facts' fields, in column order.
var factFields = measure.FactFields()

// factColumns are case_facts' columns, in the order factValues gives them.
var factColumns = func() []string {
	var out []string
	for _, f := range factFields {
		out = append(out, f.Name)
	}
	return append(out, "version")
}()

// factValues is a row of case_facts for an application at a version: the
// facts' values with the reference as the store keeps it (no hyphens).
func factValues(ref casework.Reference, f *measure.Facts, version int) []any {
	vals := f.Values()
	vals[0] = string(ref)
	return append(vals, int64(version))
}

// checkFacts refuses facts that cannot be the application's: every
// application was received on some day.
func checkFacts(ref casework.Reference, f *measure.Facts) error {
	if f.ReceivedOn.IsZero() {
		return fmt.Errorf("%s: no case facts: work them out with measure.FactsOf and give them with the events", ref)
	}
	return nil
}

// placeholders returns "$from, $from+1, …" for n parameters.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// factsUpdateSet is the SET list of an upsert that takes every column
// from the row offered.
var factsUpdateSet = func() string {
	var sets []string
	for _, c := range factColumns[1:] {
		sets = append(sets, c+" = excluded."+c)
	}
	return strings.Join(sets, ", ")
}()

var (
	// sqlUpsertFacts writes an application's facts in an append's
	// transaction (SQLite). Facts of a later version are never replaced.
	sqlUpsertFacts = `INSERT INTO case_facts (` + strings.Join(factColumns, ", ") + `) VALUES (` +
		placeholders(1, len(factColumns)) + `) ON CONFLICT (ref) DO UPDATE SET ` + factsUpdateSet +
		` WHERE case_facts.version <= excluded.version`
	// sqlUpsertFactsAtVersion is sqlUpsertFacts guarded like the other
	// statements of a PostgreSQL append batch (and of a rebuild): it writes
	// nothing unless the application is at the version given last.
	sqlUpsertFactsAtVersion = `INSERT INTO case_facts (` + strings.Join(factColumns, ", ") + `) SELECT ` +
		placeholders(1, len(factColumns)) + ` WHERE EXISTS (SELECT 1 FROM applications WHERE ref = $1 AND version = $` +
		fmt.Sprint(len(factColumns)+1) + `) ON CONFLICT (ref) DO UPDATE SET ` + factsUpdateSet +
		` WHERE case_facts.version <= excluded.version`
)

// FactsQuery says which rows of case facts to read, and which fields.
type FactsQuery struct {
	// Fields are the facts to read, by name (measure.FactFields); the
	// others are left zero, which saves reading columns nobody uses. Empty
	// reads them all.
	Fields []string
	// DateFields, From and To: only rows with at least one of these dates
	// from From to To (both included). Empty DateFields reads every row.
	DateFields []string
	From, To   calendar.Date
}

// EachFacts streams the case facts the query asks for to fn, one row at a
// time, holding one row in memory: a year's report over a million
// applications reads them in one pass. The rows come in the table's own
// order, because the measures computed from them do not depend on it and
// any other order would cost a sort or an index walk; fn must not keep
// the *Facts it is given, which is reused. An error from fn stops the
// stream and is returned.
func (s *Store) EachFacts(ctx context.Context, q FactsQuery, fn func(*measure.Facts) error) error {
	fields := q.Fields
	if len(fields) == 0 {
		fields = factColumns[:len(factFields)]
	}
	cols := make([]measure.FactField, 0, len(fields))
	for _, name := range fields {
		f, ok := measure.LookupFact(name)
		if !ok {
			return errs.Invalid("fields", "there is no fact called %q", name)
		}
		if !slices.ContainsFunc(cols, func(c measure.FactField) bool { return c.Name == name }) {
			cols = append(cols, f)
		}
	}
	query := `SELECT ` + columnList(cols) + ` FROM case_facts`
	var args []any
	if len(q.DateFields) > 0 {
		if q.From.IsZero() || q.To.Before(q.From) {
			return errs.Invalid("dates", "say which days to read, the first no later than the last")
		}
		var ors []string
		for _, name := range q.DateFields {
			f, ok := measure.LookupFact(name)
			if !ok || f.Kind != measure.FactDate {
				return errs.Invalid("dates", "%q is not a date fact", name)
			}
			ors = append(ors, f.Name+" BETWEEN $1 AND $2")
		}
		args = append(args, int64(q.From), int64(q.To))
		query += ` WHERE ` + strings.Join(ors, " OR ")
	}
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("case facts: %w", err)
	}
	defer rows.Close()
	sc := newFactsScanner(cols)
	var f measure.Facts
	for rows.Next() {
		f = measure.Facts{}
		if err := sc.scan(rows, &f); err != nil {
			return fmt.Errorf("case facts: %w", err)
		}
		if err := fn(&f); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("case facts: %w", err)
	}
	return nil
}

func columnList(cols []measure.FactField) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// factsScanner scans rows of facts into typed holders and copies them into
// Facts. Text is scanned as bytes and interned: the breakdown columns hold
// a few values each, so a million rows make a handful of strings, not
// millions.
type factsScanner struct {
	cols    []measure.FactField
	dest    []any
	ints    []int64
	bools   []bool
	texts   []sql.RawBytes
	strings map[string]string
}

func newFactsScanner(cols []measure.FactField) *factsScanner {
	sc := &factsScanner{cols: cols, dest: make([]any, len(cols)), ints: make([]int64, len(cols)),
		bools: make([]bool, len(cols)), texts: make([]sql.RawBytes, len(cols)), strings: map[string]string{}}
	for i, c := range cols {
		switch c.Kind {
		case measure.FactText:
			sc.dest[i] = &sc.texts[i]
		case measure.FactFlag:
			sc.dest[i] = &sc.bools[i]
		default:
			sc.dest[i] = &sc.ints[i]
		}
	}
	return sc
}

func (sc *factsScanner) scan(rows *sql.Rows, f *measure.Facts) error {
	if err := rows.Scan(sc.dest...); err != nil {
		return err
	}
	for i, c := range sc.cols {
		switch p := c.Pointer(f).(type) {
		case *string:
			*p = sc.text(c.Name, sc.texts[i])
		case *calendar.Date:
			*p = calendar.Date(sc.ints[i])
		case *int:
			*p = int(sc.ints[i])
		case *bool:
			*p = sc.bools[i]
		}
	}
	return nil
}

// text returns a text column's value, interned unless it is the reference
// (every row has its own) or the values turn out not to repeat.
func (sc *factsScanner) text(column string, b []byte) string {
	if v, ok := sc.strings[string(b)]; ok {
		return v
	}
	v := string(b)
	if column != "ref" && len(sc.strings) < 10_000 {
		sc.strings[v] = v
	}
	return v
}

// FactsSpan is the first and last days applications were received on;
// both zero when there are none. The report lists the years from the
// first to today.
func (s *Store) FactsSpan(ctx context.Context) (first, last calendar.Date, err error) {
	var lo, hi sql.NullInt64
	if err := s.read.QueryRowContext(ctx, `SELECT min(received_on), max(received_on) FROM applications`).Scan(&lo, &hi); err != nil {
		return 0, 0, fmt.Errorf("case facts: %w", err)
	}
	return calendar.Date(lo.Int64), calendar.Date(hi.Int64), nil
}

// FactsCoverage is how many applications there are, and how many have
// case facts: fewer means facts need rebuilding (charter facts rebuild),
// as after upgrading a database that held applications before there were
// facts.
func (s *Store) FactsCoverage(ctx context.Context) (applications, withFacts int, err error) {
	var a, f int64
	err = s.read.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM applications), (SELECT count(*) FROM case_facts)`).Scan(&a, &f)
	if err != nil {
		return 0, 0, fmt.Errorf("case facts: %w", err)
	}
	return int(a), int(f), nil
}

// ComputeFacts works out one application's facts from its whole event log.
type ComputeFacts func(ref casework.Reference, events []casework.Event) (measure.Facts, error)

// rebuildBatch is how many applications a rebuild reads and writes in one
// transaction: enough to amortise it, few enough that appends waiting for
// SQLite's write lock wait briefly.
const rebuildBatch = 500

// RebuildFacts works out every application's facts again from its events
// with compute, and writes them, a batch of applications per transaction,
// in reference order. It is for when the way facts are worked out changes.
// It is safe while the service runs: facts are written only if the
// application is still at the version whose events were read, and never
// over facts of a later version, so an append that races the rebuild keeps
// its own (as new) facts. progress, if not nil, is called after each
// batch with the number done. An application compute refuses stops the
// rebuild with an error naming it; the batches before it stay written.
func (s *Store) RebuildFacts(ctx context.Context, compute ComputeFacts, progress func(done int)) (int, error) {
	done := 0
	after := ""
	for {
		var refs []string
		rows, err := s.read.QueryContext(ctx, `SELECT ref FROM applications WHERE ref > $1 ORDER BY ref LIMIT $2`, after, rebuildBatch)
		if err != nil {
			return done, fmt.Errorf("rebuild facts: %w", err)
		}
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				rows.Close()
				return done, fmt.Errorf("rebuild facts: %w", err)
			}
			refs = append(refs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return done, fmt.Errorf("rebuild facts: %w", err)
		}
		if len(refs) == 0 {
			return done, nil
		}
		if err := s.rebuildFacts(ctx, refs[0], refs[len(refs)-1], compute); err != nil {
			return done, err
		}
		done += len(refs)
		after = refs[len(refs)-1]
		if progress != nil {
			progress(done)
		}
	}
}

// rebuildFacts rebuilds the facts of the applications from first to last.
func (s *Store) rebuildFacts(ctx context.Context, first, last string, compute ComputeFacts) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT app_ref, seq, type, at, actor, body FROM events
			WHERE app_ref >= $1 AND app_ref <= $2 ORDER BY app_ref, seq`, first, last)
		if err != nil {
			return fmt.Errorf("rebuild facts: %w", err)
		}
		type app struct {
			ref    casework.Reference
			events []casework.Event
		}
		var apps []app
		for rows.Next() {
			var ref string
			e, err := scanEventWithRef(rows, &ref)
			if err != nil {
				rows.Close()
				return fmt.Errorf("rebuild facts %s: %w", ref, err)
			}
			if n := len(apps); n == 0 || string(apps[n-1].ref) != ref {
				apps = append(apps, app{ref: casework.Reference(ref)})
			}
			apps[len(apps)-1].events = append(apps[len(apps)-1].events, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("rebuild facts: %w", err)
		}
		stmt, err := tx.PrepareContext(ctx, sqlUpsertFactsAtVersion)
		if err != nil {
			return fmt.Errorf("rebuild facts: %w", err)
		}
		defer stmt.Close()
		for _, a := range apps {
			f, err := compute(a.ref, a.events)
			if err != nil {
				return fmt.Errorf("rebuild facts: application %s: %w", a.ref, err)
			}
			version := len(a.events)
			if _, err := stmt.ExecContext(ctx, append(factValues(a.ref, &f, version), int64(version))...); err != nil {
				return fmt.Errorf("rebuild facts %s: %w", a.ref, err)
			}
		}
		return nil
	})
}

// scanEventWithRef scans a row of app_ref, seq, type, at, actor, body.
func scanEventWithRef(rows *sql.Rows, ref *string) (casework.Event, error) {
	var (
		e    casework.Event
		at   int64
		body string
	)
	if err := rows.Scan(ref, &e.Seq, &e.Type, &at, &e.Actor, &body); err != nil {
		return e, err
	}
	e.At = fromMicros(at)
	b, err := casework.DecodeBody(e.Type, []byte(body), false)
	if err != nil {
		return e, fmt.Errorf("event %d: %w", e.Seq, err)
	}
	e.Body = b
	return e, nil
}

// Facts returns one application's case facts, as stored.
func (s *Store) Facts(ctx context.Context, ref casework.Reference) (measure.Facts, error) {
	var f measure.Facts
	err := s.read.QueryRowContext(ctx, `SELECT `+strings.Join(factColumns[:len(factFields)], ", ")+
		` FROM case_facts WHERE ref = $1`, string(ref)).Scan(f.ScanTargets()...)
	if errors.Is(err, sql.ErrNoRows) {
		return f, errs.NotFound("there are no case facts for %s", ref)
	}
	if err != nil {
		return f, fmt.Errorf("case facts %s: %w", ref, err)
	}
	return f, nil
}
