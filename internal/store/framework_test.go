package store_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

func TestSurveyResponses(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		y25, y24 := measure.Period{Year: 2025}, measure.Period{Year: 2024}
		first := []measure.Response{
			{ID: "r1", Period: measure.Period{Year: 2025, Quarter: 2}, Respondent: "client", Answers: map[string]int{"kept-up-to-date": 4, "charter-is-clear": 2}},
			{ID: "r2", Period: y25, Date: calendar.NewDate(2025, 6, 3), Respondent: "partner organisation", Answers: map[string]int{"charter-is-clear": 5}},
			{ID: "r3", Period: y25, Answers: map[string]int{}},
		}
		if _, err := s.ImportSurvey(ctx, y25, "survey-2025.csv", first); err != nil {
			t.Fatal(err)
		}
		last := []measure.Response{{ID: "r1", Period: y24, Respondent: "staff", Answers: map[string]int{"kept-up-to-date": 1}}}
		if _, err := s.ImportSurvey(ctx, y24, "survey-2024.csv", last); err != nil {
			t.Fatalf("the same response id in another year: %v", err)
		}
		got, err := s.SurveyResponses(ctx, y25, y25)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || !reflect.DeepEqual(got[0], first[0]) || !reflect.DeepEqual(got[1], first[1]) || got[2].ID != "r3" || len(got[2].Answers) != 0 {
			t.Errorf("2025-26 responses read back as\n%+v\nwant\n%+v", got, first)
		}
		if got, _ := s.SurveyResponses(ctx, y24, y25); len(got) != 4 {
			t.Errorf("two years: %d responses, want 4", len(got))
		}

		// An import repeating a response id of the same year writes none of
		// its responses.
		again := []measure.Response{{ID: "r9", Period: y25, Answers: map[string]int{}}, {ID: "r2", Period: y25, Answers: map[string]int{}}}
		if _, err := s.ImportSurvey(ctx, y25, "again.csv", again); errs.KindOf(err) != errs.KindConflict {
			t.Fatalf("a repeated response id: %v, want a conflict", err)
		}
		if got, _ := s.SurveyResponses(ctx, y25, y25); len(got) != 3 {
			t.Errorf("after a refused import there are %d responses, want 3", len(got))
		}
		seen, err := s.SurveyResponseIDs(ctx, 2025, []string{"r1", "r2", "r9"})
		if err != nil || !seen["r1"] || !seen["r2"] || seen["r9"] {
			t.Errorf("SurveyResponseIDs = %v, %v", seen, err)
		}
	})
}

func TestNarratives(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		y := measure.Period{Year: 2025}
		if err := s.SetNarrative(ctx, "decided-in-time", y, "We were slower in the winter.", "manager@example.org"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetNarrative(ctx, "decided-in-time", y, "We were slower in the winter, when more people applied.", "manager@example.org"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetNarrative(ctx, "kept-updated", y.Previous(), "Last year's words.", "m"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Narratives(ctx, y)
		if err != nil || !reflect.DeepEqual(got, map[string]string{"decided-in-time": "We were slower in the winter, when more people applied."}) {
			t.Errorf("Narratives = %v, %v", got, err)
		}
		if err := s.SetNarrative(ctx, "decided-in-time", y, " ", "m"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Narratives(ctx, y); len(got) != 0 {
			t.Errorf("after clearing: %v", got)
		}
	})
}

func TestEvidenceAndYouSaid(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		e1, err := s.AddEvidence(ctx, report.Evidence{Text: "Clients said the letters were clear.", Source: "client workshop",
			On: calendar.NewDate(2025, 7, 1), Commitment: "1.8"}, "m")
		if err != nil || e1.ID == "" {
			t.Fatal(e1, err)
		}
		if _, err := s.AddEvidence(ctx, report.Evidence{Text: "Too early to count.", Source: "s", On: calendar.NewDate(2025, 3, 31), Commitment: "1.4"}, "m"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Evidence(ctx, calendar.NewDate(2025, 4, 1), calendar.NewDate(2026, 3, 31))
		if err != nil || len(got) != 1 || got[0] != e1 {
			t.Errorf("Evidence = %+v, %v; want [%+v]", got, err, e1)
		}

		y := report.YouSaidWeDid{Said: "You said you had to chase us for news.", Did: "We now send an update every three weeks.",
			On: calendar.NewDate(2025, 9, 1), Measures: []string{"kept-updated"}, Commitments: []string{"1.4", "2.2"}, Actions: []string{"1"}}
		y, err = s.AddYouSaid(ctx, y, "m")
		if err != nil || y.ID == "" {
			t.Fatal(y, err)
		}
		ys, err := s.YouSaid(ctx, calendar.NewDate(2025, 4, 1), calendar.NewDate(2026, 3, 31))
		if err != nil || len(ys) != 1 || !reflect.DeepEqual(ys[0], y) {
			t.Errorf("YouSaid = %+v, %v; want [%+v]", ys, err, y)
		}
		if ys, _ := s.YouSaid(ctx, calendar.NewDate(2026, 4, 1), calendar.NewDate(2027, 3, 31)); len(ys) != 0 {
			t.Errorf("another year: %+v", ys)
		}
	})
}

func TestImprovementActions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		a := report.Action{What: "Hire and train twenty more case managers", Owner: "Head of operations",
			Due: calendar.NewDate(2026, 9, 30), Status: report.Planned, Measures: []string{"decided-in-time"}, Commitments: []string{"2.2"},
			Progress: []report.ProgressNote{{On: calendar.NewDate(2025, 11, 1), Text: "Recruitment has started."}}}
		id, err := s.AddAction(ctx, a, "m")
		if err != nil {
			t.Fatal(err)
		}
		a.ID = id
		other := report.Action{What: "Send an update every three weeks", Owner: "Client contact team", Due: calendar.NewDate(2026, 1, 31),
			Status: report.InProgress, Commitments: []string{"1.4"}}
		otherID, err := s.AddAction(ctx, other, "m")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Action(ctx, id)
		if err != nil || !reflect.DeepEqual(got.Action, a) || got.Version != 1 {
			t.Fatalf("Action = %+v (version %d), %v; want %+v", got.Action, got.Version, err, a)
		}

		// A change with a new note moves the version on and keeps the old note.
		a.Status, a.Owner = report.InProgress, "Operations directorate"
		a.Progress = append(a.Progress, report.ProgressNote{On: calendar.NewDate(2026, 1, 15), Text: "Ten have joined."})
		if err := s.UpdateAction(ctx, a, 1, "m"); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Action(ctx, id)
		if !reflect.DeepEqual(got.Action, a) || got.Version != 2 {
			t.Errorf("after the change: %+v (version %d), want %+v", got.Action, got.Version, a)
		}
		// A change from an older version is refused and writes nothing.
		stale := a
		stale.What = "Something else entirely"
		stale.Progress = append(slices.Clone(a.Progress), report.ProgressNote{On: calendar.NewDate(2026, 2, 1), Text: "Lost."})
		if err := s.UpdateAction(ctx, stale, 1, "m"); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("a stale change: %v, want a conflict", err)
		}
		if got, _ := s.Action(ctx, id); !reflect.DeepEqual(got.Action, a) {
			t.Errorf("a refused change wrote %+v", got.Action)
		}
		for _, bad := range []string{"999", "x", "0", ""} {
			if _, err := s.Action(ctx, bad); errs.KindOf(err) != errs.KindNotFound {
				t.Errorf("Action(%q): %v, want not found", bad, err)
			}
			b := a
			b.ID = bad
			if err := s.UpdateAction(ctx, b, 1, "m"); errs.KindOf(err) != errs.KindNotFound {
				t.Errorf("UpdateAction(%q): %v, want not found", bad, err)
			}
		}

		all, err := s.Actions(ctx)
		if err != nil || len(all) != 2 || all[0].ID != otherID || all[1].ID != id || len(all[1].Progress) != 2 {
			t.Errorf("Actions = %+v, %v; want the one due first first", all, err)
		}
	})
}
