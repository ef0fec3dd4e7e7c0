package browser

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
	"github.com/charter-service/charter/internal/seed"
)

// withReport gives the site a history to report on: two years of
// applications, a survey, an improvement action and the words around the
// figures.
func (s *site) withReport() {
	s.t.Helper()
	ctx := context.Background()
	if _, err := s.svc.Seed(ctx, seed.Options{Applications: 800, Years: 2, Seed: 5, End: s.svc.Today().AddDays(-1)}, nil); err != nil {
		s.t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("response_id,respondent,kept-up-to-date,charter-is-clear\n")
	for i := range 40 {
		b.WriteString(strconv.Itoa(i+1) + ",client," + strconv.Itoa(1+i%5) + "," + strconv.Itoa(1+(i*2)%5) + "\n")
	}
	if _, err := s.svc.ImportSurvey(ctx, measure.Period{Year: 2025}, "survey.csv", []byte(b.String())); err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.svc.AddAction(ctx, report.Action{What: "Send every client an update at least every three weeks", Owner: "Client contact team",
		Due: calendar.NewDate(2026, 6, 30), Status: report.InProgress, Measures: []string{"kept-updated"},
		Progress: []report.ProgressNote{{On: calendar.NewDate(2026, 2, 2), Text: "New update letters tested with clients."}}}, "test"); err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.svc.AddYouSaid(ctx, report.YouSaidWeDid{Said: "You said you had to chase us for news.", Did: "We send updates every three weeks now.",
		On: calendar.NewDate(2026, 2, 20), Commitments: []string{"1.4"}}, "test"); err != nil {
		s.t.Fatal(err)
	}
}

// TestReportPages follows every link of the published charter report, with
// JavaScript and without: the list of years, each year's report, and its
// easy-read summary, every one checked with axe-core.
func TestReportPages(t *testing.T) {
	s := newSite(t)
	s.withReport()
	for _, js := range []bool{true, false} {
		t.Run(map[bool]string{true: "with JavaScript", false: "without JavaScript"}[js], func(t *testing.T) {
			b := s.newTab(t, js)
			checked := b.crawl(20, "/report", "/report")
			for _, p := range []string{"/report", "/report/2025-26", "/report/2025-26/easy-read", "/report/2024-25"} {
				if !checked[p] {
					t.Errorf("%s was not checked; checked %v", p, checked)
				}
			}
			b.visit("/report/2025-26")
			b.wantText("Measures not met without an improvement action", "Send every client an update at least every three weeks",
				"You said you had to chase us for news.")
			// Each trend chart has its figures as a table a person can open.
			if n := b.count("svg.charter-chart[role=img]"); n < 20 || b.count("details.ds_details table") < n {
				t.Errorf("%d charts, %d tables in details", n, b.count("details.ds_details table"))
			}
		})
	}
	b := s.newTab(t, true)
	if status := b.visit("/report/2030-31"); status != http.StatusNotFound {
		t.Errorf("a year to come: %d, want 404", status)
	}
	b.check("report for a year to come")
}

// TestImprovementPlanForms sends each of the improvement plan's forms as a
// manager, first with nothing filled in, then rightly.
func TestImprovementPlanForms(t *testing.T) {
	s := newSite(t)
	s.addStaff(managerEmail, "manager")
	b := s.newTab(t, true)
	staffSignsInAs(b, managerEmail)

	checked := b.crawl(20, "/staff/improvement", "/staff/improvement")
	for _, p := range []string{"/staff/improvement", "/staff/improvement/actions/new", "/staff/improvement/narrative", "/staff/improvement/evidence", "/staff/improvement/you-said"} {
		if !checked[p] {
			t.Errorf("%s was not checked", p)
		}
	}

	b.visit("/staff/improvement/actions/new")
	b.press("Add the action")
	b.errorSummary("action empty", "action-what", "action-owner", "action-due-day", "action-status", "action-measures")
	b.visit("/staff/improvement/narrative")
	b.press("Save")
	b.errorSummary("narrative empty", "narrative-measure", "narrative-year")
	b.visit("/staff/improvement/evidence")
	b.press("Add the evidence")
	b.errorSummary("evidence empty", "evidence-commitment", "evidence-text", "evidence-source", "evidence-on-day")
	b.visit("/staff/improvement/you-said")
	b.press("Add it")
	b.errorSummary("you said empty", "you-said-said", "you-said-did", "you-said-on-day", "you-said-measures")

	// An action sent rightly, then changed with a progress note.
	b.visit("/staff/improvement/actions/new")
	b.typeInto("what", "Send every client an update at least every three weeks")
	b.typeInto("owner", "Client contact team")
	b.fillDate("due", calendar.NewDate(2026, 6, 30))
	b.choose("status", "planned")
	b.choose("measures", "kept-updated")
	if status := b.press("Add the action"); status != http.StatusOK || b.path() != "/staff/improvement" {
		t.Fatalf("adding an action: %d on %s\n%s", status, b.location(), b.text("main"))
	}
	b.wantText("The improvement action is saved.", "Send every client an update at least every three weeks")
	b.check("plan with an action")
	b.visit("/staff/improvement/actions/1")
	b.choose("status", "in progress")
	b.typeInto("note", "The new letters are written.")
	b.fillDate("note-on", s.svc.Today())
	if status := b.press("Save the changes"); status != http.StatusOK || b.path() != "/staff/improvement" {
		t.Fatalf("changing an action: %d on %s\n%s", status, b.location(), b.text("main"))
	}
	b.visit("/report/2025-26")
	b.wantText("The new letters are written.")
}
