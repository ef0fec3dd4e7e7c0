package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
)

var summaryLinkRe = regexp.MustCompile(`<li><a href="#([^"]+)">`)

// summaryFields lists the fields the error summary links to, in order.
func summaryFields(body string) []string {
	i := strings.Index(body, `class="ds_error-summary"`)
	if i < 0 {
		return nil
	}
	j := strings.Index(body[i:], "</div>")
	var out []string
	for _, m := range summaryLinkRe.FindAllStringSubmatch(body[i:i+j], -1) {
		out = append(out, m[1])
	}
	return out
}

func TestImprovementForms(t *testing.T) {
	s := reportSite(t) // one action, narrative, evidence and entry already
	ctx := context.Background()
	v := s.visitor()
	v.signInAsStaff("manager@example.org", "manager")

	r := v.get("/staff/improvement")
	if r.status != 200 || !strings.Contains(r.text(), "Send every client an update at least every three weeks") ||
		!strings.Contains(r.text(), "Measures not met without an improvement action in 2025-26") {
		t.Fatalf("GET /staff/improvement: %d\n%s", r.status, r.text())
	}
	for _, p := range []string{"/staff/improvement/actions/new", "/staff/improvement/actions/1", "/staff/improvement/narrative?measure=decided-in-time&year=2025-26",
		"/staff/improvement/evidence", "/staff/improvement/you-said"} {
		if r := v.get(p); r.status != 200 || !strings.Contains(r.body, `name="csrf_token"`) {
			t.Errorf("GET %s: %d", p, r.status)
		}
	}
	if r := v.get("/staff/improvement/narrative?measure=decided-in-time&year=2025-26"); !strings.Contains(r.text(), "More people applied in the winter") {
		t.Error("the narrative form does not show what was said before")
	}
	if r := v.get("/staff/improvement/actions/99"); r.status != http.StatusNotFound {
		t.Errorf("an action that does not exist: %d, want 404", r.status)
	}

	count := func() (actions, evidence, youSaid int) {
		as, _ := s.svc.Actions(ctx)
		rep, err := s.svc.Report(ctx, fy25)
		if err != nil {
			t.Fatal(err)
		}
		for _, sec := range rep.Sections {
			for _, c := range sec.Commitments {
				evidence += len(c.Evidence)
			}
		}
		return len(as), evidence, len(rep.YouSaid)
	}
	a0, e0, y0 := count()

	// Every form sent wrongly: the summary names each field in the form's
	// order, the page says "Error:" first, and nothing is written.
	cases := []struct {
		path   string
		fields []string
		want   []string
	}{
		{"/staff/improvement/actions", nil, []string{"action-what", "action-owner", "action-due-day", "action-status", "action-measures"}},
		{"/staff/improvement/actions", []string{"what", "Faster", "owner", "Ops", "due-day", "31", "due-month", "2", "due-year", "2026", "status", "planned",
			"measures", "no-such-measure"}, []string{"action-what", "action-due-day", "action-measures"}},
		{"/staff/improvement/actions/1", []string{"version", "1", "what", "Send every client an update at least every three weeks", "owner", "Client contact team",
			"due-day", "30", "due-month", "6", "due-year", "2026", "status", "in progress", "measures", "kept-updated",
			"note", "Going well", "note-on-day", "1", "note-on-month", "1", "note-on-year", "2030"},
			[]string{"action-note-on-day"}},
		{"/staff/improvement/narrative", []string{"text", "Short"}, []string{"narrative-measure", "narrative-year", "narrative-text"}},
		{"/staff/improvement/evidence", []string{"text", "Too short", "on-day", "1"}, []string{"evidence-commitment", "evidence-text", "evidence-source", "evidence-on-day"}},
		{"/staff/improvement/you-said", []string{"said", "You said things.", "on-day", "1", "on-month", "1", "on-year", "2030"},
			[]string{"you-said-did", "you-said-on-day", "you-said-measures"}},
	}
	for _, c := range cases {
		form := c.path
		if strings.HasSuffix(form, "/actions") {
			form += "/new"
		}
		v.get(form)
		r := v.post(c.path, c.fields...)
		got := summaryFields(r.body)
		if r.status != http.StatusBadRequest || strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("POST %s %v: %d, summary %v, want 400 naming %v", c.path, c.fields, r.status, got, c.want)
		}
		if !strings.Contains(r.body, "<title>Error: ") {
			t.Errorf("POST %s: the title does not start with Error:", c.path)
		}
		for _, id := range got {
			if !strings.Contains(r.body, `id="`+id+`"`) {
				t.Errorf("POST %s: the summary links to #%s, which is not on the page", c.path, id)
			}
		}
	}
	// What was typed is kept.
	v.get("/staff/improvement/evidence")
	if r := v.post("/staff/improvement/evidence", "text", "Partners said the letters are clearer now."); !strings.Contains(r.text(), "Partners said the letters are clearer now.") {
		t.Error("the evidence form lost what was typed")
	}
	if a, e, y := count(); a != a0 || e != e0 || y != y0 {
		t.Fatalf("refused forms wrote: %d actions (was %d), %d evidence (was %d), %d entries (was %d)", a, a0, e, e0, y, y0)
	}

	// Each form sent rightly is written, and shows on the report.
	ok := []struct {
		path   string
		fields []string
	}{
		{"/staff/improvement/actions", []string{"what", "Train every decision maker on writing reasons people understand", "owner", "Learning and development",
			"due-day", "31", "due-month", "10", "due-year", "2026", "status", "planned", "measures", "decided-in-time", "commitments", "1.8"}},
		{"/staff/improvement/narrative", []string{"measure", "kept-updated", "year", "2025-26", "text", "Updates slipped in the winter, when more people applied."}},
		{"/staff/improvement/evidence", []string{"commitment", "2.12", "text", "Partners said practitioners understood clients' conditions.", "source", "partner survey",
			"on-day", "3", "on-month", "2", "on-year", "2026"}},
		{"/staff/improvement/you-said", []string{"said", "You said our letters used words you did not know.", "did", "We rewrote the letters with clients and added a glossary.",
			"on-day", "1", "on-month", "3", "on-year", "2026", "commitments", "1.8"}},
		{"/staff/improvement/actions/1", []string{"version", "1", "what", "Send every client an update at least every three weeks", "owner", "Client contact team",
			"due-day", "30", "due-month", "6", "due-year", "2026", "status", "in progress", "measures", "kept-updated", "commitments", "1.4",
			"note", "Half of clients now get an update every three weeks.", "note-on-day", "1", "note-on-month", "3", "note-on-year", "2026"}},
	}
	for _, c := range ok {
		form := c.path
		if strings.HasSuffix(form, "/actions") {
			form += "/new"
		}
		v.get(form)
		r := v.post(c.path, c.fields...)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/staff/improvement?saved=") {
			t.Errorf("POST %s: %d to %q, want 303 to the plan\n%s", c.path, r.status, r.location, r.text())
		}
	}
	page := v.get("/report/2025-26").text()
	for _, want := range []string{"Train every decision maker", "Updates slipped in the winter", "practitioners understood clients", "We rewrote the letters",
		"Half of clients now get an update"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report does not show %q", want)
		}
	}
	// Saving an action from a form filled in on an older version is refused.
	v.get("/staff/improvement/actions/1")
	r = v.post("/staff/improvement/actions/1", "version", "1", "what", "Something else that will change", "owner", "Ops",
		"due-day", "30", "due-month", "6", "due-year", "2026", "status", "done", "commitments", "1.4")
	if r.status != http.StatusConflict || !strings.Contains(r.text(), "Someone else changed") {
		t.Errorf("a stale action form: %d\n%s", r.status, r.text())
	}
	if a, _ := s.svc.Action(ctx, "1"); a.What != "Send every client an update at least every three weeks" || a.Due != calendar.NewDate(2026, 6, 30) {
		t.Errorf("a refused change wrote %+v", a)
	}
}
