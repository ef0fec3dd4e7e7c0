package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/message"
)

// TestJourneyFromApplicationToAppeal walks the journey the decisions issue
// names, through the pages: a caseworker takes an application from
// received to a decision with an information request and a justified
// consultation; the client reads the reasons and asks online for a
// re-determination; our deadline passes and the service by itself sends
// the client the appeal form, and tells them they can appeal now.
func TestJourneyFromApplicationToAppeal(t *testing.T) {
	d := newDesk(t)
	ctx := context.Background()
	nurse, _ := d.practitioners()
	ref := d.apply(deskADP, "Morag Example", 12)
	u := d.staff("casey@example.org", app.RoleCaseworker)
	b, _ := d.svc.Benefits()
	ben, _ := b.Benefit(deskADP)
	decision := []string{"outcome", "partial", "award", "The standard rate of the daily living part", "decision_maker", "Case manager"}
	for i, c := range ben.Criteria {
		met := "yes"
		if i == len(ben.Criteria)-1 {
			met = "no"
		}
		decision = append(decision, "met-"+c.ID, met, "reason-"+c.ID, "The GP's letter and what you told the nurse show this for "+c.ID+".")
	}
	today := d.svc.Today()
	for _, step := range []struct {
		form   string
		fields []string
	}{
		{"stage", []string{"stage", "gathering-information"}},
		{"request-information", []string{"what", "A letter from your GP about your anxiety", "why", "To understand how it affects going out",
			"from", "client", "due-day", "20", "due-month", "3", "due-year", "2026"}},
		{"information-received", []string{"request_id", "R1", "note", "Two pages from the GP practice"}},
		{"client-details", []string{"conditions", "mental-health", "pref_how", "phone", "breaks", "yes"}},
		{"propose-consultation", []string{"missing_information", testMissing, "why_not_enough", testWhy}},
		{"schedule-consultation", []string{"practitioner", nurse.ID, "consultation-date-day", "10", "consultation-date-month", "3",
			"consultation-date-year", "2026", "consultation_time", "10:30", "consultation_how", "phone"}},
	} {
		if p := u.caseForm(ref, step.form, step.fields...); p.status != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", step.form, p.status, p.text())
		}
	}
	d.at(today.AddDays(8)) // the consultation's day
	u = d.staff("casey2@example.org", app.RoleCaseworker)
	for _, step := range []struct {
		form   string
		fields []string
	}{
		{"consultation-held", []string{"consultation_report", "We talked by phone about going out and daily routines."}},
		{"decision", decision},
	} {
		if p := u.caseForm(ref, step.form, step.fields...); p.status != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", step.form, p.status, p.text())
		}
	}
	a := d.app(ref)
	if a.Decision == nil || a.Consultation.Status != casework.ConsultationHeldStatus || a.Consultation.WhyNotEnough != testWhy {
		t.Fatalf("after the casework: %+v %+v", a.Decision, a.Consultation)
	}

	// The client reads the reasons and asks us to look again.
	client := d.visitor()
	client.signInAsClient(ref, deskDOB)
	page := client.get("/application")
	for _, want := range []string{"You will get part of Adult Disability Payment", "The GP's letter and what you told the nurse",
		"Ask us to look at the decision again"} {
		if !strings.Contains(page.text(), want) {
			t.Errorf("the client's page lacks %q", want)
		}
	}
	client.get(redeterminationPath)
	if p := client.post(redeterminationPath, "disagreement", "I cannot go out alone at all, and the nurse did not ask about bad days."); p.status != http.StatusSeeOther {
		t.Fatalf("asking online: %d", p.status)
	}
	deadline := d.app(ref).Challenge.Request.DecideBy

	// Our deadline passes with no re-determination: the service's own
	// timers send the appeal form, once, and the client's page says so.
	d.at(deadline.AddDays(1))
	res, err := d.svc.CheckTimers(ctx, 100)
	if err != nil || res.Recorded < 1 {
		t.Fatalf("timers: %+v %v", res, err)
	}
	if again, _ := d.svc.CheckTimers(ctx, 100); again.Recorded != 0 {
		t.Errorf("a second sweep recorded %d", again.Recorded)
	}
	a = d.app(ref)
	if a.Challenge.AppealFormSentOn != deadline.AddDays(1) {
		t.Errorf("appeal form sent on %s, want %s", a.Challenge.AppealFormSentOn, deadline.AddDays(1))
	}
	ns, _ := d.svc.Notifications(ctx, ref)
	var letter, email bool
	for _, n := range ns {
		if n.Kind == message.KindAppealNow {
			letter = letter || (n.Channel == message.ChannelLetter && strings.Contains(n.Body, "Appeal form"))
			email = email || n.Channel == message.ChannelEmail
		}
	}
	if !letter || !email {
		t.Errorf("appeal notice: letter %v, email %v", letter, email)
	}
	client = d.visitor()
	client.signInAsClient(ref, deskDOB)
	if text := client.get("/application").text(); !strings.Contains(text, "You can appeal to the tribunal now") {
		t.Errorf("the client's page does not say they can appeal now:\n%s", text)
	}
}
