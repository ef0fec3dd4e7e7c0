package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCheckMeasures(t *testing.T) {
	code, out, _ := runCmd(t, nil, "check", "../../examples/charter.yaml", "../../examples/benefits.yaml", "../../examples/measures.yaml")
	if code != 0 || !strings.Contains(out, "3 file(s) checked: no problems") {
		t.Fatalf("examples: exit %d: %s", code, out)
	}
	// The commitments no measure evidences are a note, not a problem.
	if !regexp.MustCompile(`(?m)^\.\./\.\./examples/measures\.yaml: note: \d+ commitments of charter \S+ have no measure: 1\.3, `).MatchString(out) {
		t.Errorf("no note of the commitments without a measure:\n%s", out)
	}

	// A measure naming a commitment the charter does not have, and one
	// counting on a fact that does not exist: FILE:LINE for each.
	data, err := os.ReadFile("../../examples/measures.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), `commitments: ["1.1"]`, `commitments: ["1.99"]`, 1)
	broken = strings.Replace(broken, "counted_on: received_on", "counted_on: recieved_on", 1)
	bad := filepath.Join(t.TempDir(), "measures.yaml")
	if err := os.WriteFile(bad, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCmd(t, nil, "check", "../../examples/charter.yaml", bad)
	if code != 1 {
		t.Fatalf("broken measures: exit %d, want 1:\n%s", code, out)
	}
	for _, want := range []string{`:\d+: unknown commitment "1\.99"`, `:\d+: .*recieved_on.*received_on`} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(bad) + want).MatchString(out) {
			t.Errorf("output does not match %s:\n%s", want, out)
		}
	}
	// Without a charter, only the form is checked, and that is said.
	code, out, _ = runCmd(t, nil, "check", "../../examples/measures.yaml")
	if code != 0 || !strings.Contains(out, "no charter file was given") {
		t.Errorf("measures alone: exit %d: %s", code, out)
	}
}

// reportDB is a database with the examples and their measures loaded and
// a small history seeded, for the survey and report commands.
func reportDB(t *testing.T) map[string]string {
	t.Helper()
	db := "sqlite:" + filepath.Join(t.TempDir(), "charter.db")
	environ := map[string]string{"CHARTER_DB": db, "CHARTER_LOG_LEVEL": "warn"}
	if code, out, errOut := runCmd(t, environ, "load", "../../examples/charter.yaml", "../../examples/benefits.yaml", "../../examples/measures.yaml"); code != 0 ||
		!strings.Contains(out, "measures version") {
		t.Fatalf("load: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := runCmd(t, environ, "seed", "--applications", "400", "--years", "2"); code != 0 {
		t.Fatalf("seed: %d %s %s", code, out, errOut)
	}
	return environ
}

func TestImportSurvey(t *testing.T) {
	environ := reportDB(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.csv", "response_id,respondent,kept-up-to-date\n1,client,4\n2,client,2\n")
	code, out, errOut := runCmd(t, environ, "import", "survey", "--period", "2025-26", good)
	if code != 0 || !strings.Contains(out, "Imported 2 survey responses for 2025-26") {
		t.Fatalf("good survey: exit %d: %s %s", code, out, errOut)
	}
	bad := write("bad.csv", "response_id,respondent,kept-up-to-date\n3,client,7\n4,alien,4\n")
	code, out, _ = runCmd(t, environ, "import", "survey", "--period", "2025-26", bad)
	if code != 1 || !strings.Contains(out, bad+": row 2, column 3 (kept-up-to-date):") ||
		!strings.Contains(out, bad+": row 3, column 2 (respondent):") || !strings.Contains(out, "Nothing was imported.") {
		t.Errorf("bad survey: exit %d:\n%s", code, out)
	}
	// Importing the good file again repeats its response ids.
	code, out, _ = runCmd(t, environ, "import", "survey", "--period", "2025-26", good)
	if code != 1 || !strings.Contains(out, "row 2, column 1 (response_id): response 1 was already imported") {
		t.Errorf("the same file twice: exit %d:\n%s", code, out)
	}
	for _, args := range [][]string{{"import", "survey", good}, {"import", "survey", "--period", "2025", good}, {"import", "survey", "--period", "2025-26"}, {"import", "nothing"}} {
		if code, _, _ := runCmd(t, environ, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestReportCommand(t *testing.T) {
	environ := reportDB(t)
	out := filepath.Join(t.TempDir(), "report")
	code, stdout, errOut := runCmd(t, environ, "report", "--period", "2025-26", "--out", out)
	if code != 0 || !strings.Contains(stdout, "Wrote the charter report for 2025-26") {
		t.Fatalf("report: exit %d: %s %s", code, stdout, errOut)
	}
	for _, name := range []string{"index.html", "easy-read.html", "measures.csv", "report.json", "assets/dist/css/design-system.min.css", "assets/charter.css"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("the report has no %s: %v", name, err)
		}
	}
	index, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(index), "How we did in 2025-26") || !strings.Contains(string(index), "Measures not met without an improvement action") {
		t.Errorf("index.html is not the report:\n%.500s", index)
	}
	for args, want := range map[string]string{
		"--period 2025-26 Q1": "not a quarter", "--period 2025-27": "is not a period", "--period 2030-31": "no figures for 2030-31 yet",
	} {
		a := append([]string{"report", "--out", out}, strings.SplitN(args, " ", 2)...)
		if code, _, errOut := runCmd(t, environ, a...); code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("report %s: exit %d, stderr %q; want 1 saying %q", args, code, errOut, want)
		}
	}
	if code, _, _ := runCmd(t, environ, "report", "--period", "2025-26"); code != 2 {
		t.Errorf("report with no --out: exit %d, want 2", code)
	}
}
