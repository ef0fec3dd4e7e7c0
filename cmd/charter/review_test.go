package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReviewCommands imports the example review round, stores and
// publishes the example draft, and loads a charter version with a reason,
// checking what each command prints, and that bad files are refused with
// every problem named and nothing stored.
func TestReviewCommands(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "charter.db")
	environ := map[string]string{"CHARTER_DB": db, "CHARTER_LOG_LEVEL": "warn"}
	ex := func(name string) string { return "../../examples/" + name }
	if code, out, errOut := runCmd(t, environ, "load", ex("charter.yaml"), ex("benefits.yaml")); code != 0 {
		t.Fatalf("load: %d %s %s", code, out, errOut)
	}

	badComments := filepath.Join(dir, "comments.csv")
	if err := os.WriteFile(badComments, []byte("id,participant,commitment,source,text,themes,sentiment\n"+
		"W1,C1,1.4,workshop,Good.,clarity,positive\nW2,C99,1.4,chat,Good.,clarity,positive\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, environ, "review", "import", "--responses", ex("review-responses.csv"), "--comments", badComments, ex("review-round.yaml"))
	for _, want := range []string{
		badComments + `: row 3, column B (participant): there is no participant "C99" in round review-2026`,
		badComments + `: row 3, column D (source): "chat" is not a source`,
		"Nothing was imported.",
	} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("a bad comments file: exit %d, no %q in:\n%s", code, want, out)
		}
	}
	if code, out, _ := runCmd(t, environ, "review", "findings", "review-2026"); code != 1 {
		t.Errorf("findings after a refused import: exit %d\n%s", code, out)
	}

	code, out, errOut := runCmd(t, environ, "review", "import", "--responses", ex("review-responses.csv"), "--comments", ex("review-comments.csv"), ex("review-round.yaml"))
	if code != 0 || !strings.Contains(out, "Round review-2026 (Charter review 2026): stored, with 22 participants.") ||
		!strings.Contains(out, "and 53 coded comments") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCmd(t, environ, "review", "findings", "review-2026")
	if code != 0 || !strings.HasPrefix(out, "kind,commitment_id,") || !strings.Contains(out, "statement,,,,clear-and-easy") {
		t.Errorf("findings: exit %d\n%s", code, out)
	}

	code, out, _ = runCmd(t, environ, "review", "draft", ex("review-draft.yaml"))
	if code != 0 || !strings.Contains(out, "Draft revision 2027.1 saved") {
		t.Fatalf("draft: exit %d\n%s", code, out)
	}
	code, out, errOut = runCmd(t, environ, "review", "publish", "2027.1")
	for _, want := range []string{
		"Charter version 2027.1 is published, from today",
		"Changes from version 2026.1:",
		"2.11 (qualified-practitioners): reworded, and renumbered from 2.12 to 2.11",
		"2.11 (wellbeing-first-in-consultations): removed (it was 2.11)",
		"Check before you tell people about version 2027.1:",
		"Measure feedback-about-consultations evidences commitment 2.10",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("publish: exit %d, no %q in:\n%s%s", code, want, out, errOut)
		}
	}
	if code, _, errOut := runCmd(t, environ, "review", "publish", "2027.1"); code != 1 || !strings.Contains(errOut, "already published") {
		t.Errorf("publishing twice: exit %d, %s", code, errOut)
	}

	// A new version loaded from a file needs a reason.
	data, err := os.ReadFile(ex("charter.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	next := strings.Replace(string(data), `version: "2026.1"`, `version: "2028.1"`, 1)
	next = strings.Replace(next, "Publish the timescales for each payment", "Publish the timescales of each payment", 1)
	file := filepath.Join(dir, "charter-2028.yaml")
	if err := os.WriteFile(file, []byte(next), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCmd(t, environ, "load", file, ex("benefits.yaml")); code != 1 || !strings.Contains(errOut, "say why version 2028.1 changes the charter") {
		t.Errorf("no reason: exit %d, %s", code, errOut)
	}
	if code, out, errOut := runCmd(t, environ, "load", "--reason", "Plainer words.", file, ex("benefits.yaml")); code != 0 || !strings.Contains(out, "charter version 2028.1: published") {
		t.Errorf("with a reason: exit %d\n%s%s", code, out, errOut)
	}

	if code, _, _ := runCmd(t, environ, "review", "sideways"); code != 2 {
		t.Errorf("an unknown review command: exit %d, want 2", code)
	}
	if code, _, _ := runCmd(t, environ, "review", "import"); code != 2 {
		t.Errorf("import without a round file: exit %d, want 2", code)
	}
}

func TestComplaintTimescaleSettings(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		says string
	}{
		{map[string]string{"CHARTER_COMPLAINT_STAGE1_DAYS": "five"}, nil, "--complaint-stage1-days (CHARTER_COMPLAINT_STAGE1_DAYS)"},
		{nil, []string{"--complaint-stage2-days", "0"}, "--complaint-stage2-days (CHARTER_COMPLAINT_STAGE2_DAYS)"},
		{nil, []string{"--complaint-stage2-acknowledge-days", "25"}, "--complaint-stage2-acknowledge-days (CHARTER_COMPLAINT_STAGE2_ACKNOWLEDGE_DAYS)"},
	}
	for _, c := range cases {
		code, _, errOut := runCmd(t, c.env, append([]string{"migrate"}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.says) {
			t.Errorf("%v %v: exit %d, stderr %q; want 2 naming %s", c.env, c.args, code, errOut, c.says)
		}
	}
	db := "sqlite:" + filepath.Join(t.TempDir(), "charter.db")
	if code, _, errOut := runCmd(t, map[string]string{"CHARTER_DB": db, "CHARTER_COMPLAINT_STAGE1_DAYS": "10"}, "migrate"); code != 0 {
		t.Errorf("10 working days at stage 1: exit %d, %s", code, errOut)
	}
}
