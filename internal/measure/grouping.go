package measure

import (
	"slices"

	"github.com/charter-service/charter/internal/calendar"
)

// Grouping says how a store may group the rows of facts it streams to an
// engine, sending each group once with how many rows it stands for (see
// Engine.AddN): the figures are the same as from every row. It pays where
// sending a row costs more than grouping it (PostgreSQL sends every value
// over a socket), and for measures that read few facts: a count of the
// applications received by benefit, area, age band and channel reads a
// million rows but only some ten thousand kinds of row.
//
// The engine reads a date it counts on only to find the periods the row
// counts in, so such a date can be read as the first day of its run of
// days that count in the same periods.
type Grouping struct {
	// Dates are the date facts to read as Bucket gives them; every other
	// fact is read as it is.
	Dates []string
	// Runs are the plan's runs of days that count in the same periods, in
	// order, none after the plan's AsOf.
	Runs []DateRun
}

// DateRun is a run of days, both included.
type DateRun struct{ First, Last calendar.Date }

// OutsidePlan is what a date in none of a grouping's runs is read as: a
// day long before any period, so the engine counts it in none, and a day
// all the same (not zero), as a date that happened.
const OutsidePlan calendar.Date = 1

// Bucket is what date d is read as: the first day of its run, 0 if it is
// 0 (no date), and OutsidePlan if it is in no run.
func (g Grouping) Bucket(d calendar.Date) calendar.Date {
	if d == 0 {
		return 0
	}
	i, found := slices.BinarySearchFunc(g.Runs, d, func(r DateRun, d calendar.Date) int {
		switch {
		case r.Last < d:
			return -1
		case r.First > d:
			return 1
		}
		return 0
	})
	if !found {
		return OutsidePlan
	}
	return g.Runs[i].First
}

// Grouping returns how the rows of facts for plan may be grouped for the
// set's events measures (Fields names the facts they read). ok is false
// when some date the set reads is also tested in a condition, added up or
// taken as a value: that date must be read as it is, and rows that differ
// by a day rarely group, so there is nothing to gain.
func (s *Set) Grouping(plan Plan) (g Grouping, ok bool) {
	if err := plan.Check(); err != nil {
		return Grouping{}, false
	}
	exact := map[string]bool{}
	for _, m := range s.Measures {
		if m.Source != SourceEvents {
			continue
		}
		for _, c := range []*countDef{m.counts.base, m.counts.num} {
			if c == nil {
				continue
			}
			for _, name := range c.exact() {
				exact[name] = true
			}
		}
		if m.counts.value != nil {
			exact[m.counts.value.Name] = true
		}
	}
	for _, name := range s.Fields() {
		f, _ := LookupFact(name)
		if f.Kind != FactDate {
			continue
		}
		if exact[name] {
			return Grouping{}, false
		}
		g.Dates = append(g.Dates, name)
	}
	first, days := plan.days()
	if plan.AsOf != 0 {
		days = days[:min(len(days), max(0, int(plan.AsOf-first)+1))]
	}
	for i, ps := range days {
		d := first + calendar.Date(i)
		switch {
		case ps == [2]int16{-1, -1}:
		case i > 0 && ps == days[i-1] && len(g.Runs) > 0:
			g.Runs[len(g.Runs)-1].Last = d
		default:
			g.Runs = append(g.Runs, DateRun{d, d})
		}
	}
	return g, len(g.Dates) > 0
}
