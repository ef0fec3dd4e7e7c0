package charter

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestCheckExamples(t *testing.T) {
	files := map[string][]byte{
		"examples/charter.yaml":  readExample(t, "charter.yaml"),
		"examples/benefits.yaml": readExample(t, "benefits.yaml"),
	}
	if ps := Check(files); ps != nil {
		t.Fatalf("the examples do not pass Check:\n%v", ps)
	}
}

func TestCheckReportsFileAndLine(t *testing.T) {
	badBenefits := strings.Replace(minimalCatalogue, `commitments: ["1.1"]`, `commitments: ["1.1", "7.7"]`, 1)
	badBenefits = strings.Replace(badBenefits, "decide_working_days: 10", "decide_working_days: 0", 1)
	files := map[string][]byte{
		"z-charter.yaml":  doc(minimalCharter),
		"a-benefits.yaml": doc(badBenefits),
		"m-notes.yaml":    []byte("notes: nothing to see\n"),
		"b-both.yaml":     []byte("sections: []\nbenefits: []\n"),
		"c-broken.yaml":   []byte("version: [1\n"),
		"d-charter.yaml":  doc(strings.Replace(minimalCharter, `key: support-you`, `key: Support`, 1)),
	}
	var got []string
	for _, p := range Check(files) {
		got = append(got, p.String())
	}
	compareLines(t, got, []string{
		`a-benefits.yaml:9: unknown commitment "7.7": the charter (version 1) has no commitment with that id`,
		`a-benefits.yaml:15: "decide_working_days" must be more than 0, not 0`,
		`b-both.yaml: cannot tell what kind of file this is: it has both "sections" (a charter) and "benefits" (a benefit catalogue)`,
		`c-broken.yaml:1: YAML syntax: did not find expected ',' or ']'`,
		`d-charter.yaml:9: key "Support" must be a lowercase slug: letters a-z, digits and single hyphens, like "keep-you-updated"`,
		`m-notes.yaml: cannot tell what kind of file this is: a charter has "sections" and a benefit catalogue has "benefits"`,
	})
}

func TestCheckWithoutCharter(t *testing.T) {
	// With no charter among the files, only the form of commitment
	// references is checked.
	if ps := Check(map[string][]byte{"benefits.yaml": readExample(t, "benefits.yaml")}); ps != nil {
		t.Errorf("Check(benefits only) = %v", ps)
	}
	// An invalid charter is reported, and the catalogue is not checked
	// against it (that would only repeat its problems).
	broken := doc(strings.Replace(minimalCharter, `title: Our charter`, `title: ""`, 1))
	var got []string
	for _, p := range Check(map[string][]byte{"c.yaml": broken, "b.yaml": readExample(t, "benefits.yaml")}) {
		got = append(got, p.String())
	}
	compareLines(t, got, []string{`c.yaml:2: "title" must not be empty`})
	if ps := Check(nil); ps != nil {
		t.Errorf("Check(nil) = %v", ps)
	}
}

func TestCheckSeveralCharters(t *testing.T) {
	old := strings.Replace(minimalCharter, `version: "1"`, `version: "0"`, 1)
	old = strings.Replace(old, `id: "1.1"`, `id: "1.2"`, 1)
	files := map[string][]byte{
		"charter-0.yaml": doc(old),
		"charter-1.yaml": doc(minimalCharter),
		"benefits.yaml":  doc(minimalCatalogue),
	}
	var got []string
	for _, p := range Check(files) {
		got = append(got, p.String())
	}
	compareLines(t, got, []string{
		`benefits.yaml:9: unknown commitment "1.1": charter charter-0.yaml (version 0) has no commitment with that id`,
	})
}

func TestCheckBenefitInTwoFiles(t *testing.T) {
	files := map[string][]byte{
		"grants.yaml": doc(minimalCatalogue),
		"more.yaml":   doc(minimalCatalogue),
	}
	var got []string
	for _, p := range Check(files) {
		got = append(got, p.String())
	}
	compareLines(t, got, []string{`more.yaml:2: benefit "starter-grant" is also defined at grants.yaml:2`})
}

func TestCheckIsDeterministic(t *testing.T) {
	files := map[string][]byte{}
	for _, name := range []string{"e.yaml", "a.yaml", "c.yaml", "b.yaml", "d.yaml"} {
		files[name] = []byte("title: [x\n")
	}
	first := Check(files).Error()
	for range 20 {
		if got := Check(files).Error(); got != first {
			t.Fatalf("Check output changed between runs:\n%s\n---\n%s", first, got)
		}
	}
	var names []string
	for _, p := range Check(files) {
		names = append(names, p.File)
	}
	if !slices.IsSorted(names) {
		t.Errorf("problems not sorted by file: %v", names)
	}
}

// Check must agree with ParseCharter and ParseCatalogue on single files.
func TestCheckAgreesWithParse(t *testing.T) {
	for _, data := range [][]byte{doc(minimalCharter), readExample(t, "charter.yaml")} {
		_, err := ParseCharter("f.yaml", data)
		ps := Check(map[string][]byte{"f.yaml": data})
		if (err == nil) != (ps == nil) {
			t.Errorf("ParseCharter error %v, Check %v", err, ps)
		}
	}
	bad := doc(strings.Replace(minimalCatalogue, "kind: grant", "kind: loan", 1))
	_, err := ParseCatalogue("f.yaml", bad, nil)
	ps := Check(map[string][]byte{"f.yaml": bad})
	if err == nil || ps == nil || err.Error() != ps.Error() {
		t.Errorf("ParseCatalogue error %v, Check %v", err, ps)
	}
}

func ExampleCheck() {
	files := map[string][]byte{
		"charter.yaml": []byte(`version: "1"
title: Our charter
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: keep-you-updated
        text: Keep you updated, quickly.
        terms: [update]
`),
	}
	for _, p := range Check(files) {
		fmt.Println(p)
	}
	// Output:
	// charter.yaml:11: unknown glossary term "update" in "terms": define it in the glossary or remove it
}
