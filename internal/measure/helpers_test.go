package measure

import (
	"testing"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
)

func exampleCharter(t testing.TB) *charter.Charter {
	t.Helper()
	ch, err := charter.ParseCharter("charter.yaml", examples.Charter)
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func exampleRules(t testing.TB) casework.Rules {
	t.Helper()
	cat, err := charter.ParseCatalogue("benefits.yaml", examples.Benefits, exampleCharter(t))
	if err != nil {
		t.Fatal(err)
	}
	return casework.Rules{Benefits: cat, Calendar: calendar.Scotland()}
}

func exampleSet(t testing.TB) *Set {
	t.Helper()
	set, err := ParseSet("measures.yaml", examples.Measures, exampleCharter(t))
	if err != nil {
		t.Fatal(err)
	}
	return set
}
