package web

import (
	"context"
	"html"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/store"
)

// desk is a site with helpers for casework: applications received some
// working days ago, and a look at a case's state and audit.
type desk struct{ *site }

const (
	deskADP   = "adult-disability-payment"
	deskCarer = "carer-support-payment"
)

func newDesk(t *testing.T) *desk { return &desk{newSite(t)} }

var deskDOB = calendar.NewDate(1970, time.May, 17)

// apply opens an application received workingDaysAgo working days before
// today, at 10:00.
func (d *desk) apply(benefit, name string, workingDaysAgo int) casework.Reference {
	d.t.Helper()
	on := d.svc.Calendar().AddWorkingDays(d.svc.Today(), -workingDaysAgo)
	a, _, err := d.svc.Create(context.Background(), "caseworker:test", on.Time().Add(10*time.Hour), &casework.Received{
		Benefit: benefit, Client: casework.Client{Name: name, DateOfBirth: deskDOB, Email: "client@example.org",
			PreferredContact: "email", Area: "Fife"}}, nil)
	if err != nil {
		d.t.Fatal(err)
	}
	return a.Ref
}

func (d *desk) record(ref casework.Reference, body casework.Body) {
	d.t.Helper()
	if _, _, err := d.svc.Record(context.Background(), ref, -1,
		app.NewEvent{Type: body.Type(), Actor: "caseworker:test", Body: body}, nil); err != nil {
		d.t.Fatal(err)
	}
}

func (d *desk) app(ref casework.Reference) *casework.Application {
	d.t.Helper()
	a, _, err := d.svc.Application(context.Background(), ref)
	if err != nil {
		d.t.Fatal(err)
	}
	return a
}

func (d *desk) audit(ref casework.Reference) []store.AuditEntry {
	d.t.Helper()
	rows, err := d.svc.AuditFor(context.Background(), ref)
	if err != nil {
		d.t.Fatal(err)
	}
	return rows
}

// staff adds a member of staff with a role and signs in as them.
func (d *desk) staff(email, role string) *visitor {
	d.t.Helper()
	v := d.visitor()
	v.signInAsStaff(email, role)
	return v
}

var (
	deskRowRe  = regexp.MustCompile(`(?s)<tr>\s*<td><a href="/staff/cases/([^"]+)">[^<]*</a></td>.*?<strong class="ds_tag [^"]*">([^<]+)</strong>`)
	deskNextRe = regexp.MustCompile(`<a class="ds_pagination__link[^"]*" href="([^"]+)"><span class="ds_pagination__link-label">Next page`)
	deskLinkRe = regexp.MustCompile(`<li><a href="#([^"]+)">([^<]+)</a></li>`)
	deskIDRe   = regexp.MustCompile(`\sid="([^"]+)"`)
)

type deskQueueLine struct{ ref, status string }

func deskQueueLines(body string) []deskQueueLine {
	var out []deskQueueLine
	for _, m := range deskRowRe.FindAllStringSubmatch(body, -1) {
		out = append(out, deskQueueLine{m[1], m[2]})
	}
	return out
}

// deskErrorLinks returns the error summary's links (field id → message) and
// checks each goes to an element on the page.
func deskErrorLinks(t *testing.T, body string) map[string]string {
	t.Helper()
	i := strings.Index(body, `<div class="ds_error-summary"`)
	if i < 0 {
		t.Fatalf("no error summary on the page")
	}
	end := strings.Index(body[i:], "</div>")
	ids := map[string]bool{}
	for _, m := range deskIDRe.FindAllStringSubmatch(body, -1) {
		ids[m[1]] = true
	}
	links := map[string]string{}
	for _, m := range deskLinkRe.FindAllStringSubmatch(body[i:i+end], -1) {
		links[m[1]] = html.UnescapeString(m[2])
		if !ids[m[1]] {
			t.Errorf("the error summary links to #%s, which is not on the page", m[1])
		}
		if !strings.Contains(body, `id="`+m[1]+`-error"`) && m[1] != "first-page" {
			t.Errorf("no error message next to the field %s", m[1])
		}
	}
	return links
}

func TestStaffQueueOrderAndPagination(t *testing.T) {
	d := newDesk(t)
	var missed, atRisk, onTrack []casework.Reference
	for i := range 2 {
		missed = append(missed, d.apply(deskADP, "Missed "+strconv.Itoa(i), 70))
		atRisk = append(atRisk, d.apply(deskADP, "At Risk "+strconv.Itoa(i), 52))
	}
	for i := range 24 {
		onTrack = append(onTrack, d.apply(deskADP, "On Track "+strconv.Itoa(i), 3))
	}
	paused := d.apply(deskADP, "Paused Client", 3)
	d.record(paused, &casework.InformationRequested{What: "payslips", Why: "to check earnings", From: casework.FromClient})
	carers := []casework.Reference{d.apply(deskCarer, "Carer One", 2), d.apply(deskCarer, "Carer Two", 2)}

	u := d.staff("casey@example.org", app.RoleCaseworker)
	p := u.get("/staff")
	if p.status != http.StatusOK {
		t.Fatalf("GET /staff: %d\n%s", p.status, p.body)
	}
	checkPageFrame(t, p.body)
	first := deskQueueLines(p.body)
	if len(first) != queuePageSize {
		t.Fatalf("first page has %d rows, want %d", len(first), queuePageSize)
	}
	// Missed first, then at risk, then on track.
	wantStatus := func(lines []deskQueueLine, refs []casework.Reference, status string) {
		t.Helper()
		for _, l := range lines {
			if slices.ContainsFunc(refs, func(r casework.Reference) bool { return r.String() == l.ref }) && l.status != status {
				t.Errorf("%s shows as %q, want %q", l.ref, l.status, status)
			}
		}
	}
	for i, l := range first[:4] {
		want := "Missed"
		if i >= 2 {
			want = "At risk"
		}
		if l.status != want {
			t.Errorf("row %d is %s %q, want %q", i+1, l.ref, l.status, want)
		}
	}
	wantStatus(first, onTrack, "On track")
	for _, want := range []string{
		"Open applications on Monday 2 March 2026",
		`<td><a href="/staff?status=missed">2<span class="visually-hidden"> Missed</span></a></td>`,
		`<td><a href="/staff?status=at-risk">2<span class="visually-hidden"> At risk</span></a></td>`,
		`<td><a href="/staff?status=on-track">26<span class="visually-hidden"> On track</span></a></td>`,
		`<td><a href="/staff?status=paused">1<span class="visually-hidden"> Paused</span></a></td>`,
		`<tr><th scope="row">All open</th><td>31</td></tr>`,
		`<a class="ds_tabs__tab-link" href="/staff" aria-current="page">Work queue</a>`,
		`<a class="ds_tabs__tab-link" href="/staff/outbox">Sign-in codes</a>`,
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the queue lacks %s", want)
		}
	}
	if strings.Contains(p.body, `href="/staff/performance"`) {
		t.Error("a caseworker is offered the performance page")
	}

	// The next page carries on where the first stopped, paused last.
	m := deskNextRe.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("no Next page link")
	}
	p2 := u.get(html.UnescapeString(m[1]))
	second := deskQueueLines(p2.body)
	if p2.status != http.StatusOK || len(second) != 31-queuePageSize {
		t.Fatalf("second page: %d with %d rows", p2.status, len(second))
	}
	if last := second[len(second)-1]; last.ref != paused.String() || last.status != "Paused" {
		t.Errorf("the last row is %v, want the paused case", last)
	}
	if deskNextRe.MatchString(p2.body) || !strings.Contains(p2.body, `href="/staff">First page</a>`) {
		t.Error("the last page should link to the first and not to a next")
	}
	seen := map[string]bool{}
	for _, l := range append(first, second...) {
		if seen[l.ref] {
			t.Errorf("%s is on both pages", l.ref)
		}
		seen[l.ref] = true
	}
	for _, r := range slices.Concat(missed, atRisk, onTrack, carers, []casework.Reference{paused}) {
		if !seen[r.String()] {
			t.Errorf("%s is on neither page", r)
		}
	}

	// Paging keeps the filters.
	p = u.get("/staff?benefit=" + deskADP)
	m = deskNextRe.FindStringSubmatch(p.body)
	if m == nil || !strings.Contains(html.UnescapeString(m[1]), "benefit="+deskADP) || !strings.Contains(m[1], "cursor=") {
		t.Fatalf("the next page link does not keep the filter: %v", m)
	}
	p2 = u.get(html.UnescapeString(m[1]))
	for _, l := range deskQueueLines(p2.body) {
		if l.ref == carers[0].String() || l.ref == carers[1].String() {
			t.Errorf("the filtered second page has the carer case %s", l.ref)
		}
	}
	if len(deskQueueLines(p2.body)) != 29-queuePageSize {
		t.Errorf("the filtered second page has %d rows, want %d", len(deskQueueLines(p2.body)), 29-queuePageSize)
	}
}

func TestStaffQueueFilters(t *testing.T) {
	d := newDesk(t)
	missed := d.apply(deskADP, "Missed Person", 70)
	paused := d.apply(deskADP, "Paused Person", 3)
	d.record(paused, &casework.InformationRequested{What: "payslips", Why: "to check earnings", From: casework.FromClient})
	carerRef := d.apply(deskCarer, "Carer Person", 2)
	moved := d.apply(deskCarer, "Moved Person", 2)
	d.record(moved, &casework.StageChanged{Stage: "checking-caring"})
	u := d.staff("casey@example.org", app.RoleCaseworker)

	refs := func(p response) []string {
		var out []string
		for _, l := range deskQueueLines(p.body) {
			out = append(out, l.ref)
		}
		return out
	}
	for _, tc := range []struct {
		query string
		want  []casework.Reference
	}{
		{"", []casework.Reference{missed, carerRef, moved, paused}},
		{"?status=all", []casework.Reference{missed, carerRef, moved, paused}},
		{"?status=missed", []casework.Reference{missed}},
		{"?status=paused", []casework.Reference{paused}},
		{"?benefit=" + deskCarer, []casework.Reference{carerRef, moved}},
		{"?benefit=" + deskCarer + "&stage=checking-caring", []casework.Reference{moved}},
		{"?stage=received&status=on-track", []casework.Reference{carerRef}},
		{"?benefit=" + deskADP + "&status=at-risk", nil},
	} {
		p := u.get("/staff" + tc.query)
		if p.status != http.StatusOK {
			t.Errorf("%s: %d", tc.query, p.status)
			continue
		}
		got := refs(p)
		var want []string
		for _, r := range tc.want {
			want = append(want, r.String())
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", tc.query, got, want)
		}
		if tc.want == nil && !strings.Contains(p.body, "There are no open applications that match these filters.") {
			t.Errorf("%s: no words for an empty queue", tc.query)
		}
	}
	// The form shows the filters chosen, and the counts follow them.
	p := u.get("/staff?benefit=" + deskCarer + "&stage=checking-caring")
	for _, want := range []string{
		`<option value="` + deskCarer + `" selected>Carer Support Payment</option>`,
		`<option value="checking-caring" selected>Checking your caring and income</option>`,
		`Open applications: Carer Support Payment, at the stage Checking your caring and income`,
		`<tr><th scope="row">All open</th><td>1</td></tr>`,
		`<a href="/staff">Clear the filters</a>`,
	} {
		if !strings.Contains(html.UnescapeString(p.body), html.UnescapeString(want)) {
			t.Errorf("the filtered queue lacks %s", want)
		}
	}

	// Values that are not in the lists are problems with the form, not 500s.
	for _, tc := range []struct{ query, field, message string }{
		{"?benefit=flying-lessons", "benefit", "Choose a benefit from the list"},
		{"?stage=tea-break", "stage", "Choose a stage from the list"},
		{"?benefit=" + deskCarer + "&stage=consultation", "stage", "Choose a stage that Carer Support Payment has, or All stages"},
		{"?status=late", "status", "Choose a status from the list"},
		{"?cursor=not-a-cursor", "first-page", "This page of the queue no longer exists: start again from the first page"},
	} {
		p := u.get("/staff" + tc.query)
		if p.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", tc.query, p.status)
			continue
		}
		checkPageFrame(t, p.body)
		if got := deskErrorLinks(t, p.body)[tc.field]; got != tc.message {
			t.Errorf("%s: error for %s is %q, want %q", tc.query, tc.field, got, tc.message)
		}
		if !strings.Contains(p.body, "<title>Error: Work queue") {
			t.Errorf("%s: the title does not start with Error:", tc.query)
		}
		if len(deskQueueLines(p.body)) != 0 {
			t.Errorf("%s: the queue is shown under a bad filter", tc.query)
		}
	}
}

func TestStaffCasePage(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Morag Example", 10)
	d.record(ref, &casework.Acknowledged{})
	d.record(ref, &casework.StageChanged{Stage: "acknowledged"})
	d.record(ref, &casework.InformationRequested{What: "a letter from your GP", Why: "to understand your condition", From: casework.FromClient})
	u := d.staff("casey@example.org", app.RoleCaseworker)

	before := len(d.audit(ref))
	p := u.get("/staff/cases/" + ref.String())
	if p.status != http.StatusOK {
		t.Fatalf("GET case: %d\n%s", p.status, p.body)
	}
	checkPageFrame(t, p.body)
	text := p.text()
	for _, want := range []string{
		"<h1 class=\"ds_page-header__title\">Case " + ref.String() + "</h1>",
		"Morag Example",
		"Sunday 17 May 1970",
		"Email: client@example.org",
		"Fife",
		// The timeline: stages with where the case is, and the clock.
		"Application received",
		`<strong class="ds_tag ds_tag--green">Done</strong>`,
		`<strong class="ds_tag ds_tag--blue">Now</strong>`,
		`<strong class="ds_tag ds_tag--grey">Only if needed</strong>`,
		"The decision clock has been stopped since Monday 2 March 2026",
		// Standards and the commitments they make real.
		"Acknowledge the application",
		`<a href="/charter#commitment-1-4">commitment 1.4</a>`,
		`<a href="/charter#commitment-2-2">commitment 2.2</a>`,
		`<strong class="ds_tag ds_tag--grey">Paused</strong>`,
		// What we are waiting for, and the history in words.
		"a letter from your GP",
		"Asked the client for: a letter from your GP (request R1, by",
		"Acknowledged: we told the client we have their application",
		"test (caseworker)",
		// The forms, each carrying the version.
		`action="/staff/cases/` + ref.String() + `/request-information"`,
		`action="/staff/cases/` + ref.String() + `/information-received"`,
		`action="/staff/cases/` + ref.String() + `/stage"`,
		`action="/staff/cases/` + ref.String() + `/decision"`,
		`action="/staff/cases/` + ref.String() + `/withdraw"`,
	} {
		if !strings.Contains(text, html.UnescapeString(want)) {
			t.Errorf("the case page lacks %s", want)
		}
	}
	// Every form carries the version: the five above, and the others
	// (consultations, challenges) that fit the case as it is.
	forms := strings.Count(p.body, `<form class="ds_form" method="post" action="/staff/cases/`)
	if n := strings.Count(p.body, `name="expected_version" value="4"`); n != forms || n < 5 {
		t.Errorf("%d forms carry expected_version 4, want all %d (at least 5)", n, forms)
	}
	// The decision form asks about every criterion of the benefit.
	b, _ := d.svc.Benefits()
	ben, _ := b.Benefit(deskADP)
	for _, c := range ben.Criteria {
		for _, want := range []string{`name="met-` + c.ID + `" value="yes"`, `name="met-` + c.ID + `" value="no"`, `name="reason-` + c.ID + `"`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("the decision form lacks %s", want)
			}
		}
	}

	// One audit row per view, naming who looked.
	u.get("/staff/cases/" + ref.String())
	rows := d.audit(ref)
	if len(rows) != before+2 {
		t.Fatalf("%d audit rows after two views, want %d", len(rows), before+2)
	}
	for _, r := range rows[before:] {
		if r.Action != "viewed" || r.ActorKind != "staff" || r.ActorName != "casey@example.org" {
			t.Errorf("audit row %+v", r)
		}
	}

	// References typed wrong, or not ours.
	wrong := []byte(ref)
	wrong[len(wrong)-1] = "23"[map[bool]int{true: 1}[wrong[len(wrong)-1] == '2']]
	if p := u.get("/staff/cases/" + string(wrong)); p.status != http.StatusBadRequest || !strings.Contains(p.body, "looks mistyped") {
		t.Errorf("mistyped reference: %d\n%s", p.status, p.body)
	}
	if p := u.get("/staff/cases/0KM-4QX-9DC"); p.status != http.StatusBadRequest || !strings.Contains(p.body, "looks mistyped") {
		t.Errorf("reference with a 0: %d", p.status)
	}
	if p := u.get("/staff/cases/ABC"); p.status != http.StatusBadRequest {
		t.Errorf("short reference: %d", p.status)
	}
	unknown := casework.NewReference(rand.New(rand.NewPCG(99, 99)))
	if p := u.get("/staff/cases/" + unknown.String()); p.status != http.StatusNotFound || !strings.Contains(p.body, "There is no application with the reference "+unknown.String()) {
		t.Errorf("unknown reference: %d", p.status)
	}
	if n := len(d.audit(ref)); n != before+2 {
		t.Errorf("error pages wrote audit rows: %d", n-before-2)
	}
}

// caseForm posts one of the case page's forms at the version the page shows.
func (u *visitor) caseForm(ref casework.Reference, form string, fields ...string) response {
	u.s.t.Helper()
	u.get("/staff/cases/" + ref.String()) // a fresh token and version, as a person would have
	fields = append(fields, "expected_version", strconv.Itoa((&desk{u.s}).app(ref).Version))
	return u.post("/staff/cases/"+ref.String()+"/"+form, fields...)
}

func TestStaffFormsRecordEvents(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Morag Example", 10)
	other := d.apply(deskCarer, "Callum Example", 5)
	u := d.staff("casey@example.org", app.RoleCaseworker)
	b, _ := d.svc.Benefits()
	ben, _ := b.Benefit(deskADP)

	decision := []string{"outcome", "award", "award", "Standard rate of the daily living part from 2 March 2026", "decision_maker", "Case manager"}
	for _, c := range ben.Criteria {
		decision = append(decision, "met-"+c.ID, "yes", "reason-"+c.ID, "The evidence shows this for "+c.ID)
	}
	for _, tc := range []struct {
		ref   casework.Reference
		form  string
		typ   casework.EventType
		field []string
		check func(a *casework.Application) bool
	}{
		{ref, "request-information", casework.TypeInformationRequested,
			[]string{"what", "A letter from your GP", "why", "To understand your condition", "from", "client", "due-day", "20", "due-month", "3", "due-year", "2026"},
			func(a *casework.Application) bool {
				return len(a.Requests) == 1 && a.Requests[0].Due == calendar.NewDate(2026, 3, 20) && a.Paused()
			}},
		{ref, "information-received", casework.TypeInformationReceived,
			[]string{"request_id", "R1", "note", "The first page of the letter", "partial", "yes"},
			func(a *casework.Application) bool { return a.Requests[0].Open && len(a.Requests[0].Notes) == 1 }},
		{ref, "information-received", casework.TypeInformationReceived,
			[]string{"request_id", "R1", "note", "The rest of it"},
			func(a *casework.Application) bool { return !a.Requests[0].Open && !a.Paused() }},
		{ref, "stage", casework.TypeStageChanged,
			[]string{"stage", "gathering-information", "note", "Reading the GP letter"},
			func(a *casework.Application) bool { return a.Stage == "gathering-information" }},
		{ref, "decision", casework.TypeDecisionMade, decision,
			func(a *casework.Application) bool {
				return a.Status == casework.StatusDecided && len(a.Decision.Reasons) == len(ben.Criteria) && a.Decision.DecisionMaker == "Case manager"
			}},
		{other, "withdraw", casework.TypeWithdrawn,
			[]string{"reason", "The client phoned to say they no longer need it"},
			func(a *casework.Application) bool { return a.Status == casework.StatusWithdrawn }},
	} {
		t.Run(tc.form, func(t *testing.T) {
			before := d.app(tc.ref).Version
			p := u.caseForm(tc.ref, tc.form, tc.field...)
			if p.status != http.StatusSeeOther || p.location != "/staff/cases/"+tc.ref.String() {
				t.Fatalf("POST %s: %d to %q\n%s", tc.form, p.status, p.location, p.text())
			}
			a, events, err := d.svc.Application(context.Background(), tc.ref)
			if err != nil {
				t.Fatal(err)
			}
			if a.Version != before+1 || events[len(events)-1].Type != tc.typ {
				t.Fatalf("version %d → %d, last event %s", before, a.Version, events[len(events)-1].Type)
			}
			if got := events[len(events)-1].Actor; got != "caseworker:casey@example.org" {
				t.Errorf("actor %q", got)
			}
			if !tc.check(a) {
				t.Errorf("the event did not do what the form said: %+v", a)
			}
			rows := d.audit(tc.ref)
			if last := rows[len(rows)-1]; last.Action != "recorded "+string(tc.typ) {
				t.Errorf("last audit row %q, want recorded %s", last.Action, tc.typ)
			}
		})
	}
	// A decided case shows the decision and none of the forms of an open
	// case; only the re-determination forms (staff_challenge.go) remain.
	p := u.get("/staff/cases/" + ref.String())
	if regexp.MustCompile(`action="/staff/cases/[^"]*/(request-information|information-received|stage|decision|withdraw)"`).MatchString(p.body) ||
		!strings.Contains(p.text(), "The evidence shows this for mobility") {
		t.Error("the decided case should show its reasons and no forms")
	}
}

func TestStaffFormErrors(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Morag Example", 10)
	d.record(ref, &casework.InformationRequested{What: "a letter", Why: "to check", From: casework.FromClient})
	d.record(ref, &casework.InformationRequested{What: "a care plan", Why: "to check care", From: casework.FromOrganisation})
	u := d.staff("casey@example.org", app.RoleCaseworker)

	for _, tc := range []struct {
		name   string
		form   string
		fields []string
		errors map[string]string // field id → message
		kept   []string          // what was typed, shown again
	}{
		{"request, nothing filled in", "request-information",
			[]string{"how", "By post, please", "due-day", "31"},
			map[string]string{
				"what":    "Say exactly what information is needed",
				"why":     "Say why the information is needed",
				"from":    "Choose who can give the information: the client, their GP practice or another organisation",
				"due-day": "The date to send it by must include a day, a month and a year",
			},
			[]string{">By post, please</textarea>", `id="due-day" name="due-day" value="31"`}},
		{"request, date in the past", "request-information",
			[]string{"what", "Payslips", "why", "Earnings", "from", "gp", "due-day", "1", "due-month", "3", "due-year", "2026"},
			map[string]string{"due-day": "The date to send it by must be after today, Monday 2 March 2026"},
			[]string{">Payslips</textarea>", `value="gp" checked`}},
		{"request, not a date", "request-information",
			[]string{"what", "Payslips", "why", "Earnings", "from", "client", "due-day", "30", "due-month", "2", "due-year", "2027"},
			map[string]string{"due-day": "The date to send it by must be a real date, for example 30 3 2026"},
			nil},
		{"received, which request", "information-received",
			[]string{"note", "Some of it", "partial", "yes"},
			map[string]string{"received-request": "Choose which request the information answers"},
			[]string{">Some of it</textarea>", `id="received-partial" name="partial" value="yes" checked`}},
		{"received, part without a note", "information-received",
			[]string{"request_id", "R2", "partial", "yes"},
			map[string]string{"received-note": "Say which part of the information arrived"},
			[]string{`value="R2" checked`}},
		{"stage, none chosen", "stage",
			[]string{"note", "Moving on"},
			map[string]string{"stage": "Choose the stage the application is moving to"},
			[]string{">Moving on</textarea>"}},
		// The domain's rules, mapped to the form's field.
		{"stage, back to the start", "stage",
			[]string{"stage", "received"},
			map[string]string{"stage": `An application cannot go back to "received"`},
			nil},
		{"decision, nothing filled in", "decision",
			[]string{"award", "Something"},
			map[string]string{
				"outcome":                       "Choose the outcome: award, award in part, or refuse",
				"criterion-residence-met":       "Say yes or no to: Does the person live in Scotland, and have they lived in the UK long enough?",
				"criterion-residence-reason":    "Give the reason, in plain words, for your answer to: Does the person live in Scotland, and have they lived in the UK long enough?",
				"criterion-mobility-met":        "Say yes or no to: Does a condition affect the person's mobility enough for the mobility part, and at which rate?",
				"criterion-mobility-reason":     "Give the reason, in plain words, for your answer to: Does a condition affect the person's mobility enough for the mobility part, and at which rate?",
				"criterion-daily-living-reason": "Give the reason, in plain words, for your answer to: Does a condition affect the person's daily living enough for the daily living part, and at which rate?",
				"decision-maker":                "Give the role of the person who made the decision, for example Case manager",
				"criterion-age-met":             "Say yes or no to: Is the person of an age at which this payment can be made?",
				"criterion-age-reason":          "Give the reason, in plain words, for your answer to: Is the person of an age at which this payment can be made?",
				"criterion-daily-living-met":    "Say yes or no to: Does a condition affect the person's daily living enough for the daily living part, and at which rate?",
			},
			[]string{">Something</textarea>"}},
		{"decision, refused with an award", "decision",
			[]string{"outcome", "refuse", "award", "Something", "decision_maker", "Case manager",
				"met-residence", "yes", "reason-residence", "Lives in Fife", "met-age", "yes", "reason-age", "Aged 55",
				"met-daily-living", "no", "reason-daily-living", "Manages alone", "met-mobility", "no", "reason-mobility", "Walks far"},
			map[string]string{"award": "Leave the award empty when the application is refused"},
			[]string{">Lives in Fife</textarea>", `id="criterion-mobility-met-no" name="met-mobility" value="no" checked`, `value="Case manager"`}},
		{"withdraw, no reason", "withdraw", nil,
			map[string]string{"withdraw-reason": "Say why the application is being withdrawn, for example what the client told us"},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := d.app(ref).Version
			p := u.caseForm(ref, tc.form, tc.fields...)
			if p.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400\n%s", p.status, p.text())
			}
			checkPageFrame(t, p.body)
			links := deskErrorLinks(t, p.body)
			for field, msg := range tc.errors {
				if links[field] != msg {
					t.Errorf("error for #%s is %q, want %q", field, links[field], msg)
				}
			}
			if len(links) != len(tc.errors) {
				t.Errorf("%d errors in the summary, want %d: %v", len(links), len(tc.errors), links)
			}
			for _, want := range tc.kept {
				if !strings.Contains(p.text(), want) {
					t.Errorf("what was typed is not kept: %s", want)
				}
			}
			if !strings.Contains(p.body, "<title>Error: Case "+ref.String()) {
				t.Error("the title does not start with Error:")
			}
			if got := d.app(ref).Version; got != before {
				t.Errorf("version %d → %d: something was written", before, got)
			}
		})
	}
}

func TestStaffStaleVersion(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Morag Example", 10)
	u := d.staff("casey@example.org", app.RoleCaseworker)
	u.get("/staff/cases/" + ref.String())
	stale := d.app(ref).Version
	// Someone else acknowledges it while the page is open.
	d.record(ref, &casework.Acknowledged{})
	p := u.post("/staff/cases/"+ref.String()+"/stage", "stage", "gathering-information", "note", "My note",
		"expected_version", strconv.Itoa(stale))
	if p.status != http.StatusConflict {
		t.Fatalf("status %d, want 409", p.status)
	}
	checkPageFrame(t, p.body)
	for _, want := range []string{
		"Someone else changed this case first",
		"what you typed is still in the form",
		">My note</textarea>",
		`name="expected_version" value="` + strconv.Itoa(stale+1) + `"`,
		"Acknowledged: we told the client",
	} {
		if !strings.Contains(p.text(), want) {
			t.Errorf("the conflict page lacks %s", want)
		}
	}
	if a := d.app(ref); a.Version != stale+1 || a.Stage != "received" {
		t.Errorf("something was written: version %d, stage %s", a.Version, a.Stage)
	}
	// A version that is not a number is refused too.
	if p := u.post("/staff/cases/"+ref.String()+"/stage", "stage", "gathering-information"); p.status != http.StatusBadRequest {
		t.Errorf("no expected_version: %d, want 400", p.status)
	}
	if a := d.app(ref); a.Version != stale+1 {
		t.Error("something was written without a version")
	}
}

func TestStaffFormsNeedTheCSRFToken(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Morag Example", 10)
	u := d.staff("casey@example.org", app.RoleCaseworker)
	u.get("/staff/cases/" + ref.String())
	version := strconv.Itoa(d.app(ref).Version)
	for _, token := range []string{"", strings.Repeat("0", 64), u.csrf + "x"} {
		form := url.Values{"stage": {"gathering-information"}, "expected_version": {version}}
		if token != "" {
			form.Set("csrf_token", token)
		}
		p := u.do("POST", "/staff/cases/"+ref.String()+"/stage", form)
		if p.status != http.StatusForbidden {
			t.Errorf("token %q: %d, want 403", token, p.status)
		}
	}
	if got := strconv.Itoa(d.app(ref).Version); got != version {
		t.Errorf("version %s → %s: something was written", version, got)
	}
}

func TestStaffPagesAccess(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Morag Example", 10)
	pages := []string{"/staff", "/staff/cases/" + ref.String(), "/staff/outbox", "/staff/performance"}

	// Not signed in: to the staff sign-in, and nothing is written.
	anon := d.visitor()
	for _, path := range pages {
		if p := anon.get(path); p.status != http.StatusSeeOther || p.location != "/staff/sign-in" {
			t.Errorf("anonymous GET %s: %d to %q", path, p.status, p.location)
		}
	}
	anon.get("/track") // for a CSRF token
	if p := anon.post("/staff/cases/"+ref.String()+"/withdraw", "reason", "x", "expected_version", "1"); p.status != http.StatusSeeOther || p.location != "/staff/sign-in" {
		t.Errorf("anonymous POST: %d to %q", p.status, p.location)
	}

	// A client, signed in to their own application, sees none of them.
	client := d.visitor()
	client.get("/track")
	y, m, dd := deskDOB.Date()
	if p := client.post("/sign-in", "reference", ref.String(), "dob-day", strconv.Itoa(dd), "dob-month", strconv.Itoa(int(m)), "dob-year", strconv.Itoa(y)); p.status != http.StatusSeeOther {
		t.Fatalf("client sign-in: %d", p.status)
	}
	msgs, err := d.svc.CodeOutbox(context.Background(), 1)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("no code in the outbox: %v", err)
	}
	client.get("/sign-in/code")
	if p := client.post("/sign-in/code", "code", regexp.MustCompile(`\d{6}`).FindString(msgs[0].Body)); p.status != http.StatusSeeOther {
		t.Fatalf("client code: %d", p.status)
	}
	for _, path := range pages {
		if p := client.get(path); p.status != http.StatusForbidden {
			t.Errorf("client GET %s: %d, want 403", path, p.status)
		}
	}
	client.get("/track")
	if p := client.post("/staff/cases/"+ref.String()+"/withdraw", "reason", "x", "expected_version", "1"); p.status != http.StatusForbidden {
		t.Errorf("client POST: %d, want 403", p.status)
	}
	if a := d.app(ref); a.Version != 1 {
		t.Errorf("version %d: something was written", a.Version)
	}

	// Performance is for managers and admins.
	caseworker := d.staff("casey@example.org", app.RoleCaseworker)
	if p := caseworker.get("/staff/performance"); p.status != http.StatusForbidden {
		t.Errorf("caseworker GET /staff/performance: %d, want 403", p.status)
	}
	for _, role := range []string{app.RoleManager, app.RoleAdmin} {
		u := d.staff(role+"@example.org", role)
		p := u.get("/staff/performance")
		if p.status != http.StatusOK {
			t.Errorf("%s GET /staff/performance: %d", role, p.status)
			continue
		}
		checkPageFrame(t, p.body)
		for _, want := range []string{
			"<tr><th scope=\"row\">Adult Disability Payment</th><td>0</td><td>0</td><td>1</td><td>0</td><td>1</td></tr>",
			"<tr><th scope=\"row\">All benefits</th><td>0</td><td>0</td><td>1</td><td>0</td><td>1</td></tr>",
			"The full measurement framework is being built",
			`<a class="ds_tabs__tab-link" href="/staff/performance" aria-current="page">Performance</a>`,
		} {
			if !strings.Contains(p.body, want) {
				t.Errorf("%s: the performance page lacks %s", role, want)
			}
		}
		if q := u.get("/staff"); !strings.Contains(q.body, `href="/staff/performance">Performance</a>`) {
			t.Errorf("%s: the queue does not link to the performance page", role)
		}
	}

	// The outbox shows the client's code message to staff.
	p := caseworker.get("/staff/outbox")
	if p.status != http.StatusOK {
		t.Fatalf("GET /staff/outbox: %d", p.status)
	}
	checkPageFrame(t, p.body)
	for _, want := range []string{
		`<a href="/staff/cases/` + ref.String() + `">` + ref.String() + `</a>`,
		"c***@example.org",
		msgs[0].Body,
		"Monday 2 March 2026 at 10:00am",
	} {
		if !strings.Contains(p.text(), want) {
			t.Errorf("the outbox lacks %s", want)
		}
	}
}

func TestStaffFormsThatDoNotFitTheCase(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Morag Example", 10)
	u := d.staff("casey@example.org", app.RoleCaseworker)

	// Moving to the stage it is at: the domain's conflict, next to the field.
	p := u.caseForm(ref, "stage", "stage", "received")
	if p.status != http.StatusBadRequest {
		t.Errorf("back to the first stage: %d, want 400", p.status)
	}
	d.record(ref, &casework.StageChanged{Stage: "acknowledged"})
	p = u.caseForm(ref, "stage", "stage", "acknowledged")
	if p.status != http.StatusConflict {
		t.Fatalf("the same stage: %d, want 409", p.status)
	}
	if got := deskErrorLinks(t, p.body)["stage"]; got != `The application is already at the stage "acknowledged"` {
		t.Errorf("error %q", got)
	}
	if strings.Contains(p.body, "Someone else changed this case first") {
		t.Error("a rule of the case is shown as someone else's change")
	}

	// Nothing to answer: said plainly, linking to the requests section.
	p = u.caseForm(ref, "information-received", "note", "A letter")
	if p.status != http.StatusBadRequest || deskErrorLinks(t, p.body)["open-requests"] == "" {
		t.Errorf("no open requests: %d", p.status)
	}

	// A withdrawn case has no forms; a form sent anyway is refused.
	d.record(ref, &casework.Withdrawn{Reason: "the client asked"})
	before := d.app(ref).Version
	p = u.caseForm(ref, "stage", "stage", "gathering-information")
	if p.status != http.StatusConflict {
		t.Fatalf("stage on a withdrawn case: %d, want 409", p.status)
	}
	if got := deskErrorLinks(t, p.body)["case-status"]; got != "This application was withdrawn on Monday 2 March 2026, so nothing more can be recorded on it" {
		t.Errorf("error %q", got)
	}
	if d.app(ref).Version != before {
		t.Error("something was written on a withdrawn case")
	}
}
