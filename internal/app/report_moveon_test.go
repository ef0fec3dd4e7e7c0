package app_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// TestReportMovesOn keeps a report in memory over several days of new
// applications, decisions, late-recorded events and re-determination
// requests, and checks each day that its raw figures, in every cell of
// every year, are the ones worked out afresh from every application: the
// count is kept and moved on from the applications that changed alone.
func TestReportMovesOn(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, c := measuresService(t, st)
		seedHistory(t, svc, 1500)
		set, err := svc.Measures()
		if err != nil {
			t.Fatal(err)
		}
		// An application received on paper long ago and still open: one
		// the kept count does not hold in memory, changed every day.
		old, _, err := svc.Create(ctx, "caseworker:test", svc.Now().Add(-150*24*time.Hour), &casework.Received{Benefit: "early-years-grant",
			Channel: "paper", Client: casework.Client{Name: "Lee Example", DateOfBirth: calendar.NewDate(1975, 2, 3), Area: "Angus"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Report(ctx, fy25); err != nil {
			t.Fatal(err)
		}
		if _, kept := svc.KeptFigures(fy25); !kept {
			t.Fatal("the count was not kept")
		}
		for day, step := range []int{1, 1, 4} {
			recordDay(t, svc, st, day)
			a, _, err := svc.Application(ctx, old.Ref)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := svc.Record(ctx, a.Ref, a.Version, app.NewEvent{Type: casework.TypeUpdateSent, Actor: "caseworker:test",
				Body: &casework.UpdateSent{Channel: "letter", Summary: "we are still looking at your application"}}, nil); err != nil {
				t.Fatal(err)
			}
			c.add(time.Duration(step) * 24 * time.Hour)
			rep, err := svc.Report(ctx, fy25)
			if err != nil {
				t.Fatal(err)
			}
			got, kept := svc.KeptFigures(fy25)
			if !kept {
				t.Errorf("day %d: the count was not kept", day)
			}
			want, err := svc.ReportFigures(ctx, set, measure.ReportPlan(fy25, app.ReportTrend, rep.AsOf))
			if err != nil {
				t.Fatal(err)
			}
			if got.Plan.AsOf != rep.AsOf || !reflect.DeepEqual(got.Frames, want.Frames) {
				t.Fatalf("day %d, as of %s: the kept counts differ from a fresh count", day, rep.AsOf)
			}
			for i, r := range got.Measures {
				if !reflect.DeepEqual(r.Cells, want.Measures[i].Cells) {
					t.Fatalf("day %d: %s differs from a fresh count", day, r.Measure.ID)
				}
			}
		}
	})
}

// recordDay records a day's work through the service: new applications
// (one of them received the day before and recorded late), and on open
// applications acknowledgements, updates and decisions, and a
// re-determination request on a recent decision.
func recordDay(t *testing.T, svc *app.Service, st *store.Store, day int) {
	t.Helper()
	ctx := context.Background()
	for i := range 6 {
		at := time.Time{}
		if i == 0 {
			at = svc.Now().Add(-24 * time.Hour)
		}
		if _, _, err := svc.Create(ctx, "caseworker:test", at, &casework.Received{Benefit: "early-years-grant", Channel: "online",
			Client: casework.Client{Name: "Sam Example", DateOfBirth: calendar.NewDate(1980+i, 5, 1), Area: "Fife"}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	page, err := svc.Queue(ctx, app.QueueQuery{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	recorded := 0
	for i, it := range page.Items {
		a, _, err := svc.Application(ctx, it.Ref)
		if err != nil {
			t.Fatal(err)
		}
		var body casework.Body = &casework.UpdateSent{Channel: "email", Summary: "we are looking at your application"}
		switch {
		case a.AcknowledgedOn.IsZero():
			body = &casework.Acknowledged{}
		case i%3 == day%3:
			d := &casework.DecisionMade{Outcome: casework.OutcomeAward, DecisionMaker: "case manager"}
			for _, c := range a.Benefit().Criteria {
				d.Reasons = append(d.Reasons, casework.CriterionReason{Criterion: c.ID, Met: true, Reason: "the evidence shows it"})
			}
			body = d
		}
		if _, _, err := svc.Record(ctx, it.Ref, a.Version, app.NewEvent{Type: body.Type(), Actor: "caseworker:test", Body: body}, nil); err == nil {
			recorded++
		}
	}
	if recorded < 10 {
		t.Fatalf("day %d: only %d events recorded on open applications", day, recorded)
	}
	// A re-determination request on a decision of the last few weeks.
	today := svc.Today()
	var ref string
	err = st.EachFacts(ctx, store.FactsQuery{Fields: []string{"ref", "decided_on", "redetermination_requests"}}, func(f *measure.Facts) error {
		if ref == "" && f.RedeterminationRequests == 0 && f.DecidedOn.After(today.AddDays(-20)) && f.DecidedOn.Before(today) {
			ref = f.Ref
		}
		return nil
	})
	if err != nil || ref == "" {
		t.Fatalf("no recent decision to ask about: %v", err)
	}
	a, _, err := svc.Application(ctx, casework.Reference(ref))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Record(ctx, a.Ref, a.Version, app.NewEvent{Type: casework.TypeRedeterminationRequested, Actor: "client",
		Body: &casework.RedeterminationRequested{How: "online", By: "client", Disagreement: "The decision missed my evidence"}}, nil); err != nil {
		t.Fatalf("re-determination request on %s: %v", ref, err)
	}
}
