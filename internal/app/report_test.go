package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/disclosure"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
	"github.com/charter-service/charter/internal/seed"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

var fy25 = measure.Period{Year: 2025}

// measuresService is a service with the example charter, benefits and
// measures loaded, on a clock set to 2 March 2026.
func measuresService(t *testing.T, st *store.Store) (*app.Service, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	svc, err := app.New(context.Background(), st, app.Options{Now: c.now, Seed: 5, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.LoadWithMeasures(context.Background(), "charter.yaml", examples.Charter, "benefits.yaml", examples.Benefits,
		"measures.yaml", examples.Measures); err != nil {
		t.Fatal(err)
	}
	return svc, c
}

// seedHistory writes n applications over two years ending yesterday.
func seedHistory(t *testing.T, svc *app.Service, n int) {
	t.Helper()
	if _, err := svc.Seed(context.Background(), seed.Options{Applications: n, Years: 2, Seed: 4, End: svc.Today().AddDays(-1)}, nil); err != nil {
		t.Fatal(err)
	}
}

func tidy(rep *app.Report) []report.TidyRow { return report.TidyRows(rep.Report) }

func TestReportFromSeededHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, c := measuresService(t, st)
		seedHistory(t, svc, 3000)

		years, err := svc.ReportYears(ctx)
		if err != nil || len(years) != 3 || years[2] != fy25 {
			t.Fatalf("ReportYears = %v, %v; want 2023-24 to 2025-26", years, err)
		}
		rep, err := svc.Report(ctx, fy25)
		if err != nil {
			t.Fatal(err)
		}
		if rep.AsOf != calendar.NewDate(2026, 3, 1) || rep.Complete {
			t.Errorf("as of %s, complete %v; want 1 March 2026, not complete", rep.AsOf, rep.Complete)
		}
		// The applications received this year, counted straight from the
		// facts, and as the report publishes them: rounded to 5.
		var received int64
		err = st.EachFacts(ctx, store.FactsQuery{Fields: []string{"received_on"}}, func(f *measure.Facts) error {
			if fy25.Contains(f.ReceivedOn) && !f.ReceivedOn.After(rep.AsOf) {
				received++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got *report.Measure
		for _, m := range rep.Measures {
			if m.Def.ID == "applications-received" {
				got = m
			}
		}
		if v, ok := got.Value.Value(); !ok || int64(v) != (received+2)/5*5 {
			t.Errorf("applications received: published %v (%v), counted %d", v, ok, received)
		}
		// Each events measure worked out on its own (read grouped on
		// PostgreSQL when its groups are few) has the figures it has among
		// them all.
		set, err := svc.Measures()
		if err != nil {
			t.Fatal(err)
		}
		plan := measure.ReportPlan(fy25, app.ReportTrend, rep.AsOf)
		all, err := svc.ReportFigures(ctx, set, plan)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range set.Measures {
			if m.Source != measure.SourceEvents {
				continue
			}
			alone, err := svc.ReportFigures(ctx, set.Only(m.ID), plan)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := alone.Result(m.ID)
			b, _ := all.Result(m.ID)
			if !reflect.DeepEqual(a.Cells, b.Cells) || len(a.Cells) == 0 {
				t.Errorf("%s on its own: %d cells, other figures than among all (%d cells)", m.ID, len(a.Cells), len(b.Cells))
			}
		}
		if len(rep.Sections) == 0 || len(rep.WithoutAction) == 0 {
			t.Fatalf("%d sections, %d measures missed with no action", len(rep.Sections), len(rep.WithoutAction))
		}
		// The seed's history has decisions, re-determinations, information
		// requests, supporters and referrals. No feedback was sent in this
		// test, so the feedback measures count none: a zero, counted.
		for _, m := range rep.Measures {
			state := m.Value.State()
			switch m.Def.ID {
			case "applications-received", "acknowledged-in-time", "kept-updated", "decided-in-time", "decision-wait-median",
				"reasons-for-every-criterion", "redeterminations-per-100-decisions":
				if state != disclosure.Shown {
					t.Errorf("%s: %s, want a figure", m.Def.ID, m.Value)
				}
			}
			if m.Def.Source == measure.SourceFeedback && (state != disclosure.Shown || m.Value.String() != "0") {
				t.Errorf("%s: %q %s, want 0 counted", m.Def.ID, m.Value, m.Status)
			}
		}

		// An improvement action for a missed measure takes it off the list
		// at the top, without working the figures out again.
		missed := rep.WithoutAction[0].Def
		if _, err := svc.AddAction(ctx, report.Action{What: "Review every case waiting longer than the standard", Owner: "Operations",
			Due: calendar.NewDate(2026, 9, 30), Status: report.Planned, Measures: []string{missed.ID}}, "test"); err != nil {
			t.Fatal(err)
		}
		again, err := svc.Report(ctx, fy25)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range again.WithoutAction {
			if m.Def.ID == missed.ID {
				t.Errorf("%s is still listed without an action", missed.ID)
			}
		}
		if !again.WorkedOut.Equal(rep.WorkedOut) {
			t.Error("the figures were worked out again for the same day")
		}

		// A day later, with a new application: the report refreshes its
		// year, and agrees with a report worked out afresh.
		c.add(24 * time.Hour)
		if _, _, err := svc.Create(ctx, "caseworker:test", c.now().Add(-26*time.Hour), &casework.Received{Benefit: "early-years-grant",
			Client: casework.Client{Name: "Kim Example", DateOfBirth: calendar.NewDate(1990, 1, 1), Area: "Fife"}}, nil); err != nil {
			t.Fatal(err)
		}
		refreshed, err := svc.Report(ctx, fy25)
		if err != nil {
			t.Fatal(err)
		}
		if refreshed.AsOf != calendar.NewDate(2026, 3, 2) || !refreshed.WorkedOut.Equal(rep.WorkedOut) {
			t.Errorf("refreshed: as of %s, worked out %s; want 2 March 2026, worked out as before", refreshed.AsOf, refreshed.WorkedOut)
		}
		fresh, fc := measuresService(t, st)
		fc.t = c.now()
		want, err := fresh.Report(ctx, fy25)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(tidy(refreshed), tidy(want)) {
			t.Error("the refreshed report differs from one worked out afresh")
		}

		// Reports for a year to come or a quarter are refused.
		if _, err := svc.Report(ctx, measure.Period{Year: 2027}); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("a year to come: %v, want not found", err)
		}
		if _, err := svc.CheckReportYear("2025-26 Q1"); errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("a quarter: %v, want invalid", err)
		}
	})
}

func TestReportWithoutMeasures(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	svc, _, _ := newService(t, st)
	if _, err := svc.Report(context.Background(), fy25); errs.KindOf(err) != errs.KindNotFound || !strings.Contains(err.Error(), "charter load") {
		t.Errorf("a report with no measures loaded: %v", err)
	}
	// A measures file that does not fit the charter stores nothing.
	bad := strings.Replace(string(examples.Measures), `commitments: ["1.1"]`, `commitments: ["9.9"]`, 1)
	_, err := svc.LoadWithMeasures(context.Background(), "c.yaml", examples.Charter, "b.yaml", examples.Benefits, "m.yaml", []byte(bad))
	if err == nil || !strings.Contains(err.Error(), "m.yaml:") {
		t.Fatalf("loading measures naming an unknown commitment: %v", err)
	}
	if _, err := svc.Measures(); err == nil {
		t.Error("measures were loaded from a file with a problem")
	}
}

const surveyHeader = "response_id,respondent,kept-up-to-date,charter-is-clear\n"

func TestImportSurvey(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := measuresService(t, st)
		n, err := svc.ImportSurvey(ctx, fy25, "survey.csv", []byte(surveyHeader+"1,client,4,5\n2,partner organisation,,2\n\n3,staff,5,\n"))
		if err != nil || n != 3 {
			t.Fatalf("import: %d, %v", n, err)
		}
		// Every problem is named by row and column, and nothing is imported.
		bad := surveyHeader + "4,client,6,5\n5,robot,4,4\n1,client,4,4\n"
		_, err = svc.ImportSurvey(ctx, fy25, "bad.csv", []byte(bad))
		var probs measure.SurveyProblems
		if !errors.As(err, &probs) || len(probs) != 2 || probs[0].Row != 2 || probs[0].Column != 3 || probs[1].Row != 3 || probs[1].Column != 2 {
			t.Fatalf("a file with two bad cells: %v", err)
		}
		if errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("kind %s, want invalid", errs.KindOf(err))
		}
		// A response imported before is a problem too, on its row.
		_, err = svc.ImportSurvey(ctx, fy25, "again.csv", []byte(surveyHeader+"9,client,4,4\n\n2,client,1,1\n"))
		if !errors.As(err, &probs) || len(probs) != 1 || probs[0].Row != 4 || probs[0].Name != "response_id" {
			t.Fatalf("a response imported before: %v", err)
		}
		got, err := st.SurveyResponses(ctx, fy25, fy25)
		if err != nil || len(got) != 3 {
			t.Errorf("after refused imports there are %d responses, want 3 (%v)", len(got), err)
		}
		if _, err := svc.ImportSurvey(ctx, measure.Period{}, "x.csv", []byte(surveyHeader+"7,client,4,4\n")); errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("no period: %v, want invalid", err)
		}
	})
}

func TestImprovementPlan(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, _ := measuresService(t, st)
		fieldsOf := func(err error) []string {
			var out []string
			for _, e := range flatten(err) {
				if de, ok := errs.As(e); ok {
					out = append(out, de.Field)
				}
			}
			return out
		}
		// Every problem is named by its field, and nothing is stored.
		_, err := svc.AddAction(ctx, report.Action{What: "Faster", Status: "soon", Measures: []string{"no-such-measure"}}, "t")
		if got := fieldsOf(err); !reflect.DeepEqual(got, []string{"what", "owner", "due", "status", "measures"}) {
			t.Errorf("a bad action: fields %v (%v)", got, err)
		}
		if as, _ := svc.Actions(ctx); len(as) != 0 {
			t.Fatalf("a refused action was stored: %+v", as)
		}
		a, err := svc.AddAction(ctx, report.Action{What: "Send every client an update every three weeks", Owner: "Client contact team",
			Due: calendar.NewDate(2026, 6, 30), Status: report.Planned, Measures: []string{"kept-updated"},
			Progress: []report.ProgressNote{{On: calendar.NewDate(2026, 2, 1), Text: "Letters drafted."}}}, "t")
		if err != nil {
			t.Fatal(err)
		}
		// Notes already recorded stay as they are; new ones are added.
		changed := a
		changed.Progress = []report.ProgressNote{{On: calendar.NewDate(2026, 2, 1), Text: "Something else."}}
		if err := svc.UpdateAction(ctx, changed, 1, "t"); errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("changing a recorded note: %v, want invalid", err)
		}
		a.Status = report.InProgress
		a.Progress = append(a.Progress, report.ProgressNote{On: calendar.NewDate(2026, 3, 1), Text: "The first updates went out."})
		if err := svc.UpdateAction(ctx, a, 1, "t"); err != nil {
			t.Fatal(err)
		}
		if rec, _ := svc.Action(ctx, a.ID); rec.Version != 2 || len(rec.Progress) != 2 || rec.Status != report.InProgress {
			t.Errorf("after the update: %+v", rec)
		}

		_, err = svc.AddYouSaid(ctx, report.YouSaidWeDid{Said: "You said you had to chase us.", Did: "We send updates now.",
			Actions: []string{"99"}}, "t")
		if got := fieldsOf(err); !reflect.DeepEqual(got, []string{"actions", "on"}) {
			t.Errorf("a you-said entry naming no action that exists and no date: fields %v (%v)", got, err)
		}
		if _, err := svc.AddYouSaid(ctx, report.YouSaidWeDid{Said: "You said you had to chase us.", Did: "We send updates every three weeks.",
			Actions: []string{a.ID}, On: calendar.NewDate(2026, 3, 1)}, "t"); err != nil {
			t.Fatal(err)
		}
		_, err = svc.AddEvidence(ctx, report.Evidence{Text: "Clients said letters were clear.", Source: "client workshop",
			On: calendar.NewDate(2026, 4, 1), Commitment: "1.8"}, "t")
		if got := fieldsOf(err); !reflect.DeepEqual(got, []string{"on"}) {
			t.Errorf("evidence dated in the future: fields %v (%v)", got, err)
		}
		err = svc.SetNarrative(ctx, "no-such-measure", measure.Period{Year: 2025, Quarter: 1}, "Too short", "t")
		if got := fieldsOf(err); !reflect.DeepEqual(got, []string{"measure", "period", "text"}) {
			t.Errorf("a bad narrative: fields %v (%v)", got, err)
		}
		if err := svc.SetNarrative(ctx, "kept-updated", fy25, "Updates slipped in the winter, when more people applied.", "t"); err != nil {
			t.Fatal(err)
		}
		if n, _ := svc.Narratives(ctx, fy25); n["kept-updated"] == "" {
			t.Error("the narrative was not kept")
		}
	})
}

// flatten lists the errors joined in err.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

func TestRebuildFactsThroughTheService(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		svc, _ := measuresService(t, st)
		seedHistory(t, svc, 300)
		before, err := svc.Report(context.Background(), fy25)
		if err != nil {
			t.Fatal(err)
		}
		n, err := svc.RebuildFacts(context.Background(), nil)
		if err != nil || n != 300 {
			t.Fatalf("RebuildFacts = %d, %v", n, err)
		}
		after, err := svc.Report(context.Background(), fy25)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(tidy(before), tidy(after)) {
			t.Error("rebuilding the facts from the same events changed the report")
		}
	})
}
