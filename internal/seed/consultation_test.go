package seed_test

import (
	"slices"
	"testing"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/seed"
)

// TestConsultationsKeepTheCharter: every consultation in the history was
// justified or asked for (2.10), and booked with an active practitioner
// from the demo's register who understands the client's conditions, or
// with a reason why not (2.12); some were held, some cancelled, some are
// still to come.
func TestConsultationsKeepTheCharter(t *testing.T) {
	register := map[string]casework.Practitioner{}
	for _, p := range seed.Practitioners() {
		if err := p.Validate(); err != nil {
			t.Errorf("demo practitioner %s: %v", p.ID, err)
		}
		register[p.ID] = p
	}
	var booked, held, cancelled, upcoming, overridden, asked int
	for _, g := range sample() {
		var needs *casework.ClientNeeds
		for _, e := range g.Events {
			switch b := e.Body.(type) {
			case *casework.ClientDetailsUpdated:
				needs = &casework.ClientNeeds{Conditions: b.Conditions}
			case *casework.ConsultationProposed:
				if b.ClientAsked {
					asked++
				}
			case *casework.ConsultationScheduled:
				booked++
				p, ok := register[b.Practitioner]
				if !ok || !p.Active || b.PractitionerSnapshot == nil || b.PractitionerSnapshot.Name != p.Name {
					t.Fatalf("%s: booked with %q, not an active practitioner of the register", g.App.Ref, b.Practitioner)
				}
				if len(casework.UncoveredConditions(needs.Conditions, p.Specialisms)) > 0 {
					overridden++
					if b.OverrideReason == "" {
						t.Errorf("%s: a practitioner who does not cover %v, with no reason", g.App.Ref, needs.Conditions)
					}
				}
			case *casework.ConsultationHeld:
				held++
			case *casework.ConsultationCancelled:
				cancelled++
			}
		}
		if c := g.App.Consultation; c != nil && c.Status == casework.ConsultationScheduledStatus {
			upcoming++
			// Still to come, or the client withdrew first.
			if g.App.Stage != casework.StageConsultation || !slices.Contains([]casework.Status{casework.StatusOpen, casework.StatusWithdrawn}, g.App.Status) {
				t.Errorf("%s: a booked consultation on an application at %s (%s)", g.App.Ref, g.App.Stage, g.App.Status)
			}
		}
	}
	t.Logf("%d consultations booked: %d held, %d cancelled, %d to come; %d asked for by the client; %d with a practitioner who did not cover every condition",
		booked, held, cancelled, upcoming, asked, overridden)
	if booked == 0 || held == 0 || cancelled == 0 || upcoming == 0 || asked == 0 || overridden == 0 || held < booked/2 {
		t.Error("the history should hold consultations of every kind, most of them held")
	}
}
