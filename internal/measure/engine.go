package measure

import (
	"fmt"
	"iter"
	"slices"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// Plan says which periods to compute.
type Plan struct {
	// Periods are financial years and quarters. A quarter needs its year
	// and the year's other quarters in the plan too, so that the figures of
	// a year can be protected together (see internal/disclosure).
	Periods []Period
	// AsOf, if set, is the last day facts count up to: a date after it has
	// not happened yet (a re-determination deadline still to come, say).
	AsOf calendar.Date
}

// ReportPlan is the plan for a year's report: the year and the trend years
// before it (trend periods in all, the year included), and the year's
// quarters.
func ReportPlan(year Period, trend int, asOf calendar.Date) Plan {
	year = year.FinancialYear()
	p := Plan{Periods: year.Trend(max(trend, 1)), AsOf: asOf}
	p.Periods = append(p.Periods, year.Quarters()...)
	return p
}

// RefreshPlan is the cheapest plan that covers period p: the financial
// year it is in, with its quarters. The year after one more day of events
// is refreshed with it, streaming only the facts of that year.
func RefreshPlan(p Period, asOf calendar.Date) Plan {
	y := p.FinancialYear()
	return Plan{Periods: append([]Period{y}, y.Quarters()...), AsOf: asOf}
}

// Dates is the first and last day of the plan's periods (the last no
// later than AsOf, when set): a row of facts whose counted-on dates (see
// Set.CountedOn) all fall outside it counts for nothing.
func (p Plan) Dates() (first, last calendar.Date) {
	for i, q := range p.Periods {
		if i == 0 || q.First() < first {
			first = q.First()
		}
		last = max(last, q.Last())
	}
	if p.AsOf != 0 {
		last = min(last, p.AsOf)
	}
	return first, last
}

// days gives, for each day from the first of the plan's periods to the
// last (AsOf aside), the indices of the year and the quarter of the plan
// it falls in (-1: none), and the first day.
func (p Plan) days() (first calendar.Date, days [][2]int16) {
	first, last := p.Periods[0].First(), p.Periods[0].Last()
	for _, q := range p.Periods {
		first, last = min(first, q.First()), max(last, q.Last())
	}
	days = make([][2]int16, int(last-first)+1)
	for i := range days {
		days[i] = [2]int16{-1, -1}
	}
	for pi, q := range p.Periods {
		slot := 0
		if q.IsQuarter() {
			slot = 1
		}
		for d := q.First(); !d.After(q.Last()); d++ {
			days[d-first][slot] = int16(pi)
		}
	}
	return first, days
}

// Check reports a plan a report could not protect: a quarter without its
// whole year.
func (p Plan) Check() error {
	if len(p.Periods) == 0 {
		return errs.Invalid("periods", "say which periods to compute")
	}
	for i, q := range p.Periods {
		if q.IsZero() {
			return errs.Invalid("periods", "a period is missing")
		}
		if slices.Contains(p.Periods[:i], q) {
			return errs.Invalid("periods", "the plan has %s twice", q)
		}
		if !q.IsQuarter() {
			continue
		}
		for _, need := range append([]Period{q.FinancialYear()}, q.Quarters()...) {
			if !slices.Contains(p.Periods, need) {
				return errs.Invalid("periods", "the plan has %s but not %s: a quarter's year and all its quarters are computed together", q, need)
			}
		}
	}
	return nil
}

// Cell names one figure: a breakdown ("" for everyone), its value ("" for
// everyone) and a period.
type Cell struct {
	Breakdown string
	Value     string
	Period    Period
}

// NotRecorded is the breakdown value of applications that do not record it.
const NotRecorded = "not recorded"

// Raw is one measure's figure in one cell, before disclosure control:
// never publish it as it is.
type Raw struct {
	Numerator   int64   // count, share, rate, agree, feedback: the count
	Denominator int64   // share, rate, agree: the count divided by; median, percentile: how many values
	Value       float64 // the measure's number, unrounded
	OK          bool    // there is a number (a denominator or group that is not empty)
}

// Frame is one count (a compiled Count, or a survey or feedback count) by
// cell. Measures that count the same thing share a frame.
type Frame struct {
	Key    string
	Source Source         // events, survey or feedback
	Cells  map[Cell]int64 // cells with nothing in them are left out
}

// AddsUpByQuarter reports whether the frame's quarters add up to its year,
// for the years whose quarters the plan has: true of events and feedback,
// which are dated; survey responses count by year only.
func (f *Frame) AddsUpByQuarter() bool { return f.Source != SourceSurvey }

// Result is one measure's raw figures.
type Result struct {
	Measure *Measure
	// NumeratorFrame and DenominatorFrame are the keys of the frames the
	// measure's figures come from: a count has a numerator only; a median
	// or percentile a denominator only (its group); share, rate and agree
	// both. In a share or agree the numerator counts a part of the
	// denominator.
	NumeratorFrame, DenominatorFrame string
	Cells                            map[Cell]Raw
}

// Subset reports whether the numerator counts a part of the denominator,
// cell by cell (share and agree).
func (r *Result) Subset() bool {
	k := r.Measure.Computation.Kind
	return k == KindShare || k == KindAgree
}

// Results are every measure's raw figures for a plan.
type Results struct {
	Plan     Plan
	Frames   map[string]*Frame
	Measures []*Result // in the set's order; evidence measures have none
}

// Result returns a measure's result.
func (rs *Results) Result(id string) (*Result, bool) {
	for _, r := range rs.Measures {
		if r.Measure.ID == id {
			return r, true
		}
	}
	return nil, false
}

// Compute computes every measure of set for plan in one pass over facts,
// with the survey responses and feedback counts given.
func Compute(set *Set, plan Plan, facts iter.Seq[Facts], survey []Response, feedback []FeedbackCount) (*Results, error) {
	e, err := NewEngine(set, plan)
	if err != nil {
		return nil, err
	}
	for f := range facts {
		if err := e.Add(&f); err != nil {
			return nil, err
		}
	}
	e.AddSurvey(survey)
	e.AddFeedback(feedback)
	return e.Results(), nil
}

// dims are the breakdowns of events measures, in the order Facts holds them.
var dims = []struct {
	name string
	get  func(*Facts) string
}{
	{ByBenefit, func(f *Facts) string { return f.Benefit }},
	{ByArea, func(f *Facts) string { return f.Area }},
	{ByAgeBand, func(f *Facts) string { return f.AgeBand }},
	{ByChannel, func(f *Facts) string { return f.Channel }},
}

// Engine computes events measures one row of facts at a time, with memory
// in proportion to the cells (periods × breakdown values), not the rows:
// counts are kept per cell, and the values of a median or percentile as a
// histogram per cell. It is not safe for concurrent use.
type Engine struct {
	set   *Set
	plan  Plan
	first calendar.Date // the first day of the earliest period
	days  [][2]int16    // period indices (year, quarter; -1 none) by day from first
	asOf  calendar.Date

	frames []*frameAcc
	byKey  map[string]*frameAcc
	stats  []*statAcc
	checks []subsetCheck

	values [4]interner // breakdown values by dimension
	row    [4]int32    // this row's value index in each dimension

	// Worked out once a row rather than once a frame: the distinct dates
	// frames count on, each frame's and statistic's index into them, the
	// row's periods for each, and the dimensions any frame tracks.
	dates      []FactField
	frameDate  []int
	statDate   []int
	rowPeriods [][3]int16 // year, quarter, 1 if the date is in the plan
	usedDims   []int

	survey   map[string]*Frame
	feedback map[string]*Frame
}

// frameAcc accumulates one countDef.
type frameAcc struct {
	def   *countDef
	dims  []int       // dimensions tracked, indices into dims
	cells [][][]int64 // [period][0 = everyone, 1+k = dims[k]][value]
}

// statAcc accumulates the values of a median or percentile.
type statAcc struct {
	group *frameAcc
	value FactField
	hists [][][]*histogram // [period][0 | 1+k][value]
}

// subsetCheck makes sure a share's numerator, summed from a different
// fact, never counts more than its denominator.
type subsetCheck struct {
	m        *Measure
	num, den *countDef
}

type interner struct {
	index map[string]int32
	names []string
	// recent is a small table in front of index, found by a cheap hash of
	// the value: a dimension has a few dozen values, and hashing every
	// row's value for the map cost more than the rest of counting it.
	recent [64]struct {
		s  string
		id int32
	}
}

func (in *interner) id(s string) int32 {
	if s == "" {
		s = NotRecorded
	}
	slot := &in.recent[quickHash(s)&63]
	if slot.s == s {
		return slot.id
	}
	i, ok := in.index[s]
	if !ok {
		if in.index == nil {
			in.index = map[string]int32{}
		}
		i = int32(len(in.names))
		in.index[s] = i
		in.names = append(in.names, s)
	}
	slot.s, slot.id = s, i
	return i
}

// quickHash is a cheap hash of a short value (its length and three of its
// bytes), for small tables that fall back to a map when it collides.
func quickHash(s string) uint {
	n := len(s)
	if n == 0 {
		return 0
	}
	return uint(n)*31 ^ uint(s[0])*7 ^ uint(s[n/2])*3 ^ uint(s[n-1])
}

// NewEngine compiles the events measures of set for plan.
func NewEngine(set *Set, plan Plan) (*Engine, error) {
	if err := plan.Check(); err != nil {
		return nil, err
	}
	e := &Engine{set: set, plan: plan, asOf: plan.AsOf, byKey: map[string]*frameAcc{},
		survey: map[string]*Frame{}, feedback: map[string]*Frame{}}
	e.first, e.days = plan.days()
	for _, m := range set.Measures {
		if m.Source != SourceEvents {
			continue
		}
		mc := m.counts
		if mc.base == nil {
			return nil, fmt.Errorf("%s was not compiled: parse measures with ParseSet", m)
		}
		want := dimIndices(m.Dimensions())
		base := e.frame(mc.base, want)
		if mc.num != nil {
			e.frame(mc.num, want)
		}
		if mc.value != nil && !slices.ContainsFunc(e.stats, func(s *statAcc) bool { return s.group == base && s.value.Name == mc.value.Name }) {
			e.stats = append(e.stats, &statAcc{group: base, value: *mc.value, hists: make([][][]*histogram, len(plan.Periods))})
		}
		c := m.Computation
		if c.Kind == KindShare && c.Numerator.Sum != "" && c.Numerator.Sum != c.Count.Sum {
			e.checks = append(e.checks, subsetCheck{m, mc.num, mc.base})
		}
	}
	// A share's numerator and denominator are broken down alike, so that
	// they can be protected together cell by cell.
	for changed := true; changed; {
		changed = false
		for _, m := range set.Measures {
			if m.Source != SourceEvents || m.Computation.Kind != KindShare {
				continue
			}
			num, den := e.byKey[m.counts.num.key], e.byKey[m.counts.base.key]
			before := len(num.dims) + len(den.dims)
			e.frame(num.def, den.dims)
			e.frame(den.def, num.dims)
			changed = changed || len(num.dims)+len(den.dims) != before
		}
	}
	// A median's histograms track the dimensions its group frame tracks.
	for _, s := range e.stats {
		for p := range s.hists {
			s.hists[p] = make([][]*histogram, 1+len(s.group.dims))
		}
	}
	dateIndex := func(f FactField) int {
		for i, d := range e.dates {
			if d.Name == f.Name {
				return i
			}
		}
		e.dates = append(e.dates, f)
		return len(e.dates) - 1
	}
	for _, fa := range e.frames {
		e.frameDate = append(e.frameDate, dateIndex(fa.def.countedOn))
		for _, d := range fa.dims {
			if !slices.Contains(e.usedDims, d) {
				e.usedDims = append(e.usedDims, d)
			}
		}
	}
	for _, s := range e.stats {
		e.statDate = append(e.statDate, dateIndex(s.group.def.countedOn))
	}
	e.rowPeriods = make([][3]int16, len(e.dates))
	return e, nil
}

func dimIndices(names []string) []int {
	var out []int
	for i, d := range dims {
		if slices.Contains(names, d.name) {
			out = append(out, i)
		}
	}
	return out
}

// frame returns the accumulator of def, tracking at least the given dimensions.
func (e *Engine) frame(def *countDef, want []int) *frameAcc {
	fa, ok := e.byKey[def.key]
	if !ok {
		fa = &frameAcc{def: def}
		e.byKey[def.key] = fa
		e.frames = append(e.frames, fa)
	}
	for _, d := range want {
		if !slices.Contains(fa.dims, d) {
			fa.dims = append(fa.dims, d)
		}
	}
	slices.Sort(fa.dims)
	return fa
}

// periods returns the plan's period indices a date falls in.
func (e *Engine) periods(day int64) (int16, int16, bool) {
	d := calendar.Date(day)
	if day == 0 || (e.asOf != 0 && d > e.asOf) || d < e.first || int(d-e.first) >= len(e.days) {
		return -1, -1, false
	}
	ps := e.days[d-e.first]
	return ps[0], ps[1], ps[0] >= 0 || ps[1] >= 0
}

// inPlan reports whether day falls in one of the plan's periods, AsOf
// aside.
func (e *Engine) inPlan(d calendar.Date) bool {
	return d >= e.first && int(d-e.first) < len(e.days) && e.days[d-e.first] != [2]int16{-1, -1}
}

func (def *countDef) weight(f *Facts) (int64, bool) {
	for i := range def.where {
		if !def.where[i].holds(f) {
			return 0, false
		}
	}
	if def.sum == nil {
		return 1, true
	}
	w := def.sum.num(f)
	return w, w != 0
}

// Add counts one application's facts.
func (e *Engine) Add(f *Facts) error { return e.AddN(f, 1) }

// AddN counts n applications with the same facts, as far as the set's
// measures read them: a store may send a row of facts once for each group
// of rows that are alike (see Set.Grouping) with how many there are.
func (e *Engine) AddN(f *Facts, n int64) error {
	for _, c := range e.checks {
		if num, ok := c.num.weight(f); ok && c.num.countedOn.num(f) != 0 {
			if d, _ := c.den.weight(f); num > d {
				app := ""
				if f.Ref != "" {
					app = " for application " + f.Ref
				}
				return errs.Invalid("measures", "%s: its numerator counts %d%s but its denominator only %d; a share's numerator must count a part of its denominator",
					c.m, num, app, d)
			}
		}
	}
	counted := false
	for i, d := range e.dates {
		y, q, ok := e.periods(d.num(f))
		e.rowPeriods[i] = [3]int16{y, q, 0}
		if ok {
			e.rowPeriods[i][2] = 1
			counted = true
		}
	}
	if !counted {
		return nil // none of its dates is in the plan
	}
	for _, d := range e.usedDims {
		e.row[d] = e.values[d].id(dims[d].get(f))
	}
	for fi, fa := range e.frames {
		rp := e.rowPeriods[e.frameDate[fi]]
		if rp[2] == 0 {
			continue
		}
		y, q := rp[0], rp[1]
		w, ok := fa.def.weight(f)
		if !ok {
			continue
		}
		for _, p := range [2]int16{y, q} {
			if p >= 0 {
				fa.add(e, int(p), w*n)
			}
		}
	}
	for si, s := range e.stats {
		rp := e.rowPeriods[e.statDate[si]]
		if rp[2] == 0 {
			continue
		}
		y, q := rp[0], rp[1]
		if _, ok := s.group.def.weight(f); !ok {
			continue
		}
		v := s.value.num(f)
		for _, p := range [2]int16{y, q} {
			if p >= 0 {
				s.add(e, int(p), v, n)
			}
		}
	}
	return nil
}

func (fa *frameAcc) add(e *Engine, p int, w int64) {
	fa.period(e, p)
	fa.cells[p][0][0] += w
	for k, d := range fa.dims {
		v := int(e.row[d])
		s := fa.cells[p][1+k]
		if v >= len(s) {
			s = append(s, make([]int64, v+1-len(s))...)
			fa.cells[p][1+k] = s
		}
		s[v] += w
	}
}

func (s *statAcc) add(e *Engine, p int, v, n int64) {
	hs := s.hists[p]
	if hs[0] == nil {
		hs[0] = []*histogram{{}}
	}
	hs[0][0].addN(v, n)
	for k, d := range s.group.dims {
		i := int(e.row[d])
		if i >= len(hs[1+k]) {
			hs[1+k] = append(hs[1+k], make([]*histogram, i+1-len(hs[1+k]))...)
		}
		if hs[1+k][i] == nil {
			hs[1+k][i] = &histogram{}
		}
		hs[1+k][i].addN(v, n)
	}
}
