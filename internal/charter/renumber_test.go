package charter

import (
	"slices"
	"strings"
	"testing"
)

// The example benefits name 2.10, 2.11 and 2.12 on the disability
// benefit's consultation stage. A version that removes 2.11 and renumbers
// 2.12 as 2.11 (as the example draft does) must carry the stage over to
// the same commitments, not to whatever now has their numbers.
func TestRenumberCatalogue(t *testing.T) {
	old := exampleCharter(t)
	next := exampleCharter(t)
	next.Version = "2027.1"
	s2 := &next.Sections[1]
	var kept []Commitment
	for _, c := range s2.Commitments {
		switch c.Key {
		case "wellbeing-first-in-consultations":
			continue
		case "qualified-practitioners":
			c.ID = "2.11"
		}
		kept = append(kept, c)
	}
	kept = append(kept, Commitment{ID: "2.12", Key: "publish-stage-timeline", Text: "Publish a timeline of the stages."})
	s2.Commitments = kept
	for i := range s2.Commitments {
		s2.Commitments[i].Related = nil
	}
	d := Diff(old, next)

	data := readExample(t, "benefits.yaml")
	out, notes, err := RenumberCatalogue(data, d)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := ParseCatalogue("benefits.yaml", out, next)
	if err != nil {
		t.Fatalf("the carried-over catalogue does not check against the new version:\n%v\n%s", err, out)
	}
	b, _ := cat.Benefit("adult-disability-payment")
	var stage []string
	for _, st := range b.Stages {
		if slices.Contains(st.Commitments, "2.10") {
			stage = st.Commitments
		}
	}
	if !slices.Equal(stage, []string{"2.10", "2.11"}) {
		t.Errorf("the consultation stage names %v, want [2.10 2.11] (2.11 removed, 2.12 now 2.11)", stage)
	}
	text := strings.Join(notes, "\n")
	for _, want := range []string{"no longer names commitment 2.11: version 2027.1 removes it", "now names commitment 2.11, which was 2.12"} {
		if !strings.Contains(text, want) {
			t.Errorf("no note %q in:\n%s", want, text)
		}
	}
	// Comments survive.
	if !strings.Contains(string(out), "# \"commitments\" on a stage name the charter commitments") {
		t.Error("the file's comments were lost")
	}

	// Nothing renumbered: the file comes back as it was.
	same, notes, err := RenumberCatalogue(data, Diff(old, old))
	if err != nil || string(same) != string(data) || notes != nil {
		t.Errorf("an unchanged charter changed the catalogue: %v, %v", notes, err)
	}
	// A list written one number a line is written out again, in full.
	block := strings.Replace(string(data), `        commitments: ["2.10", "2.11", "2.12"]`,
		"        commitments:\n          - \"2.10\"\n          - \"2.11\"\n          - \"2.12\"", 1)
	if block == string(data) {
		t.Fatal("the example benefits no longer name 2.10, 2.11 and 2.12 together")
	}
	out, _, err = RenumberCatalogue([]byte(block), d)
	if err != nil {
		t.Fatal(err)
	}
	if cat, err = ParseCatalogue("benefits.yaml", out, next); err != nil {
		t.Fatalf("the rewritten catalogue does not check: %v", err)
	}
	if !strings.Contains(string(out), `commitments: ["2.10", "2.11"]`) {
		t.Errorf("the block list was not rewritten:\n%s", out)
	}
	if _, _, err := RenumberCatalogue([]byte("benefits: [unclosed"), d); err == nil {
		t.Error("a broken file gave no error")
	}
}

// Whatever the file, RenumberCatalogue does not panic, and a catalogue
// that checked against the old version comes out checking against the new
// one, or with an error.
func FuzzRenumberCatalogue(f *testing.F) {
	f.Add(readExample(f, "benefits.yaml"))
	f.Add([]byte("benefits:\n  - stages:\n      - commitments: [\"2.11\", \"2.12\"]\n"))
	f.Add([]byte("benefits:\n  - stages:\n      - commitments:\n          - \"2.12\" # a comment\n"))
	f.Add([]byte("benefits: [unclosed"))
	old := exampleCharter(f)
	next := exampleCharter(f)
	next.Version = "next"
	s2 := &next.Sections[1]
	s2.Commitments = append(s2.Commitments[:10:10], s2.Commitments[11])
	s2.Commitments[10].ID = "2.11"
	for i := range s2.Commitments {
		s2.Commitments[i].Related = nil
	}
	d := Diff(old, next)
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _, err := RenumberCatalogue(data, d)
		if err != nil {
			return
		}
		if _, err := ParseCatalogue("in.yaml", data, old); err != nil {
			return
		}
		if _, err := ParseCatalogue("out.yaml", out, next); err != nil {
			t.Fatalf("a catalogue that checked against the old version does not check against the new one:\n%v\n%s", err, out)
		}
	})
}
