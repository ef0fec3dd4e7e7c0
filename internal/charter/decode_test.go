package charter

import (
	"fmt"
	"testing"
)

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
		_, err := ParseCharter("s.yaml", []byte(tt.yaml))
		got := problemLines(t, "s.yaml", err)
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("ParseCharter(%q) = %q, want %q", tt.yaml, got, tt.want)
		}
	}
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
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
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
