package web

import (
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/disclosure"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
)

// reportView is a year's charter report as people read it: the page at
// /report/{period} and the index.html `charter report` writes are the same
// template over this view, so the words are in one place.
type reportView struct {
	Chrome   Chrome
	Year     string // "2025-26"
	Long     string // "April 2025 to March 2026"
	AsOf     calendar.Date
	Complete bool
	Charter  string // the charter's version
	Links    reportLinks
	// WithoutAction are the measures we missed with no open improvement
	// action: they come first.
	WithoutAction []measureLink
	Sections      []reportSection
	Actions       []actionView // the improvement plan
	YouSaid       []youSaidView
	Unmeasured    []commitmentLink
}

// reportLinks are where the report's other forms are: paths on the site,
// or file names next to index.html. Years is empty in files.
type reportLinks struct {
	Full, EasyRead, CSV, JSON, Years string
}

type measureLink struct {
	ID, Anchor, Question string
	Commitments          []string
	Value, Target        string
	Status               statusView
}

type commitmentLink struct {
	ID, Text string
}

type reportSection struct {
	Number      int
	Title       string
	Descriptor  string
	Commitments []reportCommitment
}

type reportCommitment struct {
	ID, Anchor, Text string
	EasyRead         string
	Measures         []measureView
	Evidence         []reportEvidence
	YouSaid          []youSaidView
	// Actions are the improvement actions linked to the commitment itself
	// rather than to one of its measures.
	Actions []actionLink
}

// measureView is one measure with its figures in words and tables.
type measureView struct {
	// ShownUnder, when set, is the commitment under which this measure
	// (evidence for several) is shown in full: here it is a link to it.
	ShownUnder  string
	ID, Anchor  string
	Question    string
	Why         string
	Commitments []string
	Source      string // where the figures come from, in words
	Words       bool   // an evidence measure: words, not a number
	Value       string // "92.3%", "[c]" or "No figure"
	Counts      string // "1,405 of 1,475", or ""
	Target      string // "At least 95%"
	Status      statusView
	Unit        string // for table headings: "%" or "working days"
	// NumHeading and DenHeading head the breakdown tables' columns of the
	// counts behind each figure; "" when the measure has no such count.
	NumHeading, DenHeading string
	Trend                  chartView
	Quarters               []pointView
	Breakdowns             []breakdownView
	Narrative              string
	// Actions are the improvement actions linked to this measure itself;
	// CoveredBy names the commitments whose own actions cover it when it
	// has none (the report then does not list it as missed with no action).
	Actions   []actionLink
	NoAction  bool // missed with no open action at all
	CoveredBy string
}

type statusView struct {
	Label, Class string // "Met", "ds_tag--green"
}

type pointView struct {
	Period string
	Value  string
	Status statusView
}

type breakdownView struct {
	Name string // "Council area"
	Rows []breakdownRow
}

type breakdownRow struct {
	Value                          string
	Figure, Numerator, Denominator string
	Status                         statusView
}

type actionLink struct {
	ID, Anchor, What string
	Status           statusView
}

type actionView struct {
	ID, Anchor  string
	What, Owner string
	Due         calendar.Date
	Status      statusView
	Progress    []report.ProgressNote
	Measures    []measureLink
	Commitments []string
}

type youSaidView struct {
	Said, Did   string
	On          calendar.Date
	Commitments []string
	Actions     []actionLink
}

type reportEvidence struct {
	Text, Source string
	On           calendar.Date
}

// statuses are the words and colours of each status.
var statuses = map[report.Status]statusView{
	report.Met:       {"Met", "ds_tag--green"},
	report.NotMet:    {"Not met", "ds_tag--red"},
	report.Improving: {"Not met, improving", "ds_tag--orange"},
	report.NoData:    {"No data", "ds_tag--grey"},
	report.TooFew:    {"Too few to report", "ds_tag--grey"},
}

func statusOf(s report.Status) statusView { return statuses[s] }

var actionStatuses = map[report.ActionStatus]statusView{
	report.Planned:    {"Planned", "ds_tag--blue"},
	report.InProgress: {"In progress", "ds_tag--orange"},
	report.Done:       {"Done", "ds_tag--green"},
	report.Dropped:    {"Dropped", "ds_tag--grey"},
}

// sourceWords says where a measure's figures come from.
var sourceWords = map[measure.Source]string{
	measure.SourceEvents:   "Worked out from what happened on every application.",
	measure.SourceSurvey:   "From the answers people gave in our survey: the share who agreed or strongly agreed.",
	measure.SourceFeedback: "Counted from the feedback and complaints people sent us about this commitment.",
	measure.SourceEvidence: "In words, from our own records.",
}

// number writes a target or other figure of ours: "18,000", "95", "8.5".
func number(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	if neg {
		whole = "-" + whole
	}
	if frac != "" {
		return whole + "." + frac
	}
	return whole
}

// withUnit writes a number with the measure's unit: "92.3%", "13.0 working days".
func withUnit(def *measure.Measure, n string) string {
	if def.Unit == "percent" {
		return n + "%"
	}
	return n + " " + def.Unit
}

// figureWords writes a published figure as a sentence would hold it.
func figureWords(def *measure.Measure, f report.Figure) string {
	switch f.State() {
	case disclosure.Suppressed:
		return disclosure.SuppressedMark
	case disclosure.NoData:
		return "No figure"
	}
	return withUnit(def, f.String())
}

// cellFigure writes a figure for a table whose heading names the unit.
func cellFigure(f report.Figure) string {
	if f.State() == disclosure.NoData {
		return "–"
	}
	return f.String()
}

func countWords(c disclosure.Count) string {
	if c.State() == disclosure.NoData {
		return "–"
	}
	return c.String()
}

func targetWords(def *measure.Measure) string {
	if !def.HasTarget() {
		return ""
	}
	if def.Better == measure.LowerIsBetter {
		return "No more than " + withUnit(def, number(def.Target))
	}
	return "At least " + withUnit(def, number(def.Target))
}

// unitHeading is a measure's unit as a table heading says it.
func unitHeading(def *measure.Measure) string {
	if def.Unit == "percent" {
		return "%"
	}
	return def.Unit
}

func measureAnchor(id string) string { return "measure-" + id }
func actionAnchor(id string) string  { return "action-" + id }

// newReportView builds the view of a report. links says where its other
// forms are.
func newReportView(rep *app.Report, links reportLinks) reportView {
	r := rep.Report
	v := reportView{Year: r.Year.String(), Long: r.Year.Long(), AsOf: rep.AsOf, Complete: rep.Complete, Charter: r.Charter, Links: links}
	actionLinks := map[string]actionLink{}
	for _, a := range r.Actions {
		actionLinks[a.ID] = actionLink{ID: a.ID, Anchor: actionAnchor(a.ID), What: a.What, Status: actionStatuses[a.Status]}
	}
	byID := map[string]*report.Measure{}
	for _, m := range r.Measures {
		byID[m.Def.ID] = m
	}
	linkTo := func(m *report.Measure) measureLink {
		return measureLink{ID: m.Def.ID, Anchor: measureAnchor(m.Def.ID), Question: m.Def.Question, Commitments: m.Def.Commitments,
			Value: figureWords(m.Def, m.Value), Target: targetWords(m.Def), Status: statusOf(m.Status)}
	}
	for _, m := range r.WithoutAction {
		v.WithoutAction = append(v.WithoutAction, linkTo(m))
	}
	shown := map[string]string{} // measure id → the commitment it is shown under
	for _, s := range r.Sections {
		sv := reportSection{Number: s.Number, Title: s.Title, Descriptor: s.Descriptor}
		for _, c := range s.Commitments {
			cv := reportCommitment{ID: c.ID, Anchor: commitmentAnchor(c.ID), Text: c.Text, EasyRead: c.EasyRead}
			for _, a := range c.Actions {
				if !slices.ContainsFunc(c.Measures, func(m *report.Measure) bool { return slices.Contains(a.Measures, m.Def.ID) }) {
					cv.Actions = append(cv.Actions, actionLinks[a.ID])
				}
			}
			for _, m := range c.Measures {
				if under, ok := shown[m.Def.ID]; ok {
					cv.Measures = append(cv.Measures, measureView{ShownUnder: under, ID: m.Def.ID, Anchor: measureAnchor(m.Def.ID),
						Question: m.Def.Question, Value: figureWords(m.Def, m.Value), Status: statusOf(m.Status)})
					continue
				}
				shown[m.Def.ID] = c.ID
				mv := newMeasureView(m, nil)
				for _, a := range m.Actions {
					if slices.Contains(a.Measures, m.Def.ID) {
						mv.Actions = append(mv.Actions, actionLinks[a.ID])
					}
				}
				if m.Status.Missed() {
					open := slices.ContainsFunc(m.Actions, func(a report.Action) bool { return a.Status.Open() })
					mv.NoAction = !open
					if open && len(mv.Actions) == 0 {
						mv.CoveredBy = strings.Join(m.Def.Commitments, " and ")
					}
				}
				cv.Measures = append(cv.Measures, mv)
			}
			for _, e := range c.Evidence {
				cv.Evidence = append(cv.Evidence, reportEvidence{Text: e.Text, Source: e.Source, On: e.On})
			}
			for _, y := range c.YouSaid {
				cv.YouSaid = append(cv.YouSaid, newYouSaidView(y, actionLinks))
			}
			if len(c.Measures) == 0 {
				v.Unmeasured = append(v.Unmeasured, commitmentLink{ID: c.ID, Text: c.Text})
			}
			sv.Commitments = append(sv.Commitments, cv)
		}
		v.Sections = append(v.Sections, sv)
	}
	for _, a := range r.Actions {
		av := actionView{ID: a.ID, Anchor: actionAnchor(a.ID), What: a.What, Owner: a.Owner, Due: a.Due, Status: actionStatuses[a.Status],
			Progress: a.Progress, Commitments: a.Commitments}
		for _, id := range a.Measures {
			if m, ok := byID[id]; ok {
				av.Measures = append(av.Measures, linkTo(m))
			}
		}
		v.Actions = append(v.Actions, av)
	}
	for _, y := range r.YouSaid {
		v.YouSaid = append(v.YouSaid, newYouSaidView(y, actionLinks))
	}
	return v
}

func newYouSaidView(y report.YouSaidWeDid, actions map[string]actionLink) youSaidView {
	out := youSaidView{Said: y.Said, Did: y.Did, On: y.On, Commitments: y.Commitments}
	for _, id := range y.Actions {
		if a, ok := actions[id]; ok {
			out.Actions = append(out.Actions, a)
		}
	}
	return out
}

func newMeasureView(m *report.Measure, actions []actionLink) measureView {
	def := m.Def
	mv := measureView{ID: def.ID, Anchor: measureAnchor(def.ID), Question: def.Question, Why: def.Why, Commitments: def.Commitments,
		Source: sourceWords[def.Source], Words: def.Source == measure.SourceEvidence, Narrative: m.Narrative, Actions: actions}
	if mv.Words {
		return mv
	}
	mv.Value, mv.Target, mv.Status, mv.Unit = figureWords(def, m.Value), targetWords(def), statusOf(m.Status), unitHeading(def)
	switch def.Computation.Kind {
	case measure.KindShare, measure.KindAgree:
		mv.NumHeading, mv.DenHeading = "Counted", "Out of"
		if m.Denominator.State() != disclosure.NoData {
			mv.Counts = m.Numerator.String() + " of " + m.Denominator.String()
		}
	case measure.KindRate:
		mv.NumHeading, mv.DenHeading = "Counted", "Per 100 of"
		if c := def.Computation.Per; c != 100 {
			mv.DenHeading = "Per " + number(float64(c)) + " of"
		}
		if m.Denominator.State() != disclosure.NoData {
			mv.Counts = m.Numerator.String() + " counted, out of " + m.Denominator.String()
		}
	case measure.KindMedian, measure.KindPercentile:
		mv.DenHeading = "Applications"
		if m.Denominator.State() != disclosure.NoData {
			mv.Counts = "from " + m.Denominator.String() + " applications"
		}
	}
	var points []pointView
	for _, p := range m.Trend {
		points = append(points, pointView{Period: p.Period.String(), Value: cellFigure(p.Value), Status: statusOf(p.Status)})
	}
	mv.Trend = newChart(def, m.Trend)
	mv.Trend.Points = points
	for _, p := range m.Quarters {
		mv.Quarters = append(mv.Quarters, pointView{Period: p.Period.String(), Value: cellFigure(p.Value), Status: statusOf(p.Status)})
	}
	for _, b := range m.Breakdowns {
		bv := breakdownView{Name: report.BreakdownNames[b.Name]}
		for _, row := range b.Rows {
			bv.Rows = append(bv.Rows, breakdownRow{Value: row.Value, Figure: cellFigure(row.Figure),
				Numerator: countWords(row.Numerator), Denominator: countWords(row.Denominator), Status: statusOf(row.Status)})
		}
		if len(bv.Rows) > 0 {
			mv.Breakdowns = append(mv.Breakdowns, bv)
		}
	}
	return mv
}

// easyReadView is the easy-read summary: one sentence a commitment.
type easyReadView struct {
	Chrome   Chrome
	Year     string
	Long     string
	AsOf     calendar.Date
	Complete bool
	Links    reportLinks
	Sections []reportSection
}

func newEasyReadView(rep *app.Report, links reportLinks) easyReadView {
	v := newReportView(rep, links)
	return easyReadView{Year: v.Year, Long: v.Long, AsOf: v.AsOf, Complete: v.Complete, Links: links, Sections: v.Sections}
}

// reportYearView is the list of years with a report.
type reportYearView struct {
	Chrome Chrome
	Years  []reportYear
}

type reportYear struct {
	Period, Long, URL string
	SoFar             bool // the year is not over
}

// chartView is a measure's trend: an inline SVG bar chart for those who
// can see it, and a table with the same figures, which screen readers use.
type chartView struct {
	SVG    template.HTML
	Points []pointView
}
