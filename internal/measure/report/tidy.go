package report

import (
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/disclosure"
)

// TidyHeader names the columns of measures.csv, in order.
var TidyHeader = []string{"measure", "commitments", "breakdown", "breakdown_value", "period",
	"numerator", "denominator", "value", "unit", "target", "better", "status", "suppressed"}

// TidyRow is one row of measures.csv: one measure's figure for one value
// of one breakdown in one period. Every number in it was released by
// disclosure control: counts rounded to the nearest 5, [c] for suppressed,
// empty for none.
type TidyRow struct {
	Measure        string
	Commitments    string // ids separated by semicolons
	Breakdown      string // "all" for everyone
	BreakdownValue string // "all" for everyone
	Period         string // "2025-26" or "2025-26 Q1"
	Numerator      string
	Denominator    string
	Value          string
	Unit           string
	Target         string
	Better         string
	Status         string
	Suppressed     bool
}

// Record is the row as CSV fields, in TidyHeader's order. Numbers are
// written without thousands separators.
func (r TidyRow) Record() []string {
	sup := "no"
	if r.Suppressed {
		sup = "yes"
	}
	return []string{r.Measure, r.Commitments, r.Breakdown, r.BreakdownValue, r.Period,
		r.Numerator, r.Denominator, r.Value, r.Unit, r.Target, r.Better, r.Status, sup}
}

// TidyRows lists every published figure of every measure in the report,
// measure by measure in the file's order, then by period, breakdown and
// value.
func TidyRows(rep *Report) []TidyRow {
	var out []TidyRow
	for _, m := range rep.Measures {
		def := m.Def
		for _, c := range m.Cells {
			row := TidyRow{
				Measure: def.ID, Commitments: strings.Join(def.Commitments, ";"),
				Breakdown: "all", BreakdownValue: "all", Period: c.Period.String(),
				Numerator: plainCount(c.Numerator), Denominator: plainCount(c.Denominator), Value: plainFigure(c.Figure),
				Unit: def.Unit, Target: strconv.FormatFloat(def.Target, 'f', -1, 64), Better: string(def.Better),
				Status: string(c.Status), Suppressed: c.Figure.State() == disclosure.Suppressed,
			}
			if c.Breakdown != "" {
				row.Breakdown, row.BreakdownValue = c.Breakdown, c.Label
			}
			out = append(out, row)
		}
	}
	return out
}

func plainCount(c disclosure.Count) string {
	if n, ok := c.Value(); ok {
		return strconv.FormatInt(n, 10)
	}
	return c.String() // [c] or nothing
}

func plainFigure(f Figure) string {
	v, ok := f.Value()
	switch {
	case !ok:
		return f.String()
	case f.kind == countFigure:
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
