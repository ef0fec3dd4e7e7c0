package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// TestFactsSince reads the facts in parts, appends events to some
// applications and creates others, and asks what changed since the read:
// on SQLite exactly those applications, each with the events the read
// reflected and its facts now, and the applications asked about too; on
// PostgreSQL, which cannot tell, nothing.
func TestFactsSince(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		loadFacts(t, s, 60, base)
		var refs []string
		mark, err := s.EachFactsGrouped(ctx, store.FactsQuery{Fields: []string{"ref"}}, measure.Grouping{}, 3, func(_ int, f *measure.Facts, _ int64) error {
			refs = append(refs, f.Ref)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(refs) != 60 || mark.Exact() != s.TellsChanges() || s.TellsChanges() != (s.Dialect() == store.SQLite) {
			t.Fatalf("%d rows read; mark exact %v, store tells changes %v", len(refs), mark.Exact(), s.TellsChanges())
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
		if !s.TellsChanges() {
			if ok || changes != nil || next.Exact() {
				t.Fatalf("PostgreSQL told what changed: ok %v, %d changes", ok, len(changes))
			}
			return
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
