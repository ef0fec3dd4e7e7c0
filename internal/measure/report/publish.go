package report

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charter-service/charter/internal/disclosure"
	"github.com/charter-service/charter/internal/measure"
)

// publish fills in a measure's figures from its raw result, each through
// the release.
func (m *Measure) publish(in Input, rel *disclosure.Release, res *measure.Result) {
	def := m.Def
	cells := slices.Collect(mapKeys(res.Cells))
	slices.SortFunc(cells, func(a, b measure.Cell) int {
		if c := a.Period.Compare(b.Period); c != 0 {
			return c
		}
		if c := strings.Compare(a.Breakdown, b.Breakdown); c != 0 {
			return c
		}
		return compareValues(a.Breakdown, a.Value, b.Value)
	})
	figures := map[measure.Cell]Figure{}
	for _, c := range cells {
		figures[c] = figure(rel, def, res, c, res.Cells[c])
	}
	for _, c := range cells {
		prev := c
		prev.Period = c.Period.Previous()
		pc := Cell{Breakdown: c.Breakdown, Value: c.Value, Label: label(in, c.Breakdown, c.Value), Period: c.Period,
			Figure: figures[c], Status: StatusOf(def, figures[c], figures[prev])}
		year := c.Period.FinancialYear()
		if res.NumeratorFrame != "" {
			pc.Numerator = rel.Count(tableID(res.NumeratorFrame, year), dcell(c))
		}
		if res.DenominatorFrame != "" {
			pc.Denominator = rel.Count(tableID(res.DenominatorFrame, year), dcell(c))
		}
		m.Cells = append(m.Cells, pc)
	}
	for _, c := range m.Cells {
		switch {
		case c.Breakdown == "" && c.Period == in.Year:
			m.Value, m.Numerator, m.Denominator, m.Status = c.Figure, c.Numerator, c.Denominator, c.Status
		case c.Breakdown == "" && c.Period.IsQuarter() && c.Period.FinancialYear() == in.Year:
			m.Quarters = append(m.Quarters, Point{c.Period, c.Figure, c.Status})
		}
	}
	for _, p := range in.Year.Trend(max(in.Trend, 1)) {
		for _, c := range m.Cells {
			if c.Breakdown == "" && c.Period == p {
				m.Trend = append(m.Trend, Point{p, c.Figure, c.Status})
			}
		}
	}
	for _, b := range def.Breakdowns {
		if b == measure.ByPeriod {
			continue
		}
		bd := Breakdown{Name: b}
		for _, c := range m.Cells {
			if c.Breakdown == b && c.Period == in.Year {
				bd.Rows = append(bd.Rows, Row{Value: c.Label, Figure: c.Figure, Numerator: c.Numerator, Denominator: c.Denominator, Status: c.Status})
			}
		}
		m.Breakdowns = append(m.Breakdowns, bd)
	}
}

// figure releases a measure's number in one cell.
func figure(rel *disclosure.Release, def *measure.Measure, res *measure.Result, c measure.Cell, raw measure.Raw) Figure {
	year := c.Period.FinancialYear()
	num, den := tableID(res.NumeratorFrame, year), tableID(res.DenominatorFrame, year)
	switch def.Computation.Kind {
	case measure.KindCount, measure.KindFeedback, measure.KindComplaints:
		return Figure{kind: countFigure, count: rel.Count(num, dcell(c))}
	case measure.KindShare, measure.KindAgree:
		return Figure{kind: ratioFigure, ratio: rel.Ratio(num, den, dcell(c), 100)}
	case measure.KindRate:
		return Figure{kind: ratioFigure, ratio: rel.Ratio(num, den, dcell(c), int64(def.Computation.Per))}
	case measure.KindMedian, measure.KindPercentile:
		v := raw.Value
		if !raw.OK {
			v = math.NaN()
		}
		return Figure{kind: statFigure, stat: rel.Statistic(den, dcell(c), v)}
	}
	return Figure{}
}

// BreakdownNames are the breakdowns as a report heads them.
var BreakdownNames = map[string]string{
	measure.ByBenefit:    "Benefit",
	measure.ByArea:       "Council area",
	measure.ByAgeBand:    "Age",
	measure.ByChannel:    "How they applied",
	measure.ByRespondent: "Who answered",
	measure.ByPeriod:     "Quarter",
}

// label is a breakdown value as people read it.
func label(in Input, breakdown, value string) string {
	if breakdown == measure.ByBenefit && in.Benefits != nil {
		if b, ok := in.Benefits.Benefit(value); ok {
			return b.Name
		}
	}
	if breakdown == measure.ByArea && value != measure.NotRecorded {
		return value
	}
	r, size := utf8.DecodeRuneInString(value)
	return string(unicode.ToUpper(r)) + value[size:]
}

// compareValues orders breakdown values: age bands youngest first, others
// alphabetically, "not recorded" last.
func compareValues(breakdown, a, b string) int {
	switch {
	case a == b:
		return 0
	case a == measure.NotRecorded:
		return 1
	case b == measure.NotRecorded:
		return -1
	case breakdown == measure.ByAgeBand:
		return slices.Index(measure.AgeBands, a) - slices.Index(measure.AgeBands, b)
	}
	return strings.Compare(a, b)
}
