package yamlfile

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// lines turns the problems a Reader found into "LINE: message" strings,
// checking that Err agrees with them and that each names the file.
func lines(t *testing.T, r *Reader) []string {
	t.Helper()
	err := r.Err()
	if len(r.Problems()) == 0 {
		if err != nil {
			t.Fatalf("Err() = %v with no problems", err)
		}
		return nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Err() is %T, want Problems", err)
	}
	var out []string
	for _, p := range ps {
		if p.File != r.File {
			t.Errorf("problem %v names file %q, want %q", p, p.File, r.File)
		}
		out = append(out, fmt.Sprintf("%d: %s", p.Line, p.Message))
	}
	return out
}

func compare(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("problems differ\n got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// document reads data as a document and then as a mapping with the given
// fields, the way callers begin.
func document(t *testing.T, data string, known ...string) (*Reader, Fields) {
	t.Helper()
	r := &Reader{File: "f.yaml"}
	root := r.Document([]byte(data))
	if root == nil {
		t.Fatalf("Document(%q) failed: %v", data, r.Err())
	}
	f, ok := r.Mapping(root, "test file", known...)
	if !ok {
		t.Fatalf("Mapping failed: %v", r.Err())
	}
	return r, f
}

func TestDocumentProblems(t *testing.T) {
	tests := []struct {
		yaml string
		want string
	}{
		{"", "0: the file is empty"},
		{" \n\t\n", "0: the file is empty"},
		{"# nothing yet\n", "0: the file has no content, only comments"},
		{"- a\n- b\n", `1: the file must be a set of fields ("name: value" lines), not a list`},
		{"just text\n", `1: the file must be a set of fields ("name: value" lines), not "just text"`},
		{"a: 1\n---\na: 2\n", "2: a second YAML document starts here: put each document in its own file"},
		{"a: 1\n---\na: [2\n", "3: YAML syntax: did not find expected ',' or ']'"},
	}
	for _, tt := range tests {
		r := &Reader{File: "f.yaml"}
		if root := r.Document([]byte(tt.yaml)); root != nil {
			t.Errorf("Document(%q) returned a mapping", tt.yaml)
		}
		compare(t, lines(t, r), []string{tt.want})
	}
}

// YAML syntax errors carry the line yaml.v3 gives, corrected where it counts
// from 0, or a line found by looking at the bytes where it gives none.
func TestSyntaxErrorLines(t *testing.T) {
	tests := []struct {
		yaml string
		want string
	}{
		{"a: 1\nb: [x\nc: 2\n", "2: YAML syntax: did not find expected ',' or ']'"},
		{"a: 1\nb: {x: 1\nc: 2\n", "2: YAML syntax: did not find expected ',' or '}'"},
		{"a: 1\nb:\n  c: 1\n d: 2\n", "4: YAML syntax: did not find expected key"},
		{"a: 1\nb: 2\nc:\n  - 1\n  - 2\n - 3\n", "6: YAML syntax: did not find expected key"},
		{"a: 1\nb:\n  - x\n  y: 2\n", "3: YAML syntax: did not find expected '-' indicator"},
		{"a: 1\nb: c: d\n", "2: YAML syntax: mapping values are not allowed in this context"},
		{"a: 1\nb: 2\nc: 3\nd:\n  e: 1\n  f: 2\n   g: 3\n", "7: YAML syntax: mapping values are not allowed in this context"},
		{"a: 1\n\tb: 2\n", "2: YAML syntax: found a tab character that violates indentation"},
		{"a: 1\nb: @x\n", "2: YAML syntax: found character that cannot start any token"},
		{"a: 1\nb: \"x\x01\"\n", "2: YAML syntax: control characters are not allowed"},
		{"a: 1\n\nb: \xff\n", "3: YAML syntax: invalid leading UTF-8 octet"},
		{"a: 1\nb: 2\ng: *x\n", "3: YAML syntax: unknown anchor 'x' referenced"},
		{"version: [1\n", "1: YAML syntax: did not find expected ',' or ']'"},
		{"version: [1", "1: YAML syntax: did not find expected ',' or ']'"},
	}
	for _, tt := range tests {
		r := &Reader{File: "f.yaml"}
		r.Document([]byte(tt.yaml))
		got := lines(t, r)
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("Document(%q): %q, want %q", tt.yaml, got, tt.want)
		}
	}
}

// yaml.v3 counts the lines of errors found by its parser from 0. A list left
// open on line 3 must be reported on line 3, not line 2: a copy of this
// reader once lacked the correction and pointed one line too high.
func TestParserErrorsAreOnTheRightLine(t *testing.T) {
	data := "a: 1\nb: 2\nc: [x, y\nd: 4\ne: 5\n"
	r := &Reader{File: "f.yaml"}
	if r.Document([]byte(data)) != nil {
		t.Fatal("an unclosed list was accepted")
	}
	compare(t, lines(t, r), []string{"3: YAML syntax: did not find expected ',' or ']'"})

	// The correction applies to the parser's errors only: the scanner
	// already counts from 1.
	r = &Reader{File: "f.yaml"}
	r.Document([]byte("a: 1\nb: 2\nc: d: e\n"))
	compare(t, lines(t, r), []string{"3: YAML syntax: mapping values are not allowed in this context"})
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"title", "title", 0},
		{"titel", "title", 2},
		{"tite", "title", 1},
		{"clienttext", "client_text", 1},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
	}
	for _, tt := range tests {
		if got := EditDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestMapping(t *testing.T) {
	data := `title: T
titel: again
colour: blue
Summary: s
title: twice
base: &b
  x: 1
copy: *b
? [a, b]
: c
~: d
`
	r, f := document(t, data, "title", "summary", "base", "copy")
	compare(t, lines(t, r), []string{
		`2: unknown field "titel" in test file (did you mean "title"?)`,
		`3: unknown field "colour" in test file: the fields are title, summary, base, copy`,
		`4: unknown field "Summary" in test file (did you mean "summary"?)`,
		`5: field "title" appears twice in this test file (first on line 1)`,
		`8: aliases (*b) are not supported: write the value out in full`,
		`9: a field name in test file must be plain text, not a list`,
		`11: a field name in test file must be plain text, not empty`,
	})
	if !slices.Equal(f.Keys(), []string{"title", "base", "copy"}) {
		t.Errorf("Keys() = %q", f.Keys())
	}
	if !f.Has("copy") || f.Has("summary") || f.Line("base") != 6 || f.Line("summary") != 1 || f.Line("") != 1 {
		t.Errorf("Has/Line: copy %v, summary %v, base on %d, summary on %d, mapping on %d",
			f.Has("copy"), f.Has("summary"), f.Line("base"), f.Line("summary"), f.Line(""))
	}
	// An aliased field is present but cannot be used.
	if v, ok := r.Present(f, "copy", true); v != nil || ok {
		t.Errorf("Present(copy) = %v, %v", v, ok)
	}
}

func TestMergeKeysAndAliasedMappings(t *testing.T) {
	data := `items:
  - &one
    name: a
  - <<: *one
    name: b
  - *one
`
	r, f := document(t, data, "items")
	for _, n := range r.List(f, "items", "item", true) {
		if itf, ok := r.Mapping(n, "item", "name"); ok {
			r.Text(itf, "name", true)
		}
	}
	compare(t, lines(t, r), []string{
		`4: merge keys (<<) are not supported: write the fields out in full`,
		`6: aliases (*one) are not supported: write the value out in full`,
	})
}

func TestNotAMapping(t *testing.T) {
	r, f := document(t, "items:\n  - just text\n  - [a]\n", "items")
	for _, n := range r.List(f, "items", "item", true) {
		if _, ok := r.Mapping(n, "item", "name"); ok {
			t.Errorf("Mapping accepted %s", describe(n))
		}
	}
	compare(t, lines(t, r), []string{
		`2: each item must be a set of fields ("name: value" lines), not "just text"`,
		`3: each item must be a set of fields ("name: value" lines), not a list`,
	})
}

func TestText(t *testing.T) {
	data := "a: '  padded  '\nb: ''\nc:\nd: [x]\ne: 12\n"
	r, f := document(t, data, "a", "b", "c", "d", "e", "missing")
	got := []string{r.Text(f, "a", true), r.Text(f, "b", true), r.Text(f, "c", false), r.Text(f, "d", true),
		r.Text(f, "e", true), r.Text(f, "missing", true), r.Text(f, "missing", false)}
	if !slices.Equal(got, []string{"padded", "", "", "", "12", "", ""}) {
		t.Errorf("values %q", got)
	}
	compare(t, lines(t, r), []string{
		`1: missing required field "missing" in test file`,
		`2: "b" must not be empty`,
		`4: "d" must be text, not a list`,
	})
}

func TestInteger(t *testing.T) {
	data := "a: 12\nb:\nc:\nd: 1.5\ne: twelve\nf: 0x10\n"
	r, f := document(t, data, "a", "b", "c", "d", "e", "f", "g")
	type result struct {
		n  int
		ok bool
	}
	var got []result
	for _, c := range []struct {
		key      string
		required bool
	}{{"a", true}, {"b", true}, {"c", false}, {"d", false}, {"e", false}, {"f", false}, {"g", false}} {
		n, ok := r.Integer(f, c.key, c.required)
		got = append(got, result{n, ok})
	}
	want := []result{{12, true}, {0, false}, {0, false}, {0, false}, {0, false}, {16, true}, {0, false}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	compare(t, lines(t, r), []string{
		`2: "b" must not be empty`,
		`4: "d" must be a whole number, not "1.5"`,
		`5: "e" must be a whole number, not "twelve"`,
	})
}

func TestNumber(t *testing.T) {
	data := "a: 90\nb: 2.5\nc: most\nd: .nan\ne: 1e13\nf:\n"
	r, f := document(t, data, "a", "b", "c", "d", "e", "f", "g")
	var got []float64
	for _, key := range []string{"a", "b", "c", "d", "e", "f"} {
		x, _ := r.Number(f, key, true)
		got = append(got, x)
	}
	if _, ok := r.Number(f, "g", false); ok {
		t.Error("an absent number was given")
	}
	if !slices.Equal(got, []float64{90, 2.5, 0, 0, 0, 0}) {
		t.Errorf("values %v", got)
	}
	compare(t, lines(t, r), []string{
		`3: "c" must be a number, like 90 or 2.5, not "most"`,
		`4: "d" must be a number, like 90 or 2.5, not ".nan"`,
		`5: "e" must be a number, like 90 or 2.5, not "1e13"`,
		`6: "f" must be a number, like 90 or 2.5, not empty`,
	})
}

func TestBoolean(t *testing.T) {
	r, f := document(t, "a: true\nb: false\nc:\nd: yes\n", "a", "b", "c", "d", "e")
	got := []bool{r.Boolean(f, "a"), r.Boolean(f, "b"), r.Boolean(f, "c"), r.Boolean(f, "d"), r.Boolean(f, "e")}
	if !slices.Equal(got, []bool{true, false, false, false, false}) {
		t.Errorf("values %v", got)
	}
	compare(t, lines(t, r), []string{`4: "d" must be true or false, not "yes"`})
}

func TestDate(t *testing.T) {
	long := strings.Repeat("x", 70)
	data := "a: 2026-05-11\nb: 2026-02-30\nc: 11/05/2026\nd: " + long + "\n"
	r, f := document(t, data, "a", "b", "c", "d", "e")
	if d := r.Date(f, "a", true); d.String() != "2026-05-11" {
		t.Errorf("Date(a) = %v", d)
	}
	for _, key := range []string{"b", "c", "d", "e"} {
		if d := r.Date(f, key, key != "e"); d != 0 {
			t.Errorf("Date(%s) = %v", key, d)
		}
	}
	compare(t, lines(t, r), []string{
		`2: "b" must be a real date written YYYY-MM-DD, like 2026-05-11, not "2026-02-30"`,
		`3: "c" must be a real date written YYYY-MM-DD, like 2026-05-11, not "11/05/2026"`,
		`4: "d" must be a real date written YYYY-MM-DD, like 2026-05-11, not "` + long[:60] + `…"`,
	})
}

func TestTextList(t *testing.T) {
	data := `a: [x, " y ", x, "", [z]]
b: []
c:
d: text
e:
  - &w w
  - *w
`
	r, f := document(t, data, "a", "b", "c", "d", "e", "g")
	got := r.TextList(f, "a", true)
	if want := []Item{{"x", 1}, {"y", 1}}; !slices.Equal(got, want) {
		t.Errorf("TextList(a) = %v, want %v", got, want)
	}
	for _, key := range []string{"b", "c", "d", "g"} {
		if got := r.TextList(f, key, key != "g"); got != nil {
			t.Errorf("TextList(%s) = %v", key, got)
		}
	}
	if got := r.TextList(f, "e", false); len(got) != 1 || got[0] != (Item{"w", 6}) {
		t.Errorf("TextList(e) = %v", got)
	}
	compare(t, lines(t, r), []string{
		`1: "x" is listed twice in "a" (first on line 1)`,
		`1: an entry in "a" is empty`,
		`1: each entry in "a" must be text, not a list`,
		`2: "b" must list at least one entry`,
		`3: "c" must list at least one entry`,
		`4: "d" must be a list (like [a, b] or lines starting "- "), not "text"`,
		`7: aliases (*w) are not supported: write the value out in full`,
	})

	// An empty list that is not required is no list, and no problem.
	r, f = document(t, "b: []\nc:\n", "b", "c")
	if r.TextList(f, "b", false) != nil || r.TextList(f, "c", false) != nil || r.Err() != nil {
		t.Errorf("optional empty lists: %v", r.Err())
	}
}

func TestList(t *testing.T) {
	r, f := document(t, "a: [1, 2]\nb: []\nc:\nd: {x: 1}\n", "a", "b", "c", "d", "e")
	if got := r.List(f, "a", "thing", true); len(got) != 2 || got[1].Value != "2" {
		t.Errorf("List(a) = %v", got)
	}
	for _, key := range []string{"b", "c", "d", "e"} {
		if got := r.List(f, key, "thing", key != "e"); got != nil {
			t.Errorf("List(%s) = %v", key, got)
		}
	}
	if got := r.List(f, "b", "thing", false); got != nil {
		t.Errorf("optional List(b) = %v", got)
	}
	compare(t, lines(t, r), []string{
		`2: "b" must list at least one thing`,
		`3: "c" must list at least one thing`,
		`4: "d" must be a list (lines starting "- "), not a set of fields`,
	})
}

func TestSubmapping(t *testing.T) {
	r := &Reader{File: "f.yaml"}
	root := r.Document([]byte("a:\n  x: &x 1\n  other: 2\nb:\nc: text\nd: *x\n"))
	if root == nil {
		t.Fatal(r.Err())
	}
	f, _ := r.Mapping(root, "test file", "a", "b", "c", "d", "e")
	af, ok := r.Submapping(f, "a", "part", true, "x")
	if !ok || !af.Has("x") || af.Line("") != 2 {
		t.Errorf("Submapping(a) = %+v, %v", af, ok)
	}
	for _, key := range []string{"b", "c", "d", "e"} {
		sf, ok := r.Submapping(f, key, "part", true, "x")
		if ok {
			t.Errorf("Submapping(%s) succeeded", key)
		}
		// What comes back when there is no mapping can still be asked
		// for, and reports the missing field without a line.
		r.Text(sf, "x", true)
	}
	compare(t, lines(t, r), []string{
		`0: missing required field "x" in part`,
		`0: missing required field "x" in part`,
		`0: missing required field "x" in part`,
		`0: missing required field "x" in part`,
		`1: missing required field "e" in test file`,
		`3: unknown field "other" in part: the fields are x`,
		`4: "b" must not be empty`,
		`5: "c" must be a set of fields ("name: value" lines), not "text"`,
		`6: aliases (*x) are not supported: write the value out in full`,
	})
}

func TestSlugs(t *testing.T) {
	for s, want := range map[string]bool{"keep-you-updated": true, "a1": true, "1": true, "": false,
		"Keep": false, "-a": false, "a-": false, "a--b": false, "a_b": false, "a b": false} {
		if IsSlug(s) != want {
			t.Errorf("IsSlug(%q) = %v", s, !want)
		}
	}
	r, f := document(t, "key: Keep_You\nid: ok\n", "key", "id")
	r.CheckSlug(f, "key", r.Text(f, "key", true), "keep-you")
	r.CheckSlug(f, "id", r.Text(f, "id", true), "an-id")
	r.CheckSlug(f, "id", "", "an-id") // empty is for Text to report
	compare(t, lines(t, r), []string{
		`1: key "Keep_You" must be a lowercase slug: letters a-z, digits and single hyphens, like "keep-you"`,
	})
}

// Long values are clipped where a message repeats them.
func TestClip(t *testing.T) {
	long := strings.Repeat("é", 61)
	if got := Clip(long); got != strings.Repeat("é", 60)+"…" {
		t.Errorf("Clip = %q", got)
	}
	if got := Clip("short"); got != "short" {
		t.Errorf("Clip(short) = %q", got)
	}
	r, f := document(t, "a: [x]\n"+long+": 1\nb: ["+long+", "+long+"]\n", "a", "b")
	r.Text(f, "a", true)
	r.TextList(f, "b", false)
	clipped := strings.Repeat("é", 60) + "…"
	compare(t, lines(t, r), []string{
		`1: "a" must be text, not a list`,
		`2: unknown field "` + clipped + `" in test file: the fields are a, b`,
		`3: "` + clipped + `" is listed twice in "b" (first on line 3)`,
	})
	r, f = document(t, "n: "+long+"\n", "n")
	r.Integer(f, "n", true)
	compare(t, lines(t, r), []string{`1: "n" must be a whole number, not "` + clipped + `"`})
}

// One pass finds every problem; Problems and Err give them in line order,
// those on one line in the order found, and Err is nil when there are none.
func TestProblemsInLineOrder(t *testing.T) {
	r := &Reader{File: "f.yaml"}
	if r.Err() != nil || r.Problems() != nil {
		t.Fatal("a new Reader has problems")
	}
	r.Errorf(3, "c")
	r.Errorf(1, "a")
	r.Errorf(3, "d")
	r.Errorf(0, "whole file")
	compare(t, lines(t, r), []string{"0: whole file", "1: a", "3: c", "3: d"})
	r.Errorf(2, "b")
	compare(t, lines(t, r), []string{"0: whole file", "1: a", "2: b", "3: c", "3: d"})
}

// The library panics on some malformed input; a Reader reports it instead.
func TestDocumentNeverPanics(t *testing.T) {
	for _, data := range []string{"a: &a [*a, *a]\nb: *a\n", "{", "[", "? ? ?", "a: !!binary x\n", "%YAML 1.1\n%YAML 1.1\n"} {
		r := &Reader{File: "f.yaml"}
		if root := r.Document([]byte(data)); root != nil {
			r.Mapping(root, "test file", "a", "b")
		}
		_ = r.Err()
	}
}

func ExampleReader() {
	data := []byte(`name: A round
starts: 2026-05-11
ends: 2026-02-30
colour: blue
tags: [one, two, one]
`)
	r := &Reader{File: "round.yaml"}
	if root := r.Document(data); root != nil {
		f, _ := r.Mapping(root, "round", "id", "name", "starts", "ends", "tags")
		r.Text(f, "id", true)
		r.Date(f, "starts", true)
		r.Date(f, "ends", true)
		r.TextList(f, "tags", false)
	}
	fmt.Println(r.Err())
	// Output:
	// round.yaml:1: missing required field "id" in round
	// round.yaml:3: "ends" must be a real date written YYYY-MM-DD, like 2026-05-11, not "2026-02-30"
	// round.yaml:4: unknown field "colour" in round: the fields are id, name, starts, ends, tags
	// round.yaml:5: "one" is listed twice in "tags" (first on line 5)
}
