package measure

import (
	"slices"

	"github.com/charter-service/charter/internal/errs"
)

// Refreshed returns the results rs with the figures of newer's periods
// taken from newer, and newer's AsOf: how a report refreshes its current
// year (computed with RefreshPlan, reading only that year's facts)
// without computing the years of its trend again. Both must be results of
// the same set, and newer's periods must all be in rs's plan. Neither is
// changed.
func (rs *Results) Refreshed(newer *Results) (*Results, error) {
	for _, p := range newer.Plan.Periods {
		if !slices.Contains(rs.Plan.Periods, p) {
			return nil, errs.Invalid("periods", "the refreshed figures are for %s, which the report does not cover", p)
		}
	}
	if len(rs.Measures) != len(newer.Measures) {
		return nil, errs.Invalid("measures", "the refreshed figures are of other measures")
	}
	replaced := func(p Period) bool { return slices.Contains(newer.Plan.Periods, p) }
	out := &Results{Plan: rs.Plan, Frames: map[string]*Frame{}}
	out.Plan.Periods = slices.Clone(rs.Plan.Periods)
	out.Plan.AsOf = newer.Plan.AsOf
	for key, f := range rs.Frames {
		nf := &Frame{Key: f.Key, Source: f.Source, Cells: map[Cell]int64{}}
		for c, n := range f.Cells {
			if !replaced(c.Period) {
				nf.Cells[c] = n
			}
		}
		out.Frames[key] = nf
	}
	for key, f := range newer.Frames {
		nf, ok := out.Frames[key]
		if !ok {
			nf = &Frame{Key: f.Key, Source: f.Source, Cells: map[Cell]int64{}}
			out.Frames[key] = nf
		}
		for c, n := range f.Cells {
			nf.Cells[c] = n
		}
	}
	for i, r := range rs.Measures {
		nr := newer.Measures[i]
		if nr.Measure.ID != r.Measure.ID {
			return nil, errs.Invalid("measures", "the refreshed figures are of other measures: %s is where %s was", nr.Measure, r.Measure)
		}
		m := &Result{Measure: r.Measure, NumeratorFrame: r.NumeratorFrame, DenominatorFrame: r.DenominatorFrame, Cells: map[Cell]Raw{}}
		for c, raw := range r.Cells {
			if !replaced(c.Period) {
				m.Cells[c] = raw
			}
		}
		for c, raw := range nr.Cells {
			m.Cells[c] = raw
		}
		out.Measures = append(out.Measures, m)
	}
	return out, nil
}
