package measure

import "testing"

func TestExampleMeasures(t *testing.T) {
	set := exampleSet(t)
	if len(set.Measures) < 25 {
		t.Fatalf("the example has %d measures, want at least 25", len(set.Measures))
	}
	t.Logf("%d measures, %d survey questions", len(set.Measures), len(set.Questions))
	for _, u := range set.Unmeasured(exampleCharter(t)) {
		t.Logf("unmeasured: %s", u.ID)
	}
}
