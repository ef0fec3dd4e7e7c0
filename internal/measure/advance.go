package measure

import (
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// Change is one application's facts as an engine counted them and as they
// are now: what moving an engine on to a later day needs (Engine.Advance).
type Change struct {
	Before *Facts // as the engine counted them; nil: it has not counted the application
	After  *Facts // as they are now
}

// DueBy reports whether f has a date the engine counts on that is in the
// plan, after its AsOf and no later than day: an application whose figures
// change when that day comes, with no new event (a deadline, or an event
// recorded after AsOf). A caller that moves the engine on with Advance
// keeps the facts of applications with dates after AsOf, to give those
// DueBy the new day as a Change.
func (e *Engine) DueBy(f *Facts, day calendar.Date) bool {
	for _, d := range e.dates {
		if v := calendar.Date(d.num(f)); v > e.asOf && v <= day && e.inPlan(v) {
			return true
		}
	}
	return false
}

// Latest is the latest of the dates the engine counts on that f has (zero
// if none).
func (e *Engine) Latest(f *Facts) calendar.Date {
	var last calendar.Date
	for _, d := range e.dates {
		last = max(last, calendar.Date(d.num(f)))
	}
	return last
}

// Plan is the plan the engine counts for, with the AsOf it has reached.
func (e *Engine) Plan() Plan { return e.plan }

// Advance moves the engine on to a later AsOf, giving the figures it would
// give had it counted every application afresh on that day, from the
// changes alone: the caller gives every application whose facts changed
// since the engine counted them, and every one with a date it counts on
// after its AsOf and no later than asOf (see DueBy). Every other
// application counts the same on either day. Each change is taken out as
// it was counted and added as it is now.
func (e *Engine) Advance(asOf calendar.Date, changes []Change) error {
	if e.asOf == 0 || asOf < e.asOf {
		return errs.Invalid("as of", "an engine moves on from the day it counts up to, to a later one (from %s to %s)", e.asOf, asOf)
	}
	for _, c := range changes {
		if c.Before == nil {
			continue
		}
		if err := e.AddN(c.Before, -1); err != nil {
			return err
		}
	}
	e.asOf, e.plan.AsOf = asOf, asOf
	for _, c := range changes {
		if c.After == nil {
			continue
		}
		if err := e.AddN(c.After, 1); err != nil {
			return err
		}
	}
	return nil
}

// ResetSources forgets the survey responses and feedback added, so that an
// engine kept from one day to the next can be given them as they now are.
func (e *Engine) ResetSources() {
	e.survey = map[string]*Frame{}
	e.feedback = map[string]*Frame{}
}
