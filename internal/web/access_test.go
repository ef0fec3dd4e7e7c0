package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/measure/report"
)

// policy says who may use a route.
type policy int

const (
	policyPublic    policy = iota // anyone
	policyClient                  // a signed-in client, their own application only
	policyStaff                   // caseworkers, managers and admins
	policyManager                 // managers and admins
	policyAPIPublic               // the open part of the JSON API
	policyAPIStaff                // the JSON API with a bearer token; sessions do not count
	policySkip                    // assets and the catch-all 404, tested elsewhere
)

// policies classifies every route. A route missing here fails the test, so
// a new page cannot be added without saying who may see it.
var policies = map[string]policy{
	"GET /assets/{hash}/{path...}": policySkip,
	"GET /":                        policySkip,
	"GET /{$}":                     policyPublic,
	"GET /charter":                 policyPublic,
	"GET /track":                   policyPublic,
	"GET /feedback":                policyPublic,
	"GET /accessibility":           policyPublic,
	"POST /sign-in":                policyPublic,
	"GET /sign-in/code":            policyPublic,
	"POST /sign-in/code":           policyPublic,
	"POST /sign-out":               policyPublic,
	"GET /signed-out":              policyPublic,
	"GET /staff/sign-in":           policyPublic,
	"POST /staff/sign-in":          policyPublic,
	"GET /application":             policyClient,
	"GET /staff":                   policyStaff,
	"GET /staff/cases/{ref}":       policyStaff,
	"POST /staff/cases/{ref}/request-information":  policyStaff,
	"POST /staff/cases/{ref}/information-received": policyStaff,
	"POST /staff/cases/{ref}/stage":                policyStaff,
	"POST /staff/cases/{ref}/decision":             policyStaff,
	"POST /staff/cases/{ref}/withdraw":             policyStaff,
	"POST /staff/cases/{ref}/revise-decision-date": policyStaff,
	"GET /staff/outbox":                            policyStaff,
	"GET /staff/performance":                       policyManager,
	"GET /healthz":                                 policyAPIPublic,
	"GET /metrics":                                 policyAPIPublic,
	"GET /api/openapi.json":                        policyAPIPublic,
	"GET /api/v1/charter":                          policyAPIPublic,
	"GET /api/v1/benefits":                         policyAPIPublic,
	"POST /api/v1/applications":                    policyAPIStaff,
	"GET /api/v1/applications":                     policyAPIStaff,
	"GET /api/v1/applications/{ref}":               policyAPIStaff,
	"POST /api/v1/applications/{ref}/events":       policyAPIStaff,
	"GET /api/v1/applications/{ref}/timeline":      policyAPIStaff,
	// Consultations and practitioners (commitments 2.10 to 2.12).
	"POST /staff/cases/{ref}/client-details":        policyStaff,
	"POST /staff/cases/{ref}/propose-consultation":  policyStaff,
	"POST /staff/cases/{ref}/schedule-consultation": policyStaff,
	"POST /staff/cases/{ref}/consultation-held":     policyStaff,
	"POST /staff/cases/{ref}/cancel-consultation":   policyStaff,
	"GET /staff/practitioners":                      policyStaff,
	"POST /staff/practitioners":                     policyManager,
	"GET /api/v1/practitioners":                     policyAPIStaff,
	// Challenging a decision: re-determination and appeal (commitments 1.8, 2.8).
	"GET /application/redetermination":                 policyClient,
	"POST /application/redetermination":                policyClient,
	"GET /api/v1/applications/{ref}/decision":          policyAPIStaff,
	"POST /staff/cases/{ref}/redetermination-request":  policyStaff,
	"POST /staff/cases/{ref}/late-request":             policyStaff,
	"POST /staff/cases/{ref}/redetermination-decision": policyStaff,
	"POST /staff/cases/{ref}/appeal-form-sent":         policyStaff,
	"POST /staff/cases/{ref}/appeal-lodged":            policyStaff,
	"POST /staff/cases/{ref}/appeal-decided":           policyStaff,
	// Referrals, other help and the directory (commitments 1.10, 1.11).
	"POST /staff/cases/{ref}/referral":  policyStaff,
	"POST /staff/cases/{ref}/signpost":  policyStaff,
	"GET /staff/directory":              policyStaff,
	"POST /staff/directory":             policyManager,
	"POST /staff/directory/{id}/active": policyManager,
	"GET /api/v1/directory":             policyAPIStaff,
	// Messages to clients (keeping clients informed).
	"GET /api/v1/applications/{ref}/notifications": policyAPIStaff,
	"POST /api/v1/notifications/receipts":          policyAPIStaff, // the provider's token: no session opens it either
	"POST /staff/cases/{ref}/contact-details":      policyStaff,
	"POST /staff/cases/{ref}/supporter":            policyStaff,
	"POST /staff/cases/{ref}/revoke-supporter":     policyStaff,
	"GET /staff/messages":                          policyStaff,
	"POST /staff/messages/{id}/sent-by-hand":       policyStaff,
	"GET /staff/messages/preview/{kind}":           policyStaff,
	"POST /application/charter-summary":            policyClientSelf, // the client's own preference, not a supporter's
	// Charter versions, feedback and complaints, review rounds (commitment 1.13, the charter review).
	"GET /charter/history":                      policyPublic,
	"GET /feedback/send":                        policyPublic,
	"POST /feedback/send":                       policyPublic,
	"GET /feedback/sent":                        policyPublic,
	"GET /feedback/sent/{id}":                   policyPublic, // a reference nobody can guess; no personal details
	"GET /staff/complaints":                     policyStaff,
	"GET /staff/complaints/{complaint}":         policyStaff,
	"POST /staff/complaints/{complaint}/{step}": policyStaff,
	"GET /staff/feedback":                       policyStaff,
	"GET /staff/reviews":                        policyStaff,
	"GET /staff/reviews/{round}":                policyStaff,
	"GET /staff/reviews/{round}/findings.csv":   policyStaff,
	"GET /staff/reviews/{round}/responses":      policyManager,
	"POST /staff/reviews/{round}/responses":     policyManager,
	"GET /staff/reviews/{round}/comments":       policyManager,
	"POST /staff/reviews/{round}/comments":      policyManager,
	"GET /staff/drafts/{version}":               policyStaff,
	"POST /staff/drafts/{version}/publish":      policyManager,
	"GET /api/v1/charter/versions":              policyAPIPublic,
	"GET /api/v1/feedback/counts":               policyAPIStaff,
	"GET /api/v1/reviews/{round}/findings":      policyAPIStaff,
	// The charter report (the measurement framework): published for anyone.
	"GET /report":                       policyPublic,
	"GET /report/{period}":              policyPublic,
	"GET /report/{period}/easy-read":    policyPublic,
	"GET /report/{period}/measures.csv": policyPublic,
	"GET /api/v1/reports":               policyAPIPublic,
	"GET /api/v1/reports/{period}":      policyAPIPublic,
	// The improvement plan behind the report: managers and admins only.
	"GET /staff/improvement":               policyManager,
	"GET /staff/improvement/actions/new":   policyManager,
	"POST /staff/improvement/actions":      policyManager,
	"GET /staff/improvement/actions/{id}":  policyManager,
	"POST /staff/improvement/actions/{id}": policyManager,
	"GET /staff/improvement/narrative":     policyManager,
	"POST /staff/improvement/narrative":    policyManager,
	"GET /staff/improvement/evidence":      policyManager,
	"POST /staff/improvement/evidence":     policyManager,
	"GET /staff/improvement/you-said":      policyManager,
	"POST /staff/improvement/you-said":     policyManager,
}

// TestAccessMatrix walks every route as every kind of person, always
// against client A's application: nobody but staff (and client A, on their
// own page) gets anything but a refusal or a sign-in page.
func TestAccessMatrix(t *testing.T) {
	s := newSite(t)
	dobA, dobB := calendar.NewDate(1971, 2, 3), calendar.NewDate(1982, 4, 5)
	refA := s.apply("adult-disability-payment", "Alex Example", dobA)
	refB := s.apply("carer-support-payment", "Bo Example", dobB)
	s.record(refA, &casework.InformationRequested{What: "a letter from your GP", Why: "to see how your condition affects you", From: "client"})
	if _, err := s.svc.AddOrganisation(context.Background(), casework.Organisation{ID: "advice-test", Name: "Advice Example",
		Kind: "independent-advice", Areas: []string{casework.AllScotland}, Phone: "0808 157 0100", Active: true}); err != nil {
		t.Fatal(err)
	}
	// Improvement action 1, for its pages.
	if _, err := s.svc.AddAction(t.Context(), report.Action{What: "Send every client an update every three weeks", Owner: "Client contact team",
		Due: calendar.NewDate(2026, 6, 30), Status: report.Planned, Commitments: []string{"1.4"}}, "test"); err != nil {
		t.Fatal(err)
	}

	people := map[string]*visitor{"anonymous": s.visitor()}
	people["client A"] = s.visitor()
	people["client A"].signInAsClient(refA, dobA)
	people["client B"] = s.visitor()
	people["client B"].signInAsClient(refB, dobB)
	for _, role := range []string{"caseworker", "manager", "admin"} {
		people[role] = s.visitor()
		people[role].signInAsStaff(role+"@example.org", role)
	}
	addSupporterPeople(s, people, refA) // "supporter (view)" and "supporter (act)": supporters_test.go
	complaint := s.reviewFixtures()     // a complaint, the example review round and its draft: reviews_test.go

	h, ok := s.srv.Config.Handler.(*Server)
	if !ok {
		t.Fatal("the test server is not a *Server")
	}
	for _, rt := range h.routes {
		key := rt.method + " " + rt.pattern
		pol, ok := policies[key]
		if !ok {
			t.Errorf("%s has no access policy: add it to policies in access_test.go", key)
			continue
		}
		if pol == policySkip {
			continue
		}
		path := strings.NewReplacer("/directory/{id}", "/directory/advice-test", "{ref}", refA.String(), "{id}", "1",
			"{kind}", "decision", "{complaint}", complaint, "{step}", "close", "{round}", "review-2026",
			"{version}", "2027.1", "{period}", "2025-26").Replace(strings.TrimSuffix(rt.pattern, "{$}"))
		for who, v := range people {
			v.get("/track") // a fresh CSRF token, so a refusal below is about who, not the form
			var r response
			if rt.method == "POST" {
				r = v.post(path)
			} else {
				r = v.get(path)
			}
			if msg := judge(pol, who, rt.method, r); msg != "" {
				t.Errorf("%s as %s: %s (status %d, location %q)", key, who, msg, r.status, r.location)
			}
			if who == "client B" && strings.Contains(r.text(), refA.String()) {
				t.Errorf("%s as client B shows client A's reference", key)
			}
			if rt.method == "POST" && path == "/sign-out" && who != "anonymous" {
				// Signing out ended this person's session: sign them in again.
				switch who {
				case "client A":
					v.signInAsClient(refA, dobA)
				case "client B":
					v.signInAsClient(refB, dobB)
				case "supporter (view)", "supporter (act)":
					v.signInAsSupporter(refA, supporterEmails[who])
				default:
					v.get("/staff/sign-in")
					v.post("/staff/sign-in", "email", who+"@example.org", "password", "a long enough password")
				}
			}
		}
	}
	// Client B's own page is theirs, not A's.
	r := people["client B"].get("/application")
	if r.status != http.StatusOK || !strings.Contains(r.text(), refB.String()) || strings.Contains(r.text(), "a letter from your GP") {
		t.Errorf("client B's application page: %d, shows B %v, shows A's request %v",
			r.status, strings.Contains(r.text(), refB.String()), strings.Contains(r.text(), "a letter from your GP"))
	}
}

// judge returns what is wrong with a response under a policy, or "".
func judge(pol policy, who, method string, r response) string {
	if msg, done := judgeSupporter(pol, who, method, r); done { // supporters_test.go
		return msg
	}
	staff := who == "caseworker" || who == "manager" || who == "admin"
	client := strings.HasPrefix(who, "client")
	refused := r.status == http.StatusForbidden || r.status == http.StatusNotFound
	allowed := r.status == http.StatusOK || r.status == http.StatusSeeOther || r.status == http.StatusBadRequest ||
		r.status == http.StatusConflict
	switch pol {
	case policyPublic, policyAPIPublic:
		if r.status == http.StatusForbidden || r.status == http.StatusUnauthorized || r.status >= 500 {
			return "refused a public route"
		}
	case policyClient:
		switch {
		case who == "anonymous" && !(r.status == http.StatusSeeOther && r.location == "/track"):
			return "not sent to sign in"
		case staff && !refused:
			return "staff reached a client page"
		case client && method == http.MethodPost && r.status != http.StatusSeeOther && r.status != http.StatusBadRequest:
			return "a client could not use their own form" // answered with the form's problems, or sent on
		case client && method != http.MethodPost && r.status != http.StatusOK:
			return "a client could not see their own page"
		}
	case policyStaff, policyManager:
		mayUse := staff && (pol == policyStaff || who != "caseworker")
		switch {
		case who == "anonymous" && !(r.status == http.StatusSeeOther && r.location == "/staff/sign-in"):
			return "not sent to staff sign-in"
		case client && !refused:
			return "a client reached a staff page"
		case staff && !mayUse && !refused:
			return "a caseworker reached a manager page"
		case mayUse && !allowed:
			return "staff with the right role were refused"
		}
	case policyAPIStaff:
		// The API takes bearer tokens only: no session cookie opens it.
		if r.status != http.StatusUnauthorized {
			return "the API answered a request without a token"
		}
	}
	return ""
}
