package measure

import (
	"slices"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
)

// FeedbackCount is how many pieces of feedback (or complaints) about one
// commitment arrived on one day: a store can count them with GROUP BY.
type FeedbackCount struct {
	Commitment string
	On         calendar.Date
	Complaint  bool // a complaint is feedback too: a feedback measure counts both
	Count      int64
}

// AddSurvey counts survey responses for the agree measures. Responses
// count in their financial year (surveys are reported by year); years not
// in the plan are skipped.
func (e *Engine) AddSurvey(rs []Response) {
	for _, m := range e.set.Measures {
		if m.Computation.Kind != KindAgree {
			continue
		}
		answered, agreed := e.surveyFrames(m)
		byRespondent := slices.Contains(m.Breakdowns, ByRespondent)
		for _, r := range rs {
			y := r.Year()
			if !slices.Contains(e.plan.Periods, y) {
				continue
			}
			if len(m.Computation.Respondents) > 0 && !slices.Contains(m.Computation.Respondents, r.Respondent) {
				continue
			}
			a, ok := r.Answers[m.Computation.Question]
			if !ok {
				continue
			}
			cells := []Cell{{Period: y}}
			if byRespondent {
				who := r.Respondent
				if who == "" {
					who = NotRecorded
				}
				cells = append(cells, Cell{Breakdown: ByRespondent, Value: who, Period: y})
			}
			for _, c := range cells {
				answered.Cells[c]++
				if a >= 4 {
					agreed.Cells[c]++
				}
			}
		}
	}
}

func (e *Engine) surveyFrames(m *Measure) (answered, agreed *Frame) {
	c := m.Computation
	who := "all respondents"
	if len(c.Respondents) > 0 {
		rs := slices.Sorted(slices.Values(c.Respondents))
		who = strings.Join(rs, ", ")
	}
	by := ""
	if slices.Contains(m.Breakdowns, ByRespondent) {
		by = " by respondent"
	}
	get := func(key string) *Frame {
		f, ok := e.survey[key]
		if !ok {
			f = &Frame{Key: key, Source: SourceSurvey, Cells: map[Cell]int64{}}
			e.survey[key] = f
		}
		return f
	}
	q := " to " + c.Question + " from " + who + by
	return get("survey: answers" + q), get("survey: agreeing answers" + q)
}

// AddFeedback counts feedback for the feedback and complaints measures.
func (e *Engine) AddFeedback(fs []FeedbackCount) {
	for _, m := range e.set.Measures {
		k := m.Computation.Kind
		if k != KindFeedback && k != KindComplaints {
			continue
		}
		f := e.feedbackFrame(m)
		for _, fc := range fs {
			if fc.Count <= 0 || !slices.Contains(m.Commitments, fc.Commitment) || (k == KindComplaints && !fc.Complaint) {
				continue
			}
			y, q, ok := e.periods(int64(fc.On))
			if !ok {
				continue
			}
			for _, p := range [2]int16{y, q} {
				if p >= 0 {
					f.Cells[Cell{Period: e.plan.Periods[p]}] += fc.Count
				}
			}
		}
	}
}

func (e *Engine) feedbackFrame(m *Measure) *Frame {
	what := "feedback"
	if m.Computation.Kind == KindComplaints {
		what = "complaints"
	}
	key := "feedback: " + what + " about " + strings.Join(slices.Sorted(slices.Values(m.Commitments)), ", ")
	f, ok := e.feedback[key]
	if !ok {
		f = &Frame{Key: key, Source: SourceFeedback, Cells: map[Cell]int64{}}
		e.feedback[key] = f
	}
	return f
}

// Results returns the raw figures of everything added so far.
func (e *Engine) Results() *Results {
	rs := &Results{Plan: e.plan, Frames: map[string]*Frame{}}
	for _, fa := range e.frames {
		rs.Frames[fa.def.key] = fa.frame(e)
	}
	for k, f := range e.survey {
		rs.Frames[k] = f
	}
	for k, f := range e.feedback {
		rs.Frames[k] = f
	}
	for _, m := range e.set.Measures {
		if r := e.result(rs, m); r != nil {
			rs.Measures = append(rs.Measures, r)
		}
	}
	return rs
}

func (fa *frameAcc) frame(e *Engine) *Frame {
	f := &Frame{Key: fa.def.key, Source: SourceEvents, Cells: map[Cell]int64{}}
	for p, byDim := range fa.cells {
		if byDim == nil {
			continue
		}
		period := e.plan.Periods[p]
		if n := byDim[0][0]; n != 0 {
			f.Cells[Cell{Period: period}] = n
		}
		for k, d := range fa.dims {
			for v, n := range byDim[1+k] {
				if n != 0 {
					f.Cells[Cell{Breakdown: dims[d].name, Value: e.values[d].names[v], Period: period}] = n
				}
			}
		}
	}
	return f
}

// periodsFor are the plan's periods a measure is shown for: quarters only
// when it is broken down by period.
func (e *Engine) periodsFor(m *Measure) []Period {
	var out []Period
	for _, p := range e.plan.Periods {
		if !p.IsQuarter() || m.Quarterly() {
			out = append(out, p)
		}
	}
	return out
}

func (e *Engine) result(rs *Results, m *Measure) *Result {
	r := &Result{Measure: m, Cells: map[Cell]Raw{}}
	c := m.Computation
	switch m.Source {
	case SourceEvidence:
		return nil
	case SourceEvents:
		switch c.Kind {
		case KindCount:
			r.NumeratorFrame = m.counts.base.key
		case KindMedian, KindPercentile:
			r.DenominatorFrame = m.counts.base.key
		default:
			r.NumeratorFrame, r.DenominatorFrame = m.counts.num.key, m.counts.base.key
		}
	case SourceSurvey:
		answered, agreed := e.surveyFrames(m)
		r.NumeratorFrame, r.DenominatorFrame = agreed.Key, answered.Key
	case SourceFeedback:
		r.NumeratorFrame = e.feedbackFrame(m).Key
	}
	num, den := rs.Frames[r.NumeratorFrame], rs.Frames[r.DenominatorFrame]
	var stat *statAcc
	for _, s := range e.stats {
		if m.counts.base != nil && s.group.def.key == m.counts.base.key && s.value.Name == c.Value {
			stat = s
		}
	}
	for _, cell := range e.cellsOf(m, num, den) {
		var raw Raw
		if num != nil {
			raw.Numerator = num.Cells[cell]
		}
		if den != nil {
			raw.Denominator = den.Cells[cell]
		}
		switch c.Kind {
		case KindCount, KindFeedback, KindComplaints:
			raw.Value, raw.OK = float64(raw.Numerator), true
		case KindShare, KindAgree:
			if raw.Denominator > 0 {
				raw.Value, raw.OK = 100*float64(raw.Numerator)/float64(raw.Denominator), true
			}
		case KindRate:
			if raw.Denominator > 0 {
				raw.Value, raw.OK = float64(c.Per)*float64(raw.Numerator)/float64(raw.Denominator), true
			}
		case KindMedian, KindPercentile:
			if h := e.histogramOf(stat, cell); h != nil && h.n > 0 {
				p := 50.0
				if c.Kind == KindPercentile {
					p = float64(c.Percentile)
				}
				raw.Value, raw.OK = h.quantile(p), true
			}
		}
		r.Cells[cell] = raw
	}
	return r
}

// cellsOf lists a measure's cells: everyone in each of its periods, and
// each value of each of its breakdowns seen in the period.
func (e *Engine) cellsOf(m *Measure, frames ...*Frame) []Cell {
	var out []Cell
	seen := map[Cell]bool{}
	for _, p := range e.periodsFor(m) {
		out = append(out, Cell{Period: p})
		seen[Cell{Period: p}] = true
	}
	for _, f := range frames {
		if f == nil {
			continue
		}
		for c := range f.Cells {
			if c.Breakdown != "" && slices.Contains(m.Breakdowns, c.Breakdown) && (!c.Period.IsQuarter() || m.Quarterly()) && !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, func(a, b Cell) int {
		if c := a.Period.Compare(b.Period); c != 0 {
			return c
		}
		if a.Breakdown != b.Breakdown {
			return strings.Compare(a.Breakdown, b.Breakdown)
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}

func (e *Engine) histogramOf(s *statAcc, c Cell) *histogram {
	if s == nil {
		return nil
	}
	p := slices.Index(e.plan.Periods, c.Period)
	if p < 0 || s.hists[p] == nil {
		return nil
	}
	if c.Breakdown == "" {
		if len(s.hists[p][0]) == 0 {
			return nil
		}
		return s.hists[p][0][0]
	}
	for k, d := range s.group.dims {
		if dims[d].name != c.Breakdown {
			continue
		}
		i, ok := e.values[d].index[c.Value]
		if !ok || int(i) >= len(s.hists[p][1+k]) {
			return nil
		}
		return s.hists[p][1+k][i]
	}
	return nil
}
