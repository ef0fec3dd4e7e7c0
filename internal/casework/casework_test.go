package casework_test

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

func rules(t testing.TB) casework.Rules {
	t.Helper()
	chData, err := os.ReadFile("../../examples/charter.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ch, err := charter.ParseCharter("charter.yaml", chData)
	if err != nil {
		t.Fatal(err)
	}
	benData, err := os.ReadFile("../../examples/benefits.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := charter.ParseCatalogue("benefits.yaml", benData, ch)
	if err != nil {
		t.Fatal(err)
	}
	return casework.Rules{Benefits: cat, Calendar: calendar.Scotland()}
}

// at is 10:00 in London on the given day of 2026.
func at(month time.Month, day int) time.Time {
	return time.Date(2026, month, day, 10, 0, 0, 0, time.UTC)
}

// log builds a numbered event log.
type log struct{ events []casework.Event }

func (l *log) add(t casework.EventType, when time.Time, b casework.Body) *log {
	l.events = append(l.events, casework.Event{Seq: len(l.events) + 1, Type: t, At: when, Actor: "caseworker:test", Body: b})
	return l
}

func received(benefit string, when time.Time) *log {
	return (&log{}).add(casework.TypeReceived, when, &casework.Received{Benefit: benefit, Channel: "online",
		Client: casework.Client{Name: "Sam Example", DateOfBirth: calendar.NewDate(1975, 4, 1), Area: "Fife"}})
}

func reasonsFor(b *charter.Benefit) []casework.CriterionReason {
	var rs []casework.CriterionReason
	for _, c := range b.Criteria {
		rs = append(rs, casework.CriterionReason{Criterion: c.ID, Met: true, Reason: "You meet this: we checked the information you gave us."})
	}
	return rs
}

func TestReferenceCheckCharacter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
	for range 200 {
		ref := casework.NewReference(r)
		got, err := casework.ParseReference(strings.ToLower(ref.String()))
		if err != nil || got != ref {
			t.Fatalf("ParseReference(%q) = %q, %v", ref.String(), got, err)
		}
		// Every single substitution is caught as mistyped.
		for i := range len(ref) {
			for _, c := range alphabet {
				if byte(c) == ref[i] {
					continue
				}
				typo := []byte(ref)
				typo[i] = byte(c)
				if _, err := casework.ParseReference(string(typo)); errs.KindOf(err) != errs.KindMistyped {
					t.Fatalf("%s with position %d changed to %c: %v, want mistyped", ref, i, c, err)
				}
			}
		}
		// Every swap of two different neighbours is caught.
		for i := 0; i+1 < len(ref); i++ {
			if ref[i] == ref[i+1] {
				continue
			}
			swap := []byte(ref)
			swap[i], swap[i+1] = swap[i+1], swap[i]
			if _, err := casework.ParseReference(string(swap)); err == nil {
				t.Errorf("%s with positions %d and %d swapped was accepted", ref, i, i+1)
			}
		}
	}
	for _, bad := range []string{"", "ABC", "ABC-DEF-GHJK2", "AB?-DEF-GHJ"} {
		if _, err := casework.ParseReference(bad); errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("ParseReference(%q) = %v, want invalid", bad, err)
		}
	}
	for _, confusable := range []string{"0BC-DEF-GHJ", "OBC-DEF-GHJ", "1BC-DEF-GHJ", "IBC-DEF-GHJ", "LBC-DEF-GHJ"} {
		if _, err := casework.ParseReference(confusable); errs.KindOf(err) != errs.KindMistyped {
			t.Errorf("ParseReference(%q) = %v, want mistyped", confusable, err)
		}
	}
}

func FuzzParseReference(f *testing.F) {
	for _, s := range []string{"7KM-4QX-9DC", "", "0", "abc def ghj", "ÄÖÜ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, err := casework.ParseReference(s)
		if err != nil {
			if errs.KindOf(err) == errs.KindInternal {
				t.Fatalf("ParseReference(%q): error without a kind: %v", s, err)
			}
			return
		}
		again, err := casework.ParseReference(ref.String())
		if err != nil || again != ref {
			t.Fatalf("round trip of %q: %q, %v", ref, again, err)
		}
	})
}

func TestRulesRejectImpossibleEvents(t *testing.T) {
	r := rules(t)
	adp, _ := r.Benefits.Benefit("adult-disability-payment")
	decided := func() *log {
		return received("adult-disability-payment", at(2, 2)).
			add(casework.TypeDecisionMade, at(2, 20), &casework.DecisionMade{Outcome: "award", DecisionMaker: "case manager", Reasons: reasonsFor(adp)})
	}
	withdrawn := func() *log {
		return received("adult-disability-payment", at(2, 2)).add(casework.TypeWithdrawn, at(2, 3), &casework.Withdrawn{})
	}
	cases := []struct {
		name  string
		base  *log
		typ   casework.EventType
		when  time.Time
		body  casework.Body
		kind  errs.Kind
		field string
		says  string
	}{
		{"decision on a withdrawn application", withdrawn(), casework.TypeDecisionMade, at(2, 5),
			&casework.DecisionMade{Outcome: "award", DecisionMaker: "case manager", Reasons: reasonsFor(adp)}, errs.KindConflict, "", "withdrawn"},
		{"information received with no open request", received("adult-disability-payment", at(2, 2)), casework.TypeInformationReceived, at(2, 5),
			&casework.InformationReceived{}, errs.KindConflict, "", "no open information request"},
		{"event dated before the application was received", received("adult-disability-payment", at(2, 2)), casework.TypeAcknowledged, at(1, 30),
			&casework.Acknowledged{}, errs.KindInvalid, "at", "before the application was received"},
		{"second decision", decided(), casework.TypeDecisionMade, at(2, 25),
			&casework.DecisionMade{Outcome: "refuse", DecisionMaker: "case manager", Reasons: reasonsFor(adp)}, errs.KindConflict, "", "decided"},
		{"decision missing a criterion", received("adult-disability-payment", at(2, 2)), casework.TypeDecisionMade, at(2, 5),
			&casework.DecisionMade{Outcome: "award", DecisionMaker: "case manager", Reasons: reasonsFor(adp)[1:]}, errs.KindInvalid, "body.reasons", adp.Criteria[0].ID},
		{"decision with an unknown outcome", received("adult-disability-payment", at(2, 2)), casework.TypeDecisionMade, at(2, 5),
			&casework.DecisionMade{Outcome: "maybe", DecisionMaker: "case manager", Reasons: reasonsFor(adp)}, errs.KindInvalid, "body.outcome", ""},
		{"unknown stage", received("adult-disability-payment", at(2, 2)), casework.TypeStageChanged, at(2, 5),
			&casework.StageChanged{Stage: "limbo"}, errs.KindInvalid, "body.stage", "limbo"},
		{"request without saying why", received("adult-disability-payment", at(2, 2)), casework.TypeInformationRequested, at(2, 5),
			&casework.InformationRequested{What: "a GP letter", From: "client"}, errs.KindInvalid, "body.why", ""},
		{"request due in the past", received("adult-disability-payment", at(2, 2)), casework.TypeInformationRequested, at(2, 5),
			&casework.InformationRequested{What: "a GP letter", Why: "to see how your condition affects you", From: "client", Due: calendar.NewDate(2026, 2, 4)}, errs.KindInvalid, "body.due", ""},
		{"acknowledged twice", received("adult-disability-payment", at(2, 2)).add(casework.TypeAcknowledged, at(2, 3), &casework.Acknowledged{}),
			casework.TypeAcknowledged, at(2, 4), &casework.Acknowledged{}, errs.KindConflict, "", "already acknowledged"},
		{"withdrawn twice", withdrawn(), casework.TypeWithdrawn, at(2, 4), &casework.Withdrawn{}, errs.KindConflict, "", "withdrawn"},
		{"received twice", received("adult-disability-payment", at(2, 2)), casework.TypeReceived, at(2, 4),
			&casework.Received{Benefit: "adult-disability-payment"}, errs.KindConflict, "", "already been received"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := casework.Fold(r, c.base.events)
			if err != nil {
				t.Fatal(err)
			}
			before := *a
			err = a.Apply(r, casework.Event{Seq: a.Version + 1, Type: c.typ, At: c.when, Body: c.body})
			e, ok := errs.As(err)
			if !ok || e.Kind != c.kind || e.Field != c.field || !strings.Contains(e.Error(), c.says) {
				t.Fatalf("got %v (%+v), want %s on %q saying %q", err, e, c.kind, c.field, c.says)
			}
			if a.Version != before.Version || a.Status != before.Status || len(a.Requests) != len(before.Requests) {
				t.Errorf("a refused event changed the application")
			}
		})
	}
	if _, err := casework.Fold(r, []casework.Event{{Seq: 1, Type: casework.TypeAcknowledged, At: at(2, 2), Body: &casework.Acknowledged{}}}); err == nil {
		t.Error("a log that does not start with received was accepted")
	}
	if _, err := casework.Fold(r, received("moon-grant", at(2, 2)).events); errs.KindOf(err) != errs.KindInvalid {
		t.Errorf("an unknown benefit: %v, want invalid", err)
	}
}

func TestTimeline(t *testing.T) {
	r := rules(t)
	cal := r.Calendar
	adp, _ := r.Benefits.Benefit("adult-disability-payment")
	std := adp.Standards
	if !std.PauseWhileWaitingOnClient {
		t.Fatal("the example disability benefit should pause while waiting on the client")
	}
	l := received("adult-disability-payment", at(2, 2)).
		add(casework.TypeAcknowledged, at(2, 3), &casework.Acknowledged{}).
		add(casework.TypeStageChanged, at(2, 4), &casework.StageChanged{Stage: adp.Stages[1].ID}).
		add(casework.TypeInformationRequested, at(2, 5), &casework.InformationRequested{
			What: "a letter from your GP", Why: "to understand how your condition affects you", From: "client", Due: calendar.NewDate(2026, 2, 19)})
	a, err := casework.Fold(r, l.events)
	if err != nil {
		t.Fatal(err)
	}
	receivedOn := calendar.NewDate(2026, 2, 2)
	original := cal.AddWorkingDays(receivedOn, std.DecideWorkingDays)

	// While paused, the expected date moves on with every working day we wait.
	today := calendar.NewDate(2026, 2, 12)
	tl := a.Timeline(cal, today)
	waited := cal.WorkingDaysBetween(calendar.NewDate(2026, 2, 5), today)
	if !tl.Paused || tl.PausedSince != calendar.NewDate(2026, 2, 5) || tl.PausedWorkingDays != waited {
		t.Fatalf("paused %v since %s for %d days, want since 2026-02-05 for %d", tl.Paused, tl.PausedSince, tl.PausedWorkingDays, waited)
	}
	if want := cal.AddWorkingDays(receivedOn, std.DecideWorkingDays+waited); tl.DecisionDue != want || tl.OriginalDecisionDue != original {
		t.Errorf("decision due %s (original %s), want %s (original %s)", tl.DecisionDue, tl.OriginalDecisionDue, want, original)
	}
	if !strings.Contains(tl.Now, "a letter from your GP") || !strings.Contains(tl.NextStep, "Thursday 19 February 2026") {
		t.Errorf("the narrative should say what we wait for and by when: %q / %q", tl.Now, tl.NextStep)
	}
	if tl.Stages[0].Status != casework.StageDone || tl.Stages[1].Status != casework.StageCurrent || tl.Stages[len(tl.Stages)-1].Status != casework.StageUpcoming {
		t.Errorf("stage statuses: %+v", tl.Stages)
	}
	if tl.Stages[1].Started != calendar.NewDate(2026, 2, 4) || tl.Stages[0].Ended != calendar.NewDate(2026, 2, 4) {
		t.Errorf("stage dates: %+v", tl.Stages[:2])
	}

	// The answer ends the pause; the pause length is then fixed.
	if err := a.Apply(r, casework.Event{Seq: a.Version + 1, Type: casework.TypeInformationReceived, At: at(2, 16), Body: &casework.InformationReceived{}}); err != nil {
		t.Fatal(err)
	}
	paused := cal.WorkingDaysBetween(calendar.NewDate(2026, 2, 5), calendar.NewDate(2026, 2, 16))
	due := cal.AddWorkingDays(receivedOn, std.DecideWorkingDays+paused)
	for _, day := range []calendar.Date{calendar.NewDate(2026, 2, 20), due} {
		tl = a.Timeline(cal, day)
		if tl.Paused || tl.DecisionDue != due || tl.PausedWorkingDays != paused {
			t.Errorf("on %s: paused %v, due %s, %d days paused; want running, due %s, %d", day, tl.Paused, tl.DecisionDue, tl.PausedWorkingDays, due, paused)
		}
	}
	// At risk once the share of the standard has passed, missed the day after the date.
	risk := (std.DecideWorkingDays*std.AtRiskPercent + 99) / 100
	riskFrom := cal.AddWorkingDays(receivedOn, risk+paused)
	if tl := a.Timeline(cal, riskFrom.AddDays(-1)); tl.AtRisk || tl.Missed {
		t.Errorf("the day before %s: at risk %v, missed %v", riskFrom, tl.AtRisk, tl.Missed)
	}
	if tl := a.Timeline(cal, riskFrom); !tl.AtRisk || tl.Missed {
		t.Errorf("on %s: at risk %v, missed %v, want at risk", riskFrom, tl.AtRisk, tl.Missed)
	}
	tl = a.Timeline(cal, due.AddDays(1))
	if !tl.Missed || !strings.Contains(tl.NextStep, "We are sorry") {
		t.Errorf("after %s: missed %v, next %q", due, tl.Missed, tl.NextStep)
	}

	// A late decision is recorded as late, and the timeline is done.
	late := due.AddDays(3).Time().Add(10 * time.Hour)
	if err := a.Apply(r, casework.Event{Seq: a.Version + 1, Type: casework.TypeDecisionMade, At: late,
		Body: &casework.DecisionMade{Outcome: "award", DecisionMaker: "case manager", Reasons: reasonsFor(adp)}}); err != nil {
		t.Fatal(err)
	}
	tl = a.Timeline(cal, due.AddDays(10))
	for _, s := range tl.Standards {
		if s.Name == casework.StandardDecide && s.Status != casework.StandardLate {
			t.Errorf("decide standard: %s, want late", s.Status)
		}
	}
	for _, s := range tl.Stages {
		if s.Status != casework.StageDone {
			t.Errorf("after the decision, stage %s is %s", s.ID, s.Status)
		}
	}
}

func TestAddingAnEventTypeIsCheap(t *testing.T) {
	// Every registered type round-trips through JSON with its own body type.
	for _, typ := range casework.EventTypes() {
		b, ok := casework.NewBody(typ)
		if !ok || b.Type() != typ {
			t.Errorf("%s: NewBody gives %v", typ, b)
		}
	}
	if _, err := casework.DecodeBody("teleported", nil, true); errs.KindOf(err) != errs.KindInvalid {
		t.Errorf("unknown type: %v", err)
	}
}

// fiftyEvents is a long but ordinary log: requests, answers and updates.
func fiftyEvents(b testing.TB, r casework.Rules) []casework.Event {
	adp, _ := r.Benefits.Benefit("adult-disability-payment")
	l := received("adult-disability-payment", at(1, 5)).add(casework.TypeAcknowledged, at(1, 6), &casework.Acknowledged{})
	day := at(1, 7)
	for len(l.events) < 47 {
		l.add(casework.TypeInformationRequested, day, &casework.InformationRequested{What: "a bank statement", Why: "to check your income", From: "client"})
		l.add(casework.TypeInformationReceived, day.Add(time.Hour), &casework.InformationReceived{Note: "arrived by post"})
		l.add(casework.TypeUpdateSent, day.Add(2*time.Hour), &casework.UpdateSent{Channel: "email", Summary: "We are still working on it."})
		day = day.Add(24 * time.Hour)
	}
	for len(l.events) < 49 {
		l.add(casework.TypeUpdateSent, day, &casework.UpdateSent{Channel: "email", Summary: "We are still working on it."})
	}
	l.add(casework.TypeDecisionMade, day.Add(time.Hour), &casework.DecisionMade{Outcome: "award", DecisionMaker: "case manager", Reasons: reasonsFor(adp)})
	if len(l.events) != 50 {
		b.Fatalf("%d events", len(l.events))
	}
	return l.events
}

// BenchmarkTimelineFold50 folds a 50-event log and builds its timeline
// (target: under 50 µs), next to its baseline from the same run: decoding
// the same 50 events from their stored JSON, which every read pays anyway.
func BenchmarkTimelineFold50(b *testing.B) {
	r := rules(b)
	events := fiftyEvents(b, r)
	today := calendar.NewDate(2026, 6, 1)
	b.Run("fold+timeline", func(b *testing.B) {
		for b.Loop() {
			a, err := casework.Fold(r, events)
			if err != nil {
				b.Fatal(err)
			}
			_ = a.Timeline(r.Calendar, today)
		}
	})
	b.Run("baseline-json-decode", func(b *testing.B) {
		stored, err := json.Marshal(events)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			var back []casework.Event
			if err := json.Unmarshal(stored, &back); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestRevisedDecisionDate(t *testing.T) {
	r := rules(t)
	l := received("adult-disability-payment", at(2, 2))
	a, err := casework.Fold(r, l.events)
	if err != nil {
		t.Fatal(err)
	}
	due := a.Timeline(r.Calendar, calendar.NewDate(2026, 2, 3)).DecisionDue
	late := due.AddDays(5)
	for _, c := range []struct {
		body  *casework.DecisionDateRevised
		field string
	}{
		{&casework.DecisionDateRevised{Reason: "We are waiting for a report from a specialist."}, "body.new_date"},
		{&casework.DecisionDateRevised{NewDate: calendar.NewDate(2026, 2, 1), Reason: "We are waiting for a report."}, "body.new_date"},
		{&casework.DecisionDateRevised{NewDate: late.AddDays(30), Reason: "late"}, "body.reason"},
	} {
		before := *a
		err := a.Apply(r, casework.Event{Seq: a.Version + 1, Type: casework.TypeDecisionDateRevised, At: late.Time().Add(10 * time.Hour), Body: c.body})
		if e, ok := errs.As(err); !ok || e.Field != c.field {
			t.Errorf("%+v: %v, want an error on %s", c.body, err, c.field)
		}
		if a.Version != before.Version || a.RevisedDecisionDate != before.RevisedDecisionDate {
			t.Error("a refused revision changed the application")
		}
	}
	newDate := late.AddDays(30)
	if err := a.Apply(r, casework.Event{Seq: a.Version + 1, Type: casework.TypeDecisionDateRevised, At: late.Time().Add(10 * time.Hour),
		Body: &casework.DecisionDateRevised{NewDate: newDate, Reason: "We are waiting for a report from a specialist."}}); err != nil {
		t.Fatal(err)
	}
	tl := a.Timeline(r.Calendar, late.AddDays(1))
	// The standard stays missed, honestly; the client is given the new date.
	if !tl.Missed || tl.NewExpectedDate != newDate || !strings.Contains(tl.NextStep, "We now expect to decide by "+newDate.Long()) {
		t.Errorf("missed %v, new date %s, next %q", tl.Missed, tl.NewExpectedDate, tl.NextStep)
	}
}

func TestReferenceSplits(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	const n, draws = 3, 30000
	splits := casework.ReferenceSplits(n)
	if len(splits) != n-1 || !slices.IsSorted(splits) {
		t.Fatalf("ReferenceSplits(%d) = %v", n, splits)
	}
	var counts [n]int
	for range draws {
		ref := casework.NewReference(r)
		part, _ := slices.BinarySearch(splits, ref)
		if part < len(splits) && splits[part] == ref {
			part++
		}
		counts[part]++
	}
	for i, c := range counts {
		if c < draws/n*9/10 || c > draws/n*11/10 {
			t.Errorf("part %d holds %d of %d references: %v", i, c, draws, counts)
		}
	}
	if casework.ReferenceSplits(1) != nil {
		t.Error("one part needs no split")
	}
}
