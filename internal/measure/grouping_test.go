package measure

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
)

func TestGroupingRuns(t *testing.T) {
	set := exampleSet(t).Only("applications-received")
	g, ok := set.Grouping(ReportPlan(fy25, 3, 0))
	if !ok || !slices.Equal(g.Dates, []string{"received_on"}) {
		t.Fatalf("Grouping() = %+v, %v: want received_on read by run", g, ok)
	}
	d := calendar.NewDate
	want := []DateRun{{d(2023, 4, 1), d(2024, 3, 31)}, {d(2024, 4, 1), d(2025, 3, 31)},
		{d(2025, 4, 1), d(2025, 6, 30)}, {d(2025, 7, 1), d(2025, 9, 30)}, {d(2025, 10, 1), d(2025, 12, 31)}, {d(2026, 1, 1), d(2026, 3, 31)}}
	if !slices.Equal(g.Runs, want) {
		t.Errorf("runs %v, want %v", g.Runs, want)
	}
	for _, c := range []struct{ in, want calendar.Date }{
		{0, 0}, {d(2023, 3, 31), OutsidePlan}, {d(2023, 4, 1), d(2023, 4, 1)}, {d(2024, 2, 29), d(2023, 4, 1)},
		{d(2025, 8, 14), d(2025, 7, 1)}, {d(2026, 3, 31), d(2026, 1, 1)}, {d(2026, 4, 1), OutsidePlan},
	} {
		if got := g.Bucket(c.in); got != c.want {
			t.Errorf("Bucket(%s) = %s, want %s", c.in, got, c.want)
		}
	}
	// Up to AsOf only: a day after it has not happened yet.
	g, _ = set.Grouping(ReportPlan(fy25, 3, d(2026, 1, 15)))
	if last := g.Runs[len(g.Runs)-1]; last != (DateRun{d(2026, 1, 1), d(2026, 1, 15)}) || len(g.Runs) != 6 {
		t.Errorf("runs up to 15 January 2026: %v", g.Runs)
	}
	if got := g.Bucket(d(2026, 1, 16)); got != OutsidePlan {
		t.Errorf("the day after AsOf reads as %s, want OutsidePlan", got)
	}
}

// TestGroupingRefusesExactDates: a date compared with another must be read
// as it is, so a set with one does not group.
func TestGroupingRefusesExactDates(t *testing.T) {
	set := engineSet(t)
	for _, m := range set.Measures {
		if m.Source != SourceEvents {
			continue
		}
		m.counts.base.where = append(slices.Clone(m.counts.base.where),
			condition{{field: mustFact(t, "decided_on"), op: "<=", other: ptr(mustFact(t, "decision_due"))}})
		break
	}
	if g, ok := set.Grouping(ReportPlan(fy25, 3, 0)); ok {
		t.Errorf("a set comparing decided_on with decision_due groups: %+v", g)
	}
}

func mustFact(t *testing.T, name string) FactField {
	t.Helper()
	f, ok := LookupFact(name)
	if !ok {
		t.Fatalf("no fact %s", name)
	}
	return f
}

func ptr[T any](v T) *T { return &v }

// TestGroupedRowsCountAsEveryRow counts random facts grouped as a store
// would group them (the facts the set reads, dates by run) with AddN, and
// row by row with Add, for each events measure of the example on its own
// and for them all: the figures must be the same.
func TestGroupedRowsCountAsEveryRow(t *testing.T) {
	all := exampleSet(t)
	r := rand.New(rand.NewPCG(3, 4))
	rows := randomFacts(r, 3000)
	grouped := 0
	for _, asOf := range []calendar.Date{0, calendar.NewDate(2025, 11, 20)} {
		plan := ReportPlan(fy25, 3, asOf)
		sets := []*Set{all}
		for _, m := range all.Measures {
			if m.Source == SourceEvents {
				sets = append(sets, all.Only(m.ID))
			}
		}
		for _, set := range sets {
			g, ok := set.Grouping(plan)
			if !ok {
				continue
			}
			grouped++
			want := compute(t, set, plan, rows, nil, nil)
			groups := groupRows(t, set, g, rows)
			e, err := NewEngine(set, plan)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, gr := range groups {
				if err := e.AddN(&gr.f, gr.n); err != nil {
					t.Fatal(err)
				}
				n += int(gr.n)
			}
			if n != len(rows) {
				t.Fatalf("groups stand for %d rows of %d", n, len(rows))
			}
			got := e.Results()
			for i, w := range want.Measures {
				if !reflect.DeepEqual(got.Measures[i].Cells, w.Cells) {
					t.Errorf("as of %s, %s: grouped rows give other figures than every row", asOf, w.Measure.ID)
				}
			}
			if len(set.Measures) == 1 && set.Measures[0].ID == "applications-received" && len(groups) > len(rows)/2 {
				t.Errorf("applications received: %d groups of %d rows", len(groups), len(rows))
			}
		}
	}
	if grouped < 20 {
		t.Errorf("only %d sets grouped", grouped)
	}
}

type group struct {
	f Facts
	n int64
}

// groupRows groups rows as a store does: by the facts the set reads, each
// of g's dates read as g.Bucket gives it.
func groupRows(t *testing.T, set *Set, g Grouping, rows []Facts) []group {
	t.Helper()
	fields := set.Fields()
	index := map[string]int{}
	var out []group
	for _, row := range rows {
		var f Facts
		var key strings.Builder
		for _, name := range fields {
			ff := mustFact(t, name)
			switch p := ff.Pointer(&f).(type) {
			case *calendar.Date:
				*p = *ff.Pointer(&row).(*calendar.Date)
				if slices.Contains(g.Dates, name) {
					*p = g.Bucket(*p)
				}
				fmt.Fprint(&key, int64(*p), "|")
			case *string:
				*p = *ff.Pointer(&row).(*string)
				fmt.Fprint(&key, *p, "|")
			case *int:
				*p = *ff.Pointer(&row).(*int)
				fmt.Fprint(&key, *p, "|")
			case *bool:
				*p = *ff.Pointer(&row).(*bool)
				fmt.Fprint(&key, *p, "|")
			}
		}
		if i, ok := index[key.String()]; ok {
			out[i].n++
			continue
		}
		index[key.String()] = len(out)
		out = append(out, group{f, 1})
	}
	return out
}
