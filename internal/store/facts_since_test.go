package store_test

import (
	"database/sql"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// TestFactsSince reads the facts in parts, appends events to some
// applications and creates others, and asks what changed since the read:
// exactly those applications, each with the events the read reflected and
// its facts now, and the applications asked about too.
func TestFactsSince(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		loadFacts(t, s, 60, base)
		var (
			mu   sync.Mutex // the parts call back at once
			refs []string
		)
		if mark, err := s.EachFactsGrouped(ctx, store.FactsQuery{Fields: []string{"ref"}}, measure.Grouping{}, 3, func(int, *measure.Facts, int64) error { return nil }); err != nil || mark.Exact() {
			t.Fatalf("a read not asked to be marked: mark exact %v, %v", mark.Exact(), err)
		}
		mark, err := s.EachFactsGrouped(ctx, store.FactsQuery{Fields: []string{"ref"}, Mark: true}, measure.Grouping{}, 3, func(_ int, f *measure.Facts, _ int64) error {
			mu.Lock()
			defer mu.Unlock()
			refs = append(refs, f.Ref)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) != 60 || !mark.Exact() {
			t.Fatalf("%d rows read; mark exact %v", len(refs), mark.Exact())
		}

		// One more event for two applications (one of them twice); a new
		// application; and one unchanged application asked about.
		grown := []casework.Reference{refN(100), refN(103)} // one event each (see loadFacts)
		before := map[casework.Reference][]casework.Event{}
		for i, ref := range grown {
			before[ref] = mustEvents(t, s, ref)
			all, _ := history(ref, []string{"best-start-grant", "carer-support"}[(i*3)%2], base.Add(time.Duration(i*3)*24*time.Hour), 3)
			for n := 1; n < 3 && (n < 2 || i == 0); n++ {
				a, err := casework.Fold(testRules, all[:n+1])
				if err != nil {
					t.Fatal(err)
				}
				a.Ref = ref
				if err := s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: n, Events: all[n : n+1], Row: rowOf(a), Facts: factsOf(ref, all[:n+1])}); err != nil {
					t.Fatal(err)
				}
			}
		}
		added := refN(999)
		events, row := history(added, "carer-support", base.Add(90*24*time.Hour), 2)
		mustCreate(t, s, events, row)
		asked := refN(101)

		changes, next, ok, err := s.FactsSince(ctx, mark, []casework.Reference{asked}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []casework.Reference
		for _, c := range changes {
			got = append(got, c.Ref)
			if c.After != mustFacts(t, s, c.Ref) {
				t.Errorf("%s: facts after are not its facts now", c.Ref)
			}
			want := before[c.Ref]
			switch c.Ref {
			case added:
				want = nil
			case asked:
				want = mustEvents(t, s, asked)
			}
			if len(c.Before) != len(want) {
				t.Errorf("%s: %d events before, want %d", c.Ref, len(c.Before), len(want))
			} else if len(want) > 0 {
				checkEvents(t, c.Before, want)
			}
		}
		want := []casework.Reference{grown[0], grown[1], added, asked}
		slices.Sort(want)
		if !slices.Equal(got, want) || !ok || !next.Exact() {
			t.Fatalf("changed since the read: %v (ok %v), want %v", got, ok, want)
		}

		// The events of an application the caller knows are not read.
		changes, _, _, err = s.FactsSince(ctx, mark, nil, func(ref casework.Reference) bool { return ref == grown[0] })
		if err != nil || len(changes) != 3 {
			t.Fatalf("with one application known: %d changes, %v", len(changes), err)
		}
		for _, c := range changes {
			if (c.Ref == grown[0]) != (len(c.Before) == 0 && c.Ref != added) {
				t.Errorf("%s: %d events before, with %s known", c.Ref, len(c.Before), grown[0])
			}
		}

		// From the new mark, nothing has changed.
		changes, _, ok, err = s.FactsSince(ctx, next, nil, nil)
		if err != nil || !ok || len(changes) != 0 {
			t.Errorf("since the second mark: %d changes, ok %v, %v", len(changes), ok, err)
		}
	})
}

// TestFactsMarkWhileAppending reads the facts marked while other
// goroutines append events, and checks that every row read is exactly the
// facts of the events the mark says it reflects: an event the read did
// not see must have an id above the mark, or the application would never
// be named as changed.
func TestFactsMarkWhileAppending(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		loadFacts(t, s, 60, base)
		var open []casework.Reference // one event each (see loadFacts)
		for i := 0; i < 60; i += 3 {
			open = append(open, refN(100+i))
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var appended atomic.Int64
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					ref := open[i%len(open)]
					events, err := s.Events(ctx, ref)
					if err != nil {
						t.Error(err)
						return
					}
					e := benchEvent(len(events)+1, base.Add(100*24*time.Hour+time.Duration(len(events))*time.Hour))
					all := append(events, e)
					a, err := casework.Fold(testRules, all)
					if err != nil {
						t.Error(err)
						return
					}
					a.Ref = ref
					err = s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: len(events), Events: []casework.Event{e}, Row: rowOf(a), Facts: factsOf(ref, all)})
					if err == nil {
						appended.Add(1)
					} else if !errors.Is(err, store.ErrVersionConflict) {
						t.Error(err)
						return
					}
				}
			}()
		}
		type read struct {
			mark store.FactsMark
			rows map[casework.Reference]measure.Facts
		}
		var reads []read
		for range 40 {
			var mu sync.Mutex
			r := read{rows: map[casework.Reference]measure.Facts{}}
			var err error
			r.mark, err = s.EachFactsGrouped(ctx, store.FactsQuery{Mark: true}, measure.Grouping{}, 2, func(_ int, f *measure.Facts, _ int64) error {
				mu.Lock()
				defer mu.Unlock()
				r.rows[casework.Reference(f.Ref)] = *f
				return nil
			})
			if err != nil || !r.mark.Exact() {
				t.Fatalf("marked read: exact %v, %v", r.mark.Exact(), err)
			}
			reads = append(reads, r)
		}
		close(stop)
		wg.Wait()
		if appended.Load() < 20 {
			t.Fatalf("only %d events appended while reading", appended.Load())
		}
		for i, r := range reads {
			changes, _, ok, err := s.FactsSince(ctx, r.mark, open, nil)
			if err != nil || !ok || len(changes) < len(open) {
				t.Fatalf("read %d: %d changes, ok %v, %v", i, len(changes), ok, err)
			}
			for _, c := range changes {
				got, seen := r.rows[c.Ref]
				if !seen {
					continue
				}
				if want := stored(factsOf(c.Ref, c.Before)); got != want {
					t.Fatalf("read %d: %s was read with facts other than those of the %d events its mark reflects", i, c.Ref, len(c.Before))
				}
			}
		}
	})
}

// TestMarkedReadWaitsForAppendsUnderWay: on PostgreSQL an event can get
// its id, then another event a higher id and commit, and only then the
// first commit. A marked read taken in between would hold the second and
// not the first, below its mark, and never name that application as
// changed. So a marked read waits for the appends under way.
func TestMarkedReadWaitsForAppendsUnderWay(t *testing.T) {
	s, db := postgresWithFacts(t)
	ctx := ctxT(t)
	// An event under way: its id is given, its transaction still open.
	slow, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback()
	if _, err := slow.ExecContext(ctx, `INSERT INTO events (app_ref, seq, type, at, on_date, actor, body, recorded_at)
		VALUES ($1, 2, 'update_sent', 0, 0, 'caseworker:test', '{}', 0)`, string(refN(103))); err != nil {
		t.Fatal(err)
	}
	// Another application's event, with a higher id, commits first.
	ref := refN(100)
	events := mustEvents(t, s, ref)
	e := benchEvent(2, base.Add(100*24*time.Hour))
	all := append(events, e)
	a, err := casework.Fold(testRules, all)
	if err != nil {
		t.Fatal(err)
	}
	a.Ref = ref
	if err := s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: 1, Events: []casework.Event{e}, Row: rowOf(a), Facts: factsOf(ref, all)}); err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() {
		_, err := s.EachFactsGrouped(ctx, store.FactsQuery{Mark: true}, measure.Grouping{}, 2, func(int, *measure.Facts, int64) error { return nil })
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("the marked read finished (%v) while an append was under way", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := slow.Commit(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the marked read went on waiting after the append committed")
	}
}

// TestMarkedReadUnableToHoldAppends: when appends cannot be held back
// (another transaction holds the events table longer than a marked read
// waits), the read goes on unmarked and FactsSince says it cannot tell,
// rather than failing: the service then works the year out again.
func TestMarkedReadUnableToHoldAppends(t *testing.T) {
	s, db := postgresWithFacts(t)
	ctx := ctxT(t)
	mark, err := s.EachFactsGrouped(ctx, store.FactsQuery{Mark: true}, measure.Grouping{}, 2, func(int, *measure.Facts, int64) error { return nil })
	if err != nil || !mark.Exact() {
		t.Fatalf("a marked read: exact %v, %v", mark.Exact(), err)
	}
	defer store.SetHoldAppendsFor(200 * time.Millisecond)()
	busy, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Rollback()
	if _, err := busy.ExecContext(ctx, `LOCK TABLE events IN ROW EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	var rows atomic.Int64 // the parts call back at once
	unmarked, err := s.EachFactsGrouped(ctx, store.FactsQuery{Mark: true}, measure.Grouping{}, 2, func(int, *measure.Facts, int64) error { rows.Add(1); return nil })
	if err != nil || unmarked.Exact() || rows.Load() != 6 {
		t.Errorf("a read that could not hold appends back: %d rows, exact %v, %v", rows.Load(), unmarked.Exact(), err)
	}
	changes, _, ok, err := s.FactsSince(ctx, mark, nil, nil)
	if err != nil || ok || changes != nil {
		t.Errorf("FactsSince that could not hold appends back: ok %v, %d changes, %v", ok, len(changes), err)
	}
}

// postgresWithFacts is a PostgreSQL store with six applications, and a
// plain connection to its database, for transactions of a test's own.
func postgresWithFacts(t *testing.T) (*store.Store, *sql.DB) {
	t.Helper()
	s, dsn := storetest.OpenDSN(t, store.Postgres)
	loadFacts(t, s, 6, base)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return s, db
}
