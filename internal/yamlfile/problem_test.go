package yamlfile

import (
	"errors"
	"testing"
)

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "charter.yaml", Line: 12, Message: "missing required field \"key\" in commitment"}, "charter.yaml:12: missing required field \"key\" in commitment"},
		{Problem{File: "charter.yaml", Message: "the file is empty"}, "charter.yaml: the file is empty"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestProblemsError(t *testing.T) {
	ps := Problems{
		{File: "a.yaml", Line: 1, Message: "one"},
		{File: "a.yaml", Line: 3, Message: "two"},
	}
	if got, want := ps.Error(), "a.yaml:1: one\na.yaml:3: two"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var err error = ps
	var as Problems
	if !errors.As(err, &as) || len(as) != 2 {
		t.Errorf("errors.As did not recover the Problems")
	}
}

func TestProblemsSort(t *testing.T) {
	ps := Problems{
		{File: "b.yaml", Line: 1, Message: "b1"},
		{File: "a.yaml", Line: 9, Message: "a9"},
		{File: "a.yaml", Line: 2, Message: "a2 first"},
		{File: "a.yaml", Line: 0, Message: "a0"},
		{File: "a.yaml", Line: 2, Message: "a2 second"},
	}
	ps.Sort()
	want := []string{"a0", "a2 first", "a2 second", "a9", "b1"}
	for i, p := range ps {
		if p.Message != want[i] {
			t.Fatalf("order = %v, want messages %v", ps, want)
		}
	}
}
