package measure

import (
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/seed"
)

// seeded is a synthetic history and the facts of each application.
func seeded(t testing.TB, n int) ([]seed.Generated, []Facts) {
	t.Helper()
	rules := exampleRules(t)
	var gens []seed.Generated
	var fs []Facts
	o := seed.Options{Applications: n, Years: 2, Seed: 11, End: calendar.NewDate(2026, 3, 31)}
	err := seed.Generate(rules, o, 500, func(b []seed.Generated) error {
		for _, g := range b {
			f, err := FactsOf(rules, g.Events)
			if err != nil {
				t.Fatalf("%s: %v", g.App.Ref, err)
			}
			f.Ref = g.App.Ref.String()
			gens, fs = append(gens, g), append(fs, f)
		}
		return nil
	})
	if err != nil {
		// A history the seed cannot make is the seed's problem, tested there.
		t.Skipf("the seed could not make a history: %v", err)
	}
	return gens, fs
}

// TestFactsAgreeWithTheTimeline checks the facts of a realistic history
// against the standards the client's timeline shows, which come from the
// same casework rules.
func TestFactsAgreeWithTheTimeline(t *testing.T) {
	gens, fs := seeded(t, 1500)
	cal := calendar.Scotland()
	var decided, late, paused, redetermined, consulted int
	for i, g := range gens {
		f, a := fs[i], g.App
		if a.Status == casework.StatusOpen {
			continue
		}
		tl := a.Timeline(cal, a.ClosedOn)
		for _, s := range tl.Standards {
			switch s.Name {
			case casework.StandardDecide:
				if (s.Status == casework.StandardMet) != f.DecidedInTime || s.Due != f.DecisionDue {
					t.Errorf("%s: timeline says %s by %s; facts say in time %v by %s", f.Ref, s.Status, s.Due, f.DecidedInTime, f.DecisionDue)
				}
			case casework.StandardAcknowledge:
				if !a.AcknowledgedOn.IsZero() && (s.Status == casework.StandardMet) != f.AcknowledgedInTime {
					t.Errorf("%s: timeline says acknowledgement %s; facts say in time %v", f.Ref, s.Status, f.AcknowledgedInTime)
				}
			}
		}
		if f.DecidedOn != 0 {
			decided++
			if f.WorkingDaysToDecision+f.PausedWorkingDays != cal.WorkingDaysBetween(f.ReceivedOn, f.DecidedOn) || f.WorkingDaysToDecision < 0 {
				t.Errorf("%s: %d working days plus %d paused is not the time from receipt to decision", f.Ref, f.WorkingDaysToDecision, f.PausedWorkingDays)
			}
			if !f.DecidedInTime {
				late++
			}
			if !f.ReasonsForEveryCriterion {
				t.Errorf("%s: the casework rules need a reason for every criterion", f.Ref)
			}
		}
		if f.PausedWorkingDays > 0 {
			paused++
		}
		if f.RedeterminationDecidedOn != 0 {
			redetermined++
		}
		if f.ConsultationsProposed > 0 {
			consulted++
		}
		if f.SilenceKept != (f.LongestSilence <= f.SilenceLimit) && f.LongestSilence != f.SilenceLimit {
			t.Errorf("%s: longest silence %d of %d, but kept is %v", f.Ref, f.LongestSilence, f.SilenceLimit, f.SilenceKept)
		}
	}
	// The history has all of these, so the facts above were tested on them.
	if decided < 500 || late == 0 || paused == 0 || redetermined == 0 || consulted == 0 {
		t.Errorf("too little variety: %d decided, %d late, %d paused, %d re-determined, %d consulted", decided, late, paused, redetermined, consulted)
	}
}
