package charter

import (
	"testing"
)

// minimalCatalogue is the smallest valid catalogue; cases below vary it.
const minimalCatalogue = `
benefits:
  - id: starter-grant
    name: Starter Grant
    kind: grant
    stages:
      - id: received
        name: Received
        client_text: We have your application.
        commitments: ["1.1"]
      - id: decision
        name: Decided
        client_text: We have made our decision.
    standards:
      acknowledge_working_days: 2
      decide_working_days: 10
      max_working_days_without_update: 5
    criteria:
      - id: residence
        question: Does the person live in Scotland?
`

func TestParseCatalogueMinimal(t *testing.T) {
	ch, err := ParseCharter("c.yaml", doc(minimalCharter))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := ParseCatalogue("b.yaml", doc(minimalCatalogue), ch)
	if err != nil {
		t.Fatalf("ParseCatalogue: %v", err)
	}
	b, ok := cat.Benefit("starter-grant")
	if !ok {
		t.Fatal("benefit not found")
	}
	if b.Standards.DecideWorkingDays != 10 || b.Standards.AtRisk() != DefaultAtRiskPercent || b.Kind != KindGrant {
		t.Errorf("benefit = %+v", b)
	}
	if _, i := b.Stage(StageDecision); i != 1 {
		t.Errorf("decision stage at %d, want 1", i)
	}
}

func TestParseCatalogueProblems(t *testing.T) {
	ch, err := ParseCharter("c.yaml", doc(minimalCharter))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		yaml    string
		charter *Charter
		want    []string
	}{
		{
			name: "no benefits",
			yaml: `
benefits: []
`,
			want: []string{`1: "benefits" must list at least one benefit`},
		},
		{
			name: "missing benefit fields",
			yaml: `
benefits:
  - description: Something.
`,
			want: []string{
				`2: missing required field "id" in benefit`,
				`2: missing required field "name" in benefit`,
				`2: missing required field "kind" in benefit`,
				`2: missing required field "stages" in benefit`,
				`2: missing required field "standards" in benefit`,
				`2: missing required field "criteria" in benefit`,
			},
		},
		{
			name: "missing standards, stage and criterion fields",
			yaml: `
benefits:
  - id: starter-grant
    name: Starter Grant
    kind: grant
    stages:
      - id: received
      - id: decision
        name: Decided
        client_text: We have made our decision.
    standards:
      pause_while_waiting_on_client: true
    criteria:
      - id: residence
      - question: Does the person live in Scotland?
`,
			want: []string{
				`6: missing required field "name" in stage`,
				`6: missing required field "client_text" in stage`,
				`11: missing required field "acknowledge_working_days" in standards`,
				`11: missing required field "decide_working_days" in standards`,
				`11: missing required field "max_working_days_without_update" in standards`,
				`13: missing required field "question" in criterion`,
				`14: missing required field "id" in criterion`,
			},
		},
		{
			name: "timescales",
			yaml: `
benefits:
  - id: starter-grant
    name: Starter Grant
    kind: grant
    stages:
      - id: received
        name: Received
        client_text: We have your application.
      - id: decision
        name: Decided
        client_text: We have made our decision.
    standards:
      acknowledge_working_days: 0
      decide_working_days: -3
      max_working_days_without_update: 100000
      at_risk_percent: 100
      information_request_working_days: 0
    challenge:
      redetermination_window_days: 0
      window_starts_after_hours: -1
      late_request_limit_days: 10
      redetermination_deadline_days: -1
      appeal_window_days: 0
    criteria:
      - id: residence
        question: Does the person live in Scotland?
`,
			want: []string{
				`13: "acknowledge_working_days" must be more than 0, not 0`,
				`14: "decide_working_days" must be more than 0, not -3`,
				`15: "max_working_days_without_update" must be at most 3660, not 100000`,
				`16: "at_risk_percent" must be between 1 and 99, not 100`,
				`17: "information_request_working_days" must be more than 0, not 0`,
				`19: "redetermination_window_days" must be more than 0, not 0`,
				`20: "window_starts_after_hours" must not be negative, not -1`,
				`22: "redetermination_deadline_days" must be more than 0, not -1`,
				`23: "appeal_window_days" must be more than 0, not 0`,
			},
		},
		{
			name: "timescales that contradict each other",
			yaml: `
benefits:
  - id: starter-grant
    name: Starter Grant
    kind: grant
    stages:
      - id: received
        name: Received
        client_text: We have your application.
      - id: decision
        name: Decided
        client_text: We have made our decision.
    standards:
      acknowledge_working_days: 12
      decide_working_days: 10
      max_working_days_without_update: 5
      at_risk_percent: 0
    challenge:
      redetermination_window_days: 42
      late_request_limit_days: 30
    criteria:
      - id: residence
        question: Does the person live in Scotland?
`,
			want: []string{
				`13: "acknowledge_working_days" (12) is longer than "decide_working_days" (10)`,
				`16: "at_risk_percent" must be between 1 and 99, not 0`,
				`19: "late_request_limit_days" (30) is shorter than "redetermination_window_days" (42): a late request is one made after the window closes`,
			},
		},
		{
			name: "wrong types",
			yaml: `
benefits:
  - id: starter-grant
    name: Starter Grant
    kind: grant
    stages:
      - id: received
        name: Received
        client_text: We have your application.
        optional: yes
      - id: decision
        name: Decided
        client_text: We have made our decision.
    standards:
      acknowledge_working_days: 2.5
      decide_working_days: ten
      max_working_days_without_update: [5]
    challenge: 42
    criteria:
      - id: residence
        question: Does the person live in Scotland?
`,
			want: []string{
				`9: "optional" must be true or false, not "yes"`,
				`14: "acknowledge_working_days" must be a whole number, not "2.5"`,
				`15: "decide_working_days" must be a whole number, not "ten"`,
				`16: "max_working_days_without_update" must be a whole number, not a list`,
				`17: "challenge" must be a set of fields ("name: value" lines), not "42"`,
			},
		},
		{
			name: "kind, ids and duplicates",
			yaml: `
benefits:
  - id: starter-grant
    name: Starter Grant
    kind: pension
    stages:
      - id: received
        name: Received
        client_text: We have your application.
      - id: received
        name: Received again
        client_text: Again.
      - id: decision
        name: Decided
        client_text: We have made our decision.
    standards:
      acknowledge_working_days: 2
      decide_working_days: 10
      max_working_days_without_update: 5
    evidence:
      - id: birth-certificate
        name: Birth certificate
        from: you
      - id: birth-certificate
        name: Birth certificate again
      - id: Payslips
        name: Payslips
        stage: checking
    criteria:
      - id: residence
        question: Does the person live in Scotland?
      - id: residence
        question: Again?
  - id: starter-grant
    name: Another
    kind: Grant
    stages:
      - id: received
        name: Received
        client_text: We have your application.
      - id: Decision
        name: Decided
        client_text: We have made our decision.
    standards:
      acknowledge_working_days: 2
      decide_working_days: 10
      max_working_days_without_update: 5
    criteria:
      - id: residence
        question: Does the person live in Scotland?
`,
			want: []string{
				`4: unknown kind "pension": the kinds are disability, carer and grant`,
				`9: stage "received" is listed twice in this benefit (first on line 6)`,
				`23: evidence "birth-certificate" is listed twice in this benefit (first on line 20)`,
				`25: id "Payslips" must be a lowercase slug: letters a-z, digits and single hyphens, like "gp-letter"`,
				`27: unknown stage "checking": this benefit's stages are received, received, decision`,
				`31: criterion "residence" is listed twice in this benefit (first on line 29)`,
				`33: benefit "starter-grant" is listed twice (first on line 2)`,
				`35: unknown kind "Grant": the kinds are disability, carer and grant`,
				`36: there is no "decision" stage: every benefit needs one (casework moves an application there when a decision is recorded)`,
				`40: id "Decision" must be a lowercase slug: letters a-z, digits and single hyphens, like "gathering-information"`,
			},
		},
		{
			name: "stage order and optional stages",
			yaml: `
benefits:
  - id: starter-grant
    name: Starter Grant
    kind: grant
    stages:
      - id: checking
        name: Checking
        client_text: We are checking your application.
      - id: received
        name: Received
        client_text: We have your application.
      - id: decision
        name: Decided
        client_text: We have made our decision.
        optional: true
    standards:
      acknowledge_working_days: 2
      decide_working_days: 10
      max_working_days_without_update: 5
    criteria:
      - id: residence
        question: Does the person live in Scotland?
`,
			want: []string{
				`6: the first stage must be "received" (casework starts every application there), not "checking"`,
				`15: the "decision" stage cannot be optional`,
			},
		},
		{
			name:    "commitments checked against the charter",
			charter: ch,
			yaml: `
benefits:
  - id: starter-grant
    name: Starter Grant
    kind: grant
    stages:
      - id: received
        name: Received
        client_text: We have your application.
        commitments: ["1.1", "2.2", "soon"]
      - id: decision
        name: Decided
        client_text: We have made our decision.
        commitments: ["1.8"]
    standards:
      acknowledge_working_days: 2
      decide_working_days: 10
      max_working_days_without_update: 5
    criteria:
      - id: residence
        question: Does the person live in Scotland?
`,
			want: []string{
				`9: "soon" is not a commitment id: write it like "1.4"`,
				`9: unknown commitment "2.2": the charter (version 1) has no commitment with that id`,
				`13: unknown commitment "1.8": the charter (version 1) has no commitment with that id`,
			},
		},
		{
			name: "without a charter only the form of commitments is checked",
			yaml: `
benefits:
  - id: starter-grant
    name: Starter Grant
    kind: grant
    stages:
      - id: received
        name: Received
        client_text: We have your application.
        commitments: ["1.1", "2.2", "soon"]
      - id: decision
        name: Decided
        client_text: We have made our decision.
    standards:
      acknowledge_working_days: 2
      decide_working_days: 10
      max_working_days_without_update: 5
    criteria:
      - id: residence
        question: Does the person live in Scotland?
`,
			want: []string{
				`9: "soon" is not a commitment id: write it like "1.4"`,
			},
		},
		{
			name: "unknown fields",
			yaml: `
benefits:
  - id: starter-grant
    name: Starter Grant
    kind: grant
    stages:
      - id: received
        name: Received
        clienttext: We have your application.
      - id: decision
        name: Decided
        client_text: We have made our decision.
    standards:
      acknowledge_working_days: 2
      decide_working_days: 10
      max_working_days_without_update: 5
      max_days_without_update: 5
    criteria:
      - id: residence
        question: Does the person live in Scotland?
        answer: yes
`,
			want: []string{
				`6: missing required field "client_text" in stage`,
				`8: unknown field "clienttext" in stage (did you mean "client_text"?)`,
				`16: unknown field "max_days_without_update" in standards: the fields are acknowledge_working_days, decide_working_days, max_working_days_without_update, at_risk_percent, pause_while_waiting_on_client, information_request_working_days`,
				`20: unknown field "answer" in criterion: the fields are id, question`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := ParseCatalogue("b.yaml", doc(tt.yaml), tt.charter)
			if cat != nil {
				t.Errorf("ParseCatalogue returned a catalogue for an invalid file")
			}
			if err == nil {
				t.Fatalf("ParseCatalogue: no error, want %q", tt.want)
			}
			compareLines(t, problemLines(t, "b.yaml", err), tt.want)
		})
	}
}
