package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/feedback"
)

// reviewFixtures stores the example review round with its evidence, the
// example draft revision (unpublished) and a complaint sent through the
// form, and returns the complaint's reference.
func (s *site) reviewFixtures() string {
	s.t.Helper()
	ctx := context.Background()
	if _, err := s.svc.ImportReview(ctx, app.ReviewImport{
		Round:     app.File{Name: "review-round.yaml", Data: examples.ReviewRound},
		Responses: &app.File{Name: "review-responses.csv", Data: examples.ReviewResponses},
		Comments:  &app.File{Name: "review-comments.csv", Data: examples.ReviewComments}}); err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.svc.SaveDraft(ctx, app.File{Name: "review-draft.yaml", Data: examples.ReviewDraft}); err != nil {
		s.t.Fatal(err)
	}
	r, err := s.svc.SubmitFeedback(ctx, app.FeedbackSubmission{From: "192.0.2.1", Form: feedback.Form{Kind: feedback.KindComplaint,
		Commitments: []string{"2.2"}, Text: "My decision is late and nobody told me.", Email: "alex@example.org"}})
	if err != nil {
		s.t.Fatal(err)
	}
	return r.ID
}

// errorLinks are the fields a page's error summary links to.
func errorLinks(body string) []string {
	sum := regexp.MustCompile(`(?s)<div class="ds_error-summary".*?</div>`).FindString(body)
	var out []string
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(sum, -1) {
		out = append(out, m[1])
	}
	return out
}

func wantLinks(t *testing.T, what string, r response, status int, fields ...string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d", what, r.status, status)
	}
	got := errorLinks(r.body)
	if strings.Join(got, " ") != strings.Join(fields, " ") {
		t.Errorf("%s: the error summary links to %v, want %v", what, got, fields)
	}
	if !strings.Contains(r.body, "<title>Error: ") {
		t.Errorf("%s: the title does not start with Error:", what)
	}
	for _, f := range fields {
		if !strings.Contains(r.body, `id="`+f+`"`) {
			t.Errorf("%s: nothing on the page has the id %s", what, f)
		}
	}
}

func TestFeedbackForm(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	v := s.visitor()
	p := v.get("/feedback/send")
	if p.status != http.StatusOK || !strings.Contains(p.text(), "Keep you updated on your application") && !strings.Contains(p.body, `value="1.4"`) {
		t.Fatalf("the form: %d", p.status)
	}
	for _, want := range []string{`name="website"`, `value="something-else"`, `id="commitments"`, `name="shown"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the form has no %s", want)
		}
	}
	stored := func() int {
		items, err := s.svc.RecentFeedback(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(items)
	}

	// Everything wrong: every field named, in form order, nothing stored.
	r := v.post("/feedback/send")
	wantLinks(t, "an empty form", r, http.StatusBadRequest, "kind", "commitments")
	r = v.post("/feedback/send", "kind", "complaint", "commitments", "2.2", "reference", "7KM-4QX-9DD", "email", "not an email")
	wantLinks(t, "a complaint with problems", r, http.StatusBadRequest, "reference", "text", "email")
	if !strings.Contains(r.body, `value="7KM-4QX-9DD"`) || !strings.Contains(r.body, `value="2.2" checked`) {
		t.Error("what was typed is lost after the error")
	}
	r = v.post("/feedback/send", "kind", "feedback", "commitments", "1.4")
	wantLinks(t, "feedback without a verdict", r, http.StatusBadRequest, "verdict")
	if n := stored(); n != 0 {
		t.Fatalf("%d items stored after refused forms", n)
	}

	// The hidden field filled in: thanked, not kept.
	r = v.post("/feedback/send", "kind", "feedback", "commitments", "1.4", "verdict", "met", "website", "http://spam.example")
	if r.status != http.StatusSeeOther || r.location != "/feedback/sent" {
		t.Errorf("a filled-in hidden field: %d to %q", r.status, r.location)
	}
	if n := stored(); n != 0 {
		t.Fatal("a form with the hidden field filled in was kept")
	}

	// Feedback sent through the form shows in the counts the measures take.
	v.get("/feedback/send")
	r = v.post("/feedback/send", "kind", "feedback", "commitments", "1.4", "commitments", "2.2", "verdict", "not-met",
		"text", "Nobody told me anything.")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/feedback/sent/FB-") {
		t.Fatalf("feedback: %d to %q\n%s", r.status, r.location, r.body)
	}
	sent := v.get(r.location)
	if sent.status != http.StatusOK || !strings.Contains(sent.text(), "Thank you for your feedback") || !strings.Contains(sent.text(), "Commitment 1.4") {
		t.Errorf("the thank-you page: %d\n%s", sent.status, sent.text())
	}
	today := s.svc.Today()
	counts, err := s.svc.FeedbackCounts(ctx, today, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 2 || counts[0].Commitment != "1.4" || counts[0].Count != 1 || counts[1].Commitment != "2.2" || counts[0].Complaint {
		t.Errorf("counts after the form: %+v", counts)
	}
	// Staff see it beside its measure.
	staff := s.visitor()
	staff.signInAsStaff("casey@example.org", "caseworker")
	page := staff.get("/staff/feedback")
	if page.status != http.StatusOK || !regexp.MustCompile(`feedback-about-updates</strong>: 1 pieces of feedback`).MatchString(page.body) {
		t.Errorf("the feedback page does not show feedback-about-updates at 1: %d\n%s", page.status, page.text())
	}

	// A complaint: the person is told the date we will answer by.
	r = v.post("/feedback/send", "kind", "complaint", "commitments", "2.2", "text", "My decision is late.", "phone", "01234 567890")
	if r.status != http.StatusSeeOther {
		t.Fatalf("complaint: %d\n%s", r.status, r.body)
	}
	sent = v.get(r.location)
	if !strings.Contains(sent.text(), "We have your complaint") || !strings.Contains(sent.text(), "We will answer it by Monday 9 March 2026") {
		t.Errorf("the complaint's page:\n%s", sent.text())
	}
	if strings.Contains(sent.text(), "01234 567890") || strings.Contains(sent.text(), "My decision is late") {
		t.Error("the public complaint page shows personal details")
	}

	// The limit: 20 an hour from one address, counting the automated one.
	for i := stored() + 1; i < app.MaxFeedbackPerHour; i++ {
		if r := v.post("/feedback/send", "kind", "feedback", "commitments", "something-else", "text", "The car park."); r.status != http.StatusSeeOther {
			t.Fatalf("feedback %d: %d", i+1, r.status)
		}
	}
	if r := v.post("/feedback/send", "kind", "feedback", "commitments", "something-else", "text", "The car park."); r.status != http.StatusTooManyRequests {
		t.Errorf("past the limit: %d, want 429", r.status)
	}
	if r := v.get("/feedback/sent/FB-NONE-NONE"); r.status != http.StatusNotFound {
		t.Errorf("an unknown reference: %d", r.status)
	}
	// The page on how to complain links the form.
	if p := v.get("/feedback"); !strings.Contains(p.body, `<a href="/feedback/send">Use our online form</a>`) {
		t.Error("the feedback page does not link the form")
	}
}

func TestComplaintPages(t *testing.T) {
	s := newSite(t)
	id := s.reviewFixtures()
	staff := s.visitor()
	staff.signInAsStaff("casey@example.org", "caseworker")
	list := staff.get("/staff/complaints")
	if list.status != http.StatusOK || !strings.Contains(list.body, `<a href="/staff/complaints/`+id+`">`) || !strings.Contains(list.text(), "On track") {
		t.Fatalf("complaints due: %d\n%s", list.status, list.text())
	}
	url := "/staff/complaints/" + id
	page := staff.get(url)
	if page.status != http.StatusOK || !strings.Contains(page.text(), "My decision is late and nobody told me.") || !strings.Contains(page.text(), "alex@example.org") {
		t.Fatalf("the complaint: %d\n%s", page.status, page.text())
	}
	// An answer without an outcome.
	r := staff.post(url+"/stage1-answer", "expected_version", "1")
	wantLinks(t, "an answer without an outcome", r, http.StatusBadRequest, "stage1-outcome")
	// A page someone else changed since.
	r = staff.post(url+"/stage1-answer", "expected_version", "3", "outcome", "upheld")
	if r.status != http.StatusConflict || !strings.Contains(r.text(), "Nothing was recorded") {
		t.Errorf("a stale page: %d\n%s", r.status, r.text())
	}
	r = staff.post(url+"/stage1-answer", "expected_version", "1", "outcome", "not-upheld", "note", "The date was met.")
	if r.status != http.StatusSeeOther {
		t.Fatalf("stage 1 answer: %d\n%s", r.status, r.text())
	}
	page = staff.get(r.location)
	if !strings.Contains(page.text(), "Recorded: Stage 1 answer sent") || !strings.Contains(page.text(), "They asked us to look again") {
		t.Errorf("after the answer:\n%s", page.text())
	}
	// A step that no longer fits: acknowledging stage 2 at stage 1.
	if r := staff.post(url+"/stage2-acknowledge", "expected_version", "2"); r.status != http.StatusConflict {
		t.Errorf("acknowledging stage 2 at stage 1: %d", r.status)
	}
	if r := staff.post(url+"/sideways", "expected_version", "2"); r.status != http.StatusNotFound {
		t.Errorf("an unknown step: %d", r.status)
	}
	for i, step := range []string{"escalate", "stage2-acknowledge"} {
		if r := staff.post(url+"/"+step, "expected_version", itoa(int64(i+2))); r.status != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", step, r.status, r.text())
		}
	}
	r = staff.post(url+"/stage2-answer", "expected_version", "4")
	wantLinks(t, "a stage 2 answer without an outcome", r, http.StatusBadRequest, "stage2-outcome")
	if r := staff.post(url+"/stage2-answer", "expected_version", "4", "outcome", "partly-upheld"); r.status != http.StatusSeeOther {
		t.Fatalf("stage 2 answer: %d", r.status)
	}
	// The person is told about the ombudsman.
	public := s.visitor().get("/feedback/sent/" + id)
	if !strings.Contains(public.text(), "Scottish Public Services Ombudsman") || !strings.Contains(public.body, `href="https://www.spso.org.uk"`) {
		t.Errorf("the person's page after stage 2:\n%s", public.text())
	}
	if list := staff.get("/staff/complaints"); strings.Contains(list.body, id) {
		t.Error("an answered complaint is still listed as due")
	}
	if list := staff.get("/staff/complaints?all=yes"); !strings.Contains(list.body, id) {
		t.Error("all complaints do not list an answered one")
	}
	// Feedback has no complaint page.
	if r := staff.get("/staff/complaints/FB-NONE-NONE"); r.status != http.StatusNotFound {
		t.Errorf("an unknown complaint: %d", r.status)
	}
}

func TestReviewPages(t *testing.T) {
	s := newSite(t)
	s.reviewFixtures()
	caseworker := s.visitor()
	caseworker.signInAsStaff("casey@example.org", "caseworker")
	manager := s.visitor()
	manager.signInAsStaff("morgan@example.org", "manager")

	list := caseworker.get("/staff/reviews")
	if list.status != http.StatusOK || !strings.Contains(list.body, `href="/staff/reviews/review-2026"`) || !strings.Contains(list.body, `href="/staff/drafts/2027.1"`) {
		t.Fatalf("reviews: %d\n%s", list.status, list.text())
	}

	// The findings read like research findings.
	f := caseworker.get("/staff/reviews/review-2026")
	for _, want := range []string{
		"Given the small numbers",
		"Commitment 1.4",
		"Client group participant",
		"Partner survey respondent",
		"Themes raised:",
		"of those who commented raised clarity",
		"agreed and",
		"Themes across the commitments",
	} {
		if !strings.Contains(f.text(), want) {
			t.Errorf("the findings do not say %q", want)
		}
	}
	// Fewer than 10 commented on each commitment: shares in words. The
	// round as a whole had more: shares in numbers.
	if regexp.MustCompile(`raised by \d+% of those who commented,`).MatchString(f.text()) {
		t.Error("a small group's share is given as a number")
	}
	if !regexp.MustCompile(`raised by \d+% of those who commented in this round`).MatchString(f.text()) {
		t.Error("the round's themes are not given in numbers")
	}
	csv := caseworker.get("/staff/reviews/review-2026/findings.csv")
	if csv.status != http.StatusOK || !strings.HasPrefix(csv.body, "kind,commitment_id") {
		t.Errorf("the CSV: %d %q", csv.status, csv.body[:min(len(csv.body), 80)])
	}
	if r := caseworker.get("/staff/reviews/no-such-round"); r.status != http.StatusNotFound {
		t.Errorf("an unknown round: %d", r.status)
	}

	// Entering answers and a comment: managers only.
	if r := caseworker.get("/staff/reviews/review-2026/comments"); r.status != http.StatusForbidden {
		t.Errorf("a caseworker entering comments: %d", r.status)
	}
	manager.get("/staff/reviews/review-2026/comments")
	r := manager.post("/staff/reviews/review-2026/comments")
	wantLinks(t, "an empty comment", r, http.StatusBadRequest, "participant", "commitment", "source", "text", "themes", "sentiment")
	r = manager.post("/staff/reviews/review-2026/comments", "participant", "C3", "commitment", "2.2", "source", "workshop",
		"text", "Quickly means nothing to me.", "themes", "language", "themes", "timescales", "sentiment", "negative", "quotable", "yes")
	if r.status != http.StatusSeeOther || !strings.HasSuffix(r.location, "?saved=M-054") {
		t.Fatalf("a comment: %d to %q\n%s", r.status, r.location, r.text())
	}
	r = manager.post("/staff/reviews/review-2026/comments", "id", "W2-01", "participant", "C3", "commitment", "general", "source", "survey",
		"text", "Hello.", "themes", "clarity", "sentiment", "mixed")
	wantLinks(t, "a comment id used twice", r, http.StatusConflict, "comment-id")

	// Everyone in the example round answered; a new participant would not be listed.
	page := manager.get("/staff/reviews/review-2026/responses")
	if page.status != http.StatusOK {
		t.Fatalf("responses: %d", page.status)
	}
	r = manager.post("/staff/reviews/review-2026/responses", "participant", "P1", "answer-clear-and-easy", "4")
	wantLinks(t, "answers given twice", r, http.StatusConflict, "participant")
	r = manager.post("/staff/reviews/review-2026/responses", "participant", "S1", "answer-clear-and-easy", "7")
	wantLinks(t, "an answer not on the scale", r, http.StatusBadRequest, "answer-clear-and-easy")

	// The draft: each change with its evidence beside it.
	d := caseworker.get("/staff/drafts/2027.1")
	for _, want := range []string{
		"Evidence", "couldn't tell you which one", "Client group participant, comment W2-01",
		"Why:", "Check before publishing", "Measure feedback-about-updates evidences commitment 1.4",
		"A manager can publish this draft.",
	} {
		if !strings.Contains(d.text(), want) {
			t.Errorf("the draft page does not say %q", want)
		}
	}
	if !strings.Contains(d.body, "<del>") || !strings.Contains(d.body, "<ins>") {
		t.Error("the draft page shows no words taken out and put in")
	}
	if err := headingsInOrder(d.body); err != nil {
		t.Errorf("the draft page: %v", err)
	}
	if r := caseworker.post("/staff/drafts/2027.1/publish", "confirm", "yes"); r.status != http.StatusForbidden {
		t.Errorf("a caseworker publishing: %d", r.status)
	}
	manager.get("/staff/drafts/2027.1")
	r = manager.post("/staff/drafts/2027.1/publish")
	wantLinks(t, "publishing without confirming", r, http.StatusBadRequest, "confirm")
	if ch, _ := s.svc.Charter(); ch.Version != "2026.1" {
		t.Fatal("a refused publication published")
	}
	r = manager.post("/staff/drafts/2027.1/publish", "confirm", "yes")
	if r.status != http.StatusSeeOther {
		t.Fatalf("publishing: %d\n%s", r.status, r.text())
	}
	done := manager.get(r.location)
	if !strings.Contains(done.text(), "Version 2027.1 is published") || !strings.Contains(done.text(), "Check after publishing") {
		t.Errorf("after publishing:\n%s", done.text())
	}

	// The public charter is the new version, and its history says why.
	ch := s.visitor().get("/charter")
	if !strings.Contains(ch.text(), "2027.1") || !strings.Contains(ch.body, `href="/charter/history"`) {
		t.Error("the charter page does not show version 2027.1 with a link to its history")
	}
	h := s.visitor().get("/charter/history")
	for _, want := range []string{
		"Version 2027.1", "Current", "Version 2026.1", "Replaced", "Revised after Charter review 2026",
		"Commitment 2.11 (was 2.12)", "Commitment 2.11 (removed)", "New commitment 2.12",
		"<strong>Why:</strong> Participants asked what \"qualified\" means", "This is the first version published here.",
	} {
		if !strings.Contains(h.text(), want) {
			t.Errorf("the history page does not say %q", want)
		}
	}
	if !strings.Contains(h.body, `<del><span class="visually-hidden">[taken out: </span>`) || !strings.Contains(h.body, "<ins>") {
		t.Error("the history page shows no reworded text")
	}
	if err := headingsInOrder(h.body); err != nil {
		t.Errorf("the history page: %v", err)
	}

	// The API: the versions, the findings and the feedback counts.
	var versions struct {
		Items []struct {
			Version string            `json:"version"`
			Current bool              `json:"current"`
			Reasons map[string]string `json:"reasons"`
			Changes []json.RawMessage `json:"changes"`
		} `json:"items"`
	}
	apiGet(t, s, "/api/v1/charter/versions", "", http.StatusOK, &versions)
	if len(versions.Items) != 2 || !versions.Items[0].Current || len(versions.Items[0].Changes) == 0 || versions.Items[0].Reasons["referrals"] == "" {
		t.Errorf("versions: %+v", versions)
	}
	token, _, err := s.svc.CreateToken(context.Background(), app.RoleCaseworker, "api test")
	if err != nil {
		t.Fatal(err)
	}
	var findings struct {
		RoundID    string `json:"round_id"`
		Statements []any  `json:"statements"`
	}
	apiGet(t, s, "/api/v1/reviews/review-2026/findings", token, http.StatusOK, &findings)
	if findings.RoundID != "review-2026" || len(findings.Statements) != 7 {
		t.Errorf("findings: %+v", findings)
	}
	apiGet(t, s, "/api/v1/reviews/review-2026/findings", "", http.StatusUnauthorized, nil)
	var counts struct {
		Items []struct {
			Commitment string `json:"commitment"`
			Complaint  bool   `json:"complaint"`
			Count      int    `json:"count"`
		} `json:"items"`
	}
	apiGet(t, s, "/api/v1/feedback/counts?from=2026-03-01&to=2026-03-31", token, http.StatusOK, &counts)
	if len(counts.Items) != 1 || counts.Items[0].Commitment != "2.2" || !counts.Items[0].Complaint {
		t.Errorf("counts: %+v", counts)
	}
	var e errorBody
	apiGet(t, s, "/api/v1/feedback/counts?from=March", token, http.StatusBadRequest, &e)
	if e.Error.Field != "from" {
		t.Errorf("a bad date: %+v", e)
	}
}

// apiGet calls the API and decodes the answer into out, if given.
func apiGet(t *testing.T, s *site, path, token string, status int, out any) {
	t.Helper()
	req, err := http.NewRequest("GET", s.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %d, want %d\n%s", path, resp.StatusCode, status, body)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("GET %s: %v\n%s", path, err, body)
		}
	}
}

// headingPattern finds a page's headings and their levels.
var headingPattern = regexp.MustCompile(`<h([1-6])[\s>]`)

// headingsInOrder checks that a page's headings never go down more than one
// level at a time (an h2 followed by an h4 leaves a screen reader's list
// of headings with a gap), starting from an h1.
func headingsInOrder(body string) error {
	last := 0
	for _, m := range headingPattern.FindAllStringSubmatch(body, -1) {
		level := int(m[1][0] - '0')
		if level > last+1 && !(last == 0 && level == 2) {
			return fmt.Errorf("an h%d follows an h%d", level, last)
		}
		last = level
	}
	return nil
}
