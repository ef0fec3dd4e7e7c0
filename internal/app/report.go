package app

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
	"github.com/charter-service/charter/internal/store"
)

// ReportTrend is how many financial years each measure's trend shows, the
// report's own year included.
const ReportTrend = 5

// Report is a financial year's charter report as published, and what its
// figures cover.
type Report struct {
	*report.Report
	// AsOf is the last day whose events count: yesterday, so that a day's
	// figures do not move while the day goes on.
	AsOf calendar.Date
	// Complete says the year is over (AsOf is on or after its last day);
	// until then its figures are provisional.
	Complete bool
	// WorkedOut is when the figures were first worked out from every
	// application: a report kept in memory is brought up to date each day
	// from that day's changes, and worked out afresh only when the service
	// restarts or the measures, survey or facts change.
	WorkedOut time.Time
}

// reportCache keeps each year's raw figures, so that a report is built
// from them in a moment, and the count behind them, so that a day later it
// is brought up to date from the applications that changed that day.
type reportCache struct {
	mu    sync.Mutex
	gen   uint64 // moved on by forgetReports
	years map[measure.Period]*cachedYear
}

// cachedYear is one year's figures. Its mutex is held while they are
// worked out, so that one request does the work and the others wait.
type cachedYear struct {
	mu        sync.Mutex
	results   *measure.Results
	measures  string // the measures version they are of
	gen       uint64
	workedOut time.Time
	// counted is how the figures were counted, kept when the store could
	// mark the read: then a later day's figures are the same count moved
	// on by the applications that changed.
	counted *counted
}

// counted is an engine that has counted the events measures, the events
// it reflects, and the facts it counted of the applications most likely
// to change or to count differently on a later day, by reference (see
// keeps). Moving it on, their facts as counted come from here; any other
// application's from its events (a page read for each).
type counted struct {
	engine *measure.Engine
	mark   store.FactsMark
	known  map[casework.Reference]*measure.Facts
}

// recentDays: an application with a date in the last 120 days is kept in
// memory as counted. Nearly every application that changes on a given day
// is one (of 1.37 million applications seeded over three years, 152,000
// had a date that recent, and all but 621 of the 77,700 still open).
const recentDays = 120

// keeps reports whether a count kept to be moved on keeps f's facts: those
// with a date e counts on in the last recentDays days before its AsOf, or
// after it (every application whose day can come: measure.Engine.DueBy).
func keeps(e *measure.Engine, f *measure.Facts) bool {
	return !e.Latest(f).Before(e.Plan().AsOf.AddDays(-recentDays))
}

func (c *reportCache) entry(year measure.Period) (*cachedYear, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.years == nil {
		c.years = map[measure.Period]*cachedYear{}
	}
	e, ok := c.years[year]
	if !ok {
		e = &cachedYear{}
		c.years[year] = e
	}
	return e, c.gen
}

// forgetReports drops every kept figure: the measures, the survey or the
// facts have changed, so every year is worked out again when next asked.
func (s *Service) forgetReports() {
	s.reports.mu.Lock()
	s.reports.gen++
	s.reports.years = nil
	s.reports.mu.Unlock()
}

// ReportYears lists the financial years there can be a report for, oldest
// first: from the year the first application was received to the year of
// yesterday (the last day whose events count). It is empty when there are
// no applications.
func (s *Service) ReportYears(ctx context.Context) ([]measure.Period, error) {
	first, _, err := s.store.FactsSpan(ctx)
	if err != nil || first.IsZero() {
		return nil, err
	}
	var out []measure.Period
	for y := measure.YearOf(first); y.Compare(measure.YearOf(s.asOf())) <= 0; y = y.Next() {
		out = append(out, y)
	}
	return out, nil
}

// asOf is the last day whose events a report counts: yesterday.
func (s *Service) asOf() calendar.Date { return s.Today().AddDays(-1) }

// CheckReportYear reads a financial year for a report, refusing a quarter
// or a year that has not started yet.
func (s *Service) CheckReportYear(text string) (measure.Period, error) {
	year, err := measure.ParsePeriod(text)
	if err != nil {
		return year, err
	}
	if year.IsQuarter() {
		return year, errs.Invalid("period", "a report is for a whole financial year, such as %s, not a quarter", year.FinancialYear())
	}
	if asOf := s.asOf(); year.First().After(asOf) {
		return year, errs.NotFound("there are no figures for %s yet: it starts on %s", year, year.First().Long())
	}
	return year, nil
}

// Report returns a financial year's charter report, with every figure
// released by disclosure control, as of yesterday. The raw figures are kept
// in memory: asked again the same day, the report is built from them;
// asked on a later day, the kept count is moved on by the applications
// that changed (moveOn), or, if the store could not mark what its read
// reflected, the current financial year is worked out again from that
// year's facts.
func (s *Service) Report(ctx context.Context, year measure.Period) (*Report, error) {
	if year.IsZero() || year.IsQuarter() {
		return nil, errs.Invalid("period", "a report is for a whole financial year, such as 2025-26")
	}
	set, err := s.Measures()
	if err != nil {
		return nil, err
	}
	version := s.measuresVersion()
	asOf := s.asOf()
	if year.First().After(asOf) {
		return nil, errs.NotFound("there are no figures for %s yet: it starts on %s", year, year.First().Long())
	}
	e, gen := s.reports.entry(year)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.results == nil || e.measures != version || e.gen != gen {
		rs, c, err := s.computeFigures(ctx, set, measure.ReportPlan(year, ReportTrend, asOf), true, true)
		if err != nil {
			return nil, err
		}
		e.results, e.measures, e.gen, e.workedOut, e.counted = rs, version, gen, s.now(), c
	} else if e.results.Plan.AsOf != asOf {
		rs, err := s.moveOn(ctx, e.counted, asOf)
		if rs == nil && err == nil {
			e.counted = nil // the store cannot say what changed
			rs, err = s.refreshFigures(ctx, set, e.results, asOf)
		}
		if err != nil {
			e.counted = nil
			return nil, err
		}
		e.results = rs
	}
	return s.buildReport(ctx, set, year, e.results, e.workedOut)
}

// refreshFigures brings kept figures up to asOf by working out again the
// figures of the financial years their last day and asOf fall in (usually
// one: the current year), from those years' facts alone.
func (s *Service) refreshFigures(ctx context.Context, set *measure.Set, rs *measure.Results, asOf calendar.Date) (*measure.Results, error) {
	years := []measure.Period{measure.YearOf(rs.Plan.AsOf)}
	if y := measure.YearOf(asOf); y != years[0] {
		years = append(years, y)
	}
	for _, y := range years {
		if !slices.Contains(rs.Plan.Periods, y) {
			continue // a year the report does not show
		}
		newer, _, err := s.computeFigures(ctx, set, measure.RefreshPlan(y, asOf), false, false)
		if err != nil {
			return nil, err
		}
		if rs, err = rs.Refreshed(newer); err != nil {
			return nil, err
		}
	}
	rs.Plan.AsOf = asOf
	return rs, nil
}

// computeFigures works out the raw figures of every measure for a plan in
// one pass over the facts of its dates, with the survey responses and
// feedback of its years. checkFacts first checks that every application
// has facts (a database from before there were any needs a rebuild).
// Asked to keep the count, it returns it as well when the store can tell
// what changes after it (see moveOn).
func (s *Service) computeFigures(ctx context.Context, set *measure.Set, plan measure.Plan, checkFacts, keepCount bool) (*measure.Results, *counted, error) {
	if checkFacts {
		apps, withFacts, err := s.store.FactsCoverage(ctx)
		if err != nil {
			return nil, nil, err
		}
		if apps != withFacts {
			return nil, nil, errs.Conflict("%d of the %d applications have no case facts, so the figures would be wrong: run charter facts rebuild", apps-withFacts, apps)
		}
	}
	// One engine for each part of the rows, read at once, then merged.
	engines := make([]*measure.Engine, factsParts(s.store.Dialect()))
	for i := range engines {
		var err error
		if engines[i], err = measure.NewEngine(set, plan); err != nil {
			return nil, nil, err
		}
	}
	e := engines[0]
	var c *counted
	if keepCount {
		c = &counted{engine: e, known: map[casework.Reference]*measure.Facts{}}
	}
	if len(set.CountedOn()) > 0 {
		first, last := plan.Dates()
		q := store.FactsQuery{Fields: set.Fields(), DateFields: set.CountedOn(), From: first, To: last}
		if keepCount {
			// The count is kept, to be moved on later: rows with dates
			// after AsOf count for nothing yet, but are read too, as their
			// day will come; and with their references.
			q.Mark = true
			_, q.To = measure.Plan{Periods: plan.Periods}.Dates()
			if !slices.Contains(q.Fields, "ref") {
				q.Fields = append(slices.Clone(q.Fields), "ref")
			}
		}
		known := make([][]*measure.Facts, len(engines))
		// Rows alike as far as the measures read them may come grouped.
		g, _ := set.Grouping(plan)
		mark, err := s.store.EachFactsGrouped(ctx, q, g, len(engines), func(part int, f *measure.Facts, n int64) error {
			if keepCount && keeps(engines[part], f) {
				kf := *f
				known[part] = append(known[part], &kf)
			}
			return engines[part].AddN(f, n)
		})
		if err != nil {
			return nil, nil, fmt.Errorf("working out the measures: %w", err)
		}
		for _, o := range engines[1:] {
			if err := e.Merge(o); err != nil {
				return nil, nil, err
			}
		}
		if c != nil {
			c.mark = mark
			for _, part := range known {
				for _, f := range part {
					c.known[casework.Reference(f.Ref)] = f
				}
			}
		}
	}
	rs, err := s.addSources(ctx, e)
	if err != nil {
		return nil, nil, err
	}
	if c != nil && !c.mark.Exact() {
		c = nil
	}
	return rs, c, nil
}

// addSources gives engine the survey responses and feedback of its plan's
// dates, as they now are, and returns its figures.
func (s *Service) addSources(ctx context.Context, e *measure.Engine) (*measure.Results, error) {
	first, last := e.Plan().Dates()
	survey, err := s.store.SurveyResponses(ctx, measure.YearOf(first), measure.YearOf(last))
	if err != nil {
		return nil, err
	}
	feedback, err := s.FeedbackCounts(ctx, first, last)
	if err != nil {
		return nil, err
	}
	e.ResetSources()
	e.AddSurvey(survey)
	e.AddFeedback(feedback)
	return e.Results(), nil
}

// moveOn brings a kept count up to asOf from the applications that
// changed since it was counted and those whose day has come (see
// measure.Engine.Advance), and returns its figures. It returns none, and
// no error, when there is no kept count or the store cannot say what
// changed. An error leaves c unusable.
func (s *Service) moveOn(ctx context.Context, c *counted, asOf calendar.Date) (*measure.Results, error) {
	if c == nil {
		return nil, nil
	}
	rules, err := s.Rules()
	if err != nil {
		return nil, err
	}
	var due []casework.Reference
	for ref, f := range c.known {
		switch {
		case c.engine.DueBy(f, asOf):
			due = append(due, ref)
		case !keeps(c.engine, f):
			delete(c.known, ref) // no longer recent: it is unlikely to change
		}
	}
	found, mark, ok, err := s.store.FactsSince(ctx, c.mark, due, func(ref casework.Reference) bool { _, ok := c.known[ref]; return ok })
	if err != nil || !ok {
		return nil, err
	}
	changes := make([]measure.Change, len(found))
	for i := range found {
		fc := &found[i]
		changes[i].After = &fc.After
		if f, ok := c.known[fc.Ref]; ok {
			changes[i].Before = f
		} else if len(fc.Before) > 0 {
			before, err := factsOf(rules, fc.Ref, fc.Before)
			if err != nil {
				return nil, err
			}
			changes[i].Before = &before
		}
	}
	if err := c.engine.Advance(asOf, changes); err != nil {
		return nil, err
	}
	c.mark = mark
	for _, fc := range found {
		delete(c.known, fc.Ref)
		if keeps(c.engine, &fc.After) {
			c.known[fc.Ref] = &fc.After
		}
	}
	return s.addSources(ctx, c.engine)
}

// buildReport builds the published report from raw figures, with the
// narratives, improvement plan and evidence as they stand.
func (s *Service) buildReport(ctx context.Context, set *measure.Set, year measure.Period, rs *measure.Results, workedOut time.Time) (*Report, error) {
	ch, err := s.Charter()
	if err != nil {
		return nil, err
	}
	cat, err := s.Benefits()
	if err != nil {
		return nil, err
	}
	narratives, err := s.store.Narratives(ctx, year)
	if err != nil {
		return nil, err
	}
	recs, err := s.store.Actions(ctx)
	if err != nil {
		return nil, err
	}
	actions := make([]report.Action, len(recs))
	for i, r := range recs {
		actions[i] = r.Action
	}
	youSaid, err := s.store.YouSaid(ctx, year.First(), year.Last())
	if err != nil {
		return nil, err
	}
	evidence, err := s.store.Evidence(ctx, year.First(), year.Last())
	if err != nil {
		return nil, err
	}
	rep, err := report.Build(report.Input{Charter: ch, Benefits: cat, Set: set, Results: rs, Year: year, Trend: ReportTrend,
		Narratives: narratives, Actions: actions, YouSaid: youSaid, Evidence: evidence})
	if err != nil {
		return nil, err
	}
	return &Report{Report: rep, AsOf: rs.Plan.AsOf, Complete: !rs.Plan.AsOf.Before(year.Last()), WorkedOut: workedOut}, nil
}

// factsParts is how many parts the facts are read in at once: on SQLite
// one for each core, up to four. On PostgreSQL twice that, up to eight:
// each part's server process waits on its connection while the service
// counts the rows it sent, so with one part a core the cores sat idle
// (B3 at 1.37 million applications on two cores: four parts took 15 to
// 25% less time than two).
func factsParts(d store.Dialect) int {
	n := min(max(runtime.GOMAXPROCS(0), 1), 4)
	if d == store.Postgres {
		n *= 2
	}
	return n
}

// ReportFigures works out a plan's raw figures straight from the store,
// keeping nothing: for benchmarks that time the work itself.
func (s *Service) ReportFigures(ctx context.Context, set *measure.Set, plan measure.Plan) (*measure.Results, error) {
	rs, _, err := s.computeFigures(ctx, set, plan, false, false)
	return rs, err
}
