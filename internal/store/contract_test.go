package store_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

func TestMigrateTwiceIsNoOp(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		for range 2 {
			applied, err := s.Migrate(ctxT(t))
			if err != nil {
				t.Fatalf("migrate again: %v", err)
			}
			if len(applied) != 0 {
				t.Fatalf("migrate again applied %v, want nothing", applied)
			}
		}
		// The schema still works.
		events, row := history(refN(1), "best-start-grant", base, 3)
		mustCreate(t, s, events, row)
		checkEvents(t, mustEvents(t, s, row.Ref), events)
	})
}

func TestAppendAndEvents(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		ref := refN(1)
		all, _ := history(ref, "carer-support", base, 8)

		// Write the log in pieces, as the app does: one new application,
		// then one event, then several at once, then one more.
		for _, piece := range [][2]int{{0, 1}, {1, 2}, {2, 5}, {5, 8}} {
			from, to := piece[0], piece[1]
			a, err := casework.Fold(testRules, all[:to])
			if err != nil {
				t.Fatal(err)
			}
			a.Ref = ref
			err = s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: from, Events: all[from:to], Row: rowOf(a), Facts: factsOf(ref, all[:to])})
			if err != nil {
				t.Fatalf("append events %d..%d: %v", from+1, to, err)
			}
			checkEvents(t, mustEvents(t, s, ref), all[:to])
			if got, want := mustRow(t, s, ref), rowOf(a); got != want {
				t.Fatalf("after event %d the row is\n%+v, want\n%+v", to, got, want)
			}
		}
		if n := mustCount(t, s); n != 8 {
			t.Errorf("CountEvents = %d, want 8", n)
		}
		// A decided application is folded back to the same state.
		a, err := casework.Fold(testRules, mustEvents(t, s, ref))
		if err != nil {
			t.Fatalf("fold what was read back: %v", err)
		}
		if a.Status != casework.StatusDecided || a.Version != 8 || a.Stage != "decision" {
			t.Errorf("folded back: status %s, version %d, stage %s", a.Status, a.Version, a.Stage)
		}
	})
}

func TestAppendRefusesBadSeqAndNoEvents(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		events, row := history(refN(1), "best-start-grant", base, 3)
		mustCreate(t, s, events[:1], store.ApplicationRow{Ref: row.Ref, Benefit: row.Benefit, Status: casework.StatusOpen,
			Stage: "received", ClientName: "x", Version: 1})
		if err := s.Append(ctx, store.Append{Ref: row.Ref, ExpectedVersion: 1, Row: row, Facts: factsOf(row.Ref, events)}); err == nil {
			t.Error("append with no events: want an error")
		}
		// Seq 3 after version 1 leaves a gap.
		err := s.Append(ctx, store.Append{Ref: row.Ref, ExpectedVersion: 1, Events: events[2:3], Row: row, Facts: factsOf(row.Ref, events)})
		if err == nil {
			t.Error("append with a gap in seq: want an error")
		}
		if got := mustEvents(t, s, row.Ref); len(got) != 1 {
			t.Errorf("after refused appends there are %d events, want 1", len(got))
		}
	})
}

func TestAppendStaleVersion(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		ref := refN(1)
		all, _ := history(ref, "best-start-grant", base, 6)
		_, row3 := history(ref, "best-start-grant", base, 3)
		mustCreate(t, s, all[:3], row3)
		_, row4 := history(ref, "best-start-grant", base, 4)
		before := mustEvents(t, s, ref)

		for _, expected := range []int{0, 1, 2, 4, 9} {
			evs := make([]casework.Event, 1)
			evs[0] = all[3]
			evs[0].Seq = expected + 1
			r := row4
			r.Version = expected + 1
			if expected == 0 {
				evs[0] = all[0]
				r = row3
				r.Version = 1
			}
			err := s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: expected, Events: evs, Row: r, Facts: factsOf(ref, all[:4]),
				Idempotency: &store.IdempotencyRecord{Scope: "t", Key: fmt.Sprint("stale-", expected), Status: 201}})
			if !errors.Is(err, store.ErrVersionConflict) {
				t.Errorf("append at stale version %d (current 3): err = %v, want ErrVersionConflict", expected, err)
			}
			if errs.KindOf(err) != errs.KindConflict {
				t.Errorf("append at stale version %d: kind %s, want conflict", expected, errs.KindOf(err))
			}
		}
		checkEvents(t, mustEvents(t, s, ref), before)
		if got := mustRow(t, s, ref); got != row3 {
			t.Errorf("after stale appends the row is\n%+v, want it unchanged\n%+v", got, row3)
		}
		if n := mustCount(t, s); n != 3 {
			t.Errorf("CountEvents = %d, want 3", n)
		}
		for _, expected := range []int{0, 1, 2, 4, 9} {
			if _, ok, err := s.Idempotent(ctx, "t", fmt.Sprint("stale-", expected)); err != nil || ok {
				t.Errorf("a refused append left an idempotency record (ok=%v, err=%v)", ok, err)
			}
		}
	})
}

// TestAppendRace has several writers append the next event to the same
// application at the same version, many times over: each time exactly one
// must win, the others must get ErrVersionConflict, and the log must stay
// gapless.
func TestAppendRace(t *testing.T) {
	const writers, rounds = 8, 50
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		ref := refN(1)
		first, row := history(ref, "best-start-grant", base, 1)
		mustCreate(t, s, first, row)
		winners := map[int]string{1: "client"} // seq → actor
		log := first
		for round := range rounds {
			v := round + 1
			start := make(chan struct{})
			errsOut := make([]error, writers)
			var wg sync.WaitGroup
			for w := range writers {
				r := row
				r.Version = v + 1
				r.Area = fmt.Sprintf("writer-%d", w)
				e := casework.Event{Seq: v + 1, Type: casework.TypeUpdateSent, At: base.Add(time.Duration(v) * time.Minute),
					Actor: fmt.Sprintf("writer-%d", w), Body: &casework.UpdateSent{Channel: "sms", Summary: fmt.Sprint("round ", round)}}
				// The facts carry the writer's name too, so the test can tell
				// whose facts were kept. They are worked out here, one writer
				// at a time: applying the log normalises its bodies in place.
				f := factsOf(ref, append(slices.Clone(log), e))
				f.Channel = r.Area
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errsOut[w] = s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: v, Events: []casework.Event{e}, Row: r, Facts: f})
				}()
			}
			close(start)
			wg.Wait()
			won := -1
			for w, err := range errsOut {
				switch {
				case err == nil && won >= 0:
					t.Fatalf("round %d: writers %d and %d both appended seq %d", round, won, w, v+1)
				case err == nil:
					won = w
				case !errors.Is(err, store.ErrVersionConflict):
					t.Fatalf("round %d: writer %d: %v, want ErrVersionConflict", round, w, err)
				}
			}
			if won < 0 {
				t.Fatalf("round %d: no writer appended seq %d", round, v+1)
			}
			winners[v+1] = fmt.Sprintf("writer-%d", won)
			if got := mustRow(t, s, ref); got.Version != v+1 || got.Area != winners[v+1] {
				t.Fatalf("round %d: row has version %d by %s, want %d by %s", round, got.Version, got.Area, v+1, winners[v+1])
			}
			if f := mustFacts(t, s, ref); f.Channel != winners[v+1] {
				t.Fatalf("round %d: the case facts are %s's, but %s won", round, f.Channel, winners[v+1])
			}
			log = mustEvents(t, s, ref)
		}
		events := mustEvents(t, s, ref)
		if len(events) != rounds+1 {
			t.Fatalf("%d events after %d rounds, want %d", len(events), rounds, rounds+1)
		}
		for i, e := range events {
			if e.Seq != i+1 {
				t.Fatalf("event %d has seq %d: a gap or a duplicate", i, e.Seq)
			}
			if e.Actor != winners[e.Seq] {
				t.Errorf("seq %d was written by %s, but %s won that round", e.Seq, e.Actor, winners[e.Seq])
			}
		}
		if n := mustCount(t, s); n != rounds+1 {
			t.Errorf("CountEvents = %d, want %d", n, rounds+1)
		}
	})
}

// TestCreateRace has several writers create the same new application at
// once: exactly one must win.
func TestCreateRace(t *testing.T) {
	const writers, rounds = 8, 20
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		for round := range rounds {
			ref := refN(1000 + round)
			start := make(chan struct{})
			errsOut := make([]error, writers)
			var wg sync.WaitGroup
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					events, row := history(ref, "best-start-grant", base, 2)
					events[0].Actor = fmt.Sprintf("writer-%d", w)
					<-start
					errsOut[w] = s.Append(ctx, store.Append{Ref: ref, Events: events, Row: row, Facts: factsOf(ref, events)})
				}()
			}
			close(start)
			wg.Wait()
			wins := 0
			for w, err := range errsOut {
				if err == nil {
					wins++
				} else if !errors.Is(err, store.ErrVersionConflict) {
					t.Fatalf("round %d: writer %d: %v, want ErrVersionConflict", round, w, err)
				}
			}
			if wins != 1 {
				t.Fatalf("round %d: %d writers created %s, want exactly 1", round, wins, ref)
			}
			if got := mustEvents(t, s, ref); len(got) != 2 || got[0].Seq != 1 || got[1].Seq != 2 {
				t.Fatalf("round %d: log of %s is %d events", round, ref, len(got))
			}
		}
		if n := mustCount(t, s); n != 2*rounds {
			t.Errorf("CountEvents = %d, want %d", n, 2*rounds)
		}
	})
}

func TestCreateWithExistingRefConflicts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		events, row := history(refN(1), "best-start-grant", base, 3)
		mustCreate(t, s, events, row)
		other, otherRow := history(refN(1), "carer-support", base.Add(time.Hour), 1)
		err := s.Append(ctx, store.Append{Ref: row.Ref, Events: other, Row: otherRow, Facts: factsOf(row.Ref, other),
			Idempotency: &store.IdempotencyRecord{Scope: "s", Key: "k", Request: "h", Status: 201, Response: []byte("{}")}})
		if !errors.Is(err, store.ErrVersionConflict) {
			t.Fatalf("create with an existing ref: err = %v, want ErrVersionConflict", err)
		}
		checkEvents(t, mustEvents(t, s, row.Ref), events)
		if got := mustRow(t, s, row.Ref); got != row {
			t.Errorf("row changed to %+v", got)
		}
		if _, ok, _ := s.Idempotent(ctx, "s", "k"); ok {
			t.Error("a refused create left an idempotency record")
		}
	})
}

func TestUnknownRefNotFound(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		if _, err := s.Events(ctx, refN(404)); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("Events of an unknown ref: %v (kind %s), want not found", err, errs.KindOf(err))
		}
		if _, err := s.Application(ctx, refN(404)); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("Application of an unknown ref: %v (kind %s), want not found", err, errs.KindOf(err))
		}
		events, row := history(refN(1), "best-start-grant", base, 2)
		mustCreate(t, s, events, row)
		if _, err := s.Events(ctx, refN(404)); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("Events of an unknown ref beside a known one: %v, want not found", err)
		}
	})
}

func TestIdempotencyStoredWithAppend(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		if _, ok, err := s.Idempotent(ctx, "tok/POST/applications", "nope"); err != nil || ok {
			t.Fatalf("unknown key: ok=%v err=%v, want false, nil", ok, err)
		}
		events, row := history(refN(1), "best-start-grant", base, 2)
		rec := store.IdempotencyRecord{Scope: "tok1 POST /applications", Key: "key-1", Request: "sha256:abc",
			Status: 201, Response: []byte(`{"reference":"x","note":"ünïcode"}`)}
		if err := s.Append(ctx, store.Append{Ref: row.Ref, Events: events, Row: row, Idempotency: &rec, Facts: factsOf(row.Ref, events)}); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.Idempotent(ctx, rec.Scope, rec.Key)
		if err != nil || !ok {
			t.Fatalf("Idempotent after append: ok=%v err=%v", ok, err)
		}
		if got.Scope != rec.Scope || got.Key != rec.Key || got.Request != rec.Request || got.Status != rec.Status ||
			string(got.Response) != string(rec.Response) {
			t.Errorf("Idempotent = %+v, want %+v", got, rec)
		}
		// The same key in another scope is another key.
		if _, ok, _ := s.Idempotent(ctx, "tok2 POST /applications", rec.Key); ok {
			t.Error("a key was found under another scope")
		}

		// A failed append (version conflict) stores no record.
		more, _ := history(row.Ref, "best-start-grant", base, 3)
		failed := store.IdempotencyRecord{Scope: rec.Scope, Key: "key-2", Request: "r", Status: 201, Response: []byte("{}")}
		err = s.Append(ctx, store.Append{Ref: row.Ref, ExpectedVersion: 1, Events: more[1:2], Row: row, Idempotency: &failed, Facts: factsOf(row.Ref, more[:2])})
		if !errors.Is(err, store.ErrVersionConflict) {
			t.Fatalf("stale append: %v, want ErrVersionConflict", err)
		}
		if _, ok, _ := s.Idempotent(ctx, failed.Scope, failed.Key); ok {
			t.Error("a failed append left its idempotency record")
		}

		// Reusing a stored key fails the whole append: the events are not
		// written either.
		_, row3 := history(row.Ref, "best-start-grant", base, 3)
		err = s.Append(ctx, store.Append{Ref: row.Ref, ExpectedVersion: 2, Events: more[2:3], Row: row3, Idempotency: &rec, Facts: factsOf(row.Ref, more)})
		if err == nil {
			t.Fatal("append reusing a stored idempotency key succeeded")
		}
		checkEvents(t, mustEvents(t, s, row.Ref), events)
		if got := mustRow(t, s, row.Ref); got != row {
			t.Errorf("row after a failed append is %+v, want %+v", got, row)
		}
	})
}

func TestAppendAfterBulkInsert(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		ref := refN(7)
		all, _ := history(ref, "best-start-grant", base, 6)
		_, row5 := history(ref, "best-start-grant", base, 5)
		_, row6 := history(ref, "best-start-grant", base, 6)
		if err := s.BulkInsert(ctx, []store.BulkApplication{{Row: row5, Events: all[:5], Facts: factsOf(ref, all[:5])}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: 5, Events: all[5:], Row: row6, Facts: factsOf(ref, all)}); err != nil {
			t.Fatalf("append after bulk insert: %v", err)
		}
		checkEvents(t, mustEvents(t, s, ref), all)
		if got := mustRow(t, s, ref); got != row6 {
			t.Errorf("row %+v, want %+v", got, row6)
		}
	})
}

func TestBulkInsert(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		if err := s.BulkInsert(ctx, nil); err != nil {
			t.Fatalf("bulk insert of nothing: %v", err)
		}
		// Enough applications and events to need several multi-row
		// statements, and a last one that is not full.
		var apps []store.BulkApplication
		total := 0
		for i := range 257 {
			ref := refN(i)
			benefit := []string{"best-start-grant", "carer-support"}[i%2]
			events, row := history(ref, benefit, base.Add(time.Duration(i)*time.Hour), 1+i%8)
			apps = append(apps, store.BulkApplication{Row: row, Events: events, Facts: factsOf(ref, events)})
			total += len(events)
		}
		if err := s.BulkInsert(ctx, apps); err != nil {
			t.Fatalf("bulk insert: %v", err)
		}
		for _, a := range apps {
			checkEvents(t, mustEvents(t, s, a.Row.Ref), a.Events)
			if got := mustRow(t, s, a.Row.Ref); got != a.Row {
				t.Fatalf("row of %s is\n%+v, want\n%+v", a.Row.Ref, got, a.Row)
			}
		}
		if n := mustCount(t, s); n != int64(total) {
			t.Fatalf("CountEvents = %d, want %d", n, total)
		}

		// A batch with one new application and one whose ref exists fails
		// as a whole.
		newEvents, newRow := history(refN(5000), "best-start-grant", base, 4)
		dupEvents, dupRow := history(apps[3].Row.Ref, "carer-support", base, 2)
		err := s.BulkInsert(ctx, []store.BulkApplication{{Row: newRow, Events: newEvents, Facts: factsOf(newRow.Ref, newEvents)},
			{Row: dupRow, Events: dupEvents, Facts: factsOf(dupRow.Ref, dupEvents)}})
		if err == nil {
			t.Fatal("bulk insert with an existing ref succeeded")
		}
		if _, err := s.Events(ctx, newRow.Ref); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("after a failed bulk insert, events of its new application: %v, want not found", err)
		}
		if _, err := s.Application(ctx, newRow.Ref); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("after a failed bulk insert, its new application: %v, want not found", err)
		}
		if n := mustCount(t, s); n != int64(total) {
			t.Errorf("after a failed bulk insert CountEvents = %d, want %d", n, total)
		}
		checkEvents(t, mustEvents(t, s, apps[3].Row.Ref), apps[3].Events)

		// A batch repeating a ref within itself fails too, also when the
		// clash is only in the events (a seq given twice).
		newFacts := factsOf(newRow.Ref, newEvents)
		twice := []store.BulkApplication{{Row: newRow, Events: newEvents, Facts: newFacts}, {Row: newRow, Events: newEvents, Facts: newFacts}}
		if err := s.BulkInsert(ctx, twice); err == nil {
			t.Error("bulk insert with a ref twice succeeded")
		}
		dupSeq := append(slices.Clone(newEvents), newEvents[1])
		if err := s.BulkInsert(ctx, []store.BulkApplication{{Row: newRow, Events: dupSeq, Facts: newFacts}}); err == nil {
			t.Error("bulk insert with a seq twice succeeded")
		}
		if _, err := s.Application(ctx, newRow.Ref); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("after failed bulk inserts, the new application: %v, want not found", err)
		}
		if n := mustCount(t, s); n != int64(total) {
			t.Errorf("after failed bulk inserts CountEvents = %d, want %d", n, total)
		}
	})
}

// TestMigrateConcurrently starts several processes' worth of stores on one
// empty database at once, as several replicas starting together would: all
// must succeed and the migrations must be applied exactly once.
func TestMigrateConcurrently(t *testing.T) {
	const starters = 6
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			for round := range 5 {
				dsn := storetest.NewDatabase(t, d)
				ctx := ctxT(t)
				stores := make([]*store.Store, starters)
				for i := range stores {
					s, err := store.Open(ctx, dsn)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { s.Close() })
					stores[i] = s
				}
				applied := make([][]string, starters)
				errsOut := make([]error, starters)
				start := make(chan struct{})
				var wg sync.WaitGroup
				for i, s := range stores {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						applied[i], errsOut[i] = s.Migrate(ctx)
					}()
				}
				close(start)
				wg.Wait()
				seen := map[string]int{}
				for i, err := range errsOut {
					if err != nil {
						t.Errorf("round %d: starter %d: migrate: %v", round, i, err)
					}
					for _, name := range applied[i] {
						seen[name]++
					}
				}
				if len(seen) == 0 {
					t.Errorf("round %d: no starter applied any migration", round)
				}
				for name, n := range seen {
					if n != 1 {
						t.Errorf("round %d: %s applied %d times, want once: %v", round, name, n, applied)
					}
				}
				if again, err := stores[0].Migrate(ctx); err != nil || len(again) != 0 {
					t.Errorf("round %d: migrate afterwards applied %v, %v; want nothing", round, again, err)
				}
				events, row := history(refN(1), "best-start-grant", base, 2)
				mustCreate(t, stores[0], events, row)
			}
		})
	}
}

// TestAppendRaceAcrossStores is TestAppendRace with each writer on its own
// Store, as separate processes would be: on SQLite the race is then decided
// by the database file's lock, not by the store's single write connection.
func TestAppendRaceAcrossStores(t *testing.T) {
	const writers, rounds = 4, 25
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := ctxT(t)
			first, dsn := storetest.OpenDSN(t, d)
			stores := []*store.Store{first}
			for len(stores) < writers {
				s, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				stores = append(stores, s)
			}
			ref := refN(1)
			events, row := history(ref, "best-start-grant", base, 1)
			mustCreate(t, first, events, row)
			log := events
			for round := range rounds {
				v := round + 1
				start := make(chan struct{})
				errsOut := make([]error, writers)
				var wg sync.WaitGroup
				for w, s := range stores {
					r := row
					r.Version = v + 1
					e := casework.Event{Seq: v + 1, Type: casework.TypeUpdateSent, At: base.Add(time.Duration(v) * time.Minute),
						Actor: fmt.Sprintf("writer-%d", w), Body: &casework.UpdateSent{Channel: "sms", Summary: "hello"}}
					f := factsOf(ref, append(slices.Clone(log), e)) // here, not in the writers: see TestAppendRace
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						errsOut[w] = s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: v, Events: []casework.Event{e}, Row: r, Facts: f})
					}()
				}
				close(start)
				wg.Wait()
				wins := 0
				for w, err := range errsOut {
					if err == nil {
						wins++
					} else if !errors.Is(err, store.ErrVersionConflict) {
						t.Fatalf("round %d: writer %d: %v, want ErrVersionConflict", round, w, err)
					}
				}
				if wins != 1 {
					t.Fatalf("round %d: %d writers appended seq %d, want exactly 1", round, wins, v+1)
				}
				log = mustEvents(t, first, ref)
			}
			got := mustEvents(t, first, ref)
			for i, e := range got {
				if e.Seq != i+1 {
					t.Fatalf("event %d has seq %d: a gap or a duplicate", i, e.Seq)
				}
			}
			if len(got) != rounds+1 || mustRow(t, first, ref).Version != rounds+1 {
				t.Fatalf("%d events, row version %d; want %d", len(got), mustRow(t, first, ref).Version, rounds+1)
			}
		})
	}
}
