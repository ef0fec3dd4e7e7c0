package charter

import (
	"testing"
)

// minimalCharter is the smallest valid charter; cases below vary it.
const minimalCharter = `
version: "1"
title: Our charter
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: support-you
        text: Support you through your application.
        terms: [support]
glossary:
  - term: support
    definition: Help from our staff.
`

func TestParseCharterMinimal(t *testing.T) {
	ch, err := ParseCharter("c.yaml", doc(minimalCharter))
	if err != nil {
		t.Fatalf("ParseCharter: %v", err)
	}
	cm, ok := ch.Commitment("1.1")
	if !ok || cm.Key != "support-you" || cm.Text != "Support you through your application." {
		t.Errorf("Commitment(1.1) = %+v, %v", cm, ok)
	}
	if ch.Version != "1" || ch.Title != "Our charter" || len(ch.Sections) != 1 || ch.Sections[0].Number != 1 {
		t.Errorf("charter = %+v", ch)
	}
	if _, ok := ch.Term("support"); !ok {
		t.Errorf("Term(support) not found")
	}
}

// Ids are read as the text written, so an unquoted 1.10 stays "1.10" rather
// than becoming the number 1.1.
func TestParseCharterKeepsTextOfUnquotedIDs(t *testing.T) {
	data := `
version: 2026.10
title: T
published: 2026-04-01
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: 1.1
        key: one
        text: One.
      - id: 1.10
        key: ten
        text: Ten.
        related: [1.1]
`
	ch, err := ParseCharter("c.yaml", doc(data))
	if err != nil {
		t.Fatal(err)
	}
	if ch.Version != "2026.10" || ch.Published != "2026-04-01" {
		t.Errorf("version %q, published %q", ch.Version, ch.Published)
	}
	if cm, ok := ch.Commitment("1.10"); !ok || cm.Related[0] != "1.1" {
		t.Errorf("Commitment(1.10) = %+v, %v", cm, ok)
	}
}

func TestParseCharterProblems(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{
			name: "empty file",
			yaml: "",
			want: []string{"0: the file is empty"},
		},
		{
			name: "only comments",
			yaml: "# nothing yet\n",
			want: []string{"0: the file has no content, only comments"},
		},
		{
			name: "syntax error",
			yaml: `
version: "1"
title: [unclosed
`,
			// yaml.v3 points at the list that is not closed.
			want: []string{"2: YAML syntax: did not find expected ',' or ']'"},
		},
		{
			name: "top level is a list",
			yaml: `
- version: "1"
`,
			want: []string{`1: the file must be a set of fields ("name: value" lines), not a list`},
		},
		{
			name: "two documents",
			yaml: `
version: "1"
---
version: "2"
`,
			want: []string{"2: a second YAML document starts here: put each document in its own file"},
		},
		{
			name: "missing charter fields",
			yaml: `
summary: Nothing else.
`,
			want: []string{
				`1: missing required field "version" in charter`,
				`1: missing required field "title" in charter`,
				`1: missing required field "sections" in charter`,
			},
		},
		{
			name: "empty values and empty section list",
			yaml: `
version: ""
title:
sections: []
`,
			want: []string{
				`1: "version" must not be empty`,
				`2: "title" must not be empty`,
				`3: "sections" must list at least one section`,
			},
		},
		{
			name: "missing section fields",
			yaml: `
version: "1"
title: T
sections:
  - title: People first
`,
			want: []string{
				`4: missing required field "number" in section`,
				`4: missing required field "descriptor" in section`,
				`4: missing required field "commitments" in section`,
			},
		},
		{
			name: "missing commitment and term fields",
			yaml: `
version: "1"
title: T
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - text: Help you.
glossary:
  - term: support
  - definition: Help.
`,
			want: []string{
				`8: missing required field "id" in commitment`,
				`8: missing required field "key" in commitment`,
				`10: missing required field "definition" in glossary term`,
				`11: missing required field "term" in glossary term`,
			},
		},
		{
			name: "unknown and repeated fields",
			yaml: `
version: "1"
titel: T
colour: blue
sections:
  - number: 1
    title: People first
    title: Again
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: help
        text: Help you.
        Terms: []
`,
			want: []string{
				`1: missing required field "title" in charter`,
				`2: unknown field "titel" in charter (did you mean "title"?)`,
				`3: unknown field "colour" in charter: the fields are version, title, summary, published, sections, glossary`,
				`7: field "title" appears twice in this section (first on line 6)`,
				`13: unknown field "Terms" in commitment (did you mean "terms"?)`,
			},
		},
		{
			name: "wrong types",
			yaml: `
version: "1"
title: [T]
sections:
  - number: one
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: help
        text: Help you.
        terms: support
  - Just text
`,
			want: []string{
				`2: "title" must be text, not a list`,
				`4: "number" must be a whole number, not "one"`,
				`11: "terms" must be a list (like [a, b] or lines starting "- "), not "support"`,
				`12: each section must be a set of fields ("name: value" lines), not "Just text"`,
			},
		},
		{
			name: "published date",
			yaml: `
version: "1"
title: T
published: 2026-02-30
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: help
        text: Help you.
`,
			want: []string{`3: published date "2026-02-30" must be a real date written YYYY-MM-DD, like "2026-04-01"`},
		},
		{
			name: "published in words",
			yaml: `
version: "1"
title: T
published: 1 April 2026
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: help
        text: Help you.
`,
			want: []string{`3: published date "1 April 2026" must be a real date written YYYY-MM-DD, like "2026-04-01"`},
		},
		{
			name: "section numbers and commitment ids",
			yaml: `
version: "1"
title: T
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: one
        text: One.
      - id: "2.1"
        key: two
        text: Two.
      - id: "1.1"
        key: three
        text: Three.
      - id: "1.01"
        key: four
        text: Four.
      - id: "1"
        key: five
        text: Five.
  - number: 1
    title: Again
    descriptor: Again.
    commitments:
      - id: "1.9"
        key: six
        text: Six.
  - number: 0
    title: Nought
    descriptor: Nought.
    commitments:
      - id: "0.1"
        key: seven
        text: Seven.
`,
			want: []string{
				`11: commitment 2.1 is in section 1, so its id must start "1."`,
				`14: commitment 1.1 is listed twice (first on line 8)`,
				`17: commitment id "1.01" must be the section number, a dot and a number, like "1.1"`,
				`20: commitment id "1" must be the section number, a dot and a number, like "1.1"`,
				`23: section 1 is listed twice (first on line 4)`,
				`30: section number must be 1 or more, not 0`,
				`34: commitment id "0.1" must be the section number, a dot and a number, like "1.1"`,
			},
		},
		{
			name: "keys",
			yaml: `
version: "1"
title: T
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: keep-you-updated
        text: One.
      - id: "1.2"
        key: keep-you-updated
        text: Two.
      - id: "1.3"
        key: Keep_You_Updated
        text: Three.
      - id: "1.4"
        key: -updated
        text: Four.
`,
			want: []string{
				`12: key "keep-you-updated" is already used by commitment 1.1 on line 9: keys must be unique`,
				`15: key "Keep_You_Updated" must be a lowercase slug: letters a-z, digits and single hyphens, like "keep-you-updated"`,
				`18: key "-updated" must be a lowercase slug: letters a-z, digits and single hyphens, like "keep-you-updated"`,
			},
		},
		{
			name: "descriptor on two lines",
			yaml: `
version: "1"
title: T
sections:
  - number: 1
    title: People first
    descriptor: |
      We will help you.
      And more.
    commitments:
      - id: "1.1"
        key: help
        text: Help you.
`,
			want: []string{`6: the descriptor must be one line`},
		},
		{
			name: "related commitments",
			yaml: `
version: "1"
title: T
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: one
        text: One.
        related: ["1.2", "9.9", "1.1", "1.2"]
      - id: "1.2"
        key: two
        text: Two.
`,
			want: []string{
				`11: "1.2" is listed twice in "related" (first on line 11)`,
				`11: "related" names unknown commitment "9.9"`,
				`11: commitment 1.1 lists itself in "related"`,
			},
		},
		{
			name: "glossary references",
			yaml: `
version: "1"
title: T
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: one
        text: Hold a consultation and a re-determination when needed.
        terms:
          - consultation
          - Re-determination
          - assessment
          - appeal
glossary:
  - term: consultation
    definition: A conversation.
    see_also: [referral, consultation]
  - term: re-determination
    definition: Looking again.
  - term: appeal
    definition: Asking a tribunal.
  - term: Consultation
    definition: Twice.
`,
			want: []string{
				`13: unknown glossary term "Re-determination" in "terms": the glossary writes it "re-determination"`,
				`14: unknown glossary term "assessment" in "terms": define it in the glossary or remove it`,
				`15: term "appeal" is listed in "terms" but does not appear in the text`,
				`19: unknown glossary term "referral" in "see_also": define it in the glossary or remove it`,
				`19: glossary term "consultation" lists itself in "see_also"`,
				`24: glossary term "Consultation" is defined twice (first on line 17)`,
			},
		},
		{
			name: "responsibilities",
			yaml: `
version: "1"
title: T
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: one
        text: Support you.
    responsibilities:
      - id: tell-us
        text: Tell us about changes.
        terms: [support]
      - id: tell-us
      - id: Reply
        text: Reply by the date.
glossary:
  - term: support
    definition: Help.
`,
			want: []string{
				`14: term "support" is listed in "terms" but does not appear in the text`,
				`15: missing required field "text" in responsibility`,
				`15: responsibility "tell-us" is listed twice (first on line 12)`,
				`16: id "Reply" must be a lowercase slug: letters a-z, digits and single hyphens, like "tell-us-about-changes"`,
			},
		},
		{
			name: "aliases and merge keys",
			yaml: `
version: "1"
title: &t T
summary: *t
sections:
  - &s
    number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: one
        text: One.
  - <<: *s
    number: 2
`,
			want: []string{
				`3: aliases (*t) are not supported: write the value out in full`,
				`13: merge keys (<<) are not supported: write the fields out in full`,
				`13: missing required field "title" in section`,
				`13: missing required field "descriptor" in section`,
				`13: missing required field "commitments" in section`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, err := ParseCharter("c.yaml", doc(tt.yaml))
			if ch != nil {
				t.Errorf("ParseCharter returned a charter for an invalid file")
			}
			if err == nil {
				t.Fatalf("ParseCharter: no error, want %q", tt.want)
			}
			compareLines(t, problemLines(t, "c.yaml", err), tt.want)
		})
	}
}

func TestMentions(t *testing.T) {
	tests := []struct {
		text, term string
		want       bool
	}{
		{"Support you through your application", "support", true},
		{"We SUPPORT you", "support", true},
		{"Let you name a supporter", "support", false},
		{"send you updates", "update", true},
		{"two working days", "working day", true},
		{"two working\n  days", "working day", true},
		{"two workingdays", "working day", false},
		{"Ask for a re-determination.", "re-determination", true},
		{"Ask for a re-determination.", "determination", true},
		{"the consultation's length", "consultation", true},
		{"the consultation’s length", "consultation", true},
		{"consultations, and more", "consultation", true},
		{"preconsultation", "consultation", false},
		{"appealing", "appeal", false},
		{"", "appeal", false},
		{"appeal", "", false},
		{"Öffentlich appeal", "appeal", true},
		{"İİİappeal appeal", "appeal", true},
	}
	for _, tt := range tests {
		if got := mentions(tt.text, tt.term); got != tt.want {
			t.Errorf("mentions(%q, %q) = %v, want %v", tt.text, tt.term, got, tt.want)
		}
	}
}
