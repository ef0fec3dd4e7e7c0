package report

import (
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/disclosure"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
)

// published releases one ratio n of d, or one count n when d is 0, the
// only way a Figure can be made.
func published(t *testing.T, n, d int64) Figure {
	t.Helper()
	tables := []disclosure.Table{{ID: "n", Counts: map[disclosure.Cell]int64{disclosure.Total("Y"): n}}}
	var pairs []disclosure.Pair
	if d > 0 {
		tables = append(tables, disclosure.Table{ID: "d", Counts: map[disclosure.Cell]int64{disclosure.Total("Y"): d}})
		pairs = []disclosure.Pair{{Numerator: "n", Denominator: "d", Part: true}}
	}
	rel, err := disclosure.Protect(tables, pairs)
	if err != nil {
		t.Fatal(err)
	}
	if d == 0 {
		return Figure{kind: countFigure, count: rel.Count("n", disclosure.Total("Y"))}
	}
	return Figure{kind: ratioFigure, ratio: rel.Ratio("n", "d", disclosure.Total("Y"), 100)}
}

func TestStatusOf(t *testing.T) {
	higher := &measure.Measure{Source: measure.SourceEvents, Target: 90, Better: measure.HigherIsBetter}
	lower := &measure.Measure{Source: measure.SourceEvents, Target: 30, Better: measure.LowerIsBetter}
	evidence := &measure.Measure{Source: measure.SourceEvidence}
	none := Figure{}
	cases := []struct {
		name        string
		m           *measure.Measure
		now, before Figure
		want        Status
	}{
		{"met", higher, published(t, 95, 100), none, Met},
		{"met at the published precision", higher, published(t, 8997, 10000), none, Met}, // 89.97 is published as 90.0
		{"not met", higher, published(t, 80, 100), published(t, 85, 100), NotMet},
		{"improving", higher, published(t, 85, 100), published(t, 80, 100), Improving},
		{"no better than before", higher, published(t, 80, 100), published(t, 80, 100), NotMet},
		{"lower is better, met", lower, published(t, 25, 0), none, Met},
		{"lower is better, improving", lower, published(t, 35, 0), published(t, 50, 0), Improving},
		{"lower is better, worse", lower, published(t, 50, 0), published(t, 35, 0), NotMet},
		{"too few", higher, published(t, 3, 20), none, TooFew},
		{"no data", higher, none, published(t, 80, 100), NoData},
		{"before suppressed", higher, published(t, 80, 100), published(t, 3, 20), NotMet},
		{"evidence", evidence, none, none, NoTarget},
	}
	for _, c := range cases {
		if got := StatusOf(c.m, c.now, c.before); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestEasyRead(t *testing.T) {
	open := []Action{{Status: Planned}}
	done := []Action{{Status: Done}}
	m := func(s Status, actions []Action) *Measure { return &Measure{Status: s, Actions: actions} }
	cases := []struct {
		measures []*Measure
		want     string
	}{
		{nil, "We do not measure this promise yet."},
		{[]*Measure{m(NoTarget, nil)}, "We tell you in words what we did for this promise."},
		{[]*Measure{m(TooFew, nil), m(NoData, nil)}, "We do not have enough figures this year to say how we did on this promise."},
		{[]*Measure{m(Met, nil)}, "We met our target for this promise."},
		{[]*Measure{m(Met, nil), m(Met, nil), m(TooFew, nil)}, "We met all two of our targets for this promise."},
		{[]*Measure{m(NotMet, open)}, "We did not meet our target for this promise, and we have a plan to do better."},
		{[]*Measure{m(NotMet, done), m(Improving, open)}, "We did not meet any of our two targets for this promise."},
		{[]*Measure{m(Met, nil), m(Improving, open), m(NotMet, open)}, "We met one of our three targets for this promise, and we have a plan to do better on the rest."},
		{[]*Measure{m(Met, nil), m(NotMet, nil)}, "We met one of our two targets for this promise."},
	}
	for _, c := range cases {
		if got := easyRead(&Commitment{Measures: c.measures}); got != c.want {
			t.Errorf("%d measures: %q, want %q", len(c.measures), got, c.want)
		}
	}
}

func TestActionValidate(t *testing.T) {
	ch := exampleCharter(t)
	set := exampleSet(t, ch)
	good := func() Action {
		return Action{What: "Hire and train twenty more case managers", Owner: "Head of operations", Due: calendar.NewDate(2026, 9, 30),
			Status: Planned, Measures: []string{"decided-in-time"}, Commitments: []string{"2.2"},
			Progress: []ProgressNote{{calendar.NewDate(2026, 4, 1), "Advertised."}, {calendar.NewDate(2026, 5, 1), "Ten started."}}}
	}
	if a := good(); a.Validate(set, ch) != nil {
		t.Fatalf("a good action: %v", a.Validate(set, ch))
	}
	cases := []struct {
		name  string
		edit  func(*Action)
		field string
	}{
		{"no what", func(a *Action) { a.What = "Fix" }, "what"},
		{"no owner", func(a *Action) { a.Owner = " " }, "owner"},
		{"no date", func(a *Action) { a.Due = 0 }, "due"},
		{"bad status", func(a *Action) { a.Status = "thinking" }, "status"},
		{"no links", func(a *Action) { a.Measures, a.Commitments = nil, nil }, "measures"},
		{"unknown measure", func(a *Action) { a.Measures = []string{"speed"} }, "measures"},
		{"unknown commitment", func(a *Action) { a.Commitments = []string{"9.9"} }, "commitments"},
		{"undated note", func(a *Action) { a.Progress[0].On = 0 }, "progress"},
		{"notes out of order", func(a *Action) { a.Progress[1].On = calendar.NewDate(2026, 3, 1) }, "progress"},
	}
	for _, c := range cases {
		a := good()
		c.edit(&a)
		err := a.Validate(set, ch)
		e, ok := errs.As(err)
		if !ok || e.Kind != errs.KindInvalid || e.Field != c.field {
			t.Errorf("%s: %v, want an invalid %s", c.name, err, c.field)
		}
	}
}

func TestYouSaidAndEvidenceValidate(t *testing.T) {
	ch := exampleCharter(t)
	set := exampleSet(t, ch)
	actions := []Action{{ID: "a1"}}
	y := YouSaidWeDid{Said: "You said you had to chase us for news.", Did: "We now send an update every two weeks.", Actions: []string{"a1"}}
	if err := y.Validate(set, ch, actions); err != nil {
		t.Errorf("a good entry: %v", err)
	}
	y.Actions = []string{"a2"}
	if err := y.Validate(set, ch, actions); err == nil || !strings.Contains(err.Error(), `no improvement action "a2"`) {
		t.Errorf("an unknown action: %v", err)
	}
	if err := (&YouSaidWeDid{Said: "Too slow.", Did: "Nothing yet."}).Validate(set, ch, nil); err == nil ||
		!strings.Contains(err.Error(), "said") || !strings.Contains(err.Error(), "link the entry") {
		t.Errorf("an empty entry: %v", err)
	}
	e := Evidence{Text: "Staff could not answer questions about carers.", Source: "client workshop", On: calendar.NewDate(2025, 7, 1), Commitment: "1.5"}
	if err := e.Validate(ch); err != nil {
		t.Errorf("good evidence: %v", err)
	}
	e.Commitment, e.Source = "7.7", ""
	if err := e.Validate(ch); err == nil || !strings.Contains(err.Error(), "commitment") || !strings.Contains(err.Error(), "source") {
		t.Errorf("bad evidence: %v", err)
	}
}
