package browser

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
	"github.com/charter-service/charter/internal/web"
)

// now is the fixed "now" of the site under test: Monday 2 March 2026, 10:00,
// so dates on the pages (and in the screenshots) are the same every run.
var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// benefitID is the example benefit the applications are for.
const benefitID = "adult-disability-payment"

// The client every test creates, and the staff member who signs in.
var (
	clientDOB     = calendar.NewDate(1980, 5, 17)
	staffEmail    = "casey.worker@example.org"
	managerEmail  = "morgan.manager@example.org"
	staffPassword = "correct horse battery staple"
)

// site is the whole service, in process: a fresh SQLite store with the
// example charter and benefits, served over loopback HTTP. Chromium
// accepts the __Host- cookies (which must be Secure) from
// http://127.0.0.1, which it counts as a secure origin, so no TLS is needed.
type site struct {
	t   *testing.T
	URL string
	svc *app.Service
	st  *store.Store
}

func newSite(t *testing.T) *site {
	t.Helper()
	needBrowser(t)
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tmpl, err := message.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	// The clock stands still, so the feedback form's "too quick for a
	// person" check is off (the app's tests cover it).
	svc, err := app.New(ctx, st, app.Options{Now: func() time.Time { return now }, Logger: log, Seed: 11, Messages: tmpl,
		Measures: examples.Measures, FeedbackMinFill: -1,
		Sender: message.Service{Name: web.ServiceName, PublicURL: "http://127.0.0.1", Phone: "0808 157 0192"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.LoadWithMeasures(ctx, "charter.yaml", examples.Charter, "benefits.yaml", examples.Benefits, "measures.yaml", examples.Measures); err != nil {
		t.Fatal(err)
	}
	h, err := web.New(svc, log, web.NewMetrics(st, svc.Today))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{t: t, URL: srv.URL, svc: svc, st: st}
}

// newApplication opens an application for Alex Example, born clientDOB,
// and returns its reference as people type it (7KM-4QX-9DC).
func (s *site) newApplication() string {
	s.t.Helper()
	a, _, err := s.svc.Create(context.Background(), "caseworker:test", time.Time{}, &casework.Received{
		Benefit: benefitID,
		Client: casework.Client{Name: "Alex Example", DateOfBirth: clientDOB, Email: "alex@example.org",
			PreferredContact: "email", Area: "Fife"},
	}, nil)
	if err != nil {
		s.t.Fatalf("creating an application: %v", err)
	}
	return a.Ref.String()
}

// benefit is the benefit every application here is for.
func (s *site) benefit() *charter.Benefit {
	s.t.Helper()
	cat, err := s.svc.Benefits()
	if err != nil {
		s.t.Fatal(err)
	}
	b, ok := cat.Benefit(benefitID)
	if !ok {
		s.t.Fatalf("the example benefits have no %q", benefitID)
	}
	return b
}

// addCaseworker adds the caseworker who signs in as staffEmail.
func (s *site) addCaseworker() {
	s.t.Helper()
	s.addStaff(staffEmail, "caseworker")
}

// addStaff adds a member of staff with a role, whose password is staffPassword.
func (s *site) addStaff(email, role string) {
	s.t.Helper()
	if err := s.svc.AddStaffUser(context.Background(), email, role, staffPassword); err != nil {
		s.t.Fatalf("adding a %s: %v", role, err)
	}
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// lastCode is the one-time code in the newest message of the code outbox.
// It takes the test asking, which may be a subtest of the one that made s.
func (s *site) lastCode(t *testing.T) string {
	t.Helper()
	msgs, err := s.st.CodeMessages(context.Background(), 1)
	if err != nil {
		t.Fatalf("reading the code outbox: %v", err)
	}
	if len(msgs) == 0 {
		t.Fatal("the code outbox is empty: no code was sent")
	}
	code := sixDigits.FindString(msgs[0].Body)
	if code == "" {
		t.Fatalf("no 6-digit code in the message %q", msgs[0].Body)
	}
	return code
}
