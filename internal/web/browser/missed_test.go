package browser

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
)

// TestMissedDateIsOwnedUp: a client whose decision date has passed reads an
// apology, the promise it breaks and what they can do; axe checks the page
// in that state too.
func TestMissedDateIsOwnedUp(t *testing.T) {
	s := newSite(t)
	// Received long enough ago that the decision date has passed.
	received := s.svc.Now().AddDate(0, -6, 0)
	a, _, err := s.svc.Create(context.Background(), "caseworker:test", received, &casework.Received{Benefit: benefitID,
		Client: casework.Client{Name: "Alex Example", DateOfBirth: clientDOB, Email: "alex@example.org", PreferredContact: "email", Area: "Fife"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.svc.Record(context.Background(), a.Ref, -1, app.NewEvent{Type: casework.TypeAcknowledged, At: received.Add(24 * time.Hour), Actor: "caseworker:test", Body: &casework.Acknowledged{}}, nil); err != nil {
		t.Fatal(err)
	}
	b := s.newTab(t, true)
	clientSignsIn(b, a.Ref.String())
	if status := b.visit("/application"); status != http.StatusOK {
		t.Fatalf("GET /application: %d", status)
	}
	b.wantText("We are sorry: we have not decided by the date we gave you", "commitment 2.2", "make a complaint")
	b.check("application with a missed date")
}
