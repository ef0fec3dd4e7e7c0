package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// Supporters (commitment 1.6): pages_supporters.go.

// policyClientSelf is a client acting for themselves: supporters are
// refused whatever their scope.
const policyClientSelf policy = 100

func init() {
	for k, p := range map[string]policy{
		"GET /supporter/sign-in":              policyPublic,
		"POST /supporter/sign-in":             policyPublic,
		"GET /application/supporters":         policyClientSelf,
		"POST /application/supporters":        policyClientSelf,
		"POST /application/supporters/revoke": policyClientSelf,
	} {
		policies[k] = p
	}
}

// supporterEmails are the email addresses of the supporters in the access
// matrix.
var supporterEmails = map[string]string{"supporter (view)": "view@example.org", "supporter (act)": "act@example.org"}

// addSupporterPeople authorises a view-only and an act-for-me supporter on
// ref and signs them in, for TestAccessMatrix.
func addSupporterPeople(s *site, people map[string]*visitor, ref casework.Reference) {
	s.t.Helper()
	for who, email := range supporterEmails {
		scope := casework.ScopeView
		if who == "supporter (act)" {
			scope = casework.ScopeAct
		}
		s.authorise(ref, strings.ToUpper(who[:1])+who[1:], email, scope)
		people[who] = s.visitor()
		people[who].signInAsSupporter(ref, email)
	}
}

// judgeSupporter judges the responses to supporters, and the routes only a
// client may use; done is false when judge should decide.
func judgeSupporter(pol policy, who, method string, r response) (msg string, done bool) {
	_, supporter := supporterEmails[who]
	if pol == policyClientSelf && !supporter {
		return judge(policyClient, who, method, r), true
	}
	if !supporter {
		return "", false
	}
	refused := r.status == http.StatusForbidden || r.status == http.StatusNotFound
	switch pol {
	case policyClientSelf, policyStaff, policyManager:
		if !refused {
			return "a supporter reached a page that is not theirs", true
		}
	case policyClient:
		switch {
		case method != http.MethodPost && r.status != http.StatusOK:
			return "a supporter could not see the application", true
		case method == http.MethodPost && who == "supporter (view)" && r.status != http.StatusForbidden:
			return "a view-only supporter used a form", true
		case method == http.MethodPost && who == "supporter (act)" && r.status != http.StatusSeeOther && r.status != http.StatusBadRequest:
			return "a supporter who may act could not use the form", true
		}
	case policyAPIStaff:
		if r.status != http.StatusUnauthorized {
			return "the API answered a supporter's session", true
		}
	case policyPublic, policyAPIPublic:
		if r.status == http.StatusForbidden || r.status == http.StatusUnauthorized || r.status >= 500 {
			return "refused a public route", true
		}
	}
	return "", true
}

// authorise names a supporter on ref as staff would, and returns their id.
func (s *site) authorise(ref casework.Reference, name, email, scope string) string {
	s.t.Helper()
	a, err := s.svc.AuthoriseSupporter(context.Background(), ref, -1, "caseworker:test", casework.SupporterAuthorised{
		Name: name, Relationship: casework.RelationshipPersonTheyKnow, Email: email, Scope: scope, AuthorisedBy: casework.AuthorisedByStaff})
	if err != nil {
		s.t.Fatal(err)
	}
	sup, _ := a.ActiveSupporterByEmail(email)
	return sup.ID
}

// signInAsSupporter goes through the supporter sign-in with the code from
// the outbox.
func (v *visitor) signInAsSupporter(ref casework.Reference, email string) {
	v.s.t.Helper()
	if r := v.startSupporter(ref.String(), email); r.status != http.StatusSeeOther || r.location != "/sign-in/code" {
		v.s.t.Fatalf("supporter sign-in: %d to %q: %s", r.status, r.location, r.body)
	}
	if r := v.enterCode(); r.status != http.StatusSeeOther || r.location != "/application" {
		v.s.t.Fatalf("supporter code: %d to %q: %s", r.status, r.location, r.body)
	}
}

func (v *visitor) startSupporter(ref, email string) response {
	v.s.t.Helper()
	v.get(supporterSignInPath)
	return v.post(supporterSignInPath, "reference", ref, "email", email)
}

func (v *visitor) enterCode() response {
	v.s.t.Helper()
	v.get("/sign-in/code")
	msgs, err := v.s.st.CodeMessages(context.Background(), 1)
	if err != nil || len(msgs) == 0 {
		v.s.t.Fatalf("no code in the outbox: %v", err)
	}
	return v.post("/sign-in/code", "code", codeRe.FindString(msgs[0].Body))
}

func (s *site) auditActions(ref casework.Reference, kind string) []string {
	s.t.Helper()
	entries, err := s.svc.AuditFor(context.Background(), ref)
	if err != nil {
		s.t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.ActorKind == kind {
			out = append(out, e.ActorName+": "+e.Action)
		}
	}
	return out
}

func TestClientNamesAndRemovesSupporters(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1971, 2, 3)
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	c := s.visitor()
	c.signInAsClient(ref, dob)

	r := c.get("/application")
	for _, want := range []string{"People who can help you", "You have not named anyone yet", `href="/application/supporters"`,
		`href="/charter#term-supporter"`} {
		if !strings.Contains(r.body, want) && !strings.Contains(r.text(), want) {
			t.Errorf("application page lacks %q", want)
		}
	}
	r = c.get(supportersPath)
	for _, want := range []string{"View only", "Act for me", "cannot ask us for anything for you", "advocate"} {
		if r.status != http.StatusOK || !strings.Contains(r.text(), want) {
			t.Errorf("supporters form (%d) lacks %q", r.status, want)
		}
	}
	// Each problem is shown with the form, and nothing is written.
	version := s.application(ref).Version
	for _, bad := range []struct {
		field  string
		fields []string
	}{
		{"name", []string{"relationship", "person-they-know", "email", "pat@example.org", "scope", "view"}},
		{"relationship", []string{"name", "Pat", "email", "pat@example.org", "scope", "view"}},
		{"organisation", []string{"name", "Pat", "relationship", "advocate", "email", "pat@example.org", "scope", "view"}},
		{"email", []string{"name", "Pat", "relationship", "person-they-know", "scope", "view"}},
		{"email", []string{"name", "Pat", "relationship", "person-they-know", "email", "not an address", "scope", "view"}},
		{"scope", []string{"name", "Pat", "relationship", "person-they-know", "email", "pat@example.org", "scope", "all"}},
	} {
		c.get(supportersPath)
		r := c.post(supportersPath, bad.fields...)
		if r.status != http.StatusBadRequest || !strings.Contains(r.body, `href="#`+bad.field+`"`) {
			t.Errorf("%v: %d, no error for %s", bad.fields, r.status, bad.field)
		}
	}
	if got := s.application(ref).Version; got != version {
		t.Errorf("rejected forms wrote events: version %d to %d", version, got)
	}
	c.get(supportersPath)
	r = c.post(supportersPath, "name", "Ali Advocate", "relationship", "advocate", "organisation", "Fife Advocacy",
		"email", "ali@example.org", "scope", "act")
	if r.status != http.StatusSeeOther {
		t.Fatalf("adding a supporter: %d: %s", r.status, r.body)
	}
	a := s.application(ref)
	if len(a.Supporters) != 1 || a.Supporters[0].AuthorisedBy != casework.AuthorisedByClient || a.Supporters[0].ID == "" ||
		a.Supporters[0].Organisation != "Fife Advocacy" {
		t.Fatalf("supporters: %+v", a.Supporters)
	}
	// The same email address twice is refused by the event's rules.
	c.get(supportersPath)
	if r := c.post(supportersPath, "name", "Ali Again", "relationship", "person-they-know", "email", "ali@example.org", "scope", "view"); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, `href="#email"`) {
		t.Errorf("the same supporter twice: %d", r.status)
	}
	r = c.get("/application")
	if !strings.Contains(r.text(), "Ali Advocate, Fife Advocacy") || !strings.Contains(r.text(), "act for you") ||
		!strings.Contains(r.body, "Stop Ali Advocate helping you") {
		t.Errorf("application page does not list the supporter: %s", r.text())
	}
	// Revoking an unknown supporter is refused; a known one is removed.
	if r := c.post(supportersPath+"/revoke", "supporter_id", "nobody"); r.status != http.StatusBadRequest {
		t.Errorf("revoking nobody: %d", r.status)
	}
	c.get("/application")
	if r := c.post(supportersPath+"/revoke", "supporter_id", a.Supporters[0].ID); r.status != http.StatusSeeOther {
		t.Errorf("revoking: %d %s", r.status, r.body)
	}
	if s.application(ref).Supporters[0].Active() {
		t.Error("the supporter is still active")
	}
	if r := c.get("/application"); strings.Contains(r.text(), "Ali Advocate") {
		t.Error("a revoked supporter is still listed")
	}
}

func TestViewOnlySupporter(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1971, 2, 3)
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	s.authorise(ref, "Pat Helper", "pat@example.org", casework.ScopeView)
	s.decide(ref, casework.OutcomeRefuse)
	s.at(calendar.NewDate(2026, 3, 10))

	v := s.visitor()
	v.signInAsSupporter(ref, "PAT@example.org")
	r := v.get("/application")
	if r.status != http.StatusOK || !strings.Contains(tagRe.ReplaceAllString(r.text(), ""), "Signed in as Pat Helper, supporting reference "+ref.String()) {
		t.Fatalf("supporter's page: %d, header missing: %s", r.status, r.text())
	}
	if strings.Contains(r.body, `class="ds_button" href="`+redeterminationPath) || strings.Contains(r.body, "Stop Pat Helper") ||
		strings.Contains(r.body, `href="/application/supporters"`) {
		t.Error("a view-only supporter sees action buttons")
	}
	if r := v.get(redeterminationPath); r.status != http.StatusOK || strings.Contains(r.body, `action="/application/redetermination"`) {
		t.Errorf("view-only redetermination page: %d, shows the form", r.status)
	}
	version := s.application(ref).Version
	if r := v.post(redeterminationPath, "disagreement", "I cannot walk to the shops without stopping."); r.status != http.StatusForbidden {
		t.Errorf("view-only supporter asked for a re-determination: %d", r.status)
	}
	for _, p := range []string{supportersPath, supportersPath + "/revoke"} {
		if r := v.post(p, "name", "Eve", "relationship", "person-they-know", "email", "eve@example.org", "scope", "act"); r.status != http.StatusForbidden {
			t.Errorf("view-only supporter POST %s: %d", p, r.status)
		}
	}
	if r := v.get(supportersPath); r.status != http.StatusForbidden {
		t.Errorf("supporter saw the supporters form: %d", r.status)
	}
	if got := s.application(ref).Version; got != version {
		t.Errorf("a view-only supporter wrote events")
	}
	// Staff pages refuse supporters.
	for _, p := range []string{"/staff", "/staff/cases/" + ref.String(), "/staff/outbox"} {
		if r := v.get(p); r.status != http.StatusForbidden {
			t.Errorf("supporter GET %s: %d", p, r.status)
		}
	}
	// Every view and refusal is audited as the supporter.
	got := strings.Join(s.auditActions(ref, app.SessionSupporter), "\n")
	for _, want := range []string{"Pat Helper: signed in as a supporter", "Pat Helper: viewed /application",
		"Pat Helper: viewed " + redeterminationPath, "Pat Helper: was refused POST " + redeterminationPath,
		"Pat Helper: was refused POST " + supportersPath, "Pat Helper: was refused GET " + supportersPath} {
		if !strings.Contains(got, want) {
			t.Errorf("audit lacks %q:\n%s", want, got)
		}
	}
}

func TestActingSupporter(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1971, 2, 3)
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	s.authorise(ref, "Ali Advocate", "ali@example.org", casework.ScopeAct)
	s.decide(ref, casework.OutcomeRefuse)
	s.at(calendar.NewDate(2026, 3, 10))

	v := s.visitor()
	v.signInAsSupporter(ref, "ali@example.org")
	r := v.get("/application")
	if !strings.Contains(r.body, `href="`+redeterminationPath+`"`) || strings.Contains(r.body, "Stop Ali Advocate") {
		t.Error("acting supporter: no ask button, or a revoke button")
	}
	if r := v.post(supportersPath, "name", "Eve", "relationship", "person-they-know", "email", "eve@example.org", "scope", "act"); r.status != http.StatusForbidden {
		t.Errorf("acting supporter added a supporter: %d", r.status)
	}
	v.get(redeterminationPath)
	r = v.post(redeterminationPath, "disagreement", "I cannot walk to the shops without stopping.")
	if r.status != http.StatusSeeOther {
		t.Fatalf("acting supporter asking: %d %s", r.status, r.body)
	}
	_, events, err := s.svc.Application(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	if rr, ok := last.Body.(*casework.RedeterminationRequested); !ok || rr.By != casework.AskedBySupporter || last.Actor != "supporter:Ali Advocate" {
		t.Errorf("the request: %s by %q: %+v", last.Type, last.Actor, last.Body)
	}
	if got := strings.Join(s.auditActions(ref, app.SessionSupporter), "\n"); !strings.Contains(got, "Ali Advocate: sent the form "+redeterminationPath) {
		t.Errorf("audit lacks the request:\n%s", got)
	}
}

func TestRevokedSupporterLosesAccessAtOnce(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1971, 2, 3)
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	id := s.authorise(ref, "Pat Helper", "pat@example.org", casework.ScopeAct)
	v := s.visitor()
	v.signInAsSupporter(ref, "pat@example.org")
	if r := v.get("/application"); r.status != http.StatusOK {
		t.Fatalf("supporter's page: %d", r.status)
	}
	// A code asked for before the revoke is worthless after it.
	late := s.visitor()
	if r := late.startSupporter(ref.String(), "pat@example.org"); r.status != http.StatusSeeOther {
		t.Fatalf("start: %d", r.status)
	}
	s.record(ref, &casework.SupporterRevoked{SupporterID: id})
	if r := v.get("/application"); r.status != http.StatusSeeOther || r.location != "/track" {
		t.Errorf("revoked supporter's open session: %d to %q", r.status, r.location)
	}
	if r := late.enterCode(); r.status == http.StatusSeeOther && r.location == "/application" {
		t.Error("a revoked supporter's code started a session")
	}
	if r := s.visitor().startSupporter(ref.String(), "pat@example.org"); r.status != http.StatusBadRequest {
		t.Errorf("revoked supporter signing in: %d", r.status)
	}
}

func TestSupporterSignInRefusals(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1971, 2, 3)
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	other := s.apply("carer-support-payment", "Bo Example", calendar.NewDate(1982, 4, 5))
	s.authorise(ref, "Pat Helper", "pat@example.org", casework.ScopeView)
	v := s.visitor()
	if r := v.get(supporterSignInPath); r.status != http.StatusOK || !strings.Contains(r.text(), "Sign in to help someone") {
		t.Fatalf("sign-in page: %d", r.status)
	}
	for name, fields := range map[string][2]string{
		"unknown email":     {ref.String(), "eve@example.org"},
		"another reference": {other.String(), "pat@example.org"},
		"the client's own":  {ref.String(), "alex@example.org"},
	} {
		r := v.startSupporter(fields[0], fields[1])
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: %d", name, r.status)
		}
		const same = "We could not find a supporter with that email address on an application with that reference"
		if !strings.Contains(r.text(), same) {
			t.Errorf("%s: the answer differs", name)
		}
	}
	if r := v.startSupporter("", ""); r.status != http.StatusBadRequest || !strings.Contains(r.body, `href="#email"`) {
		t.Errorf("empty form: %d", r.status)
	}
	// Rate-limited like client sign-in.
	limited := false
	for range app.MaxFailuresPerHour + 1 {
		_, _, err := s.svc.SupporterStart(context.Background(), ref.String(), "eve@example.org", "192.0.2.7")
		if limited = errs.KindOf(err) == errs.KindRateLimited; limited {
			break
		}
		if errs.KindOf(err) != errs.KindInvalid {
			t.Fatalf("failure: %v", err)
		}
	}
	if !limited {
		t.Errorf("never rate-limited")
	}
	if _, _, err := s.svc.SupporterStart(context.Background(), ref.String(), "pat@example.org", "192.0.2.8"); errs.KindOf(err) != errs.KindRateLimited {
		t.Errorf("the right supporter after %d failures on the reference: %v", app.MaxFailuresPerHour, err)
	}
}
