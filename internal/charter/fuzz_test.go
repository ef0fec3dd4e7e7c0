package charter

import (
	"errors"
	"slices"
	"testing"
)

// checkResult asserts what every parse must satisfy, whatever the input:
// either a result and no error, or no result and a non-empty, sorted Problems
// naming the file.
func checkResult[T any](t *testing.T, got *T, err error) {
	t.Helper()
	if err == nil {
		if got == nil {
			t.Fatal("no error and no result")
		}
		return
	}
	if got != nil {
		t.Fatal("a result was returned with an error")
	}
	var ps Problems
	if !errors.As(err, &ps) || len(ps) == 0 {
		t.Fatalf("error is not a non-empty Problems: %#v", err)
	}
	if !slices.IsSortedFunc(ps, func(a, b Problem) int { return a.Line - b.Line }) {
		t.Fatalf("problems are not in line order: %v", ps)
	}
	for _, p := range ps {
		if p.File != "f.yaml" || p.Line < 0 || p.Message == "" {
			t.Fatalf("bad problem %#v", p)
		}
	}
}

func FuzzParseCharter(f *testing.F) {
	f.Add(readExample(f, "charter.yaml"))
	f.Add(doc(minimalCharter))
	f.Add([]byte("version: [1\n"))
	f.Add([]byte("a: &a [*a, *a]\nsections: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ch, err := ParseCharter("f.yaml", data)
		checkResult(t, ch, err)
	})
}

func FuzzParseCatalogue(f *testing.F) {
	ch := exampleCharter(f)
	f.Add(readExample(f, "benefits.yaml"), false)
	f.Add(readExample(f, "benefits.yaml"), true)
	f.Add(doc(minimalCatalogue), true)
	f.Add([]byte("benefits:\n  - id: x\n    stages: [{id: decision}]\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, withCharter bool) {
		var against *Charter
		if withCharter {
			against = ch
		}
		cat, err := ParseCatalogue("f.yaml", data, against)
		checkResult(t, cat, err)
		if Check(map[string][]byte{"f.yaml": data}) == nil && err != nil && !withCharter {
			t.Fatalf("Check passed a catalogue that ParseCatalogue rejects: %v", err)
		}
	})
}
