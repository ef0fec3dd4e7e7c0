package seed_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/seed"
)

// TestChallengeMix checks the history holds challenges of every kind, in
// believable shares, and that each one folds again from its events.
func TestChallengeMix(t *testing.T) {
	rs := mustRules(t)
	limit := time.Date(2026, time.March, 19, 0, 0, 0, 0, london)
	var decided, requested, late, lateAccepted, lateRefused, redetermined, redetLate, formSent int
	var lodged, appealDecided, pastDeadline, openAtEnd int
	byOutcome := map[string][2]int{} // decided, challenged
	redet := map[string]int{}
	for _, g := range sample() {
		a := g.App
		if a.Decision == nil {
			continue
		}
		decided++
		bo := byOutcome[a.Decision.Outcome]
		bo[0]++
		c := a.Challenge
		if c == nil {
			byOutcome[a.Decision.Outcome] = bo
			continue
		}
		bo[1]++
		byOutcome[a.Decision.Outcome] = bo
		requested++
		for i, e := range g.Events {
			if e.At.After(limit) {
				t.Fatalf("%s event %d (%s) is at %s, after the end", a.Ref, e.Seq, e.Type, e.At)
			}
			if i > 0 && e.At.Before(g.Events[i-1].At) {
				t.Fatalf("%s event %d is before the one before it", a.Ref, e.Seq)
			}
		}
		again, err := casework.Fold(rs, roundTrip(t, g.Events))
		if err != nil {
			t.Fatalf("%s does not fold from its events: %v", a.Ref, err)
		}
		again.Ref = a.Ref
		want, _ := json.Marshal(a)
		got, _ := json.Marshal(again)
		if string(want) != string(got) {
			t.Fatalf("%s folds to a different state:\n got %s\nwant %s", a.Ref, got, want)
		}
		r := c.Request
		if r == nil && len(c.Refused) > 0 {
			r = &c.Refused[0]
		}
		if r.Late {
			late++
			switch {
			case !r.LateAcceptedOn.IsZero():
				lateAccepted++
			case !r.LateRefusedOn.IsZero():
				lateRefused++
			}
		}
		if d := c.Redetermination; d != nil {
			redetermined++
			redet[d.Outcome]++
			if d.Late {
				redetLate++
			}
			if len(d.Reasons) != len(a.Benefit().Criteria) {
				t.Fatalf("%s: %d reasons for %d criteria", a.Ref, len(d.Reasons), len(a.Benefit().Criteria))
			}
		}
		if !c.AppealFormSentOn.IsZero() {
			formSent++
		}
		if c.Appeal != nil {
			lodged++
			if c.Appeal.Outcome != "" {
				appealDecided++
			}
		}
		tl, ok := a.ChallengeTimeline(end)
		if !ok {
			t.Fatalf("%s has a challenge but no challenge timeline", a.Ref)
		}
		switch tl.Stage {
		case casework.ChallengeDeadlineMissed:
			pastDeadline++
			if !tl.CanAppeal {
				t.Errorf("%s: our deadline passed, but the client cannot appeal", a.Ref)
			}
		case casework.ChallengeRequested, casework.ChallengeLateWaiting:
			openAtEnd++
		}
	}
	t.Logf("%d decided, %d asked for a re-determination (%d late: %d accepted, %d refused); "+
		"%d re-determined (%d late) %v; %d appeal forms sent, %d appeals (%d decided); at the end %d open, %d past our deadline; by outcome %v",
		decided, requested, late, lateAccepted, lateRefused, redetermined, redetLate, redet, formSent, lodged, appealDecided,
		openAtEnd, pastDeadline, byOutcome)

	if f := float64(requested) / float64(decided); f < 0.01 || f > 0.08 {
		t.Errorf("%.3f of decided applications asked for a re-determination, want a few per cent", f)
	}
	share := func(o string) float64 { return float64(byOutcome[o][1]) / float64(max(1, byOutcome[o][0])) }
	if share(casework.OutcomeRefuse) <= share(casework.OutcomeAward) || share(casework.OutcomePartial) <= share(casework.OutcomeAward) {
		t.Errorf("refusals and partial awards should be challenged more than awards: %v", byOutcome)
	}
	if late == 0 || late*4 > requested || lateAccepted <= lateRefused {
		t.Errorf("want a few late requests, most accepted: %d late of %d, %d accepted, %d refused",
			late, requested, lateAccepted, lateRefused)
	}
	if redetLate == 0 || redetLate*3 > redetermined {
		t.Errorf("want some re-determinations after our deadline, not most: %d of %d", redetLate, redetermined)
	}
	up, down, same := redet[casework.RedeterminationChangedUp], redet[casework.RedeterminationChangedDown],
		redet[casework.RedeterminationUnchanged]
	if up == 0 || down == 0 || same <= up || up <= down {
		t.Errorf("want mostly unchanged, some changed up, a few changed down: %v", redet)
	}
	if formSent == 0 || lodged == 0 || appealDecided == 0 || lodged*4 > requested {
		t.Errorf("want a few appeals, some decided, and forms sent after missed deadlines: %d forms, %d lodged, %d decided",
			formSent, lodged, appealDecided)
	}
	if pastDeadline == 0 || openAtEnd == 0 {
		t.Errorf("want some challenges still open at the end (%d) and some past our deadline (%d)", openAtEnd, pastDeadline)
	}
}

// TestChallengesWithNow checks that seeding partway through the last day
// dates no challenge event after the moment of seeding.
func TestChallengesWithNow(t *testing.T) {
	now := time.Date(2026, time.March, 18, 9, 5, 0, 0, london)
	n := 0
	for _, g := range seedAll(t, seed.Options{Applications: 4000, Years: 2, Seed: 11, End: end, Now: now}) {
		if g.App.Challenge != nil {
			n++
		}
		for i, e := range g.Events {
			if e.At.After(now) {
				t.Fatalf("%s event %d (%s) is at %s, after now", g.App.Ref, e.Seq, e.Type, e.At)
			}
			if i > 0 && e.At.Before(g.Events[i-1].At) {
				t.Fatalf("%s event %d is before the one before it", g.App.Ref, e.Seq)
			}
		}
	}
	if n == 0 {
		t.Error("no challenges in the history")
	}
}
