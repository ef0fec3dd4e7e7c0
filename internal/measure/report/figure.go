package report

import (
	"github.com/charter-service/charter/internal/disclosure"
	"github.com/charter-service/charter/internal/measure"
)

// Figure is a measure's published number in one cell: a count, a ratio (a
// percentage or a rate) or a statistic (a median or percentile), as
// disclosure control released it. Its fields are unexported: a Figure can
// only hold a value a disclosure.Release made.
type Figure struct {
	kind  figureKind
	count disclosure.Count
	ratio disclosure.Ratio
	stat  disclosure.Statistic
}

type figureKind int

const (
	noFigure figureKind = iota
	countFigure
	ratioFigure
	statFigure
)

// State says whether the figure is shown, suppressed, or missing.
func (f Figure) State() disclosure.State {
	switch f.kind {
	case countFigure:
		return f.count.State()
	case ratioFigure:
		return f.ratio.State()
	case statFigure:
		return f.stat.State()
	}
	return disclosure.NoData
}

// Value is the published number and whether it is shown.
func (f Figure) Value() (float64, bool) {
	switch f.kind {
	case countFigure:
		n, ok := f.count.Value()
		return float64(n), ok
	case ratioFigure:
		return f.ratio.Value()
	case statFigure:
		return f.stat.Value()
	}
	return 0, false
}

// String writes the figure as published: "92.3", "1,235", "[c]", or "".
func (f Figure) String() string {
	switch f.kind {
	case countFigure:
		return f.count.String()
	case ratioFigure:
		return f.ratio.String()
	case statFigure:
		return f.stat.String()
	}
	return ""
}

// Status is how a measure did against its target in a period.
type Status string

const (
	Met       Status = "met"
	NotMet    Status = "not met"
	Improving Status = "improving" // not met, but better than the period before
	NoData    Status = "no data"
	TooFew    Status = "too few to report" // suppressed
	NoTarget  Status = ""                  // an evidence measure: words, not a number
)

// StatusOf is a measure's status given its published figure in a period
// and in the period before (a Figure with no data when there is none).
// Published figures are compared, so that the status agrees with what a
// reader sees: 89.96% is published as 90.0% and meets a target of 90.
func StatusOf(m *measure.Measure, now, before Figure) Status {
	if !m.HasTarget() {
		return NoTarget
	}
	switch now.State() {
	case disclosure.Suppressed:
		return TooFew
	case disclosure.NoData:
		return NoData
	}
	v, _ := now.Value()
	if meets(m, v) {
		return Met
	}
	if b, ok := before.Value(); ok && better(m, v, b) {
		return Improving
	}
	return NotMet
}

func meets(m *measure.Measure, v float64) bool {
	if m.Better == measure.LowerIsBetter {
		return v <= m.Target
	}
	return v >= m.Target
}

func better(m *measure.Measure, now, before float64) bool {
	if m.Better == measure.LowerIsBetter {
		return now < before
	}
	return now > before
}

// Missed reports whether a status falls short of the target: not met, or
// improving but not there yet.
func (s Status) Missed() bool { return s == NotMet || s == Improving }

// MarshalJSON writes the figure as a number, "[c]" or null, for report.json.
func (f Figure) MarshalJSON() ([]byte, error) {
	switch f.kind {
	case countFigure:
		return f.count.MarshalJSON()
	case ratioFigure:
		return f.ratio.MarshalJSON()
	case statFigure:
		return f.stat.MarshalJSON()
	}
	return []byte("null"), nil
}
