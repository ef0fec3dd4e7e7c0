package store_test

import (
	"reflect"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/review"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

func testRound() review.Round {
	return review.Round{ID: "review-2026", Name: "Charter review 2026", Starts: calendar.NewDate(2026, 5, 11),
		Ends: calendar.NewDate(2026, 9, 25), CharterVersion: "2026.1", SmallGroup: 10, QuotesPerCommitment: 3,
		Participants: []review.Participant{{ID: "P1", Type: review.PartnerOrganisation}, {ID: "C1", Type: review.ClientGroup}},
		Statements:   []review.Statement{{ID: "clear-and-easy", Text: "The charter is clear and easy to understand"}},
		Codebook:     review.DefaultCodebook()}
}

func testComment(id, participant string, typ review.ParticipantType) review.Comment {
	return review.Comment{ID: id, Participant: participant, ParticipantType: typ, CommitmentKey: "support-through-application",
		CommitmentID: "1.4", Source: review.SourceWorkshop, Text: "Say what support looks like.", Themes: []string{"clarity", "language"},
		Sentiment: review.Negative, Quotable: true}
}

func TestImportReview(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		r := testRound()
		answers := []review.Answer{
			{Participant: "P1", Type: review.PartnerOrganisation, Statement: "clear-and-easy", Scale: review.Agree},
			{Participant: "C1", Type: review.ClientGroup, Statement: "clear-and-easy", Scale: review.DontKnow},
		}
		general := testComment("PS-01", "P1", review.PartnerOrganisation)
		general.CommitmentKey, general.CommitmentID, general.Quotable, general.Source = "", "", false, review.SourceSurvey
		comments := []review.Comment{testComment("W2-01", "C1", review.ClientGroup), general}
		created, err := s.ImportReview(ctx, store.ReviewImport{Round: r, Answers: answers, Comments: comments}, base)
		if err != nil || !created {
			t.Fatalf("import: %v, %v", created, err)
		}
		got, err := s.ReviewRound(ctx, r.ID)
		if err != nil || !reflect.DeepEqual(got.Round, r) || got.Answers != 2 || got.Comments != 2 {
			t.Fatalf("round:\n%+v, %v\nwant %+v", got, err, r)
		}
		gotAnswers, err := s.ReviewAnswers(ctx, r.ID)
		if err != nil || !reflect.DeepEqual(gotAnswers, []review.Answer{answers[1], answers[0]}) {
			t.Errorf("answers: %+v, %v", gotAnswers, err)
		}
		gotComments, err := s.ReviewComments(ctx, r.ID)
		if err != nil || !reflect.DeepEqual(gotComments, comments) {
			t.Errorf("comments:\n%+v, %v\nwant %+v", gotComments, err, comments)
		}

		// All or nothing: a new comment and a comment id already used.
		more := []review.Comment{testComment("W2-02", "C1", review.ClientGroup), testComment("W2-01", "C1", review.ClientGroup)}
		_, err = s.ImportReview(ctx, store.ReviewImport{Round: r, Comments: more}, base)
		if e, ok := errs.As(err); !ok || e.Kind != errs.KindConflict || e.Field != "id" {
			t.Errorf("a comment id used twice: %v", err)
		}
		// An answer already given, with a new comment: neither is written.
		_, err = s.ImportReview(ctx, store.ReviewImport{Round: r, Answers: answers[:1], Comments: more[:1]}, base)
		if e, ok := errs.As(err); !ok || e.Kind != errs.KindConflict || e.Field != "participant" {
			t.Errorf("an answer given twice: %v", err)
		}
		if got, _ := s.ReviewComments(ctx, r.ID); len(got) != 2 {
			t.Errorf("a refused import wrote %d comments, want the 2 from before", len(got))
		}
		// A round file that changed.
		changed := r
		changed.Name = "Another name"
		_, err = s.ImportReview(ctx, store.ReviewImport{Round: changed, Comments: more[:1]}, base)
		if e, ok := errs.As(err); !ok || e.Kind != errs.KindConflict || e.Field != "round" {
			t.Errorf("a changed round: %v", err)
		}
		// The same round with new evidence adds to it, in order.
		if created, err := s.ImportReview(ctx, store.ReviewImport{Round: r, Comments: more[:1]}, base); err != nil || created {
			t.Fatalf("more evidence: %v, %v", created, err)
		}
		if err := s.AddReviewComment(ctx, r.ID, testComment("W2-03", "P1", review.PartnerOrganisation), base); err != nil {
			t.Fatal(err)
		}
		gotComments, _ = s.ReviewComments(ctx, r.ID)
		if len(gotComments) != 4 || gotComments[2].ID != "W2-02" || gotComments[3].ID != "W2-03" {
			t.Errorf("comments in the order recorded: %+v", gotComments)
		}
		if err := s.AddReviewComment(ctx, r.ID, testComment("W2-03", "P1", review.PartnerOrganisation), base); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("a comment id used twice: %v", err)
		}
		if err := s.AddReviewComment(ctx, "no-round", testComment("X", "P1", review.PartnerOrganisation), base); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("an unknown round: %v", err)
		}
		if err := s.AddReviewAnswers(ctx, r.ID, answers[:1], base); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("answers given twice: %v", err)
		}
		if _, err := s.ReviewRound(ctx, "no-round"); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("an unknown round: %v", err)
		}
		if rs, err := s.ReviewRounds(ctx); err != nil || len(rs) != 1 {
			t.Errorf("rounds: %+v, %v", rs, err)
		}
	})
}

func TestDrafts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		d := review.Draft{BaseVersion: "2026.1", Version: "2027.1", Published: calendar.NewDate(2027, 4, 1), Round: "review-2026",
			Renumber: true, Proposals: []review.Proposal{
				{Change: review.ProposeReword, Commitment: "support-through-application", Text: "New words.", Reason: "Clearer.",
					Evidence: []string{"W2-01", "PS-01"}}, // terms nil: keep those the text still uses
				{Change: review.ProposeAdd, Commitment: "publish-stage-timeline", Section: 2, After: "decide-by-the-dates-we-give",
					Text: "Publish a timeline.", Terms: []string{}, Reason: "Asked for.", Evidence: []string{"W2-22"}},
				{Change: review.ProposeRemove, Commitment: "wellbeing-first-in-consultations", Reason: "Merged.", Evidence: []string{"W2-28"}},
			}}
		if replaced, err := s.SaveDraft(ctx, d, base); err != nil || replaced {
			t.Fatalf("save: %v, %v", replaced, err)
		}
		got, err := s.Draft(ctx, "2027.1")
		if err != nil || !reflect.DeepEqual(got.Draft, d) || got.Status != store.DraftOpen || !got.PublishedAt.IsZero() {
			t.Fatalf("draft:\n%+v, %v\nwant %+v", got, err, d)
		}
		if got.Proposals[0].Terms != nil || got.Proposals[1].Terms == nil {
			t.Error("terms: nil (keep) and empty (none) must come back as they were")
		}
		d.Proposals = d.Proposals[:1]
		if replaced, err := s.SaveDraft(ctx, d, base); err != nil || !replaced {
			t.Fatalf("replace: %v, %v", replaced, err)
		}
		if got, _ := s.Draft(ctx, "2027.1"); len(got.Proposals) != 1 {
			t.Errorf("the replaced draft has %d proposals", len(got.Proposals))
		}
		if _, err := s.PublishVersion(ctx, store.Publication{Documents: []store.Document{{Kind: "charter", Version: "2027.1", Body: []byte("x")}},
			Info: store.VersionInfo{Version: "2027.1"}, Draft: "2027.1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveDraft(ctx, d, base); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("changing a published draft: %v", err)
		}
		if _, err := s.Draft(ctx, "nope"); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("an unknown draft: %v", err)
		}
		if ds, err := s.Drafts(ctx); err != nil || len(ds) != 1 || ds[0].Status != store.DraftPublished {
			t.Errorf("drafts: %+v, %v", ds, err)
		}
	})
}
