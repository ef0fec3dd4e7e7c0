package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

func TestPutDocuments(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		if _, err := s.LatestDocument(ctx, "charter"); errs.KindOf(err) != errs.KindNotFound {
			t.Fatalf("LatestDocument with none loaded: %v, want not found", err)
		}
		charter1 := store.Document{Kind: "charter", Version: "2025-01", Body: []byte("title: Our Charter\n")}
		benefits1 := store.Document{Kind: "benefits", Version: "2025-01", Body: []byte("benefits: []\n")}
		created, err := s.PutDocuments(ctx, charter1, benefits1)
		if err != nil {
			t.Fatal(err)
		}
		if len(created) != 2 || !created[0] || !created[1] {
			t.Fatalf("first put: created %v, want [true true]", created)
		}
		// The same bodies again are no-ops.
		created, err = s.PutDocuments(ctx, charter1, benefits1)
		if err != nil {
			t.Fatal(err)
		}
		if len(created) != 2 || created[0] || created[1] {
			t.Fatalf("second put of the same bodies: created %v, want [false false]", created)
		}

		// All or nothing: a new version first, then a changed body under a
		// published version. Neither is stored.
		charter2 := store.Document{Kind: "charter", Version: "2025-02", Body: []byte("title: Our Charter, again\n")}
		changed := store.Document{Kind: "benefits", Version: "2025-01", Body: []byte("benefits: [changed]\n")}
		if _, err := s.PutDocuments(ctx, charter2, changed); errs.KindOf(err) != errs.KindConflict {
			t.Fatalf("put with a changed published version: %v, want conflict", err)
		}
		d, err := s.LatestDocument(ctx, "charter")
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != charter1.Version {
			t.Fatalf("after a refused put the latest charter is %s, want %s: the first document was kept", d.Version, charter1.Version)
		}
		if d, _ := s.LatestDocument(ctx, "benefits"); string(d.Body) != string(benefits1.Body) {
			t.Errorf("benefits body changed to %q", d.Body)
		}

		// Now the new version alone goes in and is the latest.
		time.Sleep(2 * time.Millisecond) // loaded_at is kept to the microsecond
		created, err = s.PutDocuments(ctx, charter2)
		if err != nil || len(created) != 1 || !created[0] {
			t.Fatalf("put of a new version: created %v, err %v", created, err)
		}
		d, err = s.LatestDocument(ctx, "charter")
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(charter2.Body)
		if d.Kind != "charter" || d.Version != charter2.Version || string(d.Body) != string(charter2.Body) ||
			d.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("LatestDocument = %+v, want %s %s", d, charter2.Kind, charter2.Version)
		}
		if d.LoadedAt.IsZero() || d.LoadedAt.Location() != time.UTC || time.Since(d.LoadedAt) > time.Minute {
			t.Errorf("LoadedAt = %v, want about now in UTC", d.LoadedAt)
		}
		if d, _ := s.LatestDocument(ctx, "benefits"); d.Version != benefits1.Version {
			t.Errorf("latest benefits is %s, want %s: kinds are separate", d.Version, benefits1.Version)
		}
	})
}

func TestTokens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		created := base.Truncate(time.Microsecond)
		alice := store.Token{ID: "tok_a", Name: "alice", Role: "caseworker", Hash: "hash-a", CreatedAt: created}
		bot := store.Token{ID: "tok_b", Name: "loader", Role: "system", Hash: "hash-b", CreatedAt: created.Add(time.Second)}
		for _, tok := range []store.Token{alice, bot} {
			if err := s.CreateToken(ctx, tok); err != nil {
				t.Fatalf("create %s: %v", tok.ID, err)
			}
		}
		if err := s.CreateToken(ctx, store.Token{ID: "tok_a", Name: "x", Role: "caseworker", Hash: "hash-x"}); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("create with a used id: %v, want conflict", err)
		}
		if err := s.CreateToken(ctx, store.Token{ID: "tok_c", Name: "x", Role: "caseworker", Hash: "hash-a"}); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("create with a used hash: %v, want conflict", err)
		}

		got, err := s.TokenByHash(ctx, "hash-a")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != alice.ID || got.Name != alice.Name || got.Role != alice.Role || got.Hash != alice.Hash ||
			!got.CreatedAt.Equal(alice.CreatedAt) || !got.RevokedAt.IsZero() {
			t.Errorf("TokenByHash = %+v, want %+v", got, alice)
		}
		if _, err := s.TokenByHash(ctx, "hash-zzz"); errs.KindOf(err) != errs.KindUnauthorized {
			t.Errorf("unknown hash: %v, want unauthorized", err)
		}

		list, err := s.Tokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != bot.ID || list[1].ID != alice.ID || list[0].Hash != "" {
			t.Errorf("Tokens = %+v, want loader then alice, without hashes", list)
		}

		// Revoke by name; the token stops working; revoking again finds nothing.
		if n, err := s.RevokeToken(ctx, "alice"); err != nil || n != 1 {
			t.Fatalf("revoke alice: %d, %v", n, err)
		}
		if _, err := s.TokenByHash(ctx, "hash-a"); errs.KindOf(err) != errs.KindUnauthorized {
			t.Errorf("revoked token by hash: %v, want unauthorized", err)
		}
		if _, err := s.RevokeToken(ctx, "alice"); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("revoke again: %v, want not found", err)
		}
		if _, err := s.RevokeToken(ctx, "nobody"); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("revoke unknown: %v, want not found", err)
		}
		// Revoke by id.
		if n, err := s.RevokeToken(ctx, "tok_b"); err != nil || n != 1 {
			t.Fatalf("revoke tok_b: %d, %v", n, err)
		}
		list, err = s.Tokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range list {
			if tok.RevokedAt.IsZero() {
				t.Errorf("token %s is not shown as revoked", tok.ID)
			}
		}
	})
}
