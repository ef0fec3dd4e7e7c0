// Package seeddb_test writes a synthetic history through the application
// layer into each database, to check the bulk path end to end. The seed
// package itself does no I/O; this is where it meets the store.
package seeddb_test

import (
	"context"
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/seed"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

func TestSeedWritesThroughTheBulkPath(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, time.March, 18, 15, 0, 0, 0, time.UTC)
		svc, err := app.New(ctx, st, app.Options{Now: func() time.Time { return now }, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Load(ctx, "charter.yaml", examples.Charter, "benefits.yaml", examples.Benefits); err != nil {
			t.Fatal(err)
		}
		var progress []int
		res, err := svc.Seed(ctx, seed.Options{Applications: 2500, Years: 1, Seed: 9},
			func(done int) { progress = append(progress, done) })
		if err != nil {
			t.Fatal(err)
		}
		if res.Applications != 2500 || res.Events < 2500*4 || res.Existing != 0 {
			t.Fatalf("result %+v", res)
		}
		if len(progress) != 2 || progress[1] != 2500 {
			t.Errorf("progress %v, want two batches ending at 2500", progress)
		}
		n, err := st.CountApplications(ctx)
		if err != nil || n != 2500 {
			t.Fatalf("the store holds %d applications (%v), want 2500", n, err)
		}
		stored, err := st.CountEvents(ctx)
		if err != nil || stored != int64(res.Events) {
			t.Fatalf("the store holds %d events (%v), want %d", stored, err, res.Events)
		}

		// The history is the one the generator makes for these options.
		rules, _ := svc.Rules()
		var want []seed.Generated
		o := seed.Options{Applications: 2500, Years: 1, Seed: 9, End: calendar.DateOf(now), Now: now}
		if err := seed.Generate(rules, o, 500, func(b []seed.Generated) error { want = append(want, b...); return nil }); err != nil {
			t.Fatal(err)
		}
		for _, g := range []seed.Generated{want[0], want[1234], want[len(want)-1]} {
			a, events, err := svc.Application(ctx, g.App.Ref)
			if err != nil {
				t.Fatalf("%s: %v", g.App.Ref, err)
			}
			if len(events) != len(g.Events) || a.Status != g.App.Status || a.Version != g.App.Version {
				t.Errorf("%s: stored %d events, status %s; generated %d, %s", g.App.Ref, len(events), a.Status,
					len(g.Events), g.App.Status)
			}
			row, err := st.Application(ctx, g.App.Ref)
			if err != nil || row != svc.Row(g.App) {
				t.Errorf("%s: row %+v (%v), want %+v", g.App.Ref, row, err, svc.Row(g.App))
			}
		}
		page, err := svc.Queue(ctx, store.QueueQuery{Limit: 200})
		if err != nil || len(page.Items) == 0 {
			t.Fatalf("the work queue is empty after seeding (%v)", err)
		}
		for _, it := range page.Items {
			if it.Status != casework.StatusOpen {
				t.Errorf("%s in the queue is %s", it.Ref, it.Status)
			}
		}

		// A second run writes nothing and says what is there.
		res, err = svc.Seed(ctx, seed.Options{Applications: 10, Years: 1, Seed: 9}, nil)
		if errs.KindOf(err) != errs.KindConflict || res.Existing != 2500 || res.Applications != 0 {
			t.Errorf("second seed: %+v, %v; want a conflict naming 2500 applications", res, err)
		}
	})
}
