package store_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/feedback"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

func feedbackItem(id string, kind feedback.Kind, on calendar.Date, refs ...feedback.CommitmentRef) feedback.Item {
	return feedback.Item{ID: id, Kind: kind, Received: on, CharterVersion: "2026.1", Commitments: refs,
		Verdict: feedback.VerdictNotMet, Text: "Nobody told me anything for weeks.",
		Contact: feedback.Contact{Name: "Alex", Email: "alex@example.org", Phone: "01234 567890"}}
}

var (
	updates = feedback.CommitmentRef{ID: "1.4", Key: "support-through-application"}
	dates   = feedback.CommitmentRef{ID: "2.2", Key: "decide-by-the-dates-we-give"}
)

func TestFeedbackItems(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		d1, d2 := calendar.NewDate(2026, 3, 2), calendar.NewDate(2026, 3, 3)
		fb := feedbackItem("FB-AAAA-AAAA", feedback.KindFeedback, d1, updates, dates)
		fb.Verdict = feedback.VerdictMet
		if err := s.AddFeedback(ctx, fb, base, nil, store.ComplaintState{}); err != nil {
			t.Fatal(err)
		}
		got, evs, err := s.FeedbackItem(ctx, fb.ID)
		if err != nil || !reflect.DeepEqual(got.Item, fb) || len(evs) != 0 || !got.ReceivedAt.Equal(base.Truncate(1000)) {
			t.Fatalf("feedback item:\n%+v, %v, %v\nwant %+v", got, evs, err, fb)
		}
		// The same reference again: a conflict, and nothing more is written.
		if err := s.AddFeedback(ctx, fb, base, nil, store.ComplaintState{}); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("the same reference twice: %v", err)
		}
		if got, _, _ := s.FeedbackItem(ctx, fb.ID); len(got.Commitments) != 2 {
			t.Errorf("a refused item added commitments: %+v", got.Commitments)
		}

		// A complaint comes with its first step and its projection.
		c := feedbackItem("FB-CCCC-CCCC", feedback.KindComplaint, d2, dates)
		if err := s.AddFeedback(ctx, c, base, nil, store.ComplaintState{}); err == nil {
			t.Error("a complaint without its received event was stored")
		}
		received := store.ComplaintEventRecord{ComplaintEvent: feedback.ComplaintEvent{Type: feedback.ComplaintReceived, On: d2},
			Seq: 1, Actor: "public", RecordedAt: base}
		due := calendar.NewDate(2026, 3, 10)
		if err := s.AddFeedback(ctx, c, base.Add(time.Hour), &received,
			store.ComplaintState{Status: feedback.StatusStage1Open, Stage: 1, NextDue: due, Version: 1}); err != nil {
			t.Fatal(err)
		}
		answered := store.ComplaintEventRecord{ComplaintEvent: feedback.ComplaintEvent{Type: feedback.Stage1Responded, On: due,
			Outcome: feedback.OutcomePartlyUpheld, Note: "We were late."}, Seq: 2, Actor: "staff:1", RecordedAt: base}
		answeredState := store.ComplaintState{Status: feedback.StatusStage1Answered, Stage: 1, Version: 2}
		if err := s.AppendComplaintEvent(ctx, c.ID, 0, answered, answeredState); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("a stale version: %v", err)
		}
		if err := s.AppendComplaintEvent(ctx, "FB-NONE-NONE", 1, answered, answeredState); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("an unknown complaint: %v", err)
		}
		open, err := s.Complaints(ctx, false)
		if err != nil || len(open) != 1 || open[0].ID != c.ID || open[0].NextDue != due || open[0].Text != c.Text {
			t.Fatalf("complaints due: %+v, %v", open, err)
		}
		if err := s.AppendComplaintEvent(ctx, c.ID, 1, answered, answeredState); err != nil {
			t.Fatal(err)
		}
		if err := s.AppendComplaintEvent(ctx, c.ID, 1, answered, answeredState); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("the same step twice: %v", err)
		}
		_, evs, err = s.FeedbackItem(ctx, c.ID)
		if err != nil || len(evs) != 2 || evs[1].Outcome != feedback.OutcomePartlyUpheld || evs[1].Note != "We were late." || evs[1].Actor != "staff:1" {
			t.Fatalf("complaint events: %+v, %v", evs, err)
		}
		if st, err := s.ComplaintState(ctx, c.ID); err != nil || st != answeredState {
			t.Errorf("state %+v, %v", st, err)
		}
		if open, _ := s.Complaints(ctx, false); len(open) != 0 {
			t.Errorf("an answered complaint is still due: %+v", open)
		}
		if all, _ := s.Complaints(ctx, true); len(all) != 1 {
			t.Errorf("all complaints: %+v", all)
		}

		items, err := s.FeedbackItems(ctx, store.FeedbackQuery{})
		if err != nil || len(items) != 2 || items[0].ID != c.ID {
			t.Fatalf("items, newest first: %+v, %v", items, err)
		}
		if items, _ := s.FeedbackItems(ctx, store.FeedbackQuery{Kind: feedback.KindFeedback}); len(items) != 1 || items[0].ID != fb.ID {
			t.Errorf("feedback only: %+v", items)
		}
		if items, _ := s.FeedbackItems(ctx, store.FeedbackQuery{From: d2, To: d2}); len(items) != 1 || items[0].ID != c.ID {
			t.Errorf("received on %s: %+v", d2, items)
		}
		if items, _ := s.FeedbackItems(ctx, store.FeedbackQuery{Limit: 1}); len(items) != 1 {
			t.Errorf("limit 1: %d items", len(items))
		}
	})
}

func TestFeedbackCounts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		d1, d2, d3 := calendar.NewDate(2026, 3, 2), calendar.NewDate(2026, 3, 3), calendar.NewDate(2026, 4, 1)
		add := func(id string, kind feedback.Kind, on calendar.Date, refs ...feedback.CommitmentRef) {
			t.Helper()
			it := feedbackItem(id, kind, on, refs...)
			var first *store.ComplaintEventRecord
			if kind == feedback.KindComplaint {
				first = &store.ComplaintEventRecord{ComplaintEvent: feedback.ComplaintEvent{Type: feedback.ComplaintReceived, On: on}, Seq: 1}
			}
			if err := s.AddFeedback(ctx, it, base, first, store.ComplaintState{Status: feedback.StatusStage1Open, Stage: 1, Version: 1}); err != nil {
				t.Fatal(err)
			}
		}
		add("A", feedback.KindFeedback, d1, updates)
		add("B", feedback.KindFeedback, d1, updates, dates)
		add("C", feedback.KindComplaint, d1, dates)
		// Sent when updates was numbered 1.3: it counts under today's number.
		add("D", feedback.KindFeedback, d2, feedback.CommitmentRef{ID: "1.3", Key: updates.Key})
		add("E", feedback.KindFeedback, d2) // something else: no commitment
		add("F", feedback.KindFeedback, d3, updates)
		// A commitment the current charter no longer has keeps its number.
		add("G", feedback.KindComplaint, d2, feedback.CommitmentRef{ID: "2.11", Key: "wellbeing-first-in-consultations"})

		ids := map[string]string{updates.Key: "1.4", dates.Key: "2.2"}
		got, err := s.FeedbackCounts(ctx, d1, d2, ids)
		if err != nil {
			t.Fatal(err)
		}
		want := []measure.FeedbackCount{
			{Commitment: "1.4", On: d1, Count: 2},
			{Commitment: "2.2", On: d1, Count: 1},
			{Commitment: "2.2", On: d1, Complaint: true, Count: 1},
			{Commitment: "1.4", On: d2, Count: 1},
			{Commitment: "2.11", On: d2, Complaint: true, Count: 1},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("counts:\n got %+v\nwant %+v", got, want)
		}
		if got, _ := s.FeedbackCounts(ctx, d3, d3, ids); len(got) != 1 || got[0].Count != 1 || got[0].On != d3 {
			t.Errorf("counts on %s: %+v", d3, got)
		}
		if got, _ := s.FeedbackCounts(ctx, d3.AddDays(1), d3.AddDays(30), ids); len(got) != 0 {
			t.Errorf("counts after: %+v", got)
		}
	})
}
