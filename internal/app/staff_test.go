package app_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// TestQueueCountCache: with a cache, counts are served from it and
// refreshed in the background once stale; without one they are exact.
func TestQueueCountCache(t *testing.T) {
	ctx := context.Background()
	for _, ttl := range []time.Duration{0, time.Nanosecond} {
		st := storetest.Open(t, store.SQLite)
		svc, err := app.New(ctx, st, app.Options{QueueCountCache: ttl, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Now: func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Load(ctx, "c.yaml", examples.Charter, "b.yaml", examples.Benefits); err != nil {
			t.Fatal(err)
		}
		open := func() int {
			counts, err := svc.QueueCounts(ctx, calendar.Date(0))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, c := range counts {
				n += c
			}
			return n
		}
		apply := func() {
			if _, _, err := svc.Create(ctx, "caseworker:test", time.Time{}, &casework.Received{Benefit: "early-years-grant",
				Client: casework.Client{Name: "Kim Example", DateOfBirth: calendar.NewDate(1990, 1, 1)}}, nil); err != nil {
				t.Fatal(err)
			}
		}
		apply()
		if n := open(); n != 1 {
			t.Fatalf("ttl %s: %d open, want 1", ttl, n)
		}
		apply()
		if ttl == 0 {
			if n := open(); n != 2 {
				t.Errorf("without a cache: %d open, want 2 at once", n)
			}
			continue
		}
		// The stale count is served at once and a recount starts in the background.
		if n := open(); n != 1 {
			t.Errorf("with a cache: %d open, want the stale 1", n)
		}
		deadline := time.Now().Add(10 * time.Second)
		for open() != 2 {
			if time.Now().After(deadline) {
				t.Fatal("the background recount never arrived")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
