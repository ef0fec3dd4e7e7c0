package measure

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
)

// TestFieldsAreEnough computes the example measures from facts with only
// the fields Set.Fields names, and gets the same figures as from whole
// facts: a store may read just those columns.
func TestFieldsAreEnough(t *testing.T) {
	set := exampleSet(t)
	fields := set.Fields()
	for _, want := range []string{"benefit", "area", "age_band", "channel", "received_on", "decided_on", "decided_in_time", "working_days_to_decision", "silence_kept"} {
		if !slices.Contains(fields, want) {
			t.Errorf("Fields() = %v, missing %s", fields, want)
		}
	}
	if slices.Contains(fields, "appeal_outcome") {
		t.Errorf("Fields() = %v names appeal_outcome, which no example measure reads", fields)
	}
	rows := randomFacts(rand.New(rand.NewPCG(3, 4)), 2000)
	plan := ReportPlan(Period{2025, 0}, 3, 0)
	full, part := compute(t, set, plan, rows, nil, nil), compute(t, set, plan, trimFacts(rows, fields), nil, nil)
	if !reflect.DeepEqual(full.Frames, part.Frames) {
		t.Error("the figures from the fields Fields names differ from those of whole facts")
	}
	// Each measure on its own reads only its own breakdowns, and gets the
	// figures it gets from whole facts.
	for _, m := range set.Measures {
		if m.Source != SourceEvents {
			continue
		}
		one := set.Only(m.ID)
		f := one.Fields()
		for _, d := range []string{ByBenefit, ByArea, ByAgeBand, ByChannel} {
			if slices.Contains(m.Dimensions(), d) && !slices.Contains(f, d) {
				t.Errorf("%s: Fields() = %v, without its breakdown %s", m.ID, f, d)
			}
		}
		if m.ID == "supporters-per-100-applications" && (slices.Contains(f, ByArea) || slices.Contains(f, ByChannel)) {
			t.Errorf("%s: Fields() = %v reads breakdowns it does not have", m.ID, f)
		}
		full, part := compute(t, one, plan, rows, nil, nil), compute(t, one, plan, trimFacts(rows, f), nil, nil)
		if !reflect.DeepEqual(full.Frames, part.Frames) {
			t.Errorf("%s: the figures from the fields Fields names differ from those of whole facts", m.ID)
		}
	}

	only := set.Only("decided-in-time", "applications-received", "no-such-measure")
	if len(only.Measures) != 2 || only.Measures[0].ID != "applications-received" || len(only.Questions) != len(set.Questions) {
		t.Errorf("Only: %d measures, first %s", len(only.Measures), only.Measures[0].ID)
	}
}

// trimFacts copies rows with only the fields named.
func trimFacts(rows []Facts, fields []string) []Facts {
	trimmed := make([]Facts, len(rows))
	for i := range rows {
		for _, name := range fields {
			ff, _ := LookupFact(name)
			switch p := ff.Pointer(&trimmed[i]).(type) {
			case *string:
				*p = ff.Text(&rows[i])
			case *calendar.Date:
				*p = calendar.Date(ff.Number(&rows[i]))
			case *int:
				*p = int(ff.Number(&rows[i]))
			case *bool:
				*p = ff.Number(&rows[i]) == 1
			}
		}
	}
	return trimmed
}

// TestRefreshed refreshes a report's year from that year's facts alone
// and gets what computing everything again gives.
func TestRefreshed(t *testing.T) {
	set := exampleSet(t)
	year := Period{Year: 2025}
	rows := randomFacts(rand.New(rand.NewPCG(5, 6)), 3000)
	asOf := calendar.NewDate(2026, 1, 15)
	before := compute(t, set, ReportPlan(year, 3, asOf), rows, nil, nil)

	// A day later, some applications received this year have moved on:
	// every date of theirs is in this year, so only this year's figures
	// can change.
	later := asOf.AddDays(1)
	rows = slices.Clone(rows)
	changed := 0
	for i := range rows {
		f := &rows[i]
		if f.ReceivedOn >= year.First() && f.ReceivedOn <= asOf && f.DecidedOn == 0 && f.ClosedOn == 0 && f.RedeterminationDue == 0 && i%3 == 0 {
			f.DecidedOn, f.ClosedOn, f.DecidedInTime, f.WorkingDaysToDecision = later, later, i%2 == 0, 40
			changed++
		}
	}
	if changed < 10 {
		t.Fatalf("only %d applications changed", changed)
	}
	var thisYear []Facts
	for _, f := range rows {
		for _, name := range set.CountedOn() {
			ff, _ := LookupFact(name)
			if d := calendar.Date(ff.Number(&f)); d >= year.First() && d <= year.Last() {
				thisYear = append(thisYear, f)
				break
			}
		}
	}
	newer := compute(t, set, RefreshPlan(year, later), thisYear, nil, nil)
	got, err := before.Refreshed(newer)
	if err != nil {
		t.Fatal(err)
	}
	want := compute(t, set, ReportPlan(year, 3, later), rows, nil, nil)
	if !reflect.DeepEqual(got.Frames, want.Frames) || got.Plan.AsOf != later {
		t.Error("refreshed frames differ from computing everything again")
	}
	for i := range want.Measures {
		if !reflect.DeepEqual(got.Measures[i].Cells, want.Measures[i].Cells) {
			t.Errorf("%s: refreshed cells differ from computing everything again", want.Measures[i].Measure)
		}
	}
	if reflect.DeepEqual(before.Frames, want.Frames) {
		t.Error("the changes changed nothing: the test proves nothing")
	}

	// Figures for a period the report does not cover are refused.
	other := compute(t, set, RefreshPlan(Period{Year: 2030}, 0), nil, nil, nil)
	if _, err := before.Refreshed(other); err == nil {
		t.Error("refreshing with another year's figures: no error")
	}
}

// TestMergeEngines counts the rows in three parts, each with its own
// engine, and merges them: the figures are those of one engine counting
// every row, whatever order the parts met the breakdown values in.
func TestMergeEngines(t *testing.T) {
	set := exampleSet(t)
	plan := ReportPlan(Period{Year: 2025}, 3, calendar.NewDate(2026, 1, 15))
	rows := randomFacts(rand.New(rand.NewPCG(8, 9)), 3000)
	want := compute(t, set, plan, rows, nil, nil)
	var parts [3]*Engine
	for i := range parts {
		e, err := NewEngine(set, plan)
		if err != nil {
			t.Fatal(err)
		}
		parts[i] = e
	}
	for i := len(rows) - 1; i >= 0; i-- { // another order than compute's
		if err := parts[i%3].Add(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range parts[1:] {
		if err := parts[0].Merge(p); err != nil {
			t.Fatal(err)
		}
	}
	parts[0].AddSurvey(nil)
	parts[0].AddFeedback(nil)
	got := parts[0].Results()
	if !reflect.DeepEqual(got.Frames, want.Frames) {
		t.Error("merged frames differ from one engine's")
	}
	for i := range want.Measures {
		if !reflect.DeepEqual(got.Measures[i].Cells, want.Measures[i].Cells) {
			t.Errorf("%s: merged cells differ from one engine's", want.Measures[i].Measure)
		}
	}
	other, _ := NewEngine(set, RefreshPlan(Period{Year: 2025}, 0))
	if err := parts[0].Merge(other); err == nil {
		t.Error("merging an engine of another plan: no error")
	}
}
