package measure

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

const engineMeasures = `survey_questions:
	- id: clear
		statement: The charter is clear.
measures:
	- id: received
		commitments: ["1.2"]
		question: How many applications?
		source: events
		computation: {kind: count, counted_on: received_on}
		breakdowns: [benefit, area, period]
		unit: applications
		target: 10
		better: higher
	- id: in-time
		commitments: ["2.2"]
		question: How many in time?
		source: events
		computation: {kind: share, counted_on: decided_on, numerator: {where: [decided_in_time]}}
		breakdowns: [benefit]
		unit: percent
		target: 90
		better: higher
	- id: wait
		commitments: ["2.2"]
		question: How long?
		source: events
		computation: {kind: median, counted_on: decided_on, value: working_days_to_decision}
		breakdowns: [benefit, period]
		unit: working days
		target: 30
		better: lower
	- id: wait-90
		commitments: ["2.2"]
		question: How long for most?
		source: events
		computation: {kind: percentile, percentile: 90, counted_on: decided_on, value: working_days_to_decision}
		unit: working days
		target: 50
		better: lower
	- id: referrals
		commitments: ["1.10"]
		question: Referrals per 100 decisions?
		source: events
		computation: {kind: rate, counted_on: decided_on, numerator: {counted_on: first_referral_on, sum: referrals}, per: 100}
		unit: per 100
		target: 10
		better: higher
	- id: consent
		commitments: ["1.10"]
		question: With consent?
		source: events
		computation: {kind: share, counted_on: first_referral_on, sum: referrals, numerator: {sum: referrals_with_consent}}
		unit: percent
		target: 100
		better: higher
	- id: clear
		commitments: ["2.3"]
		question: Clear?
		source: survey
		computation: {kind: agree, question: clear}
		breakdowns: [respondent]
		unit: percent
		target: 80
		better: higher
	- id: complaints
		commitments: ["2.2", "1.4"]
		question: Complaints?
		source: feedback
		computation: {kind: complaints}
		breakdowns: [period]
		unit: complaints
		target: 5
		better: lower
`

func engineSet(t testing.TB) *Set {
	t.Helper()
	set, err := ParseSet("m.yaml", doc(engineMeasures), exampleCharter(t))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

var fy25 = Period{2025, 0}

// row is a decided application.
func row(benefit, area string, received, decided calendar.Date, days int, inTime bool) Facts {
	return Facts{Benefit: benefit, Area: area, ReceivedOn: received, DecidedOn: decided, WorkingDaysToDecision: days, DecidedInTime: inTime}
}

func compute(t *testing.T, set *Set, plan Plan, rows []Facts, survey []Response, feedback []FeedbackCount) *Results {
	t.Helper()
	rs, err := Compute(set, plan, slices.Values(rows), survey, feedback)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func raw(t *testing.T, rs *Results, id string, c Cell) Raw {
	t.Helper()
	r, ok := rs.Result(id)
	if !ok {
		t.Fatalf("no result for %s", id)
	}
	return r.Cells[c]
}

func TestEngineHandComputed(t *testing.T) {
	d := calendar.NewDate
	rows := []Facts{
		row("a", "Fife", d(2025, 4, 10), d(2025, 5, 1), 10, true),
		row("a", "Fife", d(2025, 4, 11), d(2025, 7, 2), 40, false),
		row("a", "", d(2025, 5, 1), d(2025, 6, 2), 20, true),
		row("b", "Angus", d(2025, 6, 1), d(2025, 8, 1), 30, true),
		row("b", "Angus", d(2026, 3, 31), 0, 0, false),              // received on the last day of the year; open
		row("b", "Angus", d(2024, 12, 1), d(2025, 4, 1), 70, false), // received last year, decided this year
		row("a", "Fife", d(2026, 4, 1), d(2026, 4, 20), 5, true),    // next year: not counted
	}
	rows[0].Referrals, rows[0].ReferralsWithConsent, rows[0].FirstReferralOn = 2, 2, d(2025, 4, 20)
	rows[3].Referrals, rows[3].ReferralsWithConsent, rows[3].FirstReferralOn = 1, 1, d(2025, 9, 1)
	survey := []Response{
		{ID: "1", Period: fy25, Respondent: "client", Answers: map[string]int{"clear": 5}},
		{ID: "2", Period: Period{2025, 3}, Respondent: "client", Answers: map[string]int{"clear": 3}},
		{ID: "3", Period: fy25, Respondent: "staff", Answers: map[string]int{"clear": 4}},
		{ID: "4", Period: fy25, Respondent: "staff", Answers: map[string]int{}},                      // did not answer
		{ID: "5", Period: Period{2024, 0}, Respondent: "staff", Answers: map[string]int{"clear": 1}}, // another year
	}
	feedback := []FeedbackCount{
		{Commitment: "2.2", On: d(2025, 5, 1), Complaint: true, Count: 3},
		{Commitment: "1.4", On: d(2026, 1, 5), Complaint: true, Count: 2},
		{Commitment: "2.2", On: d(2025, 5, 1), Complaint: false, Count: 7}, // feedback, not a complaint
		{Commitment: "1.8", On: d(2025, 5, 1), Complaint: true, Count: 9},  // another commitment
	}
	rs := compute(t, engineSet(t), ReportPlan(fy25, 2, 0), rows, survey, feedback)
	q := func(n int) Period { return Period{2025, n} }
	cases := []struct {
		id   string
		cell Cell
		want Raw
	}{
		{"received", Cell{Period: fy25}, Raw{Numerator: 5, Value: 5, OK: true}},
		{"received", Cell{Period: Period{2024, 0}}, Raw{Numerator: 1, Value: 1, OK: true}},
		{"received", Cell{Period: q(1)}, Raw{Numerator: 4, Value: 4, OK: true}},
		{"received", Cell{Period: q(4)}, Raw{Numerator: 1, Value: 1, OK: true}},
		{"received", Cell{ByArea, "Fife", fy25}, Raw{Numerator: 2, Value: 2, OK: true}},
		{"received", Cell{ByArea, NotRecorded, q(1)}, Raw{Numerator: 1, Value: 1, OK: true}},
		{"received", Cell{ByBenefit, "b", fy25}, Raw{Numerator: 2, Value: 2, OK: true}},
		// Decided in 2025-26: 10 (a, in time), 40 (a), 20 (a, in time), 30 (b, in time), 70 (b).
		{"in-time", Cell{Period: fy25}, Raw{Numerator: 3, Denominator: 5, Value: 60, OK: true}},
		{"in-time", Cell{ByBenefit, "b", fy25}, Raw{Numerator: 1, Denominator: 2, Value: 50, OK: true}},
		{"wait", Cell{Period: fy25}, Raw{Denominator: 5, Value: 30, OK: true}},
		{"wait", Cell{ByBenefit, "a", fy25}, Raw{Denominator: 3, Value: 20, OK: true}},
		{"wait", Cell{ByBenefit, "b", fy25}, Raw{Denominator: 2, Value: 50, OK: true}}, // mean of the middle two
		{"wait", Cell{Period: q(1)}, Raw{Denominator: 3, Value: 20, OK: true}},         // 70, 10, 20
		{"wait", Cell{Period: q(3)}, Raw{Denominator: 0}},                              // nothing decided: no number
		// 90th percentile of 10, 20, 30, 40, 70: rank 3.6 from 0, so 40 + 0.6 × 30.
		{"wait-90", Cell{Period: fy25}, Raw{Denominator: 5, Value: 58, OK: true}},
		// Referrals: 3 made in 2025-26, per 100 of its 5 decisions.
		{"referrals", Cell{Period: fy25}, Raw{Numerator: 3, Denominator: 5, Value: 60, OK: true}},
		{"consent", Cell{Period: fy25}, Raw{Numerator: 3, Denominator: 3, Value: 100, OK: true}},
		{"clear", Cell{Period: fy25}, Raw{Numerator: 2, Denominator: 3, Value: 200.0 / 3, OK: true}},
		{"clear", Cell{ByRespondent, "staff", fy25}, Raw{Numerator: 1, Denominator: 1, Value: 100, OK: true}},
		{"complaints", Cell{Period: fy25}, Raw{Numerator: 5, Value: 5, OK: true}},
		{"complaints", Cell{Period: q(4)}, Raw{Numerator: 2, Value: 2, OK: true}},
		{"complaints", Cell{Period: q(2)}, Raw{Numerator: 0, Value: 0, OK: true}},
	}
	for _, c := range cases {
		if got := raw(t, rs, c.id, c.cell); math.Abs(got.Value-c.want.Value) > 1e-9 || got.Numerator != c.want.Numerator ||
			got.Denominator != c.want.Denominator || got.OK != c.want.OK {
			t.Errorf("%s %+v = %+v, want %+v", c.id, c.cell, got, c.want)
		}
	}
	// A measure not broken down by period has no quarters, nor breakdowns it did not ask for.
	r, _ := rs.Result("in-time")
	for c := range r.Cells {
		if c.Period.IsQuarter() || (c.Breakdown != "" && c.Breakdown != ByBenefit) {
			t.Errorf("in-time has a cell %+v it did not ask for", c)
		}
	}
	// Measures counting the same thing share a frame.
	wait, _ := rs.Result("wait")
	inTime, _ := rs.Result("in-time")
	if wait.DenominatorFrame != inTime.DenominatorFrame || rs.Frames[wait.DenominatorFrame] == nil {
		t.Errorf("wait and in-time count decisions in different frames: %q, %q", wait.DenominatorFrame, inTime.DenominatorFrame)
	}
}

func TestEngineAsOfAndRefresh(t *testing.T) {
	d := calendar.NewDate
	rows := []Facts{
		row("a", "Fife", d(2025, 4, 10), d(2025, 5, 1), 10, true),
		row("a", "Fife", d(2025, 11, 10), d(2025, 12, 1), 10, true),
	}
	// As of 30 November, the December decision has not happened yet.
	rs := compute(t, engineSet(t), RefreshPlan(Period{2025, 3}, d(2025, 11, 30)), rows, nil, nil)
	if got := raw(t, rs, "in-time", Cell{Period: fy25}); got.Denominator != 1 {
		t.Errorf("as of 30 November: %d decisions, want 1", got.Denominator)
	}
	if len(rs.Plan.Periods) != 5 {
		t.Errorf("refresh plan %v: want the year and its quarters", rs.Plan.Periods)
	}
	if _, err := NewEngine(engineSet(t), Plan{Periods: []Period{{2025, 1}}}); errs.KindOf(err) != errs.KindInvalid ||
		!strings.Contains(err.Error(), "2025-26 Q1 but not 2025-26") {
		t.Errorf("a quarter without its year: %v", err)
	}
}

func TestEngineRefusesANumeratorBiggerThanItsDenominator(t *testing.T) {
	f := row("a", "Fife", calendar.NewDate(2025, 4, 10), 0, 0, false)
	f.Ref, f.FirstReferralOn, f.Referrals, f.ReferralsWithConsent = "7KM-4QX-9DC", calendar.NewDate(2025, 4, 12), 1, 2
	_, err := Compute(engineSet(t), ReportPlan(fy25, 1, 0), slices.Values([]Facts{f}), nil, nil)
	if err == nil || !strings.Contains(err.Error(), "measure consent: its numerator counts 2 for application 7KM-4QX-9DC but its denominator only 1") {
		t.Errorf("got %v", err)
	}
}

// naive works out one measure's figure in one cell the slow, obvious way.
func naive(m *Measure, rows []Facts, c Cell) Raw {
	inCell := func(f *Facts, on string) bool {
		ff, _ := LookupFact(on)
		d := calendar.Date(ff.Number(f))
		if d == 0 || !c.Period.Contains(d) {
			return false
		}
		switch c.Breakdown {
		case ByBenefit:
			return f.Benefit == c.Value
		case ByArea:
			return f.Area == c.Value || (f.Area == "" && c.Value == NotRecorded)
		case ByAgeBand:
			return f.AgeBand == c.Value || (f.AgeBand == "" && c.Value == NotRecorded)
		case ByChannel:
			return f.Channel == c.Value || (f.Channel == "" && c.Value == NotRecorded)
		}
		return true
	}
	total := func(cnt Count) int64 {
		var n int64
		for i := range rows {
			f := &rows[i]
			if !inCell(f, cnt.CountedOn) {
				continue
			}
			ok := true
			for _, w := range cnt.Where {
				cond, _ := parseCondition(w)
				ok = ok && cond.holds(f)
			}
			if !ok {
				continue
			}
			if cnt.Sum == "" {
				n++
			} else {
				s, _ := LookupFact(cnt.Sum)
				n += s.Number(f)
			}
		}
		return n
	}
	comp := m.Computation
	var r Raw
	switch comp.Kind {
	case KindCount:
		r.Numerator = total(comp.Count)
		r.Value, r.OK = float64(r.Numerator), true
	case KindShare, KindRate:
		num := *comp.Numerator
		if comp.Kind == KindShare {
			num = Count{CountedOn: comp.Count.CountedOn, Where: append(slices.Clone(comp.Count.Where), num.Where...), Sum: cmpOr(num.Sum, comp.Count.Sum)}
		}
		r.Numerator, r.Denominator = total(num), total(comp.Count)
		per := 100.0
		if comp.Kind == KindRate {
			per = float64(comp.Per)
		}
		if r.Denominator > 0 {
			r.Value, r.OK = per*float64(r.Numerator)/float64(r.Denominator), true
		}
	case KindMedian, KindPercentile:
		var vals []int64
		for i := range rows {
			f := &rows[i]
			one := []Facts{*f}
			if naive(&Measure{Computation: Computation{Kind: KindCount, Count: comp.Count}}, one, c).Numerator == 1 {
				v, _ := LookupFact(comp.Value)
				vals = append(vals, v.Number(f))
			}
		}
		slices.Sort(vals)
		r.Denominator = int64(len(vals))
		p := 50.0
		if comp.Kind == KindPercentile {
			p = float64(comp.Percentile)
		}
		if len(vals) > 0 {
			r.Value, r.OK = Quantile(vals, p), true
		}
	}
	return r
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// randomFacts makes applications with random facts over three years.
func randomFacts(r *rand.Rand, n int) []Facts {
	start := calendar.NewDate(2023, 4, 1)
	date := func(pm int) calendar.Date {
		if r.IntN(1000) >= pm {
			return 0
		}
		return start.AddDays(r.IntN(3 * 365))
	}
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	out := make([]Facts, n)
	for i := range out {
		f := Facts{Benefit: pick("adult-disability-payment", "carer-support-payment", "early-years-grant"),
			Area: pick("Fife", "Angus", "Highland", ""), AgeBand: pick(AgeBands...), Channel: pick("online", "phone", "paper"),
			ReceivedOn: date(1000), AcknowledgeDue: date(990), DecidedOn: date(700), ClosedOn: date(750), FirstReferralOn: date(100),
			RedeterminationRequestedOn: date(60), RedeterminationDecidedOn: date(50), RedeterminationDue: date(55),
			ConsultationProposedOn: date(150), AppealLodgedOn: date(20),
			WorkingDaysToDecision: r.IntN(120) - 2, LongestSilence: r.IntN(30), AcknowledgedInTime: r.IntN(10) > 0,
			DecidedInTime: r.IntN(10) > 1, SilenceKept: r.IntN(10) > 0, ReasonsForEveryCriterion: true,
			RedeterminationInTime: r.IntN(2) == 0, RedeterminationChanged: r.IntN(4) == 0, DateRevisedInTime: r.IntN(2) == 0,
			Supporters: r.IntN(2), Signposts: r.IntN(3), InformationRequests: r.IntN(3), RedeterminationRequests: r.IntN(2)}
		f.ConsultationsProposed = r.IntN(3)
		f.ConsultationsWithReason = r.IntN(f.ConsultationsProposed + 1)
		f.ConsultationsCancelled = r.IntN(f.ConsultationsProposed + 1)
		f.ConsultationsScheduled = r.IntN(f.ConsultationsProposed + 1)
		f.ConsultationsMatched = r.IntN(f.ConsultationsScheduled + 1)
		f.Referrals = r.IntN(3)
		f.ReferralsWithConsent = f.Referrals
		out[i] = f
	}
	return out
}

// TestEngineMatchesNaive compares the one-pass engine with a naive
// recomputation of every cell of every events measure in the example, on
// random facts.
func TestEngineMatchesNaive(t *testing.T) {
	set := exampleSet(t)
	r := rand.New(rand.NewPCG(7, 8))
	for round := range 4 {
		rows := randomFacts(r, 300+r.IntN(600))
		asOf := calendar.Date(0)
		if round%2 == 1 {
			asOf = calendar.NewDate(2026, 1, 15)
		}
		plan := ReportPlan(Period{2025, 0}, 3, asOf)
		rs := compute(t, set, plan, rows, nil, nil)
		if asOf != 0 {
			rows = slices.Clone(rows)
			for i := range rows {
				clearAfter(&rows[i], asOf)
			}
		}
		cells := 0
		for _, res := range rs.Measures {
			if res.Measure.Source != SourceEvents {
				continue
			}
			for c, got := range res.Cells {
				want := naive(res.Measure, rows, c)
				cells++
				if got.Numerator != want.Numerator || got.Denominator != want.Denominator || got.OK != want.OK ||
					(got.OK && math.Abs(got.Value-want.Value) > 1e-9) {
					t.Fatalf("round %d, %s %+v: engine %+v, naive %+v", round, res.Measure.ID, c, got, want)
				}
			}
		}
		if cells < 1000 {
			t.Fatalf("only %d cells compared", cells)
		}
	}
}

// clearAfter forgets every date fact after asOf, as the engine does.
func clearAfter(f *Facts, asOf calendar.Date) {
	for _, ff := range factFields {
		if p, ok := ff.Pointer(f).(*calendar.Date); ok && *p > asOf {
			*p = 0
		}
	}
}

func TestPlanDatesAndCountedOn(t *testing.T) {
	first, last := ReportPlan(fy25, 3, calendar.NewDate(2026, 2, 1)).Dates()
	if first != calendar.NewDate(2023, 4, 1) || last != calendar.NewDate(2026, 2, 1) {
		t.Errorf("report plan dates %s to %s", first, last)
	}
	first, last = RefreshPlan(Period{2025, 2}, 0).Dates()
	if first != calendar.NewDate(2025, 4, 1) || last != calendar.NewDate(2026, 3, 31) {
		t.Errorf("refresh plan dates %s to %s", first, last)
	}
	got := engineSet(t).CountedOn()
	if want := []string{"decided_on", "first_referral_on", "received_on"}; !slices.Equal(got, want) {
		t.Errorf("CountedOn() = %v, want %v", got, want)
	}
}

// TestInterner checks that each value keeps one index, however many values
// a dimension has and however their slots in the small table collide, and
// that an empty value is counted as not recorded.
func TestInterner(t *testing.T) {
	var in interner
	for round := range 3 {
		for i := range 500 {
			v := fmt.Sprintf("value %d", i)
			if got := in.id(v); got != int32(i) || in.names[got] != v {
				t.Fatalf("round %d: id(%q) = %d (%q), want %d", round, v, got, in.names[got], i)
			}
		}
	}
	if got := in.id(""); in.names[got] != NotRecorded {
		t.Errorf("id(\"\") names %q, want %q", in.names[got], NotRecorded)
	}
}
