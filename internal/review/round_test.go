package review

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/charter"
)

// minimalRound is the smallest useful round for the example charter.
const minimalRound = `
id: r
name: A round
starts: 2026-05-11
ends: 2026-09-25
charter_version: "2026.1"
participants:
  partner-organisation: [P1, P2]
  client-group: [C1, C2]
statements:
  - id: clear
    text: The charter is clear
`

// problems turns a Problems error into "LINE: message" strings.
func problems(t *testing.T, file string, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ps charter.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T, want charter.Problems: %v", err, err)
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

// matchProblems checks that each problem starts with the wanted "LINE:
// beginning of the message", in order, and that there are no others.
func matchProblems(t *testing.T, got, want []string) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("problems differ\n got:\n\t%s\nwant (beginnings):\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestParseRoundExample(t *testing.T) {
	ex := loadExample(t)
	r := ex.round
	if r.ID != "review-2026" || r.CharterVersion != "2026.1" || r.Starts.String() != "2026-05-11" || r.Ends.String() != "2026-09-25" {
		t.Errorf("round %+v", r)
	}
	count := map[ParticipantType]int{}
	for _, p := range r.Participants {
		count[p.Type]++
	}
	if count[PartnerOrganisation] < 5 || count[PartnerOrganisation] > 7 || count[ClientGroup] < 12 || count[ClientGroup] > 16 {
		t.Errorf("participants by type %v: want 5-7 partners and 12-16 client group participants", count)
	}
	if s, ok := r.Statement("know-how-to-challenge"); !ok || s.Text != "Clients know how to challenge if commitments are not met" ||
		!slices.Equal(s.Themes, []string{"awareness"}) || !slices.Contains(s.Commitments, "clear-reasons") {
		t.Errorf("statement %+v", s)
	}
	// "delivery gap" in a statement's themes is read as the theme's id.
	if s, _ := r.Statement("matches-experience"); !slices.Equal(s.Themes, []string{"delivery-gap"}) {
		t.Errorf("themes %v", s.Themes)
	}
	if !slices.Equal(r.Codebook.IDs(), DefaultCodebook().IDs()) {
		t.Errorf("the example writes out the default codebook, got %v", r.Codebook.IDs())
	}
	for _, th := range r.Codebook {
		if th.Definition == "" || strings.Contains(th.Definition, "\n") {
			t.Errorf("theme %s needs a one-line definition", th.ID)
		}
	}
	if len(ex.comments) < 36 {
		t.Errorf("%d example comments: want several dozen", len(ex.comments))
	}
}

func TestParseRoundDefaults(t *testing.T) {
	r, err := ParseRound("r.yaml", doc(minimalRound), exampleCharter(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.SmallGroup != DefaultSmallGroup || r.QuotesPerCommitment != DefaultQuotesPerCommitment || len(r.Codebook) != 10 {
		t.Errorf("defaults: %+v", r)
	}
	if p, ok := r.Participant("C2"); !ok || p.Type != ClientGroup {
		t.Errorf("Participant(C2) = %+v, %v", p, ok)
	}
	if th, ok := r.Codebook.Theme("Staff Knowledge"); !ok || th.ID != "staff-knowledge" {
		t.Errorf("Theme(Staff Knowledge) = %+v, %v", th, ok)
	}
}

func TestParseRoundProblems(t *testing.T) {
	ch := exampleCharter(t)
	tests := []struct {
		name    string
		replace []string // pairs: old, new, applied to minimalRound
		want    []string
	}{
		{"another charter version", []string{`"2026.1"`, `"2025.1"`},
			[]string{`5: the round reviews charter version "2025.1", but the charter given is version "2026.1"`}},
		{"ends before it starts", []string{"ends: 2026-09-25", "ends: 2026-04-30"},
			[]string{"4: the round ends on 2026-04-30, before it starts on 2026-05-11"}},
		{"not a date", []string{"starts: 2026-05-11", "starts: 11/05/2026"},
			[]string{`3: "starts" must be a real date written YYYY-MM-DD`}},
		{"unknown commitment key", []string{"statements:", "commitments: [support-through-application, 1.8, keep-you-happy]\nstatements:"},
			[]string{`9: charter version 2026.1 has no commitment "keep-you-happy"`}},
		{"unknown theme", []string{"text: The charter is clear", "text: The charter is clear\n    themes: [clarity, jargon]"},
			[]string{`12: unknown theme "jargon": the codebook's themes are clarity, timescales`}},
		{"statement about an unknown commitment", []string{"text: The charter is clear", "text: The charter is clear\n    commitments: [\"9.9\"]"},
			[]string{`12: charter version 2026.1 has no commitment "9.9"`}},
		{"duplicate statement", []string{"text: The charter is clear", "text: The charter is clear\n  - id: clear\n    text: Again"},
			[]string{`12: statement "clear" is listed twice (first on line 10)`}},
		{"statement named like a column", []string{"id: clear", "id: participant-type"},
			[]string{`10: statement id "participant-type" is a column of the responses file`}},
		{"duplicate participant", []string{"[C1, C2]", "[C1, P1]"},
			[]string{"8: participant P1 is listed twice (first on line 7)"}},
		{"bad participant id", []string{"[C1, C2]", "[C1, \"C 2\"]"},
			[]string{`8: participant id "C 2" must be a letter then letters or digits`}},
		{"unknown participant type", []string{"client-group:", "clients:"},
			[]string{`8: unknown field "clients" in participants`}},
		{"codebook with a duplicate theme and an undefined one", []string{"statements:",
			"codebook:\n  - id: clarity\n    definition: Unclear.\n  - id: clarity\n    definition: Again.\n  - id: Bad Id\n    definition: x\nstatements:"},
			[]string{`12: theme "clarity" is defined twice (first on line 10)`, `14: theme id "Bad Id" must be a lowercase slug`}},
		{"a statement uses a theme the round's codebook lacks", []string{"statements:", "codebook:\n  - id: clarity\n    definition: Unclear.\nstatements:",
			"text: The charter is clear", "text: The charter is clear\n    themes: [updates]"},
			[]string{`15: unknown theme "updates": the codebook's themes are clarity`}},
		{"small group out of range", []string{"statements:", "small_group: 0\nstatements:"},
			[]string{`9: "small_group" must be 1 to 1000, not 0`}},
		{"missing fields", []string{"id: r\nname: A round\n", ""},
			[]string{`1: missing required field "id" in round`, `1: missing required field "name" in round`}},
		{"unknown field", []string{"name: A round", "name: A round\ntitle: x"},
			[]string{`3: unknown field "title" in round`}},
		{"misspelt field", []string{"name: A round", "naem: A round"},
			[]string{`1: missing required field "name" in round`, `2: unknown field "naem" in round (did you mean "name"?)`}},
		{"YAML syntax", []string{"text: The charter is clear", "text: [The charter"},
			[]string{"11: YAML syntax"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := minimalRound
			for i := 0; i+1 < len(tt.replace); i += 2 {
				if !strings.Contains(s, tt.replace[i]) {
					t.Fatalf("the minimal round has no %q", tt.replace[i])
				}
				s = strings.Replace(s, tt.replace[i], tt.replace[i+1], 1)
			}
			r, err := ParseRound("r.yaml", doc(s), ch)
			if err == nil || r != nil {
				t.Fatalf("no problem found (round %v)", r)
			}
			matchProblems(t, problems(t, "r.yaml", err), tt.want)
		})
	}
}

func FuzzParseRound(f *testing.F) {
	ch := exampleCharter(f)
	f.Add(readExample(f, "review-round.yaml"))
	f.Add(doc(minimalRound))
	f.Add([]byte("participants: &a {staff: *a}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRound("f.yaml", data, ch)
		if err == nil {
			if r == nil || r.CharterVersion != ch.Version || r.SmallGroup < 1 {
				t.Fatalf("accepted round %+v", r)
			}
			return
		}
		if r != nil {
			t.Fatal("a round came back with problems")
		}
		var ps charter.Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("error %T %v", err, err)
		}
		for i, p := range ps {
			if p.File != "f.yaml" || p.Message == "" || (i > 0 && p.Line < ps[i-1].Line) {
				t.Fatalf("bad problems %v", ps)
			}
		}
	})
}
