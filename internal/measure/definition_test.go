package measure

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/charter"
)

// doc turns a measures file written with tabs for indentation into YAML.
func doc(s string) []byte { return []byte(strings.ReplaceAll(s, "\t", "  ")) }

const oneMeasure = `measures:
	- id: decided-in-time
		commitments: ["2.2"]
		question: How many decisions did we make by the date we gave?
		source: events
		computation:
			kind: share
			counted_on: decided_on
			numerator: {where: [decided_in_time]}
		breakdowns: [benefit, period]
		unit: percent
		target: 90
		better: higher
`

func TestParseSetAcceptsAMeasure(t *testing.T) {
	set, err := ParseSet("m.yaml", doc(oneMeasure), exampleCharter(t))
	if err != nil {
		t.Fatal(err)
	}
	m := set.Measures[0]
	if m.ID != "decided-in-time" || m.Computation.Kind != KindShare || m.Target != 90 || m.Better != HigherIsBetter ||
		!m.Quarterly() || !slices.Equal(m.Dimensions(), []string{"benefit"}) || m.Line != 2 ||
		m.counts.num.key != "events: applications counted on decided_on where decided_in_time" {
		t.Errorf("parsed %+v (numerator %q)", m, m.counts.num.key)
	}
}

func TestParseSetProblems(t *testing.T) {
	ch := exampleCharter(t)
	replace := func(old, new string) string { return strings.Replace(oneMeasure, old, new, 1) }
	cases := []struct {
		name string
		file string
		want []string // "LINE: part of the message"
	}{
		{"unknown field", replace("unit: percent", "units: percent"), []string{`11: unknown field "units" in measure (did you mean "unit"?)`, `2: missing required field "unit"`}},
		{"unknown commitment", replace(`["2.2"]`, `["2.2", "9.9"]`), []string{`3: unknown commitment "9.9"`}},
		{"unknown fact", replace("[decided_in_time]", "[decided_in_tme]"), []string{`9: there is no fact called "decided_in_tme" (did you mean "decided_in_time"?)`}},
		{"date fact needed", replace("counted_on: decided_on", "counted_on: outcome"), []string{`8: "counted_on" must name a date fact, and outcome is text`}},
		{"bad target", replace("target: 90", "target: 120"), []string{"12: the target is a percentage, so it must be from 0 to 100"}},
		{"target not a number", replace("target: 90", "target: most"), []string{`12: "target" must be a number`}},
		{"bad direction", replace("better: higher", "better: up"), []string{`13: "better" must be higher or lower, not "up"`}},
		{"no direction", replace("\t\tbetter: higher\n", ""), []string{`2: missing required field "better"`}},
		{"percent unit", replace("unit: percent", "unit: days"), []string{`11: a share is a percentage, so its unit must be "percent"`}},
		{"bad breakdown", replace("[benefit, period]", "[benefit, postcode]"), []string{`10: "postcode" is not a breakdown a measure from events can have`}},
		{"bad kind", replace("kind: share", "kind: average"), []string{`7: kind "average" is not one a measure from events can have: choose from count, share, median, percentile, rate`}},
		{"field for another kind", replace("kind: share", "kind: share\n\t\t\tper: 100"), []string{`8: a share computation has no "per"`}},
		{"bad source", replace("source: events", "source: guesswork"), []string{`5: source "guesswork" is not one we know`}},
		{"bad condition", replace("[decided_in_time]", `["outcome < refuse"]`), []string{`9: "outcome < refuse": outcome is text, so it can only be compared with = or !=`}},
		{"duplicate id", oneMeasure + strings.SplitN(oneMeasure, "\n", 2)[1], []string{`14: measure "decided-in-time" is listed twice (first on line 2)`}},
		{"bad id", replace("id: decided-in-time", "id: Decided In Time"), []string{`2: measure id "Decided In Time" must be a lowercase slug`}},
		{"evidence with a target", "measures:\n\t- id: how\n\t\tcommitments: [\"1.5\"]\n\t\tquestion: How?\n\t\tsource: evidence\n\t\ttarget: 3\n",
			[]string{`6: an evidence measure is words, not a number, so it has no "target"`}},
		{"unknown survey question", "measures:\n\t- id: clear\n\t\tcommitments: [\"2.3\"]\n\t\tquestion: Clear?\n\t\tsource: survey\n\t\tcomputation: {kind: agree, question: clear}\n\t\tunit: percent\n\t\ttarget: 80\n\t\tbetter: higher\n",
			[]string{`6: there is no survey question "clear": declare it under survey_questions`}},
		{"bad percentile", replace("kind: share", "kind: percentile\n\t\t\tpercentile: 100\n\t\t\tvalue: working_days_to_decision"),
			[]string{`8: the percentile must be from 1 to 99`, `11: a percentile computation has no "numerator"`}},
		{"numerator is everything", replace("{where: [decided_in_time]}", "{where: []}"), []string{`9: the numerator must count a part of what the share counts`}},
		{"yaml syntax", "measures: [\n", []string{`1: YAML syntax`}},
		{"list left open", replace("[benefit, period]", "[benefit, period"), []string{`10: YAML syntax: did not find expected ',' or ']'`}},
		{"empty", "", []string{"0: the file is empty"}},
		{"no measures", "survey_questions: []\n", []string{`1: missing required field "measures"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set, err := ParseSet("m.yaml", doc(c.file), ch)
			var ps charter.Problems
			if set != nil || !errors.As(err, &ps) {
				t.Fatalf("ParseSet = %v, %v; want problems", set, err)
			}
			for _, w := range c.want {
				line, msg, _ := strings.Cut(w, ": ")
				found := false
				for _, p := range ps {
					if strings.Contains(p.String(), "m.yaml:"+line+": "+msg) || (line == "0" && p.String() == "m.yaml: "+msg) {
						found = true
					}
				}
				if !found {
					t.Errorf("no problem %q in:\n%v", w, ps)
				}
			}
		})
	}
}

func TestParseSetWithoutACharterChecksTheForm(t *testing.T) {
	_, err := ParseSet("m.yaml", doc(strings.Replace(oneMeasure, `["2.2"]`, `["2.2", "two"]`, 1)), nil)
	if err == nil || !strings.Contains(err.Error(), `m.yaml:3: commitment "two" must be a section number, a dot and a number`) {
		t.Errorf("got %v", err)
	}
	if _, err := ParseSet("m.yaml", doc(strings.Replace(oneMeasure, `["2.2"]`, `["9.9"]`, 1)), nil); err != nil {
		t.Errorf("without a charter any commitment id is accepted: %v", err)
	}
}

func TestConditions(t *testing.T) {
	f := &Facts{Benefit: "adult-disability-payment", Area: "City of Edinburgh", DecidedOn: day(3, 2), DecisionDue: day(3, 5),
		LongestSilence: 12, SilenceLimit: 15, DecidedInTime: true}
	cases := []struct {
		cond  string
		holds bool
		canon string
	}{
		{"decided_on", true, "decided_on"},
		{"not decided_on", false, "not decided_on"},
		{"withdrawn_on", false, "withdrawn_on"},
		{"decided_in_time = yes", true, "decided_in_time = yes"},
		{"decided_in_time != true", false, "decided_in_time != yes"},
		{"benefit = adult-disability-payment", true, `benefit = "adult-disability-payment"`},
		{`area = "City of Edinburgh"`, true, `area = "City of Edinburgh"`},
		{`area = "Fife" or area = "City of Edinburgh"`, true, `area = "Fife" or area = "City of Edinburgh"`},
		{"longest_silence <= silence_limit", true, "longest_silence <= silence_limit"},
		{"longest_silence > 12", false, "longest_silence > 12"},
		{"longest_silence >= 12", true, "longest_silence >= 12"},
		{"decided_on <= decision_due", true, "decided_on <= decision_due"},
		{"withdrawn_on <= decision_due", false, "withdrawn_on <= decision_due"}, // did not happen
		{"referrals or signposts or decided_on", true, "referrals or signposts or decided_on"},
	}
	for _, c := range cases {
		cond, err := parseCondition(c.cond)
		if err != nil {
			t.Errorf("%q: %v", c.cond, err)
			continue
		}
		if cond.holds(f) != c.holds || cond.String() != c.canon {
			t.Errorf("%q: holds %v (%q), want %v (%q)", c.cond, cond.holds(f), cond.String(), c.holds, c.canon)
		}
	}
	for _, bad := range []string{"", "decided_on or", "decided_on > 3", "outcome = ", "decided_in_time = maybe", "pauses = many",
		"pauses = outcome", "nothing", "not", "decided_on = 2026-03-02"} {
		if _, err := parseCondition(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

func FuzzParseSet(f *testing.F) {
	ch := exampleCharter(f)
	f.Add(examples.Measures, true)
	f.Add(doc(oneMeasure), false)
	f.Add([]byte("measures:\n  - id: x\n    computation: {kind: rate, numerator: [a]}\n"), true)
	f.Add([]byte("a: &a [*a]\nmeasures: *a\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, withCharter bool) {
		var against *charter.Charter
		if withCharter {
			against = ch
		}
		set, err := ParseSet("f.yaml", data, against)
		if err == nil {
			if set == nil || len(set.Measures) == 0 {
				t.Fatal("no error and no measures")
			}
			for _, m := range set.Measures {
				if m.Source == SourceEvents && m.counts.base == nil {
					t.Fatalf("%s was not compiled", m)
				}
			}
			return
		}
		var ps charter.Problems
		if set != nil || !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("error is not a list of problems: %v", err)
		}
		if !slices.IsSortedFunc(ps, func(a, b charter.Problem) int { return a.Line - b.Line }) {
			t.Fatalf("problems out of order: %v", ps)
		}
		for _, p := range ps {
			if p.File != "f.yaml" || p.Message == "" || p.Line < 0 {
				t.Fatalf("bad problem %#v", p)
			}
		}
	})
}
