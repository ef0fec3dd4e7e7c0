package measure

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
)

// TestAdvanceMatchesAFreshCount moves an engine on day by day, given only
// the applications that changed and those waiting for a day that has come,
// and gets the figures an engine counting every application afresh gets.
func TestAdvanceMatchesAFreshCount(t *testing.T) {
	set := exampleSet(t)
	r := rand.New(rand.NewPCG(11, 12))
	rows := randomFacts(r, 3000)
	asOf := calendar.NewDate(2025, 11, 3)
	plan := ReportPlan(Period{2025, 0}, 3, asOf)
	e, err := NewEngine(set, plan)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		if err := e.Add(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	waitingDays := 0
	for _, step := range []int{1, 1, 3, 1, 30} {
		next := asOf.AddDays(step)
		// Some applications change, some are new, and the rest stay as
		// they are; those with a date in (asOf, next] count differently
		// all the same.
		before := map[int]Facts{} // the changed rows as they were
		fresh := randomFacts(r, 200)
		for k := range fresh {
			if k < 150 {
				i := r.IntN(len(rows))
				if _, ok := before[i]; !ok {
					before[i] = rows[i]
				}
				rows[i] = fresh[k]
			} else {
				rows = append(rows, fresh[k])
			}
		}
		old := len(rows) - 50
		var changes, waiting []Change
		for i := range rows {
			switch b, ok := before[i]; {
			case ok:
				changes = append(changes, Change{Before: &b, After: &rows[i]})
			case i >= old:
				changes = append(changes, Change{After: &rows[i]})
			case e.DueBy(&rows[i], next) && hasDateIn(set, &rows[i], asOf, next):
				waiting = append(waiting, Change{Before: &rows[i], After: &rows[i]})
			}
		}
		waitingDays += len(waiting)

		// Without the waiting applications the figures are wrong: this
		// test would notice a caller that forgot them.
		if len(waiting) > 0 {
			short, _ := NewEngine(set, plan)
			for _, f := range rowsBefore(rows, changes) {
				if err := short.Add(&f); err != nil {
					t.Fatal(err)
				}
			}
			if err := short.Advance(next, changes); err != nil {
				t.Fatal(err)
			}
			short.AddSurvey(nil)
			short.AddFeedback(nil)
			if sameFigures(short.Results(), compute(t, set, Plan{Periods: plan.Periods, AsOf: next}, rows, nil, nil)) {
				t.Errorf("step to %s: the figures came out right without the %d waiting applications", next, len(waiting))
			}
		}

		if err := e.Advance(next, append(changes, waiting...)); err != nil {
			t.Fatal(err)
		}
		asOf = next
		want := compute(t, set, Plan{Periods: plan.Periods, AsOf: asOf}, rows, nil, nil)
		e.ResetSources()
		e.AddSurvey(nil)
		e.AddFeedback(nil)
		if !sameFigures(e.Results(), want) {
			t.Fatalf("moved on to %s, the figures differ from a fresh count", asOf)
		}
	}
	if waitingDays == 0 {
		t.Fatal("no application waited for a day: the test does not exercise DueBy")
	}
	if err := e.Advance(asOf.AddDays(-1), nil); err == nil {
		t.Error("Advance went back a day")
	}
}

// rowsBefore are the rows as they were before changes: the changed ones
// as before, and without the new ones.
func rowsBefore(rows []Facts, changes []Change) []Facts {
	after := map[*Facts]*Facts{}
	for _, c := range changes {
		after[c.After] = c.Before
	}
	var out []Facts
	for i := range rows {
		b, ok := after[&rows[i]]
		switch {
		case !ok:
			out = append(out, rows[i])
		case b != nil:
			out = append(out, *b)
		}
	}
	return out
}

// hasDateIn reports whether f has a date the set counts on in (from, to].
func hasDateIn(set *Set, f *Facts, from, to calendar.Date) bool {
	for _, name := range set.CountedOn() {
		ff, _ := LookupFact(name)
		if d := calendar.Date(ff.num(f)); d > from && d <= to {
			return true
		}
	}
	return false
}

func sameFigures(a, b *Results) bool {
	if !reflect.DeepEqual(a.Frames, b.Frames) || len(a.Measures) != len(b.Measures) || a.Plan.AsOf != b.Plan.AsOf {
		return false
	}
	for i := range a.Measures {
		if !reflect.DeepEqual(a.Measures[i].Cells, b.Measures[i].Cells) {
			return false
		}
	}
	return true
}
