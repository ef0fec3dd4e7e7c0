package review

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

func exampleDraft(t *testing.T, ex example) *Draft {
	t.Helper()
	d, err := ParseDraft("review-draft.yaml", readExample(t, "review-draft.yaml"), ex.charter, ex.comments)
	if err != nil {
		t.Fatalf("the example draft is invalid:\n%v", err)
	}
	return d
}

func TestApplyExampleDraft(t *testing.T) {
	ex := loadExample(t)
	d := exampleDraft(t, ex)
	if d.BaseVersion != "2026.1" || d.Version != "2027.1" || d.Published.String() != "2027-04-01" || !d.Renumber || len(d.Proposals) != 7 {
		t.Fatalf("draft %+v", d)
	}
	rev, err := d.Apply(ex.charter, ex.comments)
	if err != nil {
		t.Fatal(err)
	}
	// The YAML goes through the normal parser and gives the same charter.
	again, err := charter.ParseCharter("new.yaml", rev.YAML)
	if err != nil {
		t.Fatalf("the new charter's YAML does not parse:\n%v", err)
	}
	if !reflect.DeepEqual(again, rev.Charter) {
		t.Errorf("the YAML reads back differently")
	}
	if rev.Charter.Version != "2027.1" || rev.Charter.Published != "2027-04-01" || rev.Charter.Title != ex.charter.Title {
		t.Errorf("charter %s %s %s", rev.Charter.Version, rev.Charter.Published, rev.Charter.Title)
	}
	if !strings.HasPrefix(string(rev.YAML), "# Charter version 2027.1, revised from version 2026.1 after review round review-2026.\n") {
		t.Errorf("YAML starts %q", rev.YAML[:80])
	}

	var got []string
	for _, c := range rev.Changes {
		got = append(got, fmt.Sprintf("%s: %s (%d)", c.Change.Key, c.Change.Summary(), len(c.Evidence)))
	}
	want := []string{
		"support-through-application: reworded (5)",
		"clear-reasons: reworded (3)",
		"referrals: reworded (2)",
		"consultation-only-when-needed: reworded (4)",
		"qualified-practitioners: reworded, and renumbered from 2.12 to 2.11 (3)",
		"publish-stage-timeline: new commitment 2.12 (4)",
		"wellbeing-first-in-consultations: removed (it was 2.11) (1)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes:\n got %q\nwant %q", got, want)
	}
	for _, c := range rev.Changes {
		if c.Proposal == nil || c.Proposal.Reason == "" {
			t.Errorf("%s has no reason", c.Change.Key)
		}
		for _, e := range c.Evidence {
			if e.Text == "" || e.Attribution == "" || e.CommentID != c.Proposal.Evidence[slices.IndexFunc(c.Evidence, func(x Evidence) bool { return x.CommentID == e.CommentID })] {
				t.Errorf("%s evidence %+v", c.Change.Key, e)
			}
		}
		if c.Change.Reworded && len(c.Change.Words) == 0 {
			t.Errorf("%s: no word diff", c.Change.Key)
		}
	}
	// 2.10's related commitments follow the renumbering and lose 2.11.
	if cm, _ := rev.Charter.Commitment("2.10"); !slices.Equal(cm.Related, []string{"2.11"}) || cm.Key != "consultation-only-when-needed" {
		t.Errorf("2.10 %+v", cm)
	}
	if len(rev.Notes) != 0 {
		t.Errorf("notes %q", rev.Notes)
	}
	// Measures linked to 2.11 and 2.12 are warned about.
	warnings := rev.Diff.MeasureWarnings([]charter.MeasureLink{{MeasureID: "consultations", CommitmentIDs: []string{"2.10", "2.11", "2.12", "2.1"}}})
	var changes []string
	for _, w := range warnings {
		changes = append(changes, w.CommitmentID+" "+string(w.Change)+" "+w.NewID)
	}
	if !slices.Equal(changes, []string{"2.10 reworded 2.10", "2.11 removed ", "2.12 reworded 2.11"}) {
		t.Errorf("measure warnings %q", changes)
	}
}

// minimalDraft revises the example charter; cases below vary it.
const minimalDraft = `
base_version: "2026.1"
version: "2027.1"
published: 2027-04-01
proposals:
  - change: reword
    commitment: "2.2"
    text: Deal with your application by the dates we give you.
    terms: [application]
    reason: Shorter.
    evidence: [W2-20]
`

func TestParseDraftProblems(t *testing.T) {
	ex := loadExample(t)
	tests := []struct {
		name    string
		replace []string
		want    []string
	}{
		{"another base version", []string{`"2026.1"`, `"2025.1"`}, []string{`1: this draft revises version "2025.1", but the charter given is version "2026.1"`}},
		{"the same version", []string{`"2027.1"`, `"2026.1"`}, []string{`2: the new version needs a name other than "2026.1"`}},
		{"unknown key", []string{`"2.2"`, "keep-you-happy"}, []string{`6: version 2026.1 has no commitment "keep-you-happy"`}},
		{"empty text", []string{"text: Deal with your application by the dates we give you.\n    terms: [application]", "text: \"\""},
			[]string{"7: give the commitment's new text"}},
		{"the same text", []string{"text: Deal with your application by the dates we give you.", "text: " + mustCommitment(t, ex, "2.2").Text,
			"terms: [application]", "terms: [timescale, application, expected decision date, complaint]"},
			[]string{"7: the new text is the same as the current text of 2.2"}},
		{"no evidence", []string{"evidence: [W2-20]", "evidence: []"},
			[]string{"10: every change needs evidence: cite the ids of the coded comments that motivate it"}},
		{"no evidence field", []string{"    evidence: [W2-20]\n", ""},
			[]string{"5: every change needs evidence"}},
		{"unknown evidence", []string{"evidence: [W2-20]", "evidence:\n      - W2-20\n      - NOPE"},
			[]string{`12: there is no coded comment "NOPE" in this round`}},
		{"repeated evidence", []string{"evidence: [W2-20]", "evidence:\n      - W2-20\n      - W2-20"},
			[]string{`12: "W2-20" is listed twice in "evidence" (first on line 11)`}},
		{"no reason", []string{"    reason: Shorter.\n", ""}, []string{"5: say why: the reason is published with the change"}},
		{"a term the text does not use", []string{"terms: [application]", "terms: [application, consultation, jargon]"},
			[]string{`8: the new text does not use "consultation"`, `8: "jargon" is not in the glossary`}},
		{"two proposals for one commitment", []string{"evidence: [W2-20]",
			"evidence: [W2-20]\n  - change: remove\n    commitment: decide-by-the-dates-we-give\n    reason: Gone.\n    evidence: [W2-21]"},
			[]string{`12: proposal 1 is already about "decide-by-the-dates-we-give": put both changes in one proposal`}},
		{"an addition without a section, following without renumbering", []string{"change: reword\n    commitment: \"2.2\"",
			"change: add\n    commitment: timeline\n    after: plain-language"},
			[]string{"5: say which section the new commitment goes in", `7: "after" needs the draft to renumber`}},
		{"an addition with a key in use", []string{"change: reword\n    commitment: \"2.2\"", "change: add\n    section: 9\n    commitment: plain-language"},
			[]string{"6: version 2026.1 has no section 9", `7: the key "plain-language" is already commitment 2.3`}},
		{"a removal with text", []string{"change: reword", "change: remove"}, []string{"7: a removal has no new text or terms"}},
		{"an unknown change", []string{"change: reword", "change: merge"}, []string{`5: "merge" is not a change: use reword, add or remove`}},
		{"an unknown field", []string{"reason: Shorter.", "reason: Shorter.\n    why: x"}, []string{`10: unknown field "why" in proposal`}},
		{"no proposals", []string{"proposals:", "proposals: []\nx:"}, []string{`4: "proposals" must list at least one proposal`, `5: unknown field "x" in draft`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := minimalDraft
			for i := 0; i+1 < len(tt.replace); i += 2 {
				if !strings.Contains(s, tt.replace[i]) {
					t.Fatalf("the minimal draft has no %q", tt.replace[i])
				}
				s = strings.Replace(s, tt.replace[i], tt.replace[i+1], 1)
			}
			d, err := ParseDraft("d.yaml", doc(s), ex.charter, ex.comments)
			if err == nil || d != nil {
				t.Fatalf("no problem found:\n%s", s)
			}
			matchProblems(t, problems(t, "d.yaml", err), tt.want)
		})
	}
}

func mustCommitment(t *testing.T, ex example, id string) charter.Commitment {
	t.Helper()
	cm, ok := ex.charter.Commitment(id)
	if !ok {
		t.Fatalf("no commitment %s", id)
	}
	return cm
}

func TestDraftCheckNamesFields(t *testing.T) {
	ex := loadExample(t)
	d := &Draft{BaseVersion: "2026.1", Version: "2027.1", Published: calendar.NewDate(2027, 4, 1), Proposals: []Proposal{
		{Change: ProposeReword, Commitment: "1.4", Text: "New words.", Reason: "r", Evidence: []string{"W2-01"}},
		{Change: ProposeRemove, Commitment: "1.4", Reason: "r", Evidence: []string{"W2-01", "W2-999"}},
		{Change: ProposeReword, Commitment: "plain-language", Text: " ", Reason: "r"},
	}}
	err := d.Check(ex.charter, ex.comments)
	var de DraftErrors
	if !errors.As(err, &de) {
		t.Fatalf("error %T %v", err, err)
	}
	var fields []string
	for _, e := range de {
		fields = append(fields, e.Field)
		if e.Kind != errs.KindInvalid || e.Message == "" {
			t.Errorf("error %+v", e)
		}
	}
	want := []string{"proposals[1].commitment", "proposals[1].evidence[1]", "proposals[2].text", "proposals[2].evidence"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields %q, want %q", fields, want)
	}
	if _, err := d.Apply(ex.charter, ex.comments); !errors.As(err, &de) {
		t.Errorf("Apply of a bad draft: %v", err)
	}
}

func TestApplyWithoutRenumbering(t *testing.T) {
	ex := loadExample(t)
	d := &Draft{BaseVersion: "2026.1", Version: "2026.2", Published: calendar.NewDate(2026, 10, 1), Proposals: []Proposal{
		{Change: ProposeRemove, Commitment: "other-help", Reason: "r", Evidence: []string{"W2-12"}},
		{Change: ProposeAdd, Commitment: "tell-you-about-other-help", Section: 1, Text: "Tell you about other help you might get.",
			Terms: []string{"other help"}, Reason: "r", Evidence: []string{"W2-11"}},
		// No terms given: the old ones the new text still uses are kept.
		{Change: ProposeReword, Commitment: "support-through-application", Text: "Support you through your application and send you updates.",
			Reason: "r", Evidence: []string{"W2-01"}},
	}}
	rev, err := d.Apply(ex.charter, ex.comments)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rev.Charter.Commitment("1.11"); ok {
		t.Error("1.11 was removed and not renumbered, so there is no 1.11")
	}
	added, ok := rev.Charter.Commitment("1.14")
	if !ok || added.Key != "tell-you-about-other-help" {
		t.Errorf("the new commitment should be 1.14: %+v", added)
	}
	if cm, _ := rev.Charter.Commitment("1.12"); cm.Key != "recruit-for-values" {
		t.Errorf("1.12 keeps its number: %+v", cm)
	}
	if cm, _ := rev.Charter.Commitment("1.10"); len(cm.Related) != 0 {
		t.Errorf("1.10 still relates to the removed 1.11: %v", cm.Related)
	}
	if cm, _ := rev.Charter.Commitment("1.4"); !slices.Equal(cm.Terms, []string{"support", "application", "update"}) {
		t.Errorf("1.4 terms %v", cm.Terms)
	}
	if !slices.Equal(rev.Notes, []string{`1.4 no longer lists the term "expected decision date": its new text does not use it`}) {
		t.Errorf("notes %q", rev.Notes)
	}
}

// Random drafts that pass Check always apply, give a charter whose YAML
// reads back the same, and a diff that matches the proposals.
func TestApplyRandomDrafts(t *testing.T) {
	ex := loadExample(t)
	r := rand.New(rand.NewPCG(2027, 1))
	var keys []string
	for _, s := range ex.charter.Sections {
		for _, cm := range s.Commitments {
			keys = append(keys, cm.Key)
		}
	}
	applied := 0
	for n := range 60 {
		d := &Draft{BaseVersion: "2026.1", Version: fmt.Sprintf("2027.%d", n), Published: calendar.NewDate(2027, 4, 1), Renumber: r.IntN(2) == 0}
		want := map[string]ProposalChange{}
		for _, i := range r.Perm(len(keys))[:1+r.IntN(8)] {
			p := Proposal{Commitment: keys[i], Reason: "r", Evidence: []string{ex.comments[r.IntN(len(ex.comments))].ID}}
			if r.IntN(3) == 0 {
				p.Change = ProposeRemove
			} else {
				p.Change, p.Text = ProposeReword, fmt.Sprintf("Rewritten commitment number %d.", i)
			}
			d.Proposals = append(d.Proposals, p)
			want[p.Commitment] = p.Change
		}
		if r.IntN(2) == 0 {
			sec := ex.charter.Sections[r.IntN(len(ex.charter.Sections))]
			p := Proposal{Change: ProposeAdd, Commitment: fmt.Sprintf("new-%d", n), Section: sec.Number, Text: "Something new.",
				Reason: "r", Evidence: []string{ex.comments[0].ID}}
			if d.Renumber && r.IntN(2) == 0 {
				p.After = sec.Commitments[r.IntN(len(sec.Commitments))].Key
			}
			d.Proposals = append(d.Proposals, p)
			want[p.Commitment] = ProposeAdd
		}
		if d.Check(ex.charter, ex.comments) != nil {
			continue // a random draft may empty a section or follow a removed commitment
		}
		rev, err := d.Apply(ex.charter, ex.comments)
		if err != nil {
			t.Fatalf("a checked draft does not apply: %v\n%+v", err, d)
		}
		applied++
		again, err := charter.ParseCharter("x.yaml", rev.YAML)
		if err != nil || !reflect.DeepEqual(again, rev.Charter) {
			t.Fatalf("the YAML does not read back: %v", err)
		}
		for _, c := range rev.Diff.Commitments {
			switch want[c.Key] {
			case ProposeRemove:
				if !c.Removed {
					t.Fatalf("%s should be removed: %+v", c.Key, c)
				}
			case ProposeReword:
				if !c.Reworded {
					t.Fatalf("%s should be reworded: %+v", c.Key, c)
				}
			case ProposeAdd:
				if !c.Added {
					t.Fatalf("%s should be added: %+v", c.Key, c)
				}
			default:
				if c.Reworded || c.Added || c.Removed || (c.Moved && !d.Renumber) {
					t.Fatalf("%s changed without a proposal: %+v", c.Key, c)
				}
			}
		}
		for _, s := range rev.Charter.Sections {
			for i, cm := range s.Commitments {
				if d.Renumber && cm.ID != fmt.Sprintf("%d.%d", s.Number, i+1) {
					t.Fatalf("renumbered section %d has %s in place %d", s.Number, cm.ID, i+1)
				}
			}
		}
	}
	if applied < 20 {
		t.Errorf("only %d of 60 random drafts applied", applied)
	}
}

func FuzzParseDraft(f *testing.F) {
	ex := loadExample(f)
	f.Add(readExample(f, "review-draft.yaml"))
	f.Add(doc(minimalDraft))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDraft("f.yaml", data, ex.charter, ex.comments)
		if err != nil {
			var ps charter.Problems
			if d != nil || !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		// A draft that parses applies.
		if _, err := d.Apply(ex.charter, ex.comments); err != nil {
			t.Fatalf("a parsed draft does not apply: %v", err)
		}
	})
}
