package browser

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
)

// decidedApplication opens an application for Alex Example received at
// receivedAt, decides it (refused) at decidedAt and records each of more,
// an hour apart after that; it returns the reference as people type it.
func (s *site) decidedApplication(receivedAt, decidedAt time.Time, more ...casework.Body) string {
	s.t.Helper()
	ctx := context.Background()
	a, _, err := s.svc.Create(ctx, "caseworker:test", receivedAt, &casework.Received{Benefit: benefitID,
		Client: casework.Client{Name: "Alex Example", DateOfBirth: clientDOB, Email: "alex@example.org", PreferredContact: "email", Area: "Fife"}}, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	decision := &casework.DecisionMade{Outcome: casework.OutcomeRefuse, DecisionMaker: "Case manager"}
	for _, c := range s.benefit().Criteria {
		decision.Reasons = append(decision.Reasons, casework.CriterionReason{Criterion: c.ID, Met: c.ID != "mobility",
			Reason: "We read your form and the letter from your GP.", Evidence: []string{"condition-details"}})
	}
	at := decidedAt
	for _, body := range append([]casework.Body{decision}, more...) {
		if _, _, err := s.svc.Record(ctx, a.Ref, -1, app.NewEvent{Type: body.Type(), At: at, Actor: "caseworker:test", Body: body}, nil); err != nil {
			s.t.Fatalf("%s: %v", body.Type(), err)
		}
		at = at.Add(time.Hour)
	}
	return a.Ref.String()
}

// TestChallengingADecision: a client reads a decision with its reasons and
// dates, asks online for it to be looked at again (first with nothing
// typed), and reads the confirmation; another client, whose re-determination
// is past our deadline, is told they can appeal now. Staff see both
// challenges and their forms. axe-core checks every page on the way.
func TestChallengingADecision(t *testing.T) {
	s := newSite(t)
	s.addCaseworker()
	inTime := s.decidedApplication(now.Add(-30*24*time.Hour), now.Add(-time.Hour))
	// Asked on 10 December 2025: we had until 4 February 2026; the client may appeal until 7 March.
	missed := s.decidedApplication(time.Date(2025, 11, 20, 10, 0, 0, 0, time.UTC), time.Date(2025, 12, 10, 9, 0, 0, 0, time.UTC),
		&casework.RedeterminationRequested{How: casework.AskedByPhone, By: casework.AskedByClient, Disagreement: "I cannot walk far."})

	t.Run("client asks", func(t *testing.T) {
		b := s.newTab(t, true)
		clientSignsIn(b, inTime)
		b.wantText("Our decision", "You will not get Adult Disability Payment.", "Ask by Wednesday 15 April 2026.",
			"you cannot withdraw the request")
		b.check("application with a decision")
		if status := b.visit("/application/redetermination"); status != http.StatusOK {
			t.Fatalf("GET /application/redetermination: %d", status)
		}
		b.check("ask for a re-determination")
		if status := b.press("Ask us to look at the decision again"); status != http.StatusBadRequest {
			t.Fatalf("an empty request: %d", status)
		}
		b.errorSummary("re-determination errors", "disagreement")
		b.typeInto("disagreement", "I cannot walk to the shops without stopping to rest.")
		b.choose("criteria", "mobility")
		if status := b.press("Ask us to look at the decision again"); status != http.StatusOK || b.path() != "/application/redetermination" {
			t.Fatalf("after asking: %d on %s", status, b.location())
		}
		b.wantText("We have your request", "We will decide by Monday 27 April 2026")
		b.check("re-determination asked")
	})

	t.Run("client can appeal now", func(t *testing.T) {
		b := s.newTab(t, false)
		clientSignsIn(b, missed)
		b.wantText("You can appeal to the tribunal now", "Appeal by Saturday 7 March 2026", "We will send you the form to appeal")
		b.check("application after our deadline")
		b.visit("/application/redetermination")
		b.wantText("How to appeal")
		b.check("re-determination after our deadline")
	})

	t.Run("staff", func(t *testing.T) {
		b := s.newTab(t, true)
		staffSignsIn(b)
		for _, ref := range []string{inTime, missed} {
			if status := b.visit("/staff/cases/" + ref); status != http.StatusOK {
				t.Fatalf("GET the case: %d", status)
			}
			b.wantText("Re-determination and appeal")
			b.check("case with a challenge")
		}
		// The missed case offers the appeal forms; an empty re-determination is refused.
		b.wantText("Record that the appeal form was sent", "Record an appeal to the tribunal")
		if status := b.press("Record the re-determination"); status != http.StatusBadRequest {
			t.Fatalf("an empty re-determination: %d", status)
		}
		b.errorSummary("re-determination form errors", "rdd-outcome", "rdd-decision-maker")
	})
}
