package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
)

func TestClientReadsTheirTimeline(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1970, 1, 1) // a real date of birth, not "no date"
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	s.at(calendar.NewDate(2026, 3, 3))
	s.record(ref, &casework.Acknowledged{})
	s.record(ref, &casework.StageChanged{Stage: "gathering-information"})

	v := s.visitor()
	if r := v.get("/application"); r.status != http.StatusSeeOther || r.location != "/track" {
		t.Fatalf("not signed in: %d to %q, want a redirect to /track", r.status, r.location)
	}
	v.signInAsClient(ref, dob)
	r := v.get("/application")
	if r.status != http.StatusOK {
		t.Fatalf("application page: %d", r.status)
	}
	due := s.svc.Calendar().AddWorkingDays(calendar.NewDate(2026, 3, 2), 60)
	for _, want := range []string{
		"Reference " + ref.String(),
		"Your application for Adult Disability Payment",
		"We expect to decide by <strong>" + due.Long() + "</strong>",
		"Gathering information",
		"Done", "Now",
		"tell you we had your application by",
		`href="/charter#commitment-2-2"`,
	} {
		if !strings.Contains(r.text(), want) {
			t.Errorf("the application page does not say %q", want)
		}
	}

	// A request to the client pauses the clock, and the page says what, why and by when.
	s.at(calendar.NewDate(2026, 3, 4))
	s.record(ref, &casework.InformationRequested{What: "a letter from your GP about your condition",
		Why: "to understand how your condition affects your daily life", From: "client", Due: calendar.NewDate(2026, 3, 18)})
	s.at(calendar.NewDate(2026, 3, 9))
	v.signInAsClient(ref, dob) // days later: the old session timed out
	r = v.get("/application")
	for _, want := range []string{
		"What we need from you", "a letter from your GP about your condition",
		"to understand how your condition affects your daily life", "Wednesday 18 March 2026",
		"paused the clock on your application since Wednesday 4 March 2026",
	} {
		if !strings.Contains(r.text(), want) {
			t.Errorf("while paused, the page does not say %q", want)
		}
	}

	// Once the date has passed without a decision, the page apologises.
	s.record(ref, &casework.InformationReceived{})
	s.at(due.AddDays(30))
	v.signInAsClient(ref, dob)
	r = v.get("/application")
	if !strings.Contains(r.text(), "We are sorry: we have not decided by the date we gave you") ||
		!strings.Contains(r.text(), "make a complaint") || !strings.Contains(r.text(), "commitment 2.2") {
		t.Errorf("a missed date is not owned up to:\n%s", r.body)
	}
	if strings.Contains(r.text(), "We expect to decide by <strong>"+due.Long()) || !strings.Contains(r.text(), "We will write to you with a new date") {
		t.Error("after a missed date the page still promises the old date, or gives no word of a new one")
	}
	// Staff give a new date: the apology stays, with the new date.
	newDate := due.AddDays(60)
	s.record(ref, &casework.DecisionDateRevised{NewDate: newDate, Reason: "We are waiting for a report from a specialist."})
	r = v.get("/application")
	if !strings.Contains(r.text(), "We are sorry") || !strings.Contains(r.text(), "We now expect to decide by <strong>"+newDate.Long()+"</strong>") {
		t.Errorf("the new date is not shown with the apology")
	}
}

func TestSignInRotatesAndSignOutEnds(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1985, 6, 30)
	ref := s.apply("carer-support-payment", "Sam Example", dob)
	v := s.visitor()
	v.cookies[cookieSession] = "planted-by-someone-else"
	v.signInAsClient(ref, dob)
	first := v.cookies[cookieSession]
	if first == "" || first == "planted-by-someone-else" {
		t.Fatalf("sign-in did not make a new session id: %q", first)
	}
	v.get("/application")
	if r := v.post("/sign-out"); r.status != http.StatusSeeOther || r.location != "/signed-out" {
		t.Fatalf("sign-out: %d to %q", r.status, r.location)
	}
	// The old cookie no longer works: the session ended on the server.
	v.cookies[cookieSession] = first
	if r := v.get("/application"); r.status != http.StatusSeeOther || r.location != "/track" {
		t.Errorf("after sign-out the old session still works: %d %q", r.status, r.location)
	}
}

func TestClientSignInErrors(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1985, 6, 30)
	ref := s.apply("carer-support-payment", "Sam Example", dob)
	v := s.visitor()
	v.get("/track")
	cases := []struct {
		name   string
		fields []string
		says   []string
	}{
		{"nothing", nil, []string{"There is a problem", `href="#reference"`, "Enter your application reference", `href="#dob-day"`, "Enter your date of birth"}},
		{"not a date", []string{"reference", ref.String(), "dob-day", "31", "dob-month", "2", "dob-year", "1985"}, []string{"must be a real date"}},
		{"wrong date of birth", []string{"reference", ref.String(), "dob-day", "1", "dob-month", "7", "dob-year", "1985"}, []string{"could not find an application with that reference and date of birth"}},
		{"mistyped", []string{"reference", mistyped(ref), "dob-day", "30", "dob-month", "6", "dob-year", "1985"}, []string{"looks mistyped"}},
	}
	for _, c := range cases {
		r := v.post("/sign-in", c.fields...)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", c.name, r.status)
		}
		for _, want := range c.says {
			if !strings.Contains(r.text(), want) {
				t.Errorf("%s: the page does not say %q", c.name, want)
			}
		}
		if !strings.Contains(r.text(), "<title>Error: ") {
			t.Errorf("%s: the title does not start with Error:", c.name)
		}
	}
	msgs, _ := s.st.CodeMessages(t.Context(), 10)
	if len(msgs) != 0 {
		t.Errorf("failed sign-ins sent %d codes", len(msgs))
	}
	// A form without the CSRF token is refused and sends nothing.
	v.csrf = "not-the-token"
	if r := v.post("/sign-in", "reference", ref.String(), "dob-day", "30", "dob-month", "6", "dob-year", "1985"); r.status != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d, want 403", r.status)
	}
	if msgs, _ := s.st.CodeMessages(t.Context(), 10); len(msgs) != 0 {
		t.Error("a form without the CSRF token sent a code")
	}
}

func mistyped(ref casework.Reference) string {
	b := []byte(ref)
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	return string(b)
}

func TestSignInRateLimitedAtTheDoor(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1985, 6, 30)
	ref := s.apply("carer-support-payment", "Sam Example", dob)
	v := s.visitor()
	v.get("/track")
	for i := range 100 {
		r := v.post("/sign-in", "reference", ref.String(), "dob-day", "1", "dob-month", "1", "dob-year", "1990")
		if r.status != http.StatusBadRequest {
			t.Fatalf("failed attempt %d: %d, want 400", i+1, r.status)
		}
	}
	// The 101st attempt in the hour is refused, even with the right details.
	r := v.post("/sign-in", "reference", ref.String(), "dob-day", "30", "dob-month", "6", "dob-year", "1985")
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.text(), "Too many tries") {
		t.Fatalf("the 101st attempt: %d", r.status)
	}
	// Staff sign-in from the same address is refused too.
	v.get("/staff/sign-in")
	if r := v.post("/staff/sign-in", "email", "jo@example.org", "password", "whatever it is"); r.status != http.StatusTooManyRequests {
		t.Errorf("staff sign-in from the same address: %d, want 429", r.status)
	}
}
