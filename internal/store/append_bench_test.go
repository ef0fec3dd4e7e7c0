package store_test

// B1: the store's write paths against the plainest way to put the same rows
// into the same database, on SQLite and PostgreSQL, in one run:
//
//	go test -run XXX -bench B1 -benchtime 2s ./internal/store/
//
// BenchmarkB1Append: one event per Store.Append call, projection row
// included, as the app records an event; against a prepared single-row
// INSERT of the same event rows, autocommit, on a *sql.DB opened like the
// store's write pool. BenchmarkB1Bulk: Store.BulkInsert of 1,000
// applications × 8 events; against one transaction of prepared single-row
// INSERTs (SQLite) or one COPY (PostgreSQL) of the same event rows.
//
// Each reports events/s, and a line after each pair gives store ÷ baseline
// (printed, not logged, so it shows without -v). The target is at least 0.5
// for both paths.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// benchRefs numbers applications across every benchmark run, so that runs
// sharing a database never reuse a reference.
var benchRefs atomic.Int64

func benchRef() casework.Reference {
	return casework.Reference(fmt.Sprintf("B%08d", benchRefs.Add(1)))
}

const insertEvent = `INSERT INTO events (app_ref, seq, type, at, on_date, actor, body, recorded_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

// openRaw opens a plain *sql.DB on the database a store DSN names, set up
// as the store sets up its write pool: for SQLite the same pragmas and one
// connection (writers queue for it); for PostgreSQL the same pool size.
func openRaw(tb testing.TB, dsn string) *sql.DB {
	tb.Helper()
	var db *sql.DB
	var err error
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		q := url.Values{}
		for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", "cache_size(-65536)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", "immediate")
		db, err = sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err == nil {
			db.SetMaxOpenConns(1)
		}
	} else {
		db, err = sql.Open("pgx", dsn)
		if err == nil {
			db.SetMaxOpenConns(20)
			db.SetMaxIdleConns(20)
		}
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Ping(); err != nil {
		tb.Fatal(err)
	}
	return db
}

// splitN runs fn(w, n) on each of writers goroutines, sharing total
// iterations between them, and fails b on the first error.
func splitN(b *testing.B, writers, total int, fn func(w, n int) error) {
	var wg sync.WaitGroup
	errsOut := make([]error, writers)
	for w := range writers {
		n := total / writers
		if w < total%writers {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errsOut[w] = fn(w, n)
		}()
	}
	wg.Wait()
	for _, err := range errsOut {
		if err != nil {
			b.Fatal(err)
		}
	}
}

// benchEvent is the event every single append writes: a small update_sent,
// as caseworkers record most often.
func benchEvent(seq int, at time.Time) casework.Event {
	return casework.Event{Seq: seq, Type: casework.TypeUpdateSent, At: at, Actor: "caseworker:bench",
		Body: &casework.UpdateSent{Channel: "email", Summary: "we are looking at your application"}}
}

// printRatio prints store ÷ baseline for a pair of sub-benchmarks.
func printRatio(what string, store, raw float64) {
	r := "n/a"
	if store > 0 && raw > 0 {
		r = fmt.Sprintf("%.2f×", store/raw)
	}
	fmt.Printf("B1 %s: store ÷ baseline = %s (target ≥ 0.50×)\n", what, r)
}

func BenchmarkB1Append(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			s := storetest.Open(b, d)
			_, rawDSN := storetest.OpenDSN(b, d)
			raw := openRaw(b, rawDSN)
			for _, writers := range []int{1, 8} {
				var storeRate, rawRate float64
				b.Run(fmt.Sprintf("store/writers=%d", writers), func(b *testing.B) {
					storeRate = benchStoreAppend(b, s, writers)
				})
				b.Run(fmt.Sprintf("raw-insert/writers=%d", writers), func(b *testing.B) {
					rawRate = benchRawInsert(b, raw, writers)
				})
				printRatio(fmt.Sprintf("append %s writers=%d", d, writers), storeRate, rawRate)
			}
		})
	}
}

// benchStoreAppend appends one event per call to one application per
// writer, with the projection row, as app.Service.Record does.
func benchStoreAppend(b *testing.B, s *store.Store, writers int) float64 {
	ctx := context.Background()
	events, row := history("", "best-start-grant", base, 1)
	rows := make([]store.ApplicationRow, writers)
	for w := range rows {
		rows[w] = row
		rows[w].Ref = benchRef()
		if err := s.Append(ctx, store.Append{Ref: rows[w].Ref, Events: events, Row: rows[w], Facts: factsOf(rows[w].Ref, events)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	splitN(b, writers, b.N, func(w, n int) error {
		r := rows[w]
		// The case facts the app would work out after one more update: the
		// same columns change with each append, so one set serves.
		f := factsOf(r.Ref, append(slices.Clone(events), benchEvent(2, base.Add(time.Second))))
		for i := range n {
			v := i + 1
			r.Version = v + 1
			e := benchEvent(v+1, base.Add(time.Duration(v)*time.Second))
			if err := s.Append(ctx, store.Append{Ref: r.Ref, ExpectedVersion: v, Events: []casework.Event{e}, Row: r, Facts: f}); err != nil {
				return fmt.Errorf("writer %d append %d: %w", w, v+1, err)
			}
		}
		return nil
	})
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "events/s")
	return rate
}

// benchRawInsert inserts the same event rows with a prepared single-row
// INSERT, one autocommit statement per event.
func benchRawInsert(b *testing.B, db *sql.DB, writers int) float64 {
	ctx := context.Background()
	stmt, err := db.PrepareContext(ctx, insertEvent)
	if err != nil {
		b.Fatal(err)
	}
	defer stmt.Close()
	e := benchEvent(1, base)
	body, err := json.Marshal(e.Body)
	if err != nil {
		b.Fatal(err)
	}
	refs := make([]string, writers)
	for w := range refs {
		refs[w] = string(benchRef())
	}
	b.ResetTimer()
	splitN(b, writers, b.N, func(w, n int) error {
		for i := range n {
			at := base.Add(time.Duration(i+1) * time.Second)
			if _, err := stmt.ExecContext(ctx, refs[w], i+2, string(e.Type), at.UnixMicro(),
				int64(casework.LocalDate(at)), e.Actor, string(body), time.Now().UnixMicro()); err != nil {
				return fmt.Errorf("writer %d insert %d: %w", w, i+2, err)
			}
		}
		return nil
	})
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "events/s")
	return rate
}

const bulkApps, bulkEventsPerApp = 1000, 8

// bulkBatches builds n batches of new applications, checked by folding.
func bulkBatches(n int) [][]store.BulkApplication {
	out := make([][]store.BulkApplication, n)
	for i := range out {
		batch := make([]store.BulkApplication, bulkApps)
		for j := range batch {
			ref := benchRef()
			events, row := history(ref, "best-start-grant", base.Add(time.Duration(j)*time.Minute), bulkEventsPerApp)
			batch[j] = store.BulkApplication{Row: row, Events: events, Facts: factsOf(ref, events)}
		}
		out[i] = batch
	}
	return out
}

// eventRows are a batch's event rows as the events table holds them.
func eventRows(b *testing.B, batch []store.BulkApplication) [][]any {
	now := time.Now().UnixMicro()
	var rows [][]any
	for _, a := range batch {
		for _, e := range a.Events {
			body, err := json.Marshal(e.Body)
			if err != nil {
				b.Fatal(err)
			}
			rows = append(rows, []any{string(a.Row.Ref), int64(e.Seq), string(e.Type), e.At.UnixMicro(),
				int64(casework.LocalDate(e.At)), e.Actor, string(body), now})
		}
	}
	return rows
}

func BenchmarkB1Bulk(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			s := storetest.Open(b, d)
			_, rawDSN := storetest.OpenDSN(b, d)
			var storeRate, rawRate float64
			b.Run("store", func(b *testing.B) {
				batches := bulkBatches(b.N)
				ctx := context.Background()
				b.ResetTimer()
				for _, batch := range batches {
					if err := s.BulkInsert(ctx, batch); err != nil {
						b.Fatal(err)
					}
				}
				storeRate = float64(b.N*bulkApps*bulkEventsPerApp) / b.Elapsed().Seconds()
				b.ReportMetric(storeRate, "events/s")
			})
			if d == store.Postgres {
				b.Run("raw-copy", func(b *testing.B) { rawRate = benchRawCopy(b, rawDSN) })
				printRatio("bulk postgres (raw-copy)", storeRate, rawRate)
			} else {
				raw := openRaw(b, rawDSN)
				b.Run("raw-insert-tx", func(b *testing.B) { rawRate = benchRawInsertTx(b, raw) })
				printRatio("bulk sqlite (raw-insert-tx)", storeRate, rawRate)
			}
		})
	}
}

// benchRawInsertTx inserts each batch's event rows in one transaction with
// a prepared single-row INSERT.
func benchRawInsertTx(b *testing.B, db *sql.DB) float64 {
	ctx := context.Background()
	batches := make([][][]any, b.N)
	for i, batch := range bulkBatches(b.N) {
		batches[i] = eventRows(b, batch)
	}
	b.ResetTimer()
	for _, rows := range batches {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		stmt, err := tx.PrepareContext(ctx, insertEvent)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rows {
			if _, err := stmt.ExecContext(ctx, r...); err != nil {
				b.Fatal(err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	rate := float64(b.N*bulkApps*bulkEventsPerApp) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "events/s")
	return rate
}

// benchRawCopy copies each batch's event rows with one pgx CopyFrom.
func benchRawCopy(b *testing.B, dsn string) float64 {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	batches := make([][][]any, b.N)
	for i, batch := range bulkBatches(b.N) {
		batches[i] = eventRows(b, batch)
	}
	columns := []string{"app_ref", "seq", "type", "at", "on_date", "actor", "body", "recorded_at"}
	b.ResetTimer()
	for _, rows := range batches {
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"events"}, columns, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
	}
	rate := float64(b.N*bulkApps*bulkEventsPerApp) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "events/s")
	return rate
}
