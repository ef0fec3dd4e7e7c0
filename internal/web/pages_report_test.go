package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
	"github.com/charter-service/charter/internal/seed"
)

var fy25 = measure.Period{Year: 2025}

// reportSite is a site with two years of seeded history ending yesterday
// (1 March 2026), a survey, and an improvement plan with narrative,
// evidence and "you said, we did": everything a report shows.
func reportSite(t *testing.T) *site {
	t.Helper()
	s := newSite(t)
	ctx := context.Background()
	if _, err := s.svc.Seed(ctx, seed.Options{Applications: 600, Years: 2, Seed: 9, End: s.svc.Today().AddDays(-1)}, nil); err != nil {
		t.Fatal(err)
	}
	var csvRows strings.Builder
	csvRows.WriteString("response_id,respondent,kept-up-to-date,charter-is-clear,treated-with-dignity\n")
	for i := range 60 {
		who := []string{"client", "client", "partner organisation"}[i%3]
		csvRows.WriteString(strings.Join([]string{strconv.Itoa(i + 1), who, strconv.Itoa(1 + i%5), strconv.Itoa(1 + (i*3)%5), strconv.Itoa(2 + i%4)}, ",") + "\n")
	}
	if _, err := s.svc.ImportSurvey(ctx, fy25, "survey.csv", []byte(csvRows.String())); err != nil {
		t.Fatal(err)
	}
	a, err := s.svc.AddAction(ctx, report.Action{What: "Send every client an update at least every three weeks", Owner: "Client contact team",
		Due: calendar.NewDate(2026, 6, 30), Status: report.InProgress, Measures: []string{"kept-updated"}, Commitments: []string{"1.4"},
		Progress: []report.ProgressNote{{On: calendar.NewDate(2026, 2, 2), Text: "The new update letters are written and tested with clients."}}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.svc.SetNarrative(ctx, "decided-in-time", fy25, "More people applied in the winter than we planned for, so decisions took longer.", "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.AddEvidence(ctx, report.Evidence{Text: "Clients at the workshop said decision letters now explain the reasons clearly.",
		Source: "client workshop", On: calendar.NewDate(2025, 11, 12), Commitment: "1.8"}, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.AddYouSaid(ctx, report.YouSaidWeDid{Said: "You said you had to chase us to find out where your application was.",
		Did: "We now send an update at least every three weeks, and tell you the date we expect to decide.", On: calendar.NewDate(2026, 2, 2),
		Commitments: []string{"1.4"}, Actions: []string{a.ID}}, "test"); err != nil {
		t.Fatal(err)
	}
	return s
}

var idRe = regexp.MustCompile(`\sid="([^"]+)"`)

func TestReportPages(t *testing.T) {
	s := reportSite(t)
	v := s.visitor()

	r := v.get("/report")
	if r.status != 200 || !strings.Contains(r.text(), "2025-26: April 2025 to March 2026") || !strings.Contains(r.text(), "2023-24") {
		t.Fatalf("GET /report: %d\n%s", r.status, r.text())
	}

	r = v.get("/report/2025-26")
	if r.status != 200 {
		t.Fatalf("GET /report/2025-26: %d\n%s", r.status, r.text())
	}
	page := r.text()
	for _, want := range []string{
		"How we did in 2025-26", "Measures not met without an improvement action", "Events counted up to",
		"these figures are provisional", "More people applied in the winter than we planned for",
		"Send every client an update at least every three weeks", "The new update letters are written",
		"Clients at the workshop said decision letters", "You said you had to chase us", `role="img"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the report page does not say %q", want)
		}
	}
	// Sections, then commitments, then measures: every one has its place.
	ch, _ := s.svc.Charter()
	set, _ := s.svc.Measures()
	ids := map[string]bool{}
	for _, m := range idRe.FindAllStringSubmatch(r.body, -1) {
		if ids[m[1]] {
			t.Errorf("the id %q is on the page twice", m[1])
		}
		ids[m[1]] = true
	}
	for _, sec := range ch.Sections {
		for _, c := range sec.Commitments {
			if !ids[commitmentAnchor(c.ID)] {
				t.Errorf("commitment %s has no place on the report", c.ID)
			}
		}
	}
	for _, m := range set.Measures {
		if !ids[measureAnchor(m.ID)] {
			t.Errorf("measure %s is not on the report", m.ID)
		}
	}
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(r.body, -1) {
		if !ids[m[1]] {
			t.Errorf("a link to #%s, which is not on the page", m[1])
		}
	}
	// kept-updated has an action; a measure missed without one is listed at the top.
	top := page[strings.Index(page, "Measures not met without an improvement action"):strings.Index(page, "What the results mean")]
	if strings.Contains(top, "never left longer than our standard") {
		t.Error("a measure with an improvement action is listed as having none")
	}

	r = v.get("/report/2025-26/easy-read")
	commitments := 0
	for _, sec := range ch.Sections {
		commitments += len(sec.Commitments)
	}
	if r.status != 200 || strings.Count(r.text(), "<strong>Promise ") != commitments {
		t.Errorf("easy read: %d, %d promises for %d commitments", r.status, strings.Count(r.text(), "<strong>Promise "), commitments)
	}

	r = v.get("/report/2025-26/measures.csv")
	if r.status != 200 || !strings.HasPrefix(r.body, strings.Join(report.TidyHeader, ",")+"\n") {
		t.Fatalf("measures.csv: %d %.200s", r.status, r.body)
	}
	records, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil || len(records) < 500 {
		t.Errorf("measures.csv: %d rows, %v", len(records), err)
	}

	r = v.get("/api/v1/reports/2025-26")
	var doc struct {
		Measures []map[string]any `json:"measures"`
	}
	if err := json.Unmarshal([]byte(r.body), &doc); r.status != 200 || err != nil || len(doc.Measures) != len(set.Measures) {
		t.Errorf("GET /api/v1/reports/2025-26: %d, %d measures, %v", r.status, len(doc.Measures), err)
	}
	r = v.get("/api/v1/reports")
	if r.status != 200 || !strings.Contains(r.body, `"period":"2025-26"`) {
		t.Errorf("GET /api/v1/reports: %d %s", r.status, r.body)
	}

	// Periods that are not a year we can report on.
	for path, status := range map[string]int{
		"/report/2025": 400, "/report/2025-26%20Q1": 400, "/report/2030-31": 404,
		"/report/2025/easy-read": 400, "/report/2030-31/measures.csv": 404,
		"/api/v1/reports/2025": 400, "/api/v1/reports/2030-31": 404,
	} {
		if r := v.get(path); r.status != status {
			t.Errorf("GET %s: %d, want %d", path, r.status, status)
		} else if strings.HasPrefix(path, "/api/") && !strings.Contains(r.body, `"error"`) {
			t.Errorf("GET %s: not a JSON error: %s", path, r.body)
		}
	}
}

// TestReportGolden compares the report page with testdata/report.golden
// (asset hashes normalised). Run with -update to rewrite it after a
// deliberate change.
func TestReportGolden(t *testing.T) {
	s := reportSite(t)
	r := s.visitor().get("/report/2025-26")
	got := regexp.MustCompile(`/assets/(?:[0-9a-f]{12}|unbuilt)/`).ReplaceAllString(r.body, "/assets/HASH/")
	got = csrfValueRe.ReplaceAllString(got, `name="csrf_token" value="TOKEN"`)
	compareGolden(t, "report.golden", got)
}

// compareGolden compares got with testdata/name, rewriting it with -update.
func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/web -run %s -update to create it)", err, t.Name())
	}
	if got == string(want) {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("the page differs from %s at line %d:\n got: %s\nwant: %s\n(run with -update if the change is deliberate)", golden, i+1, g, w)
		}
	}
}

// TestReportFiles writes the report as files and checks they stand alone:
// every link and asset is in the folder, nothing is fetched from a server.
func TestReportFiles(t *testing.T) {
	s := reportSite(t)
	rep, err := s.svc.Report(context.Background(), fy25)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteReportFiles(dir, rep); err != nil {
		t.Fatal(err)
	}
	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := s.visitor().get("/report/2025-26").body
	// The same template: the page's main content and the file's differ
	// only in where the other forms of the report are.
	mainOf := func(s string) string {
		s = s[strings.Index(s, "<main"):strings.Index(s, "</main>")]
		s = strings.Replace(s, "\n<li><a href=\"/report\">Reports for other years</a></li>", "", 1)
		s = strings.ReplaceAll(s, `href="/api/v1/reports/2025-26"`, `href="report.json"`)
		return regexp.MustCompile(`href="[^"#]*(easy-read|measures\.csv|report\.json|/api/v1/reports/2025-26|/report/2025-26)(\.html)?"`).ReplaceAllString(s, `href="$1"`)
	}
	if a, b := mainOf(string(index)), mainOf(page); a != b {
		al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
		for i := range min(len(al), len(bl)) {
			if al[i] != bl[i] {
				t.Errorf("index.html's main content differs from the report page's at line %d:\n%s\n%s", i, al[i], bl[i])
				break
			}
		}
	}
	for _, name := range []string{"index.html", "easy-read.html"} {
		body, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range regexp.MustCompile(`(?:href|src)="([^"#]+)`).FindAllStringSubmatch(string(body), -1) {
			link := m[1]
			if strings.HasPrefix(link, "/") || strings.Contains(link, "//") {
				t.Errorf("%s links to %s, which is not in the folder", name, link)
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(link))); err != nil {
				t.Errorf("%s links to %s: %v", name, link, err)
			}
		}
		if strings.Contains(string(body), "<script") {
			t.Errorf("%s has a script", name)
		}
	}
	// Fonts and images the stylesheets name are there too.
	css, err := os.ReadFile(filepath.Join(dir, "assets", "dist", "fonts", "roboto.css"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range cssURLRe.FindAllStringSubmatch(string(css), -1) {
		u := strings.Trim(m[1], `"'`)
		if strings.HasPrefix(u, "data:") {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "assets", "dist", "fonts", filepath.FromSlash(u))); err != nil {
			t.Errorf("roboto.css needs %s: %v", u, err)
		}
	}
	var doc map[string]any
	data, _ := os.ReadFile(filepath.Join(dir, "report.json"))
	if err := json.Unmarshal(data, &doc); err != nil || doc["period"] != "2025-26" {
		t.Errorf("report.json: %v, period %v", err, doc["period"])
	}
	csvFile, _ := os.ReadFile(filepath.Join(dir, "measures.csv"))
	if string(csvFile) != s.visitor().get("/report/2025-26/measures.csv").body {
		t.Error("measures.csv differs from the download")
	}
}
