package charter

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// problemLines turns a parse error into "LINE: message" strings, failing the
// test if the error is not Problems.
func problemLines(t *testing.T, file string, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T, want Problems: %v", err, err)
	}
	var out []string
	for _, p := range ps {
		if p.File != file {
			t.Errorf("problem %v names file %q, want %q", p, p.File, file)
		}
		out = append(out, fmt.Sprintf("%d: %s", p.Line, p.Message))
	}
	return out
}

// compareLines reports the difference between the problems found and wanted.
func compareLines(t *testing.T, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	t.Errorf("problems differ\n got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
}

// doc trims the leading newline of a raw string so that line 1 of the YAML
// is the first line of text after the backquote.
func doc(s string) []byte { return []byte(strings.TrimPrefix(s, "\n")) }

func readExample(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile("../../examples/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func exampleCharter(tb testing.TB) *Charter {
	tb.Helper()
	ch, err := ParseCharter("charter.yaml", readExample(tb, "charter.yaml"))
	if err != nil {
		tb.Fatalf("example charter is invalid:\n%v", err)
	}
	return ch
}
