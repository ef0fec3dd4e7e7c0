package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
)

// Case facts are one row per application (measure.Facts), rewritten with
// every append and written with every application the bulk path loads.
// Their columns are the reference, last_on (the latest of the dates),
// the other measure.FactFields, and version (the application's version
// they were worked out at).

// factFields are the facts' fields, in column order.
var factFields = measure.FactFields()

// factNames are the facts' names, in FactFields order.
var factNames = func() []string {
	var out []string
	for _, f := range factFields {
		out = append(out, f.Name)
	}
	return out
}()

// factColumns are case_facts' columns, in the order factValues gives them.
var factColumns = append(append([]string{"ref", "last_on"}, factNames[1:]...), "version")

// factValues is a row of case_facts for an application at a version: the
// reference as the store keeps it (no hyphens), the latest of the dates,
// the other facts' values, and the version.
func factValues(ref casework.Reference, f *measure.Facts, version int) []any {
	vals := f.Values()
	var last int64
	for i, ff := range factFields {
		if ff.Kind == measure.FactDate {
			last = max(last, vals[i].(int64))
		}
	}
	out := make([]any, 0, len(vals)+2)
	out = append(out, string(ref), last)
	out = append(out, vals[1:]...)
	return append(out, int64(version))
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
	// transaction (SQLite). Facts of a later version are never replaced. Its
	// parameters are plain ?: SQLite looks each numbered one up by name
	// among all the statement's, which for sixty of them cost more than
	// writing the row.
	sqlUpsertFacts = `INSERT INTO case_facts (` + strings.Join(factColumns, ", ") + `) VALUES (` +
		strings.TrimSuffix(strings.Repeat("?, ", len(factColumns)), ", ") + `) ON CONFLICT (ref) DO UPDATE SET ` + factsUpdateSet +
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
	// Mark asks EachFactsGrouped for a mark of what the rows reflect (see
	// FactsMark): on PostgreSQL it holds appends back for a moment.
	Mark bool
}

// EachFacts streams the case facts the query asks for to fn, one row at a
// time, holding one row in memory: a year's report over a million
// applications reads them in one pass. The rows come in the table's own
// order (on SQLite, by reference), because the measures computed from
// them do not depend on it and any other order would cost a sort or an
// index walk; fn must not keep the *Facts it is given, which is reused.
// An error from fn stops the stream and is returned.
//
// It reads below database/sql, straight from the driver: a report reads
// tens of millions of values, and going through Rows.Scan (a conversion,
// by reflection, for every value) took most of the time.
func (s *Store) EachFacts(ctx context.Context, q FactsQuery, fn func(*measure.Facts) error) error {
	cols, where, args, err := factsQuery(q)
	if err != nil {
		return err
	}
	return s.eachFacts(ctx, cols, where, args, nil, fn)
}

// EachFactsParts is EachFacts reading the rows in parts at once, each part
// on its own connection, and fn(i, f) is called for part i's rows from
// part i's own goroutine: so counting can use every core. Each row is in
// exactly one part. On SQLite the parts are ranges of references
// (casework.ReferenceSplits), each read as of its own moment; on
// PostgreSQL they are ranges of the table's pages read in one shared
// snapshot. An error from any part stops them all and is returned.
func (s *Store) EachFactsParts(ctx context.Context, q FactsQuery, parts int, fn func(part int, f *measure.Facts) error) error {
	cols, where, args, err := factsQuery(q)
	if err != nil {
		return err
	}
	return s.eachFactsParts(ctx, cols, where, args, parts, nil, fn)
}

// eachFactsParts is EachFactsParts for a checked query (see factsQuery).
// Given mark, it is set to what the rows reflect (see FactsMark).
func (s *Store) eachFactsParts(ctx context.Context, cols []measure.FactField, where string, args []any, parts int, mark *FactsMark,
	fn func(part int, f *measure.Facts) error) error {
	if s.dialect == Postgres && (parts > 1 || mark != nil) {
		return s.eachFactsPartsPostgres(ctx, cols, columnList(cols), where, "", args, max(parts, 1), mark,
			func(part int, f *measure.Facts, _ int64) error { return fn(part, f) })
	}
	parts = max(parts, 1)
	splits := casework.ReferenceSplits(parts)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ps := make([]markPart, parts)
	errsOut := make([]error, parts)
	var wg sync.WaitGroup
	for i := range parts {
		a := slices.Clone(args)
		var conds []string
		if i > 0 {
			a = append(a, string(splits[i-1]))
			conds = append(conds, fmt.Sprintf("ref >= $%d", len(a)))
			ps[i].from = string(splits[i-1])
		}
		if i < parts-1 {
			a = append(a, string(splits[i]))
			conds = append(conds, fmt.Sprintf("ref < $%d", len(a)))
			ps[i].to = string(splits[i])
		}
		w := where
		if len(conds) > 0 {
			w = andWhere(where, strings.Join(conds, " AND "))
		}
		var upTo *int64
		if mark != nil {
			upTo = &ps[i].upTo
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errsOut[i] = s.eachFacts(ctx, cols, w, a, upTo, func(f *measure.Facts) error { return fn(i, f) })
			if errsOut[i] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	for _, err := range errsOut {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	for _, err := range errsOut {
		if err != nil {
			return err
		}
	}
	if mark != nil {
		mark.parts = ps
	}
	return nil
}

// snapshotID is what pg_export_snapshot returns, checked before it goes
// into a statement (SET TRANSACTION SNAPSHOT takes no parameters).
var snapshotID = regexp.MustCompile(`^[0-9A-Fa-f-]+$`)

// eachFactsPartsPostgres reads the parts as ranges of the table's pages,
// each part on its own connection in one shared snapshot: a range of
// references would have every part scan the whole table, while a range of
// pages reads each page once. Sharing the snapshot keeps each version of
// a row in exactly one part: a row updated while the parts read would
// otherwise be seen twice or not at all. Each part selects list (cols'
// columns, or expressions of them) with where; given a GROUP BY clause,
// groupBy, list ends with the count of the rows each row stands for.
//
// Given mark, the snapshot is taken while appends are held back (see
// holdAppends) and mark is set to the highest event id it holds.
func (s *Store) eachFactsPartsPostgres(ctx context.Context, cols []measure.FactField, list, where, groupBy string, args []any, parts int,
	mark *FactsMark, fn func(part int, f *measure.Facts, n int64) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	conns := make([]*sql.Conn, parts)
	for i := range conns {
		c, err := s.read.Conn(ctx)
		if err != nil {
			return fmt.Errorf("case facts: %w", err)
		}
		defer c.Close()
		conns[i] = c
	}
	var (
		snapshot string
		pages    int64
		exported = make(chan struct{}) // closed once snapshot and pages are set, or the export failed
		imported sync.WaitGroup        // the other parts have taken the snapshot
		wg       sync.WaitGroup
		errsOut  = make([]error, parts)
	)
	imported.Add(parts - 1)
	for i := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errsOut[i] = conns[i].Raw(func(dc any) error {
				conn := dc.(*stdlib.Conn).Conn()
				tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
				if err != nil {
					if i == 0 {
						close(exported)
					} else {
						imported.Done()
					}
					return err
				}
				defer tx.Rollback(context.WithoutCancel(ctx))
				if i == 0 {
					var release func()
					if mark != nil {
						// Unable to hold appends back, the read goes on unmarked.
						release, _ = s.holdAppends(ctx)
					}
					var upTo int64
					err := tx.QueryRow(ctx, `SELECT pg_export_snapshot(), pg_relation_size('case_facts') / current_setting('block_size')::bigint, (`+
						sqlLastEvent+`)`).Scan(&snapshot, &pages, &upTo)
					if release != nil {
						release()
					}
					close(exported)
					if err != nil {
						return err
					}
					if release != nil {
						mark.parts = []markPart{{upTo: upTo}}
					}
					imported.Wait() // keep the snapshot until every part has it
				} else {
					<-exported
					if snapshot == "" || !snapshotID.MatchString(snapshot) {
						imported.Done()
						return errors.New("no snapshot to share")
					}
					_, err := tx.Exec(ctx, `SET TRANSACTION SNAPSHOT '`+snapshot+`'`)
					imported.Done()
					if err != nil {
						return err
					}
				}
				cond := fmt.Sprintf("ctid >= '(%d,0)'::tid", int64(i)*pages/int64(parts))
				if i < parts-1 {
					cond += fmt.Sprintf(" AND ctid < '(%d,0)'::tid", int64(i+1)*pages/int64(parts))
				}
				grouped := groupBy != ""
				if grouped {
					// Room for the groups in memory: sorting the rows
					// instead, or spilling groups to disk, costs more
					// than sending them.
					if _, err := tx.Exec(ctx, `SET LOCAL work_mem = '64MB'`); err != nil {
						return err
					}
				}
				query := selectFacts(list, andWhere(where, cond)) + groupBy
				return eachFactsPostgres(ctx, conn, query, args, cols, grouped, func(f *measure.Facts, n int64) error { return fn(i, f, n) })
			})
			if errsOut[i] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	var first error
	for _, err := range errsOut {
		var stop stopError
		switch {
		case err == nil:
		case errors.As(err, &stop):
			return stop.err
		case first == nil || errors.Is(first, context.Canceled):
			first = err
		}
	}
	if first != nil {
		return fmt.Errorf("case facts: %w", first)
	}
	return nil
}

// eachFacts reads cols of the rows where picks (see factsQuery) on one
// connection of the read pool. Given upTo (SQLite), it reads them in a
// transaction and sets upTo to the highest event id the rows reflect.
func (s *Store) eachFacts(ctx context.Context, cols []measure.FactField, where string, args []any, upTo *int64, fn func(*measure.Facts) error) error {
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return fmt.Errorf("case facts: %w", err)
	}
	defer conn.Close()
	if upTo != nil {
		end, err := beginMarked(ctx, conn, upTo)
		if err != nil {
			return fmt.Errorf("case facts: %w", err)
		}
		defer end()
	}
	err = conn.Raw(func(dc any) error {
		if pc, ok := dc.(*stdlib.Conn); ok {
			return eachFactsPostgres(ctx, pc.Conn(), selectFacts(columnList(cols), where), args, cols, false,
				func(f *measure.Facts, _ int64) error { return fn(f) })
		}
		return eachFactsDriver(ctx, dc, cols, where, args, fn)
	})
	if err != nil {
		var stop stopError
		if errors.As(err, &stop) {
			return stop.err
		}
		return fmt.Errorf("case facts: %w", err)
	}
	return nil
}

// stopError carries an error from EachFacts's fn out of the driver, as it
// was, so the caller gets it unwrapped.
type stopError struct{ err error }

func (e stopError) Error() string { return e.err.Error() }

// factsQuery checks a FactsQuery and returns the columns to read and the
// WHERE clause ("" for every row, else " WHERE …") with its arguments.
func factsQuery(q FactsQuery) (cols []measure.FactField, where string, args []any, err error) {
	fields := q.Fields
	if len(fields) == 0 {
		fields = factNames
	}
	cols = make([]measure.FactField, 0, len(fields))
	for _, name := range fields {
		f, ok := measure.LookupFact(name)
		if !ok {
			return nil, "", nil, errs.Invalid("fields", "there is no fact called %q", name)
		}
		if !slices.ContainsFunc(cols, func(c measure.FactField) bool { return c.Name == name }) {
			cols = append(cols, f)
		}
	}
	if len(q.DateFields) > 0 {
		if q.From.IsZero() || q.To.Before(q.From) {
			return nil, "", nil, errs.Invalid("dates", "say which days to read, the first no later than the last")
		}
		var ors []string
		for _, name := range q.DateFields {
			f, ok := measure.LookupFact(name)
			if !ok || f.Kind != measure.FactDate {
				return nil, "", nil, errs.Invalid("dates", "%q is not a date fact", name)
			}
			ors = append(ors, f.Name+" BETWEEN $1 AND $2")
		}
		// last_on first: a row with nothing on or after From is passed
		// over after two columns, however many dates are asked about.
		args = append(args, int64(q.From), int64(q.To))
		where = ` WHERE last_on >= $1 AND (` + strings.Join(ors, " OR ") + `)`
	}
	return cols, where, args, nil
}

// selectFacts is the SELECT of list from case_facts with where.
func selectFacts(list, where string) string { return `SELECT ` + list + ` FROM case_facts` + where }

// andWhere adds cond to a WHERE clause ("" or " WHERE …").
func andWhere(where, cond string) string {
	if where == "" {
		return " WHERE " + cond
	}
	return " WHERE (" + strings.TrimPrefix(where, " WHERE ") + ") AND " + cond
}

func columnList(cols []measure.FactField) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// eachFactsDriver streams rows through a database/sql driver connection's
// own Rows (SQLite): integers come as int64, text as string. It reads
// cols packed (see packedSelect) from the rows where picks.
func eachFactsDriver(ctx context.Context, dc any, cols []measure.FactField, where string, args []any, fn func(*measure.Facts) error) error {
	qc, ok := dc.(driver.QueryerContext)
	if !ok {
		return errors.New("the driver cannot query")
	}
	list, packed := packedSelect(cols)
	query := selectFacts(list, where)
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	rows, err := qc.QueryContext(ctx, query, named)
	if err != nil {
		return err
	}
	defer rows.Close()
	dest := make([]driver.Value, len(packed))
	var f measure.Facts
	for {
		if err := rows.Next(dest); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		f = measure.Facts{}
		for i, p := range packed {
			p.unpack(&f, dest[i])
		}
		if err := fn(&f); err != nil {
			return stopError{err}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// eachFactsPostgres streams rows through pgx in the binary format,
// decoding each value from its bytes: no value is converted through an
// interface, and text is interned (the breakdowns hold a few values each).
// counted: the last column is how many rows the row stands for (else 1).
func eachFactsPostgres(ctx context.Context, conn *pgx.Conn, query string, args []any, cols []measure.FactField, counted bool,
	fn func(*measure.Facts, int64) error) error {
	rows, err := conn.Query(ctx, query, append([]any{pgx.QueryResultFormats{pgx.BinaryFormatCode}}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	fds := rows.FieldDescriptions()
	want := len(cols)
	if counted {
		want++
	}
	if len(fds) != want {
		return fmt.Errorf("%d columns for %d fields", len(fds), len(cols))
	}
	var texts textCache
	var f measure.Facts
	for rows.Next() {
		raw := rows.RawValues()
		f = measure.Facts{}
		for i, c := range cols {
			b := raw[i]
			if b == nil {
				continue // NULL: never written, but zero is its meaning
			}
			var n int64
			switch fds[i].DataTypeOID {
			case pgtype.Int4OID:
				n = int64(int32(binary.BigEndian.Uint32(b)))
			case pgtype.Int8OID:
				n = int64(binary.BigEndian.Uint64(b))
			case pgtype.BoolOID:
				n = int64(b[0])
			case pgtype.TextOID, pgtype.VarcharOID:
			default:
				return fmt.Errorf("column %s has type %d", c.Name, fds[i].DataTypeOID)
			}
			switch p := c.Pointer(&f).(type) {
			case *string:
				if c.Name == "ref" {
					*p = string(b)
				} else {
					*p = texts.get(b)
				}
			case *calendar.Date:
				*p = calendar.Date(n)
			case *int:
				*p = int(n)
			case *bool:
				*p = n != 0
			}
		}
		n := int64(1)
		if counted {
			b := raw[len(cols)]
			if fds[len(cols)].DataTypeOID != pgtype.Int8OID || len(b) != 8 {
				return errors.New("the count of a group is not a bigint")
			}
			n = int64(binary.BigEndian.Uint64(b))
		}
		if err := fn(&f, n); err != nil {
			return stopError{err}
		}
	}
	return rows.Err()
}

// textCache turns the bytes of the few values a text fact takes into
// strings, the same string each time: a map from the bytes behind a small
// table found by a cheap hash, because hashing each value of a million rows
// for the map took a fifth of reading them. It keeps at most 10,000 values.
type textCache struct {
	recent [256]string
	all    map[string]string
}

func (c *textCache) get(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	slot := &c.recent[(uint(n)*31^uint(b[0])*7^uint(b[n/2])*3^uint(b[n-1]))&255]
	if *slot == string(b) {
		return *slot
	}
	s, ok := c.all[string(b)]
	if !ok {
		s = string(b)
		if c.all == nil {
			c.all = map[string]string{}
		}
		if len(c.all) < 10_000 {
			c.all[s] = s
		}
	}
	*slot = s
	return s
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
		refs, err := queryStrings(ctx, s.read, `SELECT ref FROM applications WHERE ref > $1 ORDER BY ref LIMIT $2`, after, rebuildBatch)
		if err != nil {
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
	return scanEventWithID(rows, ref, nil)
}

// scanEventWithID scans a row of app_ref, id, seq, type, at, actor, body;
// without id, one of app_ref, seq, type, at, actor, body.
func scanEventWithID(rows *sql.Rows, ref *string, id *int64) (casework.Event, error) {
	var (
		e    casework.Event
		at   int64
		body string
	)
	dest := []any{ref, &e.Seq, &e.Type, &at, &e.Actor, &body}
	if id != nil {
		dest = slices.Insert(dest, 1, any(id))
	}
	if err := rows.Scan(dest...); err != nil {
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
	err := s.read.QueryRowContext(ctx, `SELECT `+strings.Join(factNames, ", ")+
		` FROM case_facts WHERE ref = $1`, string(ref)).Scan(f.ScanTargets()...)
	if errors.Is(err, sql.ErrNoRows) {
		return f, errs.NotFound("there are no case facts for %s", ref)
	}
	if err != nil {
		return f, fmt.Errorf("case facts %s: %w", ref, err)
	}
	return f, nil
}
