package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/store"
)

// testCatalogue is a small benefit catalogue built in Go: every benefit has
// a "received" first stage and a "decision" stage.
func testCatalogue() *charter.Catalogue {
	standards := charter.Standards{
		AcknowledgeWorkingDays:        2,
		DecideWorkingDays:             20,
		MaxWorkingDaysWithoutUpdate:   15,
		AtRiskPercent:                 80,
		PauseWhileWaitingOnClient:     true,
		InformationRequestWorkingDays: 10,
	}
	stages := []charter.Stage{
		{ID: charter.StageReceived, Name: "Received", ClientText: "We have your application."},
		{ID: "assessment", Name: "Assessment", ClientText: "We are looking at your application."},
		{ID: charter.StageDecision, Name: "Decision", ClientText: "We have decided."},
	}
	return &charter.Catalogue{Benefits: []charter.Benefit{
		{ID: "best-start-grant", Name: "Best Start Grant", Kind: charter.KindGrant, Stages: stages,
			Standards: standards, Criteria: []charter.Criterion{{ID: "residence", Question: "Does the client live in Scotland?"}}},
		{ID: "carer-support", Name: "Carer Support Payment", Kind: charter.KindCarer, Stages: stages,
			Standards: standards, Criteria: []charter.Criterion{{ID: "caring", Question: "Does the client care for someone?"}}},
	}}
}

var testRules = casework.Rules{Benefits: testCatalogue(), Calendar: calendar.Scotland()}

// base is a moment with nanoseconds, so the tests see times kept to the
// microsecond.
var base = time.Date(2025, time.March, 3, 9, 15, 30, 123456789, time.UTC)

// ctxT is the context for a test's store calls, cancelled when it ends.
func ctxT(t testing.TB) context.Context { return t.Context() }

// refN returns a distinct, well-formed reference for n.
func refN(n int) casework.Reference {
	return casework.NewReference(rand.New(rand.NewPCG(uint64(n), 0x5eed)))
}

// received is the first event of an application.
func received(benefit, name string, at time.Time) casework.Event {
	return casework.Event{Seq: 1, Type: casework.TypeReceived, At: at, Actor: "client",
		Body: &casework.Received{Benefit: benefit, Channel: "online", Client: casework.Client{
			Name: name, DateOfBirth: calendar.NewDate(1980, time.May, 17), Email: "client@example.org",
			Area: "Fife", PreferredContact: "email"}}}
}

// history builds a valid log of n events (1 to 8) for an application,
// checked by folding, and the projection row after it.
func history(ref casework.Reference, benefit string, start time.Time, n int) ([]casework.Event, store.ApplicationRow) {
	bodies := []casework.Body{
		&casework.Acknowledged{},
		&casework.InformationRequested{RequestID: "R1", What: "a copy of your tenancy agreement",
			Why: "to check where you live", From: casework.FromClient, How: "upload it",
			Due: casework.LocalDate(start).AddDays(30)},
		&casework.InformationReceived{RequestID: "R1", Note: "first page only", Partial: true},
		&casework.InformationReceived{RequestID: "R1", Note: "the rest"},
		&casework.StageChanged{Stage: "assessment", Note: "ready to assess"},
		&casework.UpdateSent{Channel: "email", Summary: "we are assessing your application"},
		&casework.DecisionMade{Outcome: casework.OutcomeAward, Award: "£250", DecisionMaker: "case manager",
			Reasons: []casework.CriterionReason{{Criterion: criterionOf(benefit), Met: true,
				Reason: "you live in Fife", Evidence: []string{"tenancy agreement"}}}},
	}
	events := []casework.Event{received(benefit, "Client "+string(ref), start)}
	for i := 1; i < n; i++ {
		b := bodies[i-1]
		events = append(events, casework.Event{Seq: i + 1, Type: b.Type(),
			At: start.Add(time.Duration(i) * 26 * time.Hour), Actor: "caseworker:ali", Body: b})
	}
	a, err := casework.Fold(testRules, events)
	if err != nil {
		panic(fmt.Sprintf("fixture %s: %v", ref, err))
	}
	a.Ref = ref
	return events, rowOf(a)
}

func criterionOf(benefit string) string {
	b, _ := testRules.Benefits.Benefit(benefit)
	return b.Criteria[0].ID
}

// rowOf is the projection of a folded application, as the app computes it.
func rowOf(a *casework.Application) store.ApplicationRow {
	clock := a.StoredClock(testRules.Calendar)
	return store.ApplicationRow{
		Ref: a.Ref, Benefit: a.BenefitID, Status: a.Status, Stage: a.Stage,
		ClientName: a.Client.Name, Area: a.Client.Area, ReceivedOn: a.ReceivedOn,
		DecideBy: clock.Due, AtRiskFrom: clock.AtRiskFrom, Paused: a.Paused(),
		ClosedOn: a.ClosedOn, Version: a.Version, NextCheckOn: message.NextCheck(a, testRules.Calendar),
	}
}

// factsOf is the case facts of an application after events (its whole
// log so far), as the app works them out.
func factsOf(ref casework.Reference, events []casework.Event) measure.Facts {
	f, err := measure.FactsOf(testRules, events)
	if err != nil {
		panic(fmt.Sprintf("facts of %s: %v", ref, err))
	}
	f.Ref = ref.String()
	return f
}

// mustCreate appends events to a new application in one call.
func mustCreate(t testing.TB, s *store.Store, events []casework.Event, row store.ApplicationRow) {
	t.Helper()
	if err := s.Append(ctxT(t), store.Append{Ref: row.Ref, Events: events, Row: row, Facts: factsOf(row.Ref, events)}); err != nil {
		t.Fatalf("create %s: %v", row.Ref, err)
	}
}

// checkEvents fails t unless got is want as written: same seq, type, actor
// and body, and the same time to the microsecond, in UTC.
func checkEvents(t testing.TB, got, want []casework.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		wantAt := w.At.Truncate(time.Microsecond).UTC()
		if g.Seq != w.Seq || g.Type != w.Type || g.Actor != w.Actor {
			t.Errorf("event %d: got seq %d %s by %q, want seq %d %s by %q", i, g.Seq, g.Type, g.Actor, w.Seq, w.Type, w.Actor)
		}
		if !g.At.Equal(wantAt) || g.At.Location() != time.UTC {
			t.Errorf("event %d: at %v, want %v (UTC, to the microsecond)", i, g.At, wantAt)
		}
		if !reflect.DeepEqual(g.Body, w.Body) {
			t.Errorf("event %d: body %#v, want %#v", i, g.Body, w.Body)
		}
	}
}

func mustEvents(t testing.TB, s *store.Store, ref casework.Reference) []casework.Event {
	t.Helper()
	es, err := s.Events(ctxT(t), ref)
	if err != nil {
		t.Fatalf("events %s: %v", ref, err)
	}
	return es
}

func mustRow(t testing.TB, s *store.Store, ref casework.Reference) store.ApplicationRow {
	t.Helper()
	r, err := s.Application(ctxT(t), ref)
	if err != nil {
		t.Fatalf("application %s: %v", ref, err)
	}
	return r
}

func mustFacts(t testing.TB, s *store.Store, ref casework.Reference) measure.Facts {
	t.Helper()
	f, err := s.Facts(ctxT(t), ref)
	if err != nil {
		t.Fatalf("facts %s: %v", ref, err)
	}
	return f
}

func mustCount(t testing.TB, s *store.Store) int64 {
	t.Helper()
	n, err := s.CountEvents(ctxT(t))
	if err != nil {
		t.Fatalf("count events: %v", err)
	}
	return n
}
