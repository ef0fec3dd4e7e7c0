package web

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
)

// The site's clock starts at 10:00 on Monday 2 March 2026. A disability
// decision made then can be challenged until Wednesday 15 April 2026 (42
// days from 48 hours after it), late with a reason until Thursday 15 April
// 2027; we re-determine within 56 days and the client appeals within 31.

// decide records a decision on every criterion of the application's benefit.
func (s *site) decide(ref casework.Reference, outcome string) {
	s.t.Helper()
	a, _, err := s.svc.Application(context.Background(), ref)
	if err != nil {
		s.t.Fatal(err)
	}
	body := &casework.DecisionMade{Outcome: outcome, DecisionMaker: "Case manager"}
	if outcome != casework.OutcomeRefuse {
		body.Award = "The standard rate of the daily living part, from 2 March 2026."
	}
	for i, c := range a.Benefit().Criteria {
		body.Reasons = append(body.Reasons, casework.CriterionReason{Criterion: c.ID, Met: i > 0,
			Reason: "Reason for " + c.ID + ": we read your form and your GP's letter."})
	}
	s.record(ref, body)
}

func (s *site) application(ref casework.Reference) *casework.Application {
	s.t.Helper()
	a, _, err := s.svc.Application(context.Background(), ref)
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// wantText checks a page says each of wants, in its words without markup.
func wantText(t *testing.T, page string, r response, wants ...string) {
	t.Helper()
	words := html.UnescapeString(tagRe.ReplaceAllString(r.body, ""))
	for _, w := range wants {
		if !strings.Contains(words, w) {
			t.Errorf("%s does not say %q", page, w)
		}
	}
}

func TestClientReadsTheDecisionNotice(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1975, 4, 1)
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	v := s.visitor()
	v.signInAsClient(ref, dob)

	// No decision yet: no decision section, and the request page says so.
	if r := v.get("/application"); strings.Contains(r.text(), "Our decision") || strings.Contains(r.body, redeterminationPath) {
		t.Error("the page shows a decision before there is one")
	}
	r := v.get(redeterminationPath)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s with no decision: %d", redeterminationPath, r.status)
	}
	checkPageFrame(t, r.body)
	wantText(t, "the request page before a decision", r, "We have not made a decision on your application yet", "We expect to decide by")
	if r := v.post(redeterminationPath, "disagreement", "Everything"); r.status != http.StatusSeeOther || r.location != redeterminationPath {
		t.Errorf("POST with no decision: %d to %q", r.status, r.location)
	}
	if a := s.application(ref); a.Challenge != nil || a.Version != 1 {
		t.Error("a request with no decision was written")
	}

	s.decide(ref, casework.OutcomePartial)
	r = v.get("/application")
	checkPageFrame(t, r.body)
	b := s.application(ref).Benefit()
	wantText(t, "the decided application", r,
		"Our decision", "You will get part of Adult Disability Payment.", "We decided on Monday 2 March 2026",
		b.Criteria[0].Question, "No. Reason for "+b.Criteria[0].ID, "Yes. Reason for "+b.Criteria[1].ID,
		"If you disagree", "Ask by Wednesday 15 April 2026.",
		"42 days from Wednesday 4 March 2026, 48 hours after we made our decision",
		"you can still ask until Thursday 15 April 2027",
		"Within 56 days of receiving your request",
		"A date that falls on a weekend or a bank holiday does not move.",
		"Online: sign in", "By phone", "By post", "quoting your reference "+ref.String(),
		"you cannot withdraw the request", "your award may go up, go down or stay the same",
		"Free, independent advice is available",
		"If you still disagree after that, you can appeal to the tribunal",
		"Your challenge, step by step", "Last day to ask us to look at the decision again",
	)
	for _, want := range []string{`href="/charter#commitment-1-8"`, `href="/charter#commitment-1-6"`, `href="` + redeterminationPath + `"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the decided application does not link %s", want)
		}
	}
}

func TestClientAsksForARedetermination(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1975, 4, 1)
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	s.decide(ref, casework.OutcomeRefuse)
	s.at(calendar.NewDate(2026, 3, 10))
	v := s.visitor()
	v.signInAsClient(ref, dob)
	b := s.application(ref).Benefit()

	r := v.get(redeterminationPath)
	checkPageFrame(t, r.body)
	wantText(t, "the request form", r, "Ask us to look at the decision again", "The last day to ask is Wednesday 15 April 2026",
		"What do you disagree with?", "Which parts of the decision do you disagree with? (optional)", b.Criteria[1].Question)
	// The warning comes before the button, and there is no late question in time.
	warning, button := strings.Index(r.text(), "you cannot withdraw the request"), strings.Index(r.body, `<button type="submit" class="ds_button">Ask us`)
	if warning < 0 || button < 0 || warning > button || !strings.Contains(r.text(), "your award may go up, go down or stay the same") {
		t.Errorf("the statement that a request cannot be withdrawn and the award may go up or down must come before the button (%d, %d)", warning, button)
	}
	if strings.Contains(r.body, `id="late-reason"`) {
		t.Error("a request in time is asked why it is late")
	}

	// Nothing typed: the error summary, the title says so, nothing written.
	version := s.application(ref).Version
	r = v.post(redeterminationPath, "disagreement", "  ")
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "<title>Error: ") {
		t.Fatalf("empty request: %d", r.status)
	}
	if links := deskErrorLinks(t, r.body); links["disagreement"] != "Tell us what you disagree with" {
		t.Errorf("errors %v", links)
	}
	if a := s.application(ref); a.Version != version || a.Challenge != nil {
		t.Error("a form with problems wrote something")
	}

	// A real request: recorded as the client's, online; the page confirms
	// it with the date we will decide by.
	r = v.post(redeterminationPath, "disagreement", "I cannot walk to the shops without stopping.",
		"criteria", b.Criteria[1].ID, "criteria", b.Criteria[0].ID)
	if r.status != http.StatusSeeOther || r.location != redeterminationPath {
		t.Fatalf("request: %d to %q\n%s", r.status, r.location, r.text())
	}
	a, events, _ := s.svc.Application(context.Background(), ref)
	last := events[len(events)-1]
	req := a.Challenge.Request
	if last.Type != casework.TypeRedeterminationRequested || last.Actor != "client" || req.How != "online" || req.By != "client" ||
		len(req.Criteria) != 2 || req.DecideBy != calendar.NewDate(2026, 5, 5) {
		t.Fatalf("recorded %s by %q: %+v", last.Type, last.Actor, req)
	}
	r = v.get(redeterminationPath)
	checkPageFrame(t, r.body)
	wantText(t, "the confirmation", r, "We have your request", "We will decide by Tuesday 5 May 2026",
		"I cannot walk to the shops without stopping.", "you cannot withdraw the request")
	if strings.Contains(r.body, `name="disagreement"`) {
		t.Error("the confirmation still offers the form")
	}
	// Pressing the button again writes nothing.
	if r := v.post(redeterminationPath, "disagreement", "again"); r.status != http.StatusSeeOther || s.application(ref).Version != a.Version {
		t.Errorf("a second request: %d, version %d → %d", r.status, a.Version, s.application(ref).Version)
	}
	wantText(t, "the application page", v.get("/application"), "You asked us on Tuesday 10 March 2026", "We will decide by Tuesday 5 May 2026")

	// The deadline passes without a re-determination: the page says plainly
	// the client can appeal now, how, and about the form.
	s.at(calendar.NewDate(2026, 5, 6))
	v.signInAsClient(ref, dob)
	r = v.get("/application")
	wantText(t, "the application page after our deadline", r, "You can appeal to the tribunal now",
		"We said we would look at the decision again by Tuesday 5 May 2026, and we have not. We are sorry",
		"Appeal by Friday 5 June 2026", "We will send you the form to appeal", "send it back to us free of charge")
	if i, j := strings.Index(r.text(), "You can appeal to the tribunal now"), strings.Index(r.text(), "Where your application is now"); i < 0 || i > j {
		t.Error("the appeal notice is not at the top of the page")
	}
	s.record(ref, &casework.AppealFormSent{})
	wantText(t, "the request page after the form was sent", v.get(redeterminationPath),
		"We sent you the form to appeal on Wednesday 6 May 2026", "How to appeal")
}

func TestClientAsksLateOrTooLate(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1975, 4, 1)
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	s.decide(ref, casework.OutcomeRefuse)

	s.at(calendar.NewDate(2026, 4, 16)) // the day after the last day
	v := s.visitor()
	v.signInAsClient(ref, dob)
	r := v.get(redeterminationPath)
	wantText(t, "the late request form", r, "The last day to ask was Wednesday 15 April 2026",
		"You can still ask until Thursday 15 April 2027", "Why are you asking after Wednesday 15 April 2026?")
	r = v.post(redeterminationPath, "disagreement", "I need help with cooking.")
	if r.status != http.StatusBadRequest {
		t.Fatalf("late without a reason: %d", r.status)
	}
	if links := deskErrorLinks(t, r.body); links["late-reason"] != "Tell us why you are asking after Wednesday 15 April 2026" {
		t.Errorf("errors %v", links)
	}
	if !strings.Contains(r.text(), "I need help with cooking.") || s.application(ref).Challenge != nil {
		t.Error("what was typed is lost, or something was written")
	}
	if r := v.post(redeterminationPath, "disagreement", "I need help with cooking.", "late-reason", "I was in hospital."); r.status != http.StatusSeeOther {
		t.Fatalf("late with a reason: %d", r.status)
	}
	if req := s.application(ref).Challenge.Request; !req.Late || req.LateReason != "I was in hospital." || !req.DecideBy.IsZero() {
		t.Errorf("late request %+v", req)
	}
	wantText(t, "the late confirmation", v.get(redeterminationPath), "We have your request",
		"we will first decide whether we can accept it", "If we accept it, we will decide within 56 days of accepting it")

	// Past the late limit there is no form, and the page says what to do.
	other := s.apply("adult-disability-payment", "Sam Example", dob)
	s.decide(other, casework.OutcomeRefuse)
	s.at(calendar.NewDate(2028, 6, 1))
	w := s.visitor()
	w.signInAsClient(other, dob)
	r = w.get(redeterminationPath)
	wantText(t, "the request page after the late limit", r, "The last day to ask us to look at the decision again, even late, was Sunday 30 May 2027",
		"free independent advice")
	if strings.Contains(r.body, `name="disagreement"`) {
		t.Error("the form is offered after the late limit")
	}
	if r := w.post(redeterminationPath, "disagreement", "x", "late-reason", "y"); r.status != http.StatusSeeOther || s.application(other).Challenge != nil {
		t.Error("a request after the late limit was written")
	}
}

func TestClientReadsTheRedetermination(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1975, 4, 1)
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	s.decide(ref, casework.OutcomeRefuse)
	s.record(ref, &casework.RedeterminationRequested{How: "phone", By: "client", Disagreement: "I cannot walk far."})
	b := s.application(ref).Benefit()
	body := &casework.RedeterminationDecided{Outcome: "changed_up", Award: "The enhanced rate of the mobility part.", DecisionMaker: "Senior case manager"}
	for _, c := range b.Criteria {
		body.Reasons = append(body.Reasons, casework.CriterionReason{Criterion: c.ID, Met: true, Reason: "Looked at again: " + c.ID})
	}
	s.record(ref, body)
	v := s.visitor()
	v.signInAsClient(ref, dob)
	r := v.get("/application")
	checkPageFrame(t, r.body)
	wantText(t, "the re-determined application", r, "We looked at the decision again on Monday 2 March 2026: we changed the decision, and your award goes up.",
		"When we looked at the decision again", "The enhanced rate of the mobility part.", b.Criteria[2].Question, "Yes. Looked at again: "+b.Criteria[2].ID,
		"If you still disagree, you can appeal to the tribunal", "Appeal by Thursday 2 April 2026.")
}

func TestStaffRecordTheChallenge(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Morag Example", 10)
	d.decide(ref, casework.OutcomeRefuse)
	u := d.staff("casey@example.org", app.RoleCaseworker)
	b := d.app(ref).Benefit()

	p := u.get("/staff/cases/" + ref.String())
	checkPageFrame(t, p.body)
	wantText(t, "the decided case", p, "Re-determination and appeal", "Last day to ask", "Wednesday 15 April 2026",
		"Late requests, with a good reason, until", "Thursday 15 April 2027", "does not move",
		"Record a request to look at the decision again")
	for _, absent := range []string{"/late-request", "/redetermination-decision", "/appeal-form-sent", "/appeal-lodged", "/appeal-decided"} {
		if strings.Contains(p.body, `action="/staff/cases/`+ref.String()+absent+`"`) {
			t.Errorf("the form %s is shown before it fits", absent)
		}
	}

	// A form that does not fit now is refused next to the section heading.
	before := d.app(ref).Version
	p = u.caseForm(ref, "appeal-lodged")
	if p.status != http.StatusBadRequest || deskErrorLinks(t, p.body)["challenge"] != "The client cannot appeal yet" {
		t.Errorf("appeal before a request: %d", p.status)
	}
	p = u.caseForm(ref, "redetermination-request", "disagreement", "x")
	links := deskErrorLinks(t, p.body)
	if p.status != http.StatusBadRequest || links["rd-how"] == "" || links["rd-by"] == "" || links["rd-disagreement"] != "" {
		t.Errorf("request without how or who: %d %v", p.status, links)
	}
	if d.app(ref).Version != before {
		t.Fatal("a refused form wrote something")
	}

	// The request, by the client's supporter by post, received two days ago.
	p = u.caseForm(ref, "redetermination-request", "how", "post", "by", "supporter",
		"disagreement", "The GP letter was not read.", "criteria", b.Criteria[0].ID,
		"received-day", "28", "received-month", "2", "received-year", "2026")
	if p.status != http.StatusBadRequest || deskErrorLinks(t, p.body)["rd-received-day"] == "" {
		t.Errorf("received before the decision: %d", p.status)
	}
	p = u.caseForm(ref, "redetermination-request", "how", "post", "by", "supporter",
		"disagreement", "The GP letter was not read.", "criteria", b.Criteria[0].ID,
		"received-day", "2", "received-month", "3", "received-year", "2026")
	if p.status != http.StatusSeeOther {
		t.Fatalf("request: %d\n%s", p.status, p.text())
	}
	req := d.app(ref).Challenge.Request
	if req.How != "post" || req.By != "supporter" || req.ReceivedOn != calendar.NewDate(2026, 3, 2) || req.DecideBy != calendar.NewDate(2026, 4, 27) {
		t.Errorf("request %+v", req)
	}
	if rows := d.audit(ref); rows[len(rows)-1].Action != "recorded redetermination_requested" {
		t.Errorf("audit %q", rows[len(rows)-1].Action)
	}
	p = u.get("/staff/cases/" + ref.String())
	wantText(t, "the case with a request", p, "Re-determine by", "Monday 27 April 2026", "The GP letter was not read.",
		"by post, from the client's supporter", "A request cannot be withdrawn once made",
		"Re-determination asked for by post by the client's supporter", "Record the re-determination")
	if strings.Contains(p.body, `action="/staff/cases/`+ref.String()+`/redetermination-request"`) {
		t.Error("the request form is still offered")
	}

	// The re-determination: every criterion needs an answer and a reason.
	p = u.caseForm(ref, "redetermination-decision", "outcome", "changed_up")
	links = deskErrorLinks(t, p.body)
	if p.status != http.StatusBadRequest || links["rdd-"+b.Criteria[0].ID+"-met"] == "" || links["rdd-decision-maker"] == "" {
		t.Errorf("re-determination without reasons: %d %v", p.status, links)
	}
	fields := []string{"outcome", "changed_up", "award", "Enhanced rate of the mobility part", "decision_maker", "Senior case manager"}
	for _, c := range b.Criteria {
		fields = append(fields, "met-"+c.ID, "yes", "reason-"+c.ID, "Looked at again for "+c.ID)
	}
	if p = u.caseForm(ref, "redetermination-decision", fields...); p.status != http.StatusSeeOther {
		t.Fatalf("re-determination: %d\n%s", p.status, p.text())
	}
	if rd := d.app(ref).Challenge.Redetermination; rd == nil || rd.Outcome != "changed_up" || len(rd.Reasons) != len(b.Criteria) || rd.Late {
		t.Fatalf("re-determination %+v", rd)
	}
	p = u.get("/staff/cases/" + ref.String())
	wantText(t, "the re-determined case", p, "Changed: the award goes up", "Looked at again for "+b.Criteria[0].ID,
		"Appeal by", "Thursday 2 April 2026", "Re-determination made: changed: the award goes up")

	// The appeal form, the appeal and the tribunal's decision.
	for _, step := range []struct {
		form   string
		fields []string
	}{
		{"appeal-form-sent", []string{"channel", "email"}},
		{"appeal-lodged", []string{"note", "Form came back by post"}},
		{"appeal-decided", []string{"outcome", "partly_upheld", "note", "Mobility part only"}},
	} {
		if p := u.caseForm(ref, step.form, step.fields...); p.status != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", step.form, p.status, p.text())
		}
	}
	ap := d.app(ref).Challenge.Appeal
	if d.app(ref).Challenge.AppealFormSentBy != "email" || ap.Outcome != "partly_upheld" || ap.LodgedOn != calendar.NewDate(2026, 3, 2) {
		t.Errorf("appeal %+v", ap)
	}
	p = u.get("/staff/cases/" + ref.String())
	wantText(t, "the appealed case", p, "The tribunal decided", "Partly upheld", "Mobility part only", "Appeal form sent (email)")
	if p := u.caseForm(ref, "appeal-decided", "outcome", "upheld"); p.status != http.StatusBadRequest ||
		deskErrorLinks(t, p.body)["challenge"] != "There is no appeal waiting for the tribunal's decision" {
		t.Errorf("a second tribunal decision: %d", p.status)
	}
}

func TestStaffChallengeLateAndMissed(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Morag Example", 10)
	d.decide(ref, casework.OutcomeRefuse)
	open := d.apply(deskADP, "Callum Example", 5)
	u := d.staff("casey@example.org", app.RoleCaseworker)

	// On an open case the forms are not there; one sent anyway is refused at the status.
	p := u.caseForm(open, "redetermination-request", "how", "phone", "by", "client", "disagreement", "x")
	if p.status != http.StatusBadRequest || deskErrorLinks(t, p.body)["case-status"] == "" {
		t.Errorf("a request on an open case: %d", p.status)
	}

	// Late, by phone: the reason is needed, and the domain's word on it
	// lands next to the field.
	d.at(calendar.NewDate(2026, 4, 20))
	u = d.staff("casey2@example.org", app.RoleCaseworker)
	p = u.caseForm(ref, "redetermination-request", "how", "phone", "by", "client", "disagreement", "I could not get to the post office.")
	if p.status != http.StatusBadRequest || !strings.Contains(deskErrorLinks(t, p.body)["rd-late-reason"], "Wednesday 15 April 2026") {
		t.Fatalf("late without a reason: %d", p.status)
	}
	if p := u.caseForm(ref, "redetermination-request", "how", "phone", "by", "client",
		"disagreement", "I could not get to the post office.", "late_reason", "I was ill."); p.status != http.StatusSeeOther {
		t.Fatalf("late request: %d", p.status)
	}
	p = u.caseForm(ref, "late-request", "outcome", "accepted")
	if p.status != http.StatusBadRequest || deskErrorLinks(t, p.body)["late-decision-reason"] == "" {
		t.Errorf("accepted without a reason: %d", p.status)
	}
	if p := u.caseForm(ref, "late-request", "outcome", "accepted", "reason", "You were ill."); p.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", p.status)
	}
	due := calendar.NewDate(2026, 4, 20).AddDays(56)
	if got := d.app(ref).Challenge.Request.DecideBy; got != due {
		t.Fatalf("due %s, want %s", got, due)
	}
	// The work queue lists it by our deadline.
	q := u.get("/staff")
	wantText(t, "the queue before our deadline", q, "Decisions to look at again", ref.String(), due.Long())
	if strings.Contains(q.body, "ds_tag--red\">Missed</strong> <span class=\"charter-date\">"+due.Long()) {
		t.Error("the re-determination is marked missed before its date")
	}
	// Our deadline passes: the page warns, the appeal forms appear.
	d.at(due.AddDays(1))
	u = d.staff("casey3@example.org", app.RoleCaseworker)
	q = u.get("/staff")
	if !strings.Contains(q.body, "ds_tag--red\">Missed</strong> <span class=\"charter-date\">"+due.Long()) {
		t.Error("the queue does not mark the re-determination missed after its date")
	}
	p = u.get("/staff/cases/" + ref.String())
	wantText(t, "the case after our deadline", p, "We did not look at the decision again by "+due.Long(), "The client may appeal now",
		"Record that the appeal form was sent", "Record an appeal to the tribunal", "Missed")
	if p := u.caseForm(ref, "appeal-form-sent", "channel", "letter"); p.status != http.StatusSeeOther {
		t.Fatalf("appeal form: %d", p.status)
	}
	if tl, _ := d.app(ref).ChallengeTimeline(d.svc.Today()); !tl.DeadlineMissed || tl.AppealFormSentOn != due.AddDays(1) {
		t.Errorf("timeline %+v", tl)
	}
}

// at moves the desk's clock.
func (d *desk) at(day calendar.Date) { d.site.at(day) }
