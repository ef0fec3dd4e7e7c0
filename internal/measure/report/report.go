package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/disclosure"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
)

// Input is everything a report is built from.
type Input struct {
	Charter  *charter.Charter
	Benefits *charter.Catalogue // optional: benefit names for breakdowns
	Set      *measure.Set
	// Results are the raw figures, computed with measure.ReportPlan for
	// Year, so that they hold its trend years and quarters.
	Results    *measure.Results
	Year       measure.Period
	Trend      int               // years in each measure's trend, Year included
	Narratives map[string]string // by measure id: what the figures mean and why
	Actions    []Action
	YouSaid    []YouSaidWeDid
	Evidence   []Evidence
}

// Report is a year's charter report: sections, then commitments, then the
// measures that evidence them, every number released by disclosure control.
type Report struct {
	Year     measure.Period
	Charter  string // the charter's version
	Sections []Section
	// WithoutAction are the measures that missed their target with no open
	// improvement action: they go at the top of the report.
	WithoutAction []*Measure
	Measures      []*Measure // every measure, in the file's order
	Actions       []Action   // the improvement plan
	YouSaid       []YouSaidWeDid
	// Unmeasured are the charter's commitments no measure evidences.
	Unmeasured []string
}

// Section is a charter section with its commitments.
type Section struct {
	Number      int
	Title       string
	Descriptor  string
	Commitments []*Commitment
}

// Commitment is one commitment with its measures and everything linked to it.
type Commitment struct {
	ID       string
	Text     string
	Measures []*Measure
	Evidence []Evidence
	Actions  []Action
	YouSaid  []YouSaidWeDid
	// EasyRead is one plain sentence on how we did: the easy-read summary.
	EasyRead string
}

// Measure is one measure in the report.
type Measure struct {
	Def *measure.Measure
	// Value is the figure for everyone in the report year; Numerator and
	// Denominator are the counts behind it (when the measure has them).
	Value                  Figure
	Numerator, Denominator disclosure.Count
	Status                 Status
	Trend                  []Point // the report year and the years before it, oldest first
	Quarters               []Point // the report year's quarters, when broken down by period
	Breakdowns             []Breakdown
	Narrative              string
	Actions                []Action // every action linked to it or its commitments
	// Cells holds every published figure of the measure: each breakdown
	// value in each period computed. measures.csv is made from it.
	Cells []Cell
}

// Point is a measure's figure in one period.
type Point struct {
	Period measure.Period
	Value  Figure
	Status Status
}

// Breakdown is a measure's figures in the report year for each value of
// one breakdown.
type Breakdown struct {
	Name string // "area"
	Rows []Row
}

// Row is one value of a breakdown.
type Row struct {
	Value                  string // as people read it: "Fife", "Adult Disability Payment"
	Figure                 Figure
	Numerator, Denominator disclosure.Count
	Status                 Status
}

// Cell is a measure's published figure in one cell.
type Cell struct {
	Breakdown              string // "" for everyone
	Value                  string // the breakdown value as computed ("adult-disability-payment")
	Label                  string // as people read it
	Period                 measure.Period
	Figure                 Figure
	Numerator, Denominator disclosure.Count
	Status                 Status
}

// Build builds the report model. It protects every figure with
// internal/disclosure first, so that the model holds nothing else.
func Build(in Input) (*Report, error) {
	switch {
	case in.Charter == nil || in.Set == nil || in.Results == nil:
		return nil, errs.Invalid("report", "a report needs the charter, the measures and their results")
	case in.Year.IsZero() || in.Year.IsQuarter():
		return nil, errs.Invalid("period", "a report is for a financial year, such as 2025-26")
	case !slices.Contains(in.Results.Plan.Periods, in.Year):
		return nil, errs.Invalid("period", "the results do not cover %s: compute them with its report plan", in.Year)
	}
	rel, err := protect(in.Results)
	if err != nil {
		return nil, err
	}
	rep := &Report{Year: in.Year, Charter: in.Charter.Version, Actions: in.Actions, YouSaid: in.YouSaid}
	byID := map[string]*Measure{}
	for _, def := range in.Set.Measures {
		m := &Measure{Def: def, Narrative: in.Narratives[def.ID]}
		if res, ok := in.Results.Result(def.ID); ok {
			m.publish(in, rel, res)
		}
		m.Actions = actionsFor(def, in.Actions)
		rep.Measures = append(rep.Measures, m)
		byID[def.ID] = m
		if m.Status.Missed() && !slices.ContainsFunc(m.Actions, func(a Action) bool { return a.Status.Open() }) {
			rep.WithoutAction = append(rep.WithoutAction, m)
		}
	}
	for _, s := range in.Charter.Sections {
		sec := Section{Number: s.Number, Title: s.Title, Descriptor: s.Descriptor}
		for _, c := range s.Commitments {
			cr := &Commitment{ID: c.ID, Text: c.Text}
			for _, def := range in.Set.ForCommitment(c.ID) {
				cr.Measures = append(cr.Measures, byID[def.ID])
			}
			for _, e := range in.Evidence {
				if e.Commitment == c.ID {
					cr.Evidence = append(cr.Evidence, e)
				}
			}
			for _, a := range in.Actions {
				if slices.Contains(a.Commitments, c.ID) {
					cr.Actions = append(cr.Actions, a)
				}
			}
			for _, y := range in.YouSaid {
				if linksTo(y, c.ID, in) {
					cr.YouSaid = append(cr.YouSaid, y)
				}
			}
			cr.EasyRead = easyRead(cr)
			if len(cr.Measures) == 0 {
				rep.Unmeasured = append(rep.Unmeasured, c.ID)
			}
			sec.Commitments = append(sec.Commitments, cr)
		}
		rep.Sections = append(rep.Sections, sec)
	}
	return rep, nil
}

// linksTo reports whether a "you said, we did" entry is about a commitment:
// directly, through a measure of it, or through an action linked to it.
func linksTo(y YouSaidWeDid, commitment string, in Input) bool {
	if slices.Contains(y.Commitments, commitment) {
		return true
	}
	for _, id := range y.Measures {
		if m, ok := in.Set.Measure(id); ok && slices.Contains(m.Commitments, commitment) {
			return true
		}
	}
	for _, a := range in.Actions {
		if slices.Contains(y.Actions, a.ID) && slices.Contains(a.Commitments, commitment) {
			return true
		}
	}
	return false
}

// actionsFor lists the actions linked to a measure or to a commitment it
// evidences.
func actionsFor(def *measure.Measure, actions []Action) []Action {
	var out []Action
	for _, a := range actions {
		if slices.Contains(a.Measures, def.ID) || slices.ContainsFunc(a.Commitments, func(c string) bool { return slices.Contains(def.Commitments, c) }) {
			out = append(out, a)
		}
	}
	return out
}

// tableID names the disclosure table of a frame in a financial year.
func tableID(frame string, year measure.Period) string { return frame + " | " + year.String() }

func dcell(c measure.Cell) disclosure.Cell {
	return disclosure.Cell{Breakdown: c.Breakdown, Value: c.Value, Period: c.Period.String()}
}

// protect turns every frame into one table per financial year (with its
// quarters, where they add up to it) and protects them together.
func protect(rs *measure.Results) (*disclosure.Release, error) {
	var tables []disclosure.Table
	years := map[measure.Period]bool{}
	for _, p := range rs.Plan.Periods {
		years[p.FinancialYear()] = true
	}
	for _, key := range slices.Sorted(mapKeys(rs.Frames)) {
		f := rs.Frames[key]
		for _, y := range slices.SortedFunc(mapKeys(years), measure.Period.Compare) {
			t := disclosure.Table{ID: tableID(key, y), Counts: map[disclosure.Cell]int64{}}
			if f.AddsUpByQuarter() && slices.Contains(rs.Plan.Periods, y.Quarters()[0]) {
				var qs []string
				for _, q := range y.Quarters() {
					qs = append(qs, q.String())
				}
				t.Parts = map[string][]string{y.String(): qs}
			}
			for c, n := range f.Cells {
				if c.Period.FinancialYear() != y || (c.Period.IsQuarter() && t.Parts == nil) {
					continue
				}
				t.Counts[dcell(c)] = n
			}
			tables = append(tables, t)
		}
	}
	var pairs []disclosure.Pair
	seen := map[disclosure.Pair]bool{}
	for _, r := range rs.Measures {
		if r.NumeratorFrame == "" || r.DenominatorFrame == "" {
			continue
		}
		for y := range years {
			p := disclosure.Pair{Numerator: tableID(r.NumeratorFrame, y), Denominator: tableID(r.DenominatorFrame, y), Part: r.Subset()}
			if !seen[p] {
				seen[p] = true
				pairs = append(pairs, p)
			}
		}
	}
	slices.SortFunc(pairs, func(a, b disclosure.Pair) int {
		return cmp.Or(strings.Compare(a.Numerator, b.Numerator), strings.Compare(a.Denominator, b.Denominator))
	})
	rel, err := disclosure.Protect(tables, pairs)
	if err != nil {
		return nil, fmt.Errorf("protecting the figures: %w", err)
	}
	return rel, nil
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
