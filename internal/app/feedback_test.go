package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/feedback"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// newFeedbackService is a service with the example charter, benefits and
// measures, on a clock the test moves, Monday 2 March 2026 at 10:00.
func newFeedbackService(t *testing.T, st *store.Store, o app.Options) (*app.Service, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	o.Now, o.Seed = c.now, 3
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	o.Measures, o.MeasuresName = examples.Measures, "measures.yaml"
	svc, err := app.New(context.Background(), st, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Load(context.Background(), "charter.yaml", examples.Charter, "benefits.yaml", examples.Benefits); err != nil {
		t.Fatal(err)
	}
	return svc, c
}

// sendFeedback submits a form as a person would: shown a minute before.
func sendFeedback(t *testing.T, svc *app.Service, f feedback.Form) app.FeedbackReceipt {
	t.Helper()
	r, err := svc.SubmitFeedback(context.Background(), app.FeedbackSubmission{Form: f, Shown: svc.Now().Add(-time.Minute), From: "10.0.0.1"})
	if err != nil {
		t.Fatalf("submitting %+v: %v", f, err)
	}
	return r
}

func notMet(ids ...string) feedback.Form {
	return feedback.Form{Kind: feedback.KindFeedback, Commitments: ids, Verdict: feedback.VerdictNotMet, Text: "Nobody told me anything."}
}

func TestFeedbackReachesItsMeasure(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := newFeedbackService(t, st, app.Options{})
		r := sendFeedback(t, svc, notMet("1.4"))
		if r.ID == "" || r.Automated || !strings.HasPrefix(r.ID, "FB-") {
			t.Fatalf("receipt %+v", r)
		}
		sendFeedback(t, svc, feedback.Form{Kind: feedback.KindFeedback, Commitments: []string{"1.4", "2.2"}, Verdict: feedback.VerdictMet})
		sendFeedback(t, svc, feedback.Form{Kind: feedback.KindComplaint, Commitments: []string{"2.2"}, Text: "My decision is late.",
			Email: "alex@example.org"})
		sendFeedback(t, svc, feedback.Form{Kind: feedback.KindFeedback, Commitments: []string{feedback.SomethingElse}, Text: "The car park."})

		today := svc.Today()
		counts, err := svc.FeedbackCounts(ctx, today, today)
		if err != nil {
			t.Fatal(err)
		}
		want := []measure.FeedbackCount{
			{Commitment: "1.4", On: today, Count: 2},
			{Commitment: "2.2", On: today, Count: 1},
			{Commitment: "2.2", On: today, Complaint: true, Count: 1},
		}
		if len(counts) != len(want) {
			t.Fatalf("counts %+v, want %+v", counts, want)
		}
		for i := range want {
			if counts[i] != want[i] {
				t.Errorf("count %d: %+v, want %+v", i, counts[i], want[i])
			}
		}
		if _, err := svc.FeedbackCounts(ctx, today, today.AddDays(-1)); errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("a range that ends before it starts: %v", err)
		}

		// The example measures count it: feedback-about-updates (1.4) and
		// complaints-about-timescales (2.2).
		sum, err := svc.FeedbackSummaryFor(ctx, measure.YearOf(today))
		if err != nil {
			t.Fatal(err)
		}
		figures := map[string]int64{}
		for _, c := range sum.Commitments {
			switch c.Commitment.ID {
			case "1.4":
				if c.Met != 1 || c.NotMet != 1 || c.Complaints != 0 {
					t.Errorf("1.4: %+v", c)
				}
			case "2.2":
				if c.Met != 1 || c.Complaints != 1 {
					t.Errorf("2.2: %+v", c)
				}
			}
			for _, m := range c.Measures {
				figures[m.ID] = m.Value
			}
		}
		if figures["feedback-about-updates"] != 2 || figures["complaints-about-timescales"] != 1 {
			t.Errorf("measure figures %v, want feedback-about-updates 2 and complaints-about-timescales 1", figures)
		}
		if sum.SomethingElse != 1 || sum.Total != 4 {
			t.Errorf("something else %d, total %d", sum.SomethingElse, sum.Total)
		}
	})
}

func TestFeedbackAbuseProtection(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, clk := newFeedbackService(t, st, app.Options{})
		submit := func(honeypot string, shown time.Time, from string) (app.FeedbackReceipt, error) {
			return svc.SubmitFeedback(ctx, app.FeedbackSubmission{Form: notMet("1.4"), Honeypot: honeypot, Shown: shown, From: from})
		}
		stored := func() int {
			items, err := svc.RecentFeedback(ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			return len(items)
		}
		// The hidden field filled in: thanked, not kept.
		r, err := submit("http://spam.example", svc.Now().Add(-time.Minute), "10.0.0.2")
		if err != nil || !r.Automated || r.ID != "" {
			t.Fatalf("honeypot: %+v, %v", r, err)
		}
		// Back in a second: too quick for a person.
		if r, err := submit("", svc.Now().Add(-time.Second), "10.0.0.2"); err != nil || !r.Automated {
			t.Fatalf("too quick: %+v, %v", r, err)
		}
		// Back before it was shown: forged.
		if r, _ := submit("", svc.Now().Add(time.Minute), "10.0.0.2"); !r.Automated {
			t.Fatal("a form back before it was shown was kept")
		}
		// No time at all: not a form we gave out.
		if r, _ := submit("", time.Time{}, "10.0.0.2"); !r.Automated {
			t.Fatal("a form that does not say when it was shown was kept")
		}
		if n := stored(); n != 0 {
			t.Fatalf("%d automated items were kept", n)
		}
		if r, err := submit("", svc.Now().Add(-10*time.Second), "10.0.0.2"); err != nil || r.Automated {
			t.Fatalf("a person: %+v, %v", r, err)
		}
		// The limit counts every submission from an address, automated or
		// not: 5 so far.
		for i := 5; i < app.MaxFeedbackPerHour; i++ {
			if _, err := submit("", svc.Now().Add(-time.Minute), "10.0.0.2"); err != nil {
				t.Fatalf("submission %d: %v", i+1, err)
			}
		}
		_, err = submit("", svc.Now().Add(-time.Minute), "10.0.0.2")
		if errs.KindOf(err) != errs.KindRateLimited || !strings.Contains(err.Error(), "try again after 11:00") {
			t.Fatalf("submission %d: %v", app.MaxFeedbackPerHour+1, err)
		}
		before := stored()
		if _, err := submit("", svc.Now().Add(-time.Minute), "10.0.0.3"); err != nil {
			t.Errorf("another address is refused too: %v", err)
		}
		clk.add(time.Hour + time.Second)
		if _, err := submit("", svc.Now().Add(-time.Minute), "10.0.0.2"); err != nil {
			t.Errorf("an hour later: %v", err)
		}
		if n := stored(); n != before+2 {
			t.Errorf("%d stored, want %d", n, before+2)
		}

		// A form with problems: every field named, nothing kept.
		_, err = svc.SubmitFeedback(ctx, app.FeedbackSubmission{Form: feedback.Form{Kind: feedback.KindComplaint, Commitments: []string{"9.9"}},
			Shown: svc.Now().Add(-time.Minute), From: "10.0.0.4"})
		var fe feedback.FormErrors
		if !errors.As(err, &fe) || fe.Message("commitments") == "" || fe.Message("text") == "" || fe.Message("contact") == "" {
			t.Fatalf("a bad form: %v", err)
		}
		if n := stored(); n != before+2 {
			t.Errorf("a bad form was kept: %d stored", n)
		}
	})
}

func TestComplaintProcess(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		// Other timescales than the defaults: 10; 5 and 30 working days.
		svc, clk := newFeedbackService(t, st, app.Options{Complaints: feedback.Timescales{Stage1RespondDays: 10, Stage2AcknowledgeDays: 5, Stage2RespondDays: 30}})
		r := sendFeedback(t, svc, feedback.Form{Kind: feedback.KindComplaint, Commitments: []string{"2.2"}, Text: "My decision is late.",
			Reference: "", Phone: "01234 567890"})
		_, found, err := svc.FeedbackItem(ctx, strings.ToLower(strings.ReplaceAll(r.ID, "-", "")))
		if err != nil || found == nil {
			t.Fatalf("the complaint, by its reference as typed: %v, %v", found, err)
		}
		v := *found
		// Monday 2 March 2026 plus 10 working days.
		if due := calendar.NewDate(2026, 3, 16); v.Complaint.Stage1DueOn != due || v.Complaint.Status != feedback.StatusStage1Open {
			t.Fatalf("stage 1 due %s, status %s", v.Complaint.Stage1DueOn, v.Complaint.Status)
		}
		if !strings.Contains(strings.Join(v.NextSteps.Paragraphs, " "), "Monday 16 March 2026") {
			t.Errorf("next steps: %+v", v.NextSteps)
		}
		due, _ := svc.Complaints(ctx, false)
		if len(due) != 1 || due[0].NextStep != "stage 1 answer" || due[0].Overdue || due[0].NextDue != calendar.NewDate(2026, 3, 16) {
			t.Fatalf("complaints due: %+v", due)
		}

		step := func(typ feedback.ComplaintEventType, outcome feedback.Outcome, version int) (app.ComplaintView, error) {
			return svc.RecordComplaintStep(ctx, r.ID, app.ComplaintStep{Type: typ, Outcome: outcome, Actor: "staff:test", ExpectedVersion: version})
		}
		// Overdue the day after.
		clk.add(15 * 24 * time.Hour) // Tuesday 17 March
		if due, _ := svc.Complaints(ctx, false); len(due) != 1 || !due[0].Overdue {
			t.Fatalf("not overdue on 17 March: %+v", due)
		}
		if _, err := step(feedback.Stage1Responded, "", 1); errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("an answer without an outcome: %v", err)
		}
		if _, err := step(feedback.Stage2Acknowledged, "", 1); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("acknowledging stage 2 at stage 1: %v", err)
		}
		if _, err := step(feedback.Stage1Responded, feedback.OutcomeNotUpheld, 0); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("a stale page: %v", err)
		}
		v, err = step(feedback.Stage1Responded, feedback.OutcomeNotUpheld, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Deadlines[0].Late || v.Complaint.Status != feedback.StatusStage1Answered || !strings.Contains(v.NextSteps.Heading, "not happy") {
			t.Errorf("after a late answer: %+v", v)
		}
		if due, _ := svc.Complaints(ctx, false); len(due) != 0 {
			t.Errorf("an answered complaint is still due: %+v", due)
		}
		v, err = step(feedback.Escalated, "", 2)
		if err != nil {
			t.Fatal(err)
		}
		if v.Complaint.Stage2AckDueOn != calendar.NewDate(2026, 3, 24) || v.Complaint.Stage2DueOn != calendar.NewDate(2026, 4, 29) {
			t.Errorf("stage 2 dates: acknowledge by %s, answer by %s", v.Complaint.Stage2AckDueOn, v.Complaint.Stage2DueOn)
		}
		if due, _ := svc.Complaints(ctx, false); len(due) != 1 || due[0].NextStep != "stage 2 acknowledgement" {
			t.Errorf("at stage 2: %+v", due)
		}
		if _, err := step(feedback.Stage2Acknowledged, "", 3); err != nil {
			t.Fatal(err)
		}
		v, err = step(feedback.Stage2Responded, feedback.OutcomePartlyUpheld, 4)
		if err != nil {
			t.Fatal(err)
		}
		if v.NextSteps.Link == nil || v.NextSteps.Link.URL != feedback.OmbudsmanURL ||
			!strings.Contains(strings.Join(v.NextSteps.Paragraphs, " "), feedback.OmbudsmanName) {
			t.Errorf("after stage 2 the person is told about the ombudsman: %+v", v.NextSteps)
		}
		if len(v.Events) != 5 {
			t.Errorf("%d steps", len(v.Events))
		}

		// Feedback is not a complaint.
		fb := sendFeedback(t, svc, notMet("1.4"))
		if _, err := svc.RecordComplaintStep(ctx, fb.ID, app.ComplaintStep{Type: feedback.Stage1Responded, Outcome: feedback.OutcomeUpheld}); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("a step on feedback: %v", err)
		}
		if _, err := svc.RecordComplaintStep(ctx, "FB-NONE-NONE", app.ComplaintStep{}); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("an unknown reference: %v", err)
		}
	})
}

func TestComplaintTimescalesChecked(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	_, err := app.New(context.Background(), st, app.Options{Complaints: feedback.Timescales{Stage1RespondDays: 5, Stage2AcknowledgeDays: 30, Stage2RespondDays: 20}})
	if e, ok := errs.As(err); !ok || e.Field != "stage2_acknowledge_working_days" {
		t.Errorf("stage 2 acknowledged after it is answered: %v", err)
	}
}
