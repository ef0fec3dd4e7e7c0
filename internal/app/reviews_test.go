package app_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/review"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

func exampleImport() app.ReviewImport {
	return app.ReviewImport{Round: app.File{Name: "review-round.yaml", Data: examples.ReviewRound},
		Responses: &app.File{Name: "review-responses.csv", Data: examples.ReviewResponses},
		Comments:  &app.File{Name: "review-comments.csv", Data: examples.ReviewComments}}
}

// importFailed returns the problems of an import that must have failed.
func importFailed(t *testing.T, err error) []string {
	t.Helper()
	var f *app.ImportFailed
	if !errors.As(err, &f) {
		t.Fatalf("error %v (%T), want ImportFailed", err, err)
	}
	if errs.KindOf(err) != errs.KindInvalid {
		t.Errorf("kind %s, want invalid", errs.KindOf(err))
	}
	return f.Problems
}

func wantProblems(t *testing.T, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i+1, got[i], w)
		}
	}
}

func TestImportReview(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := newFeedbackService(t, st, app.Options{})

		// Every problem in every file, each naming its file and row and
		// column, and nothing stored.
		bad := exampleImport()
		bad.Responses = &app.File{Name: "responses.csv", Data: []byte(
			"participant,participant_type,clear-and-easy\nP1,partner-organisation,Agree\nP99,partner-organisation,5\nC1,client-group,maybe\n")}
		bad.Comments = &app.File{Name: "comments.csv", Data: []byte(
			"id,participant,commitment,source,text,themes,sentiment,quotable\n" +
				"W1,C1,1.4,workshop,Good.,clarity,positive,yes\n" +
				"W2,C1,9.9,workshop,Good.,vagueness,happy,perhaps\n")}
		_, err := svc.ImportReview(ctx, bad)
		wantProblems(t, importFailed(t, err),
			`responses.csv: row 3, column A (participant): there is no participant "P99"`,
			`responses.csv: row 4, column C (clear-and-easy): "maybe" is not an answer`,
			`comments.csv: row 3, column C (commitment): charter version 2026.1 has no commitment "9.9"`,
			`comments.csv: row 3, column F (themes): "vagueness" is not a theme`,
			`comments.csv: row 3, column G (sentiment): "happy" is not a sentiment`,
			`comments.csv: row 3, column H (quotable): "perhaps" is not yes or no`)
		if rs, _ := svc.ReviewRounds(ctx); len(rs) != 0 {
			t.Fatalf("a refused import stored a round: %+v", rs)
		}
		// A round file with a problem: its line.
		badRound := exampleImport()
		badRound.Round.Data = bytes.Replace(examples.ReviewRound, []byte("small_group: 10"), []byte("small_group: none"), 1)
		_, err = svc.ImportReview(ctx, badRound)
		if p := importFailed(t, err); len(p) != 1 || !strings.HasPrefix(p[0], "review-round.yaml:19: ") {
			t.Errorf("a bad round file: %q", p)
		}

		rep, err := svc.ImportReview(ctx, exampleImport())
		if err != nil {
			t.Fatal(err)
		}
		if !rep.RoundCreated || rep.RoundID != "review-2026" || rep.Participants != 22 || rep.Comments != 53 || rep.Answers == 0 {
			t.Errorf("report %+v", rep)
		}
		// Importing the same evidence again: every row already stored is named.
		_, err = svc.ImportReview(ctx, exampleImport())
		p := importFailed(t, err)
		if len(p) != 20+53 { // every participant who answered, every comment
			t.Errorf("%d problems, want 73", len(p))
		}
		if !slices.Contains(p, "review-responses.csv: row 2, column A (participant): P1's answers are already stored in round review-2026: a participant answers once") ||
			!slices.Contains(p, "review-comments.csv: row 2, column A (id): round review-2026 already has a comment W2-01") {
			t.Errorf("problems:\n%s", strings.Join(p, "\n"))
		}
		// The round file alone, changed: refused.
		changed := app.ReviewImport{Round: app.File{Name: "round.yaml", Data: bytes.Replace(examples.ReviewRound, []byte("name: Charter review 2026"), []byte("name: Another"), 1)}}
		_, err = svc.ImportReview(ctx, changed)
		if p := importFailed(t, err); len(p) != 1 || !strings.Contains(p[0], "already stored with a different round file") {
			t.Errorf("a changed round: %q", p)
		}

		// The findings read like research findings.
		f, err := svc.ReviewFindings(ctx, "review-2026")
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Findings.Statements) != 7 || len(f.Findings.Commitments) == 0 {
			t.Fatalf("findings: %d statements, %d commitments", len(f.Findings.Statements), len(f.Findings.Commitments))
		}
		var csv bytes.Buffer
		if err := svc.FindingsCSV(ctx, "review-2026", &csv); err != nil || !strings.HasPrefix(csv.String(), strings.Join(review.FindingsColumns, ",")) {
			t.Errorf("findings CSV: %v\n%s", err, csv.String())
		}
		if _, err := svc.ReviewFindings(ctx, "nope"); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("an unknown round: %v", err)
		}
	})
}

func TestEnterReviewEvidence(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := newFeedbackService(t, st, app.Options{})
		imp := exampleImport()
		imp.Responses, imp.Comments = nil, nil
		if _, err := svc.ImportReview(ctx, imp); err != nil {
			t.Fatal(err)
		}
		fields := func(err error) map[string]string {
			t.Helper()
			var fe app.FieldErrors
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T), want FieldErrors", err, err)
			}
			out := map[string]string{}
			for _, e := range fe {
				out[e.Field] = e.Message
			}
			return out
		}
		f := fields(func() error {
			_, err := svc.AddReviewResponses(ctx, "review-2026", "", map[string]string{})
			return err
		}())
		if f["participant"] == "" {
			t.Errorf("no participant: %v", f)
		}
		f = fields(func() error {
			_, err := svc.AddReviewResponses(ctx, "review-2026", "P1", map[string]string{"clear-and-easy": "7"})
			return err
		}())
		if f["answer-clear-and-easy"] == "" {
			t.Errorf("a bad answer: %v", f)
		}
		f = fields(func() error {
			_, err := svc.AddReviewResponses(ctx, "review-2026", "P1", map[string]string{})
			return err
		}())
		if f["answer-clear-and-easy"] != "give at least one answer" {
			t.Errorf("no answers: %v", f)
		}
		n, err := svc.AddReviewResponses(ctx, "review-2026", "P1", map[string]string{"clear-and-easy": "4", "right-length": app.DontKnow, "clients-aware": ""})
		if err != nil || n != 2 {
			t.Fatalf("answers: %d, %v", n, err)
		}
		f = fields(func() error {
			_, err := svc.AddReviewResponses(ctx, "review-2026", "P1", map[string]string{"clear-and-easy": "4"})
			return err
		}())
		if !strings.Contains(f["participant"], "already recorded") {
			t.Errorf("answering twice: %v", f)
		}

		f = fields(func() error { _, err := svc.AddReviewComment(ctx, "review-2026", app.CommentInput{}); return err }())
		for _, field := range []string{"participant", "commitment", "source", "text", "themes", "sentiment"} {
			if f[field] == "" {
				t.Errorf("an empty comment: no problem with %s: %v", field, f)
			}
		}
		in := app.CommentInput{Participant: "C3", Commitment: "2.2", Source: "workshop", Text: "Quickly means nothing to me.",
			Themes: []string{"language", "timescales"}, Sentiment: "negative", Quotable: true}
		c, err := svc.AddReviewComment(ctx, "review-2026", in)
		if err != nil || c.ID != "M-001" || c.CommitmentKey != "decide-by-the-dates-we-give" || !c.Quotable {
			t.Fatalf("comment %+v, %v", c, err)
		}
		in.ID = "m-001"
		f = fields(func() error { _, err := svc.AddReviewComment(ctx, "review-2026", in); return err }())
		if !strings.Contains(f["id"], "already has a comment") {
			t.Errorf("an id used twice: %v", f)
		}
		if _, err := svc.AddReviewComment(ctx, "nope", in); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("an unknown round: %v", err)
		}
		fr, _ := svc.ReviewFindings(ctx, "review-2026")
		if len(fr.Comments) != 1 || len(fr.Answers) != 2 {
			t.Errorf("stored: %d comments, %d answers", len(fr.Comments), len(fr.Answers))
		}
	})
}

func TestPublishDraft(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := newFeedbackService(t, st, app.Options{})
		draftFile := app.File{Name: "review-draft.yaml", Data: examples.ReviewDraft}
		// Before the round is stored, the draft's evidence cannot be checked.
		if _, err := svc.SaveDraft(ctx, draftFile); !strings.Contains(err.Error(), "review-draft.yaml: the draft names review round \"review-2026\", which is not stored") {
			t.Errorf("a draft before its round: %v", err)
		}
		if _, err := svc.ImportReview(ctx, exampleImport()); err != nil {
			t.Fatal(err)
		}
		// Feedback about qualified-practitioners while it is 2.12.
		sendFeedback(t, svc, notMet("2.12"))

		// A draft citing a comment that does not exist: its line.
		bad := bytes.Replace(examples.ReviewDraft, []byte("[W2-29, W2-30, SI-02]"), []byte("[W2-29, W2-30, XX-99]"), 1)
		_, err := svc.SaveDraft(ctx, app.File{Name: "draft.yaml", Data: bad})
		var ps charter.Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Line == 0 || !strings.Contains(ps[0].Message, `no coded comment "XX-99"`) {
			t.Fatalf("a draft with unknown evidence: %v", err)
		}
		if ds, _ := svc.Drafts(ctx); len(ds) != 0 {
			t.Fatalf("a refused draft was stored: %+v", ds)
		}

		saved, err := svc.SaveDraft(ctx, draftFile)
		if err != nil || saved.Version != "2027.1" || saved.Replaced || saved.Changes == 0 {
			t.Fatalf("saved %+v, %v", saved, err)
		}
		v, err := svc.DraftPreview(ctx, "2027.1")
		if err != nil {
			t.Fatal(err)
		}
		if !v.CanPublish || len(v.Problems) != 0 || v.Revision == nil || v.PublishOn != svc.Today() {
			t.Fatalf("preview: can publish %v, problems %v", v.CanPublish, v.Problems)
		}
		evidenced := 0
		for _, c := range v.Revision.Changes {
			if c.Proposal != nil && len(c.Evidence) > 0 {
				evidenced++
			}
		}
		if evidenced != 7 {
			t.Errorf("%d changes with evidence, want 7 (one per proposal)", evidenced)
		}
		warnings := strings.Join(v.Report.Warnings(), "\n")
		for _, want := range []string{
			"Measure feedback-about-updates evidences commitment 1.4, which version 2027.1 rewords",
			"which version 2027.1 removes",
			`Adult Disability Payment, stage "Consultation", now names commitment 2.11, which was 2.12`,
		} {
			if !strings.Contains(warnings, want) {
				t.Errorf("no warning %q in:\n%s", want, warnings)
			}
		}

		rep, err := svc.PublishDraft(ctx, "2027.1", "manager@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if rep.BasedOn != "2026.1" || len(rep.Warnings()) == 0 {
			t.Errorf("report %+v", rep)
		}
		ch, _ := svc.Charter()
		if ch.Version != "2027.1" || ch.Published != svc.Today().String() {
			t.Fatalf("the charter is version %s published %s", ch.Version, ch.Published)
		}
		if c, ok := ch.Commitment("2.11"); !ok || c.Key != "qualified-practitioners" {
			t.Errorf("2.11 is %+v", c)
		}
		// The benefits were carried over to the new numbers.
		cat, _ := svc.Benefits()
		b, _ := cat.Benefit("adult-disability-payment")
		for _, stage := range b.Stages {
			if slices.Contains(stage.Commitments, "2.10") && !slices.Equal(stage.Commitments, []string{"2.10", "2.11"}) {
				t.Errorf("the consultation stage names %v", stage.Commitments)
			}
		}
		// Feedback follows its commitment: sent about 2.12, counted as 2.11.
		counts, _ := svc.FeedbackCounts(ctx, svc.Today(), svc.Today())
		if len(counts) != 1 || counts[0].Commitment != "2.11" {
			t.Errorf("counts after renumbering: %+v", counts)
		}
		if _, err := svc.PublishDraft(ctx, "2027.1", "manager@example.org"); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("publishing twice: %v", err)
		}
		if _, err := svc.SaveDraft(ctx, draftFile); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("saving a published draft again: %v", err)
		}
		v, err = svc.DraftPreview(ctx, "2027.1")
		if err != nil || v.CanPublish || v.PublishedOn != svc.Today() || v.Revision == nil {
			t.Errorf("a published draft's page: %+v, %v", v, err)
		}

		// The history: newest first, each change with its reason.
		h, err := svc.CharterHistory(ctx)
		if err != nil || len(h) != 2 || h[0].Version != "2027.1" || !h[0].Current || h[1].Current {
			t.Fatalf("history: %+v, %v", h, err)
		}
		if h[0].Info.RoundID != "review-2026" || !strings.Contains(h[0].Info.Reason, "Charter review 2026") ||
			!strings.Contains(h[0].Info.Changes["support-through-application"].Reason, "could not tell") {
			t.Errorf("version 2027.1: %+v", h[0].Info)
		}
		if h[0].Diff == nil || h[1].Diff != nil || h[1].Info.Reason != "The first version of the charter." {
			t.Errorf("diffs: %v, %v; first reason %q", h[0].Diff, h[1].Diff, h[1].Info.Reason)
		}
	})
}

func TestLoadVersion(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := newFeedbackService(t, st, app.Options{})
		next := bytes.Replace(examples.Charter, []byte(`version: "2026.1"`), []byte(`version: "2026.2"`), 1)
		next = bytes.Replace(next, []byte("Publish the timescales for each payment"), []byte("Publish the timescales of each payment"), 1)
		if bytes.Equal(next, examples.Charter) || !bytes.Contains(next, []byte("timescales of each payment")) {
			t.Fatal("the example charter changed: this test needs new words to replace")
		}
		// A new version that changes something needs a reason.
		_, err := svc.LoadVersion(ctx, "charter.yaml", next, "benefits.yaml", examples.Benefits, app.Publishing{By: "test"})
		if e, ok := errs.As(err); !ok || e.Field != "reason" {
			t.Fatalf("no reason: %v", err)
		}
		// A commitment that keeps its words under a new key is refused.
		rekeyed := bytes.Replace(next, []byte("key: knowledgeable-staff"), []byte("key: staff-who-know"), 1)
		_, err = svc.LoadVersion(ctx, "charter.yaml", rekeyed, "benefits.yaml", examples.Benefits, app.Publishing{Reason: "Plainer words.", By: "test"})
		var ps charter.Problems
		if !errors.As(err, &ps) || len(ps) != 1 || !strings.Contains(ps[0].String(), `charter.yaml: commitment 1.5 has the same words as commitment 1.5 of version 2026.1 but a new key ("staff-who-know", was "knowledgeable-staff")`) {
			t.Fatalf("a new key for the same words: %v", err)
		}
		if ch, _ := svc.Charter(); ch.Version != "2026.1" {
			t.Fatalf("a refused version was published: %s", ch.Version)
		}
		rep, err := svc.LoadVersion(ctx, "charter.yaml", next, "benefits.yaml", examples.Benefits, app.Publishing{Reason: "Plainer words.", By: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.BasedOn != "2026.1" || rep.Diff == nil || len(rep.Diff.Changed()) != 1 {
			t.Fatalf("report %+v", rep)
		}
		w := strings.Join(rep.Warnings(), "\n")
		if !strings.Contains(w, "Measure complaints-about-timescales evidences commitment 2.2, which version 2026.2 rewords: check the measure still asks the right question.") {
			t.Errorf("warnings:\n%s", w)
		}
		h, _ := svc.CharterHistory(ctx)
		if len(h) != 2 || h[0].Info.Reason != "Plainer words." || h[0].Info.How != store.VersionLoaded {
			t.Errorf("history %+v", h)
		}
		// Loading a version already published changes nothing and needs no reason.
		rep, err = svc.LoadVersion(ctx, "charter.yaml", examples.Charter, "benefits.yaml", examples.Benefits, app.Publishing{})
		if err != nil || rep.Results[0].Created || rep.Diff != nil {
			t.Errorf("the old version again: %+v, %v", rep, err)
		}
		if ch, _ := svc.Charter(); ch.Version != "2026.2" {
			t.Errorf("loading an old version again made it current: %s", ch.Version)
		}
	})
}

// A version published by one process reaches another sharing the database.
func TestReloadIfChanged(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	one, _ := newFeedbackService(t, st, app.Options{})
	other, err := app.New(ctx, st, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := other.ReloadIfChanged(ctx); err != nil || changed {
		t.Fatalf("nothing new: %v, %v", changed, err)
	}
	next := bytes.Replace(examples.Charter, []byte(`version: "2026.1"`), []byte(`version: "2026.2"`), 1)
	if _, err := one.LoadVersion(ctx, "charter.yaml", next, "benefits.yaml", examples.Benefits, app.Publishing{Reason: "A new version."}); err != nil {
		t.Fatal(err)
	}
	if ch, _ := other.Charter(); ch.Version != "2026.1" {
		t.Fatalf("the other service has %s before it looks", ch.Version)
	}
	if changed, err := other.ReloadIfChanged(ctx); err != nil || !changed {
		t.Fatalf("a new version: %v, %v", changed, err)
	}
	if ch, _ := other.Charter(); ch.Version != "2026.2" {
		t.Errorf("the other service has %s", ch.Version)
	}
}
