package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// decisionBody is a decision_made event with a reason for every criterion
// of the example disability benefit, one relying on evidence by its id.
const decisionBody = `{"type": "decision_made", "body": {"outcome": "refuse", "decision_maker": "Case manager", "reasons": [
	{"criterion": "daily-living", "met": false, "reason": "You can prepare food with an aid.", "evidence": ["condition-details"]},
	{"criterion": "mobility", "met": false, "reason": "You can walk 200 metres."},
	{"criterion": "residence", "met": true, "reason": "You live in Fife."},
	{"criterion": "age", "met": true, "reason": "You are between 16 and pension age."}]}}`

func TestAPIDecisionNoticeAndChallenge(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ref := f.create()
		path := "/api/v1/applications/" + ref.String() + "/decision"

		// Before the decision: 404 with a plain message.
		r := f.do("GET", path, "")
		if code, _ := r.errorOf(t); r.status != http.StatusNotFound || code != "not_found" ||
			!strings.Contains(string(r.body), "there is no decision on this application yet") {
			t.Fatalf("no decision: %d %s", r.status, r.body)
		}
		// Asking before the decision is refused, naming the field.
		r = f.do("POST", "/api/v1/applications/"+ref.String()+"/events",
			`{"type": "redetermination_requested", "body": {"how": "phone", "by": "client", "disagreement": "All of it"}}`)
		if code, field := r.errorOf(t); r.status != http.StatusBadRequest || code != "invalid" || field != "type" {
			t.Fatalf("request before a decision: %d %s", r.status, r.body)
		}

		if r := f.do("POST", "/api/v1/applications/"+ref.String()+"/events", decisionBody); r.status != http.StatusCreated {
			t.Fatalf("decision: %d %s", r.status, r.body)
		}
		r = f.do("GET", path, "")
		if r.status != http.StatusOK {
			t.Fatalf("notice: %d %s", r.status, r.body)
		}
		var n casework.DecisionNotice
		r.json(t, &n)
		// Decided at 10:00 on Monday 2 March 2026: ask by Wednesday 15 April.
		if n.Reference != ref || n.OutcomeText != "You will not get Adult Disability Payment." || n.Disagree.AskBy.String() != "2026-04-15" ||
			len(n.Reasons) != 4 || n.Reasons[0].Question == "" || len(n.EvidenceUsed) != 1 || n.EvidenceUsed[0] != "Your conditions and treatment" ||
			n.Disagree.CannotWithdraw == "" || n.Disagree.MayGoUpOrDown == "" || n.IndependentAdvice == "" || len(n.Disagree.HowToAsk) != 3 {
			t.Errorf("notice %+v", n)
		}
		if !strings.Contains(string(r.body), `"ask_by":"2026-04-15"`) {
			t.Errorf("the last day to ask is not a date: %s", r.body)
		}

		// Without a token: 401.
		req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("without a token: %d", resp.StatusCode)
		}

		// Requests through the API: every refusal names its field and writes nothing.
		before := f.version(ref)
		for body, field := range map[string]string{
			`{"how": "phone", "by": "client"}`:                                           "body.disagreement",
			`{"how": "fax", "by": "client", "disagreement": "x"}`:                        "body.how",
			`{"how": "phone", "by": "client", "disagreement": "x", "criteria": ["fly"]}`: "body.criteria[0]",
			`{"how": "phone", "by": "client", "disagreement": "x", "withdrawn": true}`:   "body.withdrawn",
		} {
			r := f.do("POST", "/api/v1/applications/"+ref.String()+"/events", `{"type": "redetermination_requested", "body": `+body+`}`)
			if code, got := r.errorOf(t); r.status != http.StatusBadRequest || code != "invalid" || got != field {
				t.Errorf("%s: %d %s, want invalid on %s", body, r.status, r.body, field)
			}
		}
		if v := f.version(ref); v != before {
			t.Fatalf("refused requests wrote events: version %d → %d", before, v)
		}
		r = f.do("POST", "/api/v1/applications/"+ref.String()+"/events",
			`{"type": "redetermination_requested", "body": {"how": "phone", "by": "staff", "disagreement": "I cannot walk far.", "criteria": ["mobility"]}}`)
		if r.status != http.StatusCreated || !strings.Contains(string(r.body), `"decide_by":"2026-04-27"`) {
			t.Fatalf("request: %d %s", r.status, r.body)
		}
		// There is no way to withdraw a request.
		r = f.do("POST", "/api/v1/applications/"+ref.String()+"/events", `{"type": "redetermination_withdrawn", "body": {}}`)
		if code, field := r.errorOf(t); r.status != http.StatusBadRequest || code != "invalid" || field != "type" {
			t.Errorf("withdrawing a request: %d %s", r.status, r.body)
		}
	})
}
