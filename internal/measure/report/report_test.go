package report

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/disclosure"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
)

func exampleCharter(t testing.TB) *charter.Charter {
	t.Helper()
	ch, err := charter.ParseCharter("charter.yaml", examples.Charter)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func exampleSet(t testing.TB, ch *charter.Charter) *measure.Set {
	t.Helper()
	set, err := measure.ParseSet("measures.yaml", examples.Measures, ch)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

var year = measure.Period{Year: 2025}

// history makes n applications received over three years, decided and
// challenged now and then, in a few areas of very different sizes.
func history(r *rand.Rand, n int) []measure.Facts {
	start := calendar.NewDate(2023, 4, 1)
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	out := make([]measure.Facts, n)
	for i := range out {
		recv := start.AddDays(r.IntN(3 * 365))
		f := measure.Facts{Benefit: pick("adult-disability-payment", "adult-disability-payment", "carer-support-payment", "early-years-grant"),
			Area: pick("Glasgow City", "Glasgow City", "Glasgow City", "Fife", "Fife", "Orkney Islands", ""), AgeBand: pick(measure.AgeBands[1:]...),
			Channel: pick("online", "online", "phone", "paper"), ReceivedOn: recv, AcknowledgeDue: recv.AddDays(5),
			AcknowledgedInTime: r.IntN(20) > 0, Status: "open"}
		if r.IntN(10) < 8 {
			f.WorkingDaysToDecision = 5 + r.IntN(70)
			f.DecidedOn = recv.AddDays(f.WorkingDaysToDecision * 7 / 5)
			f.ClosedOn, f.Status = f.DecidedOn, "decided"
			f.DecidedInTime = f.WorkingDaysToDecision <= 55
			f.ReasonsForEveryCriterion = true
			f.LongestSilence = r.IntN(20)
			f.SilenceKept = f.LongestSilence <= 15
			f.InformationRequests = r.IntN(2)
			if r.IntN(20) == 0 {
				f.RedeterminationRequests, f.RedeterminationRequestedOn = 1, f.DecidedOn.AddDays(10)
				f.RedeterminationDue = f.RedeterminationRequestedOn.AddDays(56)
				f.RedeterminationDecidedOn = f.RedeterminationRequestedOn.AddDays(30 + r.IntN(40))
				f.RedeterminationInTime = f.RedeterminationDecidedOn <= f.RedeterminationDue
				f.RedeterminationChanged = r.IntN(4) == 0
			}
		}
		if f.Benefit == "adult-disability-payment" && r.IntN(5) == 0 {
			f.ConsultationProposedOn = recv.AddDays(10)
			f.ConsultationsProposed, f.ConsultationsWithReason, f.ConsultationsScheduled = 1, 1, 1
			f.ConsultationsMatched = r.IntN(10) / 9
		}
		if r.IntN(30) == 0 {
			f.Referrals, f.ReferralsWithConsent, f.FirstReferralOn = 1, 1, recv.AddDays(3)
		}
		out[i] = f
	}
	return out
}

func buildReport(t *testing.T, actions []Action) (*Report, *measure.Results) {
	t.Helper()
	ch := exampleCharter(t)
	set := exampleSet(t, ch)
	cat, err := charter.ParseCatalogue("benefits.yaml", examples.Benefits, ch)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 9))
	var survey []measure.Response
	for i := range 120 {
		resp := measure.Response{ID: strconv.Itoa(i), Period: year, Respondent: []string{"client", "client", "partner organisation", "staff"}[i%4],
			Answers: map[string]int{}}
		for _, q := range set.Questions {
			if r.IntN(5) > 0 {
				resp.Answers[q.ID] = 1 + r.IntN(5)
			}
		}
		survey = append(survey, resp)
	}
	feedback := []measure.FeedbackCount{
		{Commitment: "2.2", On: calendar.NewDate(2025, 5, 3), Complaint: true, Count: 40},
		{Commitment: "2.2", On: calendar.NewDate(2025, 11, 3), Complaint: true, Count: 3},
		{Commitment: "1.4", On: calendar.NewDate(2025, 6, 3), Count: 12},
	}
	rs, err := measure.Compute(set, measure.ReportPlan(year, 3, 0), slices.Values(history(r, 3000)), survey, feedback)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Build(Input{Charter: ch, Benefits: cat, Set: set, Results: rs, Year: year, Trend: 3, Actions: actions,
		Narratives: map[string]string{"decided-in-time": "We were slower in the winter."}})
	if err != nil {
		t.Fatal(err)
	}
	return rep, rs
}

func TestBuildReport(t *testing.T) {
	action := Action{ID: "a1", What: "Hire and train more case managers", Owner: "Head of operations", Due: calendar.NewDate(2026, 9, 30),
		Status: InProgress, Commitments: []string{"2.2"}}
	rep, rs := buildReport(t, []Action{action})
	if len(rep.Sections) != 4 || rep.Year != year {
		t.Fatalf("%d sections for %v", len(rep.Sections), rep.Year)
	}
	var c22 *Commitment
	for _, s := range rep.Sections {
		for _, c := range s.Commitments {
			if c.EasyRead == "" {
				t.Errorf("commitment %s has no easy-read sentence", c.ID)
			}
			if c.ID == "2.2" {
				c22 = c
			}
		}
	}
	if c22 == nil || len(c22.Measures) != 6 || len(c22.Actions) != 1 {
		t.Fatalf("commitment 2.2: %+v", c22)
	}
	// The action on 2.2 covers every measure of it; none is without one.
	for _, m := range rep.WithoutAction {
		if slices.Contains(m.Def.Commitments, "2.2") || !m.Status.Missed() {
			t.Errorf("%s is listed without an action (%s)", m.Def.ID, m.Status)
		}
	}
	for _, m := range rep.Measures {
		res, ok := rs.Result(m.Def.ID)
		if m.Def.Source == measure.SourceEvidence {
			if ok || len(m.Cells) > 0 || m.Status != NoTarget {
				t.Errorf("%s is evidence, but has figures", m.Def.ID)
			}
			continue
		}
		if len(m.Trend) != 3 || (m.Def.Quarterly() && len(m.Quarters) != 4) || (!m.Def.Quarterly() && len(m.Quarters) != 0) {
			t.Errorf("%s: %d trend points, %d quarters", m.Def.ID, len(m.Trend), len(m.Quarters))
		}
		if len(m.Breakdowns) != len(m.Def.Dimensions())+btoi(slices.Contains(m.Def.Breakdowns, measure.ByRespondent))-btoi(slices.Contains(m.Def.Dimensions(), measure.ByRespondent)) {
			t.Errorf("%s: %d breakdowns for %v", m.Def.ID, len(m.Breakdowns), m.Def.Breakdowns)
		}
		for _, c := range m.Cells {
			raw := res.Cells[measure.Cell{Breakdown: c.Breakdown, Value: c.Value, Period: c.Period}]
			checkPublished(t, m.Def.ID, c, raw)
		}
	}
	if b, err := json.Marshal(rep); err != nil || !strings.Contains(string(b), `"Value":`+strings.ReplaceAll(c22.Measures[0].Value.String(), ",", "")) {
		t.Errorf("the report as JSON: %v", err)
	}
	m, _ := find(rep, "decided-in-time")
	if m.Narrative != "We were slower in the winter." || m.Value.State() != disclosure.Shown || len(m.Actions) != 1 {
		t.Errorf("decided-in-time: %+v", m)
	}
	if !slices.Equal(rep.Unmeasured, []string{"1.3", "1.9", "2.1", "2.6", "2.7", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "4.4"}) {
		t.Errorf("unmeasured: %v", rep.Unmeasured)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func find(rep *Report, id string) (*Measure, bool) {
	for _, m := range rep.Measures {
		if m.Def.ID == id {
			return m, true
		}
	}
	return nil, false
}

// checkPublished checks a published cell against its raw figures: counts
// rounded to 5 or suppressed (always when 1 to 4), ratios to a tenth from
// the unrounded counts.
func checkPublished(t *testing.T, id string, c Cell, raw measure.Raw) {
	t.Helper()
	for _, x := range []struct {
		pub disclosure.Count
		raw int64
	}{{c.Numerator, raw.Numerator}, {c.Denominator, raw.Denominator}} {
		n, shown := x.pub.Value()
		switch {
		case x.pub.State() == disclosure.NoData:
		case x.raw > 0 && x.raw < 5 && x.pub.State() != disclosure.Suppressed:
			t.Fatalf("%s %+v: a count of %d is published as %q", id, c, x.raw, x.pub)
		case shown && (n%5 != 0 || n < x.raw-2 || n > x.raw+2):
			t.Fatalf("%s %+v: %d is published as %d", id, c, x.raw, n)
		}
	}
	v, shown := c.Figure.Value()
	if !shown {
		if c.Figure.State() == disclosure.Suppressed && c.Status != TooFew {
			t.Fatalf("%s %+v: suppressed but %s", id, c, c.Status)
		}
		return
	}
	if !raw.OK {
		t.Fatalf("%s %+v: a figure with no raw value", id, c)
	}
	if c.Figure.kind != countFigure && (v < raw.Value-0.05-1e-9 || v > raw.Value+0.05+1e-9) {
		t.Fatalf("%s %+v: %v is published as %v", id, c, raw.Value, v)
	}
}

func TestBuildRefusesWrongYears(t *testing.T) {
	rep, rs := buildReport(t, nil)
	_ = rep
	ch := exampleCharter(t)
	set := exampleSet(t, ch)
	for _, y := range []measure.Period{{Year: 2025, Quarter: 1}, {Year: 2030}, {}} {
		_, err := Build(Input{Charter: ch, Set: set, Results: rs, Year: y})
		if errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("year %v: %v", y, err)
		}
	}
}

func TestTidyRows(t *testing.T) {
	rep, _ := buildReport(t, nil)
	rows := TidyRows(rep)
	want := 0
	for _, m := range rep.Measures {
		want += len(m.Cells)
	}
	if len(rows) != want || want == 0 {
		t.Fatalf("%d rows for %d cells", len(rows), want)
	}
	suppressed := 0
	for _, r := range rows {
		rec := r.Record()
		if len(rec) != len(TidyHeader) {
			t.Fatalf("a row of %d fields for %d columns", len(rec), len(TidyHeader))
		}
		if r.Suppressed != (r.Value == "[c]") || (r.Suppressed && r.Status != string(TooFew)) {
			t.Fatalf("row %+v: suppressed flag, value and status disagree", r)
		}
		if strings.Contains(r.Value, ",") || strings.Contains(r.Numerator, ",") {
			t.Fatalf("row %+v: numbers with thousands separators", r)
		}
		if r.Suppressed {
			suppressed++
		}
	}
	if suppressed == 0 {
		t.Error("no suppressed rows: the history is too big to test suppression")
	}
	first := rows[0]
	if first.Measure != rep.Measures[0].Def.ID || first.Breakdown != "all" || first.BreakdownValue != "all" {
		t.Errorf("first row %+v", first)
	}
}
