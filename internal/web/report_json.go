package web

import (
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/disclosure"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
)

// reportJSON is a year's report as data: GET /api/v1/reports/{period} and
// the report.json `charter report` writes. Every figure is as disclosure
// control released it: a number, "[c]" when suppressed, or null.
type reportJSON struct {
	Period        measure.Period  `json:"period"`
	Long          string          `json:"period_long"`
	AsOf          calendar.Date   `json:"events_up_to"`
	Complete      bool            `json:"complete"`
	Charter       string          `json:"charter_version"`
	WithoutAction []string        `json:"measures_not_met_without_action"`
	Sections      []sectionJSON   `json:"sections"`
	Measures      []measureJSON   `json:"measures"`
	Actions       []actionJSON    `json:"improvement_actions"`
	YouSaid       []youSaidJSON   `json:"you_said_we_did"`
	Evidence      []evidenceJSON  `json:"evidence"`
	Unmeasured    []string        `json:"commitments_not_measured"`
	Notes         reportNotesJSON `json:"notes"`
}

type reportNotesJSON struct {
	Rounding    string `json:"rounding"`
	Suppression string `json:"suppression"`
}

type sectionJSON struct {
	Number      int              `json:"number"`
	Title       string           `json:"title"`
	Descriptor  string           `json:"descriptor"`
	Commitments []commitmentJSON `json:"commitments"`
}

type commitmentJSON struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	EasyRead string   `json:"easy_read"`
	Measures []string `json:"measures"`
	Actions  []string `json:"improvement_actions"`
}

type measureJSON struct {
	ID          string           `json:"id"`
	Commitments []string         `json:"commitments"`
	Question    string           `json:"question"`
	Source      measure.Source   `json:"source"`
	Kind        measure.Kind     `json:"kind,omitempty"`
	Unit        string           `json:"unit,omitempty"`
	Target      *float64         `json:"target,omitempty"`
	Better      measure.Better   `json:"better,omitempty"`
	Value       report.Figure    `json:"value"`
	Numerator   disclosure.Count `json:"numerator"`
	Denominator disclosure.Count `json:"denominator"`
	Status      report.Status    `json:"status"`
	Trend       []pointJSON      `json:"trend"`
	Quarters    []pointJSON      `json:"quarters,omitempty"`
	Breakdowns  []breakdownJSON  `json:"breakdowns,omitempty"`
	Narrative   string           `json:"narrative,omitempty"`
	Actions     []string         `json:"improvement_actions"`
}

type pointJSON struct {
	Period measure.Period `json:"period"`
	Value  report.Figure  `json:"value"`
	Status report.Status  `json:"status"`
}

type breakdownJSON struct {
	Breakdown string    `json:"breakdown"`
	Values    []rowJSON `json:"values"`
}

type rowJSON struct {
	Value       string           `json:"value"`
	Figure      report.Figure    `json:"figure"`
	Numerator   disclosure.Count `json:"numerator"`
	Denominator disclosure.Count `json:"denominator"`
	Status      report.Status    `json:"status"`
}

type actionJSON struct {
	ID          string              `json:"id"`
	What        string              `json:"what"`
	Owner       string              `json:"owner"`
	Due         calendar.Date       `json:"due"`
	Status      report.ActionStatus `json:"status"`
	Progress    []progressJSON      `json:"progress"`
	Measures    []string            `json:"measures"`
	Commitments []string            `json:"commitments"`
}

type progressJSON struct {
	On   calendar.Date `json:"on"`
	Text string        `json:"text"`
}

type youSaidJSON struct {
	Said        string        `json:"you_said"`
	Did         string        `json:"we_did"`
	On          calendar.Date `json:"on"`
	Measures    []string      `json:"measures"`
	Commitments []string      `json:"commitments"`
	Actions     []string      `json:"improvement_actions"`
}

type evidenceJSON struct {
	Commitment string        `json:"commitment"`
	Text       string        `json:"text"`
	Source     string        `json:"source"`
	On         calendar.Date `json:"on"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func actionIDs(as []report.Action) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func newReportJSON(rep *app.Report) reportJSON {
	r := rep.Report
	out := reportJSON{Period: r.Year, Long: r.Year.Long(), AsOf: rep.AsOf, Complete: rep.Complete, Charter: r.Charter,
		WithoutAction: []string{}, Sections: []sectionJSON{}, Measures: []measureJSON{}, Actions: []actionJSON{},
		YouSaid: []youSaidJSON{}, Evidence: []evidenceJSON{}, Unmeasured: nonNil(r.Unmeasured),
		Notes: reportNotesJSON{
			Rounding:    "Counts are rounded to the nearest 5; percentages and rates are worked out from the unrounded counts.",
			Suppression: "\"[c]\" marks a figure too small to publish (1 to 4), or one hidden so that it cannot be worked out from the others; null means there is nothing to count.",
		}}
	for _, m := range r.WithoutAction {
		out.WithoutAction = append(out.WithoutAction, m.Def.ID)
	}
	for _, s := range r.Sections {
		sj := sectionJSON{Number: s.Number, Title: s.Title, Descriptor: s.Descriptor, Commitments: []commitmentJSON{}}
		for _, c := range s.Commitments {
			cj := commitmentJSON{ID: c.ID, Text: c.Text, EasyRead: c.EasyRead, Measures: []string{}, Actions: actionIDs(c.Actions)}
			for _, m := range c.Measures {
				cj.Measures = append(cj.Measures, m.Def.ID)
			}
			for _, e := range c.Evidence {
				out.Evidence = append(out.Evidence, evidenceJSON{Commitment: c.ID, Text: e.Text, Source: e.Source, On: e.On})
			}
			sj.Commitments = append(sj.Commitments, cj)
		}
		out.Sections = append(out.Sections, sj)
	}
	for _, m := range r.Measures {
		def := m.Def
		mj := measureJSON{ID: def.ID, Commitments: def.Commitments, Question: def.Question, Source: def.Source,
			Value: m.Value, Numerator: m.Numerator, Denominator: m.Denominator, Status: m.Status, Trend: []pointJSON{},
			Narrative: m.Narrative, Actions: actionIDs(m.Actions)}
		if def.HasTarget() {
			t := def.Target
			mj.Kind, mj.Unit, mj.Target, mj.Better = def.Computation.Kind, def.Unit, &t, def.Better
		}
		for _, p := range m.Trend {
			mj.Trend = append(mj.Trend, pointJSON{Period: p.Period, Value: p.Value, Status: p.Status})
		}
		for _, p := range m.Quarters {
			mj.Quarters = append(mj.Quarters, pointJSON{Period: p.Period, Value: p.Value, Status: p.Status})
		}
		for _, b := range m.Breakdowns {
			bj := breakdownJSON{Breakdown: b.Name, Values: []rowJSON{}}
			for _, row := range b.Rows {
				bj.Values = append(bj.Values, rowJSON{Value: row.Value, Figure: row.Figure, Numerator: row.Numerator,
					Denominator: row.Denominator, Status: row.Status})
			}
			mj.Breakdowns = append(mj.Breakdowns, bj)
		}
		out.Measures = append(out.Measures, mj)
	}
	for _, a := range r.Actions {
		aj := actionJSON{ID: a.ID, What: a.What, Owner: a.Owner, Due: a.Due, Status: a.Status, Progress: []progressJSON{},
			Measures: nonNil(a.Measures), Commitments: nonNil(a.Commitments)}
		for _, n := range a.Progress {
			aj.Progress = append(aj.Progress, progressJSON{On: n.On, Text: n.Text})
		}
		out.Actions = append(out.Actions, aj)
	}
	for _, y := range r.YouSaid {
		out.YouSaid = append(out.YouSaid, youSaidJSON{Said: y.Said, Did: y.Did, On: y.On, Measures: nonNil(y.Measures),
			Commitments: nonNil(y.Commitments), Actions: nonNil(y.Actions)})
	}
	return out
}
