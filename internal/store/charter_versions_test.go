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

func TestPublishVersion(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		first := store.Publication{
			Documents: []store.Document{{Kind: "charter", Version: "1", Body: []byte("version: 1")},
				{Kind: "benefits", Version: "1+aa", Body: []byte("benefits: []")}},
			Info: store.VersionInfo{Version: "1", PublishedOn: calendar.NewDate(2026, 4, 1), PublishedAt: base, How: store.VersionLoaded,
				Reason: "The first charter.", PublishedBy: "charter load"},
		}
		created, err := s.PublishVersion(ctx, first)
		if err != nil || !reflect.DeepEqual(created, []bool{true, true}) {
			t.Fatalf("first: %v, %v", created, err)
		}
		// The same again changes nothing, and keeps the first description.
		again := first
		again.Info.Reason = "Said differently."
		if created, err := s.PublishVersion(ctx, again); err != nil || !reflect.DeepEqual(created, []bool{false, false}) {
			t.Fatalf("again: %v, %v", created, err)
		}

		// A draft, published as version 2 with reasons per commitment.
		draft := review.Draft{BaseVersion: "1", Version: "2", Published: calendar.NewDate(2027, 4, 1), Round: "r",
			Proposals: []review.Proposal{{Change: review.ProposeRemove, Commitment: "old-promise", Reason: "Nobody needs it.", Evidence: []string{"W1"}}}}
		if _, err := s.SaveDraft(ctx, draft, base); err != nil {
			t.Fatal(err)
		}
		second := store.Publication{
			Documents: []store.Document{{Kind: "charter", Version: "2", Body: []byte("version: 2")}},
			Info: store.VersionInfo{Version: "2", BasedOn: "1", PublishedOn: calendar.NewDate(2027, 4, 1), PublishedAt: base.Add(1e9),
				How: store.VersionFromDraft, Reason: "After the review.", RoundID: "r", PublishedBy: "manager@example.org",
				Changes: map[string]store.ChangeReason{"old-promise": {Reason: "Nobody needs it.", Evidence: []string{"W1", "W2"}}}},
			Draft: "2",
		}
		if _, err := s.PublishVersion(ctx, second); err != nil {
			t.Fatal(err)
		}
		d, err := s.Draft(ctx, "2")
		if err != nil || d.Status != store.DraftPublished || d.PublishedAt.IsZero() {
			t.Errorf("the draft after publishing: %+v, %v", d, err)
		}
		// A draft publishes once.
		third := second
		third.Documents = []store.Document{{Kind: "charter", Version: "3", Body: []byte("version: 3")}}
		third.Info.Version = "3"
		if _, err := s.PublishVersion(ctx, third); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("publishing a draft twice: %v", err)
		}
		if _, err := s.DocumentVersion(ctx, "charter", "3"); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("a refused publication wrote its document: %v", err)
		}

		docs, err := s.Documents(ctx, "charter")
		if err != nil || len(docs) != 2 || docs[0].Version != "1" || docs[1].Version != "2" {
			t.Fatalf("documents: %+v, %v", docs, err)
		}
		if d, err := s.DocumentVersion(ctx, "charter", "1"); err != nil || string(d.Body) != "version: 1" {
			t.Errorf("version 1: %+v, %v", d, err)
		}
		infos, err := s.VersionInfos(ctx)
		if err != nil || len(infos) != 2 {
			t.Fatalf("infos: %v, %v", infos, err)
		}
		if got := infos["1"]; got.Reason != "The first charter." || got.How != store.VersionLoaded || got.PublishedOn != calendar.NewDate(2026, 4, 1) {
			t.Errorf("version 1: %+v", got)
		}
		got := infos["2"]
		if got.BasedOn != "1" || got.RoundID != "r" || !reflect.DeepEqual(got.Changes["old-promise"].Evidence, []string{"W1", "W2"}) ||
			!got.PublishedAt.Equal(base.Add(1e9).Truncate(1000)) {
			t.Errorf("version 2: %+v", got)
		}

		// A different body under a published version: a conflict, and the
		// draft stays a draft.
		if _, err := s.SaveDraft(ctx, review.Draft{BaseVersion: "2", Version: "2b", Published: calendar.NewDate(2027, 5, 1)}, base); err != nil {
			t.Fatal(err)
		}
		clash := store.Publication{Documents: []store.Document{{Kind: "charter", Version: "1", Body: []byte("changed")}},
			Info: store.VersionInfo{Version: "1"}, Draft: "2b"}
		if _, err := s.PublishVersion(ctx, clash); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("a changed body: %v", err)
		}
		if d, _ := s.Draft(ctx, "2b"); d.Status != store.DraftOpen {
			t.Errorf("a refused publication marked the draft %s", d.Status)
		}
	})
}
