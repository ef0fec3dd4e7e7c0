package browser

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
)

// reviewFixtures stores the example review round with its answers and
// coded comments, and the example draft revision, unpublished.
func (s *site) reviewFixtures() {
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
}

// TestFeedbackAndComplaint: a member of the public sends the form with
// mistakes, then a complaint; a caseworker answers it at stage 1, it goes
// to stage 2 and is answered; the person's page then points to the
// ombudsman. Every page and error state is checked.
func TestFeedbackAndComplaint(t *testing.T) {
	s := newSite(t)
	s.addCaseworker()

	public := s.newTab(t, true)
	public.visit("/feedback")
	public.visit("/feedback/send")
	if status := public.press("Send"); status != http.StatusBadRequest {
		t.Errorf("an empty form: %d, want 400", status)
	}
	public.errorSummary("feedback form empty", "kind", "commitments")
	public.choose("kind", "complaint")
	public.choose("commitments", "2.2")
	public.typeInto("text", "The date in my letter passed and nobody got in touch.")
	public.press("Send")
	public.errorSummary("complaint with no way to reply", "email")
	public.typeInto("email", "alex@example.org")
	if status := public.press("Send"); status != http.StatusOK || !strings.HasPrefix(public.path(), "/feedback/sent/FB-") {
		t.Fatalf("sending the complaint: %d on %s", status, public.location())
	}
	public.wantText("We have your complaint", "We will answer it by Monday 9 March 2026")
	public.check("complaint sent")
	receipt := public.path()

	// Feedback, with JavaScript off: the form works without it.
	plain := s.newTab(t, false)
	plain.visit("/feedback/send")
	plain.choose("kind", "feedback")
	plain.choose("commitments", "1.4")
	plain.choose("verdict", "met")
	if status := plain.press("Send"); status != http.StatusOK {
		t.Fatalf("feedback without JavaScript: %d on %s", status, plain.location())
	}
	plain.wantText("Thank you for your feedback", "Commitment 1.4")
	plain.check("feedback sent without javascript")

	staff := s.newTab(t, true)
	staffSignsIn(staff)
	staff.visit("/staff/complaints")
	staff.wantText("Complaints due", "On track")
	staff.check("complaints due")
	staff.visit("/staff/complaints/" + strings.TrimPrefix(receipt, "/feedback/sent/"))
	staff.check("complaint")
	staff.press("Record our stage 1 answer")
	staff.errorSummary("complaint answer without an outcome", "stage1-outcome")
	staff.choose("outcome", "not-upheld")
	if status := staff.press("Record our stage 1 answer"); status != http.StatusOK {
		t.Fatalf("the stage 1 answer: %d", status)
	}
	staff.wantText("Recorded: Stage 1 answer sent")
	staff.check("complaint answered at stage 1")
	staff.press("Record that it goes to stage 2")
	staff.press("Record the acknowledgement")
	staff.press("Record our stage 2 answer")
	staff.errorSummary("stage 2 answer without an outcome", "stage2-outcome")
	staff.choose("outcome", "partly-upheld")
	staff.press("Record our stage 2 answer")
	staff.wantText("Recorded: Stage 2 answer sent", "Scottish Public Services Ombudsman")
	staff.check("complaint answered at stage 2")
	staff.visit("/staff/feedback")
	staff.wantText("Feedback by commitment", "feedback-about-updates")
	staff.check("feedback by commitment")

	public.visit(receipt)
	public.wantText("Scottish Public Services Ombudsman", "12 months")
	public.check("complaint after stage 2")
}

// TestReviewAndRevision: a manager reads the example round's findings,
// enters answers and a coded comment (with mistakes first), reads the
// draft revision with its evidence and publishes it; the public then reads
// the new version and its history. Every page and error state is checked.
func TestReviewAndRevision(t *testing.T) {
	s := newSite(t)
	s.reviewFixtures()
	s.addStaff(managerEmail, "manager")

	b := s.newTab(t, true)
	staffSignsInAs(b, managerEmail)
	// The review pages, from the list of rounds and drafts (the rest of
	// the staff pages are crawled by TestStaffPages).
	checked := b.crawl(20, "/staff/re", "/staff/reviews", "/staff/drafts/2027.1", "/staff/complaints", "/staff/feedback")
	for _, p := range []string{"/staff/reviews", "/staff/reviews/review-2026", "/staff/drafts/2027.1",
		"/staff/reviews/review-2026/responses", "/staff/reviews/review-2026/comments", "/staff/complaints", "/staff/feedback"} {
		if !checked[p] {
			t.Errorf("%s was not checked", p)
		}
	}

	b.visit("/staff/reviews/review-2026")
	b.wantText("Given the small numbers", "Commitment 1.4", "Client group participant")

	b.visit("/staff/reviews/review-2026/comments")
	b.press("Record the comment")
	b.errorSummary("coded comment empty", "participant", "commitment", "source", "text", "themes", "sentiment")
	b.choose("participant", "C3")
	b.choose("commitment", "2.2")
	b.choose("source", "workshop")
	b.typeInto("text", "Quickly means nothing to me: give me a date.")
	b.choose("themes", "language")
	b.choose("sentiment", "negative")
	if status := b.press("Record the comment"); status != http.StatusOK {
		t.Fatalf("recording a comment: %d", status)
	}
	b.wantText("Comment M-054 is recorded.")
	b.check("coded comment recorded")

	b.visit("/staff/reviews/review-2026/responses")
	b.press("Record the answers")
	b.errorSummary("survey answers empty", "participant")
	b.choose("participant", "S1")
	b.press("Record the answers")
	b.errorSummary("survey answers with none given", "answer-clear-and-easy")
	b.choose("answer-clear-and-easy", "agree")
	b.press("Record the answers")
	b.wantText("S1's answers are recorded.")
	b.check("survey answers recorded")

	b.visit("/staff/drafts/2027.1")
	b.wantText("Evidence", "Client group participant, comment W2-01", "Check before publishing")
	b.press("Publish version 2027.1")
	b.errorSummary("publishing without confirming", "confirm")
	b.choose("confirm", "yes")
	if status := b.press("Publish version 2027.1"); status != http.StatusOK {
		t.Fatalf("publishing: %d", status)
	}
	b.wantText("Version 2027.1 is published", "Check after publishing")
	b.check("draft published")

	public := s.newTab(t, true)
	public.visit("/charter")
	public.wantText("2027.1")
	public.check("charter version 2027.1")
	public.visit("/charter/history")
	public.wantText("Version 2027.1", "Current", "Commitment 2.11 (was 2.12)", "New commitment 2.12")
	public.check("charter history after publishing")
}
