package store_test

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// stored is facts as the store gives them back: the reference as it keeps
// it, without hyphens.
func stored(f measure.Facts) measure.Facts {
	f.Ref = strings.ReplaceAll(f.Ref, "-", "")
	return f
}

func TestFactsWrittenWithEveryAppend(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		ref := refN(1)
		all, _ := history(ref, "carer-support", base, 8)
		for _, piece := range [][2]int{{0, 1}, {1, 2}, {2, 5}, {5, 8}} {
			from, to := piece[0], piece[1]
			a, err := casework.Fold(testRules, all[:to])
			if err != nil {
				t.Fatal(err)
			}
			a.Ref = ref
			want := factsOf(ref, all[:to])
			if err := s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: from, Events: all[from:to], Row: rowOf(a), Facts: want}); err != nil {
				t.Fatalf("append events %d..%d: %v", from+1, to, err)
			}
			if got := mustFacts(t, s, ref); got != stored(want) {
				t.Fatalf("after event %d the facts are\n%+v, want\n%+v", to, got, stored(want))
			}
		}
		final := mustFacts(t, s, ref)
		if final.Status != "decided" || final.DecidedOn.IsZero() || !final.ReasonsForEveryCriterion {
			t.Errorf("a decided application's facts: %+v", final)
		}

		// A stale append changes neither the events nor the facts.
		e := benchEvent(8, base.Add(30*24*time.Hour))
		f := factsOf(ref, append(slices.Clone(all[:7]), e))
		f.Channel = "stale"
		row := mustRow(t, s, ref)
		err := s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: 7, Events: []casework.Event{e}, Row: row, Facts: f})
		if !errors.Is(err, store.ErrVersionConflict) {
			t.Fatalf("stale append: %v, want a conflict", err)
		}
		if got := mustFacts(t, s, ref); got != final {
			t.Errorf("a refused append changed the facts to %+v", got)
		}
	})
}

func TestAppendWithoutFactsIsRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		events, row := history(refN(1), "best-start-grant", base, 2)
		if err := s.Append(ctx, store.Append{Ref: row.Ref, Events: events, Row: row}); err == nil {
			t.Fatal("an append with no case facts was written")
		}
		if err := s.BulkInsert(ctx, []store.BulkApplication{{Row: row, Events: events}}); err == nil {
			t.Fatal("a bulk insert with no case facts was written")
		}
		if _, err := s.Events(ctx, row.Ref); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("after refused writes, the events: %v, want not found", err)
		}
		if _, err := s.Facts(ctx, row.Ref); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("after refused writes, the facts: %v, want not found", err)
		}
	})
}

// loadFacts bulk-loads n applications received a day apart from start, of
// which every third is decided, and returns their facts as written.
func loadFacts(t *testing.T, s *store.Store, n int, start time.Time) []measure.Facts {
	t.Helper()
	var apps []store.BulkApplication
	var out []measure.Facts
	for i := range n {
		ref := refN(100 + i)
		events, row := history(ref, []string{"best-start-grant", "carer-support"}[i%2], start.Add(time.Duration(i)*24*time.Hour), 1+6*min(1, i%3))
		f := factsOf(ref, events)
		apps = append(apps, store.BulkApplication{Row: row, Events: events, Facts: f})
		out = append(out, stored(f))
	}
	if err := s.BulkInsert(ctxT(t), apps); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEachFacts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		if err := s.EachFacts(ctx, store.FactsQuery{}, func(*measure.Facts) error { t.Fatal("a row in an empty store"); return nil }); err != nil {
			t.Fatal(err)
		}
		written := loadFacts(t, s, 40, base)
		byRef := map[string]measure.Facts{}
		for _, f := range written {
			byRef[f.Ref] = f
		}

		// Every row, every field, as written.
		seen := map[string]bool{}
		err := s.EachFacts(ctx, store.FactsQuery{}, func(f *measure.Facts) error {
			if want := byRef[f.Ref]; *f != want {
				t.Errorf("%s read back as\n%+v, want\n%+v", f.Ref, *f, want)
			}
			seen[f.Ref] = true
			return nil
		})
		if err != nil || len(seen) != len(written) {
			t.Fatalf("read %d of %d rows, err %v", len(seen), len(written), err)
		}

		// Some fields: the others are left zero.
		err = s.EachFacts(ctx, store.FactsQuery{Fields: []string{"ref", "benefit", "decided_on", "decided_in_time"}}, func(f *measure.Facts) error {
			w := byRef[f.Ref]
			want := measure.Facts{Ref: w.Ref, Benefit: w.Benefit, DecidedOn: w.DecidedOn, DecidedInTime: w.DecidedInTime}
			if *f != want {
				t.Errorf("%s with four fields read back as %+v", f.Ref, *f)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// Rows with a date in a range: received or decided from the 10th
		// day to the 20th.
		from := casework.LocalDate(base).AddDays(10)
		to := from.AddDays(10)
		var want []string
		for _, f := range written {
			in := func(d calendar.Date) bool { return !d.Before(from) && !d.After(to) }
			if in(f.ReceivedOn) || in(f.DecidedOn) {
				want = append(want, f.Ref)
			}
		}
		var got []string
		err = s.EachFacts(ctx, store.FactsQuery{Fields: []string{"ref"}, DateFields: []string{"received_on", "decided_on"}, From: from, To: to},
			func(f *measure.Facts) error { got = append(got, f.Ref); return nil })
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || len(want) < 10 {
			t.Errorf("rows from %s to %s: got %v, want %v", from, to, got, want)
		}

		// An error from the callback stops the stream and comes back.
		stop := errors.New("stop")
		calls := 0
		if err := s.EachFacts(ctx, store.FactsQuery{}, func(*measure.Facts) error { calls++; return stop }); err != stop || calls != 1 {
			t.Errorf("a callback error: %v after %d calls, want stop after 1", err, calls)
		}

		// Bad queries are refused, naming what is wrong.
		for _, q := range []store.FactsQuery{
			{Fields: []string{"decided_on; DROP TABLE events"}},
			{DateFields: []string{"benefit"}, From: from, To: to},
			{DateFields: []string{"received_on"}},
			{DateFields: []string{"received_on"}, From: to, To: from},
		} {
			if err := s.EachFacts(ctx, q, func(*measure.Facts) error { return nil }); errs.KindOf(err) != errs.KindInvalid {
				t.Errorf("query %+v: %v, want invalid", q, err)
			}
		}

		first, last, err := s.FactsSpan(ctx)
		if err != nil || first != casework.LocalDate(base) || last != casework.LocalDate(base).AddDays(39) {
			t.Errorf("FactsSpan = %s, %s, %v", first, last, err)
		}
		apps, with, err := s.FactsCoverage(ctx)
		if err != nil || apps != 40 || with != 40 {
			t.Errorf("FactsCoverage = %d, %d, %v; want 40, 40", apps, with, err)
		}
	})
}

func TestRebuildFacts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		written := loadFacts(t, s, 1203, base) // more than two batches
		compute := func(ref casework.Reference, events []casework.Event) (measure.Facts, error) {
			f, err := measure.FactsOf(testRules, events)
			f.Channel = fmt.Sprintf("rebuilt from %d events", len(events))
			return f, err
		}
		var progress []int
		n, err := s.RebuildFacts(ctx, compute, func(done int) { progress = append(progress, done) })
		if err != nil || n != len(written) {
			t.Fatalf("RebuildFacts = %d, %v; want %d", n, err, len(written))
		}
		if len(progress) != 3 || progress[2] != len(written) {
			t.Errorf("progress %v", progress)
		}
		for _, w := range written {
			got := mustFacts(t, s, casework.Reference(w.Ref))
			events := mustEvents(t, s, casework.Reference(w.Ref))
			w.Channel = fmt.Sprintf("rebuilt from %d events", len(events))
			if got != w {
				t.Fatalf("%s after the rebuild:\n%+v, want\n%+v", w.Ref, got, w)
			}
		}

		// An append that races the rebuild keeps its own facts. On
		// PostgreSQL the append commits while the rebuild works out the
		// application's facts from the events it read, so the rebuild's
		// write must see the version has moved on and write nothing; on
		// SQLite the rebuild holds the only write lock, so the append waits
		// and writes after it.
		ref := casework.Reference(written[1].Ref)
		events := mustEvents(t, s, ref)
		more, _ := history(ref, "carer-support", base.Add(24*time.Hour), len(events)+1)
		a, err := casework.Fold(testRules, more)
		if err != nil {
			t.Fatal(err)
		}
		a.Ref = ref
		newer := factsOf(ref, more)
		appended := make(chan error, 1)
		racing := func(r casework.Reference, es []casework.Event) (measure.Facts, error) {
			if r == ref {
				go func() {
					appended <- s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: len(events), Events: more[len(events):], Row: rowOf(a), Facts: newer})
				}()
				select {
				case err := <-appended:
					appended <- err
				case <-time.After(500 * time.Millisecond): // SQLite: the append waits for this transaction
				}
			}
			f, err := measure.FactsOf(testRules, es)
			f.Channel = "rebuilt"
			return f, err
		}
		if _, err := s.RebuildFacts(ctx, racing, nil); err != nil {
			t.Fatal(err)
		}
		if err := <-appended; err != nil {
			t.Fatalf("the racing append: %v", err)
		}
		if got := mustFacts(t, s, ref); got != stored(newer) {
			t.Errorf("after an append raced the rebuild the facts are\n%+v, want the append's\n%+v", got, stored(newer))
		}

		// An application compute refuses stops the rebuild, naming it.
		refuse := func(r casework.Reference, es []casework.Event) (measure.Facts, error) {
			return measure.Facts{}, errs.Invalid("events", "no")
		}
		if _, err := s.RebuildFacts(ctx, refuse, nil); err == nil {
			t.Error("a rebuild whose compute fails reported no error")
		}
	})
}

func TestEachFactsParts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		loadFacts(t, s, 300, base)
		from := casework.LocalDate(base).AddDays(20)
		for _, q := range []store.FactsQuery{
			{Fields: []string{"ref", "benefit"}},
			{Fields: []string{"ref"}, DateFields: []string{"received_on", "decided_on"}, From: from, To: from.AddDays(100)},
		} {
			var one []string
			if err := s.EachFacts(ctx, q, func(f *measure.Facts) error { one = append(one, f.Ref); return nil }); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			seen := map[int]int{}
			var parts []string
			err := s.EachFactsParts(ctx, q, 3, func(part int, f *measure.Facts) error {
				mu.Lock()
				defer mu.Unlock()
				seen[part]++
				parts = append(parts, f.Ref)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(one)
			slices.Sort(parts)
			// Every row once; with every row read, in more than one part.
			if !slices.Equal(one, parts) || len(one) < 50 || (len(q.DateFields) == 0 && len(seen) < 2) {
				t.Errorf("%+v: %d rows in parts %v, %d in one read", q, len(parts), seen, len(one))
			}
		}
		stop := errors.New("stop")
		if err := s.EachFactsParts(ctx, store.FactsQuery{}, 2, func(int, *measure.Facts) error { return stop }); err != stop {
			t.Errorf("an error from a part: %v, want stop", err)
		}
	})
}

// TestEachFactsGrouped reads facts grouped by benefit and the quarter they
// were received in: every row is counted once, in its group; on PostgreSQL
// the server sends each group once, and where the groups would be as many
// as the rows (grouped by reference) it sends the rows.
func TestEachFactsGrouped(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		loadFacts(t, s, 300, base)
		if err := s.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		fy := measure.Period{Year: 2025}
		var runs []measure.DateRun
		for _, q := range fy.Quarters() {
			runs = append(runs, measure.DateRun{First: q.First(), Last: q.Last()})
		}
		g := measure.Grouping{Dates: []string{"received_on"}, Runs: runs}
		for _, fields := range [][]string{{"received_on", "benefit"}, {"ref", "received_on", "benefit"}} {
			q := store.FactsQuery{Fields: fields, DateFields: []string{"received_on"}, From: fy.First().AddDays(-30), To: fy.Last()}
			want := map[string]int64{}
			rows := 0
			err := s.EachFacts(ctx, q, func(f *measure.Facts) error {
				want[fmt.Sprint(f.Ref, g.Bucket(f.ReceivedOn), f.Benefit)]++
				rows++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			got := map[string]int64{}
			calls := 0
			_, err = s.EachFactsGrouped(ctx, q, g, 3, func(_ int, f *measure.Facts, n int64) error {
				mu.Lock()
				defer mu.Unlock()
				// Rows come with their own dates, groups with their runs'
				// first days, which Bucket keeps as they are.
				got[fmt.Sprint(f.Ref, g.Bucket(f.ReceivedOn), f.Benefit)] += n
				calls++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, want) || rows < 200 {
				t.Errorf("%v: %d groups read grouped, %d row by row, of %d rows", fields, len(got), len(want), rows)
			}
			grouped := s.Dialect() == store.Postgres && !slices.Contains(fields, "ref")
			if grouped && calls > 20 || !grouped && calls != rows {
				t.Errorf("%v on %s: %d rows sent for %d", fields, s.Dialect(), calls, rows)
			}
		}
	})
}
