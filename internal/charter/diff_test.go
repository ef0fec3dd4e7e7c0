package charter

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// diffBase is version 1 of a small charter; the tests below change it.
const diffBase = `
version: "1"
title: Our charter
sections:
  - number: 1
    title: People first
    descriptor: We will help you.
    commitments:
      - id: "1.1"
        key: dignity
        text: Treat you with dignity.
      - id: "1.2"
        key: support
        text: Support you through your application.
        terms: [support]
        related: ["1.3"]
      - id: "1.3"
        key: referrals
        text: Make a referral when it could help you.
        terms: [referral]
      - id: "1.4"
        key: other-help
        text: Tell you about other help.
    responsibilities:
      - id: tell-us
        text: Tell us about changes.
  - number: 2
    title: Processes
    descriptor: We will make things simple.
    commitments:
      - id: "2.1"
        key: quick
        text: Handle your application as quickly as we can.
      - id: "2.2"
        key: assessments
        text: Only hold an assessment when we need one.
glossary:
  - term: support
    definition: Help from our staff.
  - term: referral
    definition: Passing your details on.
  - term: working day
    definition: Monday to Friday.
`

func parseDoc(t *testing.T, s string) *Charter {
	t.Helper()
	ch, err := ParseCharter("c.yaml", doc(s))
	if err != nil {
		t.Fatalf("test charter is invalid:\n%v\n%s", err, s)
	}
	return ch
}

// edit applies replacements to the base charter's YAML.
func edit(t *testing.T, pairs ...string) *Charter {
	t.Helper()
	s := diffBase
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("the base charter has no %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return parseDoc(t, s)
}

// summaries describes every commitment change as "key: summary", skipping
// unchanged ones.
func summaries(d CharterDiff) []string {
	var out []string
	for _, c := range d.Commitments {
		if !c.Unchanged() {
			out = append(out, c.Key+": "+c.Summary())
		}
	}
	return out
}

func TestDiffCommitments(t *testing.T) {
	tests := []struct {
		name string
		new  func(t *testing.T) *Charter
		want []string
	}{
		{"identical", func(t *testing.T) *Charter { return edit(t) }, nil},
		{"reworded", func(t *testing.T) *Charter {
			return edit(t, "as quickly as we can", "by the dates we give you")
		}, []string{"quick: reworded"}},
		{"only line breaks differ", func(t *testing.T) *Charter {
			return edit(t, "text: Treat you with dignity.", "text: >-\n          Treat you\n          with dignity.")
		}, nil},
		{"removed, and the rest renumbered", func(t *testing.T) *Charter {
			return edit(t,
				"      - id: \"1.3\"\n        key: referrals\n        text: Make a referral when it could help you.\n        terms: [referral]\n", "",
				`id: "1.4"`, `id: "1.3"`,
				`related: ["1.3"]`, "")
		}, []string{"other-help: renumbered from 1.4 to 1.3", "referrals: removed (it was 1.3)"}},
		{"added at the end of a section", func(t *testing.T) *Charter {
			return edit(t, "        text: Only hold an assessment when we need one.\n",
				"        text: Only hold an assessment when we need one.\n      - id: \"2.3\"\n        key: timeline\n        text: Publish a timeline.\n")
		}, []string{"timeline: new commitment 2.3"}},
		{"moved to another section", func(t *testing.T) *Charter {
			return edit(t,
				"      - id: \"1.4\"\n        key: other-help\n        text: Tell you about other help.\n", "",
				"        text: Only hold an assessment when we need one.\n",
				"        text: Only hold an assessment when we need one.\n      - id: \"2.3\"\n        key: other-help\n        text: Tell you about other help.\n")
		}, []string{"other-help: moved from section 1 to section 2 (it was 1.4 and is now 2.3)"}},
		{"reworded and renumbered", func(t *testing.T) *Charter {
			return edit(t,
				"      - id: \"2.1\"\n        key: quick\n        text: Handle your application as quickly as we can.\n", "",
				"id: \"2.2\"\n        key: assessments\n        text: Only hold an assessment when we need one.",
				"id: \"2.1\"\n        key: assessments\n        text: Only hold a consultation when we need one.")
		}, []string{"assessments: reworded, and renumbered from 2.2 to 2.1", "quick: removed (it was 2.1)"}},
		{"two swap numbers", func(t *testing.T) *Charter {
			return edit(t, `id: "1.1"`, `id: "1.9"`, `id: "1.4"`, `id: "1.1"`, `id: "1.9"`, `id: "1.4"`)
		}, []string{"dignity: renumbered from 1.1 to 1.4", "other-help: renumbered from 1.4 to 1.1"}},
		{"a new key for the same words is a removal and an addition", func(t *testing.T) *Charter {
			return edit(t, "key: dignity", "key: respect")
		}, []string{"respect: new commitment 1.1", "dignity: removed (it was 1.1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diff(parseDoc(t, diffBase), tt.new(t))
			if got := summaries(d); !slices.Equal(got, tt.want) {
				t.Errorf("changes:\n got %q\nwant %q", got, tt.want)
			}
			if d.HasChanges() != (len(tt.want) > 0) {
				t.Errorf("HasChanges = %v", d.HasChanges())
			}
		})
	}
}

func TestDiffDetails(t *testing.T) {
	old := parseDoc(t, diffBase)
	// Renumber 1.3 to 1.5 (a gap), so 1.2's related list changes id but not
	// meaning; reword 2.1; drop the "referral" term from 1.3's list.
	new := edit(t,
		`id: "1.3"`, `id: "1.5"`,
		`related: ["1.3"]`, `related: ["1.5"]`,
		"as quickly as we can", "by the dates we give you",
		"text: Make a referral when it could help you.\n        terms: [referral]", "text: Put you in touch with others.",
		"text: Tell us about changes.", "text: Tell us about changes within a month.",
		"definition: Help from our staff.", "definition: Help from our own staff.",
	)
	new.Version = "2"
	d := Diff(old, new)
	if d.OldVersion != "1" || d.NewVersion != "2" {
		t.Errorf("versions %q, %q", d.OldVersion, d.NewVersion)
	}
	support, _ := d.Commitment("support")
	if !support.Unchanged() || support.RelatedChanged {
		t.Errorf("support: %+v; renumbering a related commitment is not a change", support)
	}
	referrals, _ := d.Commitment("referrals")
	if !referrals.Reworded || !referrals.Moved || !referrals.TermsChanged {
		t.Errorf("referrals: %+v", referrals)
	}
	if got := referrals.Kinds(); !slices.Equal(got, []ChangeKind{ChangeReworded, ChangeMoved}) {
		t.Errorf("referrals kinds %v", got)
	}
	quick, _ := d.Commitment("quick")
	want := []WordRun{{WordSame, "Handle your application "}, {WordRemoved, "as quickly as we can"},
		{WordAdded, "by the dates we give you"}, {WordSame, "."}}
	if !slices.Equal(quick.Words, want) {
		t.Errorf("quick words:\n got %q\nwant %q", quick.Words, want)
	}
	if dignity, _ := d.Commitment("dignity"); dignity.Words != nil || !slices.Equal(dignity.Kinds(), []ChangeKind{ChangeUnchanged}) {
		t.Errorf("dignity: %+v", dignity)
	}
	if len(d.Responsibilities) != 1 || !d.Responsibilities[0].Reworded || d.Responsibilities[0].Words == nil {
		t.Errorf("responsibilities: %+v", d.Responsibilities)
	}
	var redefined []string
	for _, g := range d.Glossary {
		if g.Reworded {
			redefined = append(redefined, g.Term)
		}
	}
	if !slices.Equal(redefined, []string{"support"}) {
		t.Errorf("redefined terms %v", redefined)
	}
	// "referral" was used by 1.3 and no longer is; "working day" was never used.
	if !slices.Equal(d.TermsNoLongerUsed, []string{"referral"}) {
		t.Errorf("TermsNoLongerUsed = %v", d.TermsNoLongerUsed)
	}
	if !slices.Equal(d.UnusedTerms, []string{"referral", "working day"}) {
		t.Errorf("UnusedTerms = %v", d.UnusedTerms)
	}
}

// A term mentioned in the text counts as used even when not listed.
func TestDiffTermMentionedInTextIsUsed(t *testing.T) {
	new := edit(t, "text: Tell you about other help.", "text: Tell you about other help within a working day.")
	d := Diff(parseDoc(t, diffBase), new)
	if !slices.Equal(d.UnusedTerms, nil) {
		t.Errorf("UnusedTerms = %v, want none", d.UnusedTerms)
	}
}

func TestDiffSectionsResponsibilitiesAndGlossary(t *testing.T) {
	new := edit(t,
		"    title: Processes\n", "    title: Simple processes\n",
		"    responsibilities:\n      - id: tell-us\n        text: Tell us about changes.\n", "",
		"        text: Only hold an assessment when we need one.\n",
		"        text: Only hold an assessment when we need one.\n    responsibilities:\n      - id: tell-us\n        text: Tell us about changes.\n      - id: reply\n        text: Reply by the date.\n",
		"  - term: working day\n    definition: Monday to Friday.\n", "  - term: consultation\n    definition: A conversation.\n",
	)
	d := Diff(parseDoc(t, diffBase), new)
	if len(d.Sections) != 1 || d.Sections[0].Number != 2 || d.Sections[0].NewTitle != "Simple processes" {
		t.Errorf("sections: %+v", d.Sections)
	}
	var got []string
	for _, r := range d.Responsibilities {
		got = append(got, r.ID+" "+string(r.Kinds()[0]))
	}
	if want := []string{"tell-us moved", "reply added"}; !slices.Equal(got, want) {
		t.Errorf("responsibilities %v, want %v", got, want)
	}
	got = nil
	for _, g := range d.Glossary {
		got = append(got, g.Term+" "+string(g.Kinds()[0]))
	}
	if want := []string{"support unchanged", "referral unchanged", "consultation added", "working day removed"}; !slices.Equal(got, want) {
		t.Errorf("glossary %v, want %v", got, want)
	}
	if !d.HasChanges() {
		t.Error("HasChanges is false")
	}
}

func TestDiffNil(t *testing.T) {
	ch := parseDoc(t, diffBase)
	added := Diff(nil, ch)
	removed := Diff(ch, nil)
	if len(added.Commitments) != 6 || len(removed.Commitments) != 6 {
		t.Fatalf("%d and %d commitments", len(added.Commitments), len(removed.Commitments))
	}
	for i := range added.Commitments {
		if !added.Commitments[i].Added || !removed.Commitments[i].Removed {
			t.Errorf("commitment %d: %+v / %+v", i, added.Commitments[i], removed.Commitments[i])
		}
	}
	if len(removed.Sections) != 2 || !removed.Sections[0].Removed {
		t.Errorf("sections %+v", removed.Sections)
	}
}

func TestMeasureWarnings(t *testing.T) {
	new := edit(t,
		"      - id: \"1.3\"\n        key: referrals\n        text: Make a referral when it could help you.\n        terms: [referral]\n", "",
		`id: "1.4"`, `id: "1.3"`,
		`related: ["1.3"]`, "",
		"as quickly as we can", "by the dates we give you",
	)
	new.Version = "2"
	d := Diff(parseDoc(t, diffBase), new)
	got := d.MeasureWarnings([]MeasureLink{
		{MeasureID: "M1", CommitmentIDs: []string{"1.1", "2.1"}},
		{MeasureID: "M2", CommitmentIDs: []string{"1.3"}},
		{MeasureID: "M3", CommitmentIDs: []string{"1.4", "9.9"}},
	})
	want := []MeasureWarning{
		{MeasureID: "M1", CommitmentID: "2.1", Key: "quick", Change: ChangeReworded, NewID: "2.1",
			Message: "measure M1 evidences commitment 2.1, which version 2 rewords: check the measure still asks the right question"},
		{MeasureID: "M2", CommitmentID: "1.3", Key: "referrals", Change: ChangeRemoved,
			Message: "measure M2 evidences commitment 1.3, which version 2 removes: retire the measure or link it to another commitment"},
		{MeasureID: "M3", CommitmentID: "1.4", Key: "other-help", Change: ChangeMoved, NewID: "1.3",
			Message: "measure M3 evidences commitment 1.4, which is 1.3 in version 2: link the measure to 1.3"},
		{MeasureID: "M3", CommitmentID: "9.9", Message: "measure M3 names commitment 9.9, which version 1 does not have"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n got %+v\nwant %+v", got, want)
	}
}

func TestWordDiff(t *testing.T) {
	tests := []struct {
		old, new string
		want     []WordRun
	}{
		{"", "", nil},
		{"same words", "same  words\n", []WordRun{{WordSame, "same words"}}},
		{"", "new", []WordRun{{WordAdded, "new"}}},
		{"old", "", []WordRun{{WordRemoved, "old"}}},
		{"the cat sat", "a dog sat", []WordRun{{WordRemoved, "the cat"}, {WordAdded, "a dog"}, {WordSame, " sat"}}},
		{"help you apply", "help you to apply", []WordRun{{WordSame, "help you "}, {WordAdded, "to "}, {WordSame, "apply"}}},
		{"application: send", "application, send", []WordRun{{WordSame, "application"}, {WordRemoved, ":"}, {WordAdded, ","}, {WordSame, " send"}}},
		{"a face-to-face assessment", "a face-to-face consultation",
			[]WordRun{{WordSame, "a face-to-face "}, {WordRemoved, "assessment"}, {WordAdded, "consultation"}}},
		{"we don't know", "we do not know", []WordRun{{WordSame, "we "}, {WordRemoved, "don't"}, {WordAdded, "do not"}, {WordSame, " know"}}},
	}
	for _, tt := range tests {
		if got := WordDiff(tt.old, tt.new); !slices.Equal(got, tt.want) {
			t.Errorf("WordDiff(%q, %q)\n got %q\nwant %q", tt.old, tt.new, got, tt.want)
		}
	}
}

// checkRuns asserts what every word diff must satisfy.
func checkRuns(t *testing.T, old, new string, runs []WordRun) {
	t.Helper()
	var a, b strings.Builder
	for i, r := range runs {
		if r.Text == "" {
			t.Fatalf("run %d is empty: %q", i, runs)
		}
		if i > 0 && runs[i-1].Op == r.Op {
			t.Fatalf("runs %d and %d share op %s: %q", i-1, i, r.Op, runs)
		}
		if i > 0 && runs[i-1].Op == WordAdded && r.Op == WordRemoved {
			t.Fatalf("an addition comes before a removal at run %d: %q", i, runs)
		}
		if r.Op != WordAdded {
			a.WriteString(r.Text)
		}
		if r.Op != WordRemoved {
			b.WriteString(r.Text)
		}
	}
	if a.String() != normalText(old) || b.String() != normalText(new) {
		t.Fatalf("runs spell %q and %q, want %q and %q", a.String(), b.String(), normalText(old), normalText(new))
	}
	if normalText(old) == normalText(new) && len(runs) > 1 {
		t.Fatalf("equal texts give %d runs", len(runs))
	}
}

func TestWordDiffProperties(t *testing.T) {
	words := []string{"we", "will", "support", "you", "refer", "quickly", "by", "the", "date", ",", ".", "don't", "re-determination", "consultation", "  ", "\n"}
	r := rand.New(rand.NewPCG(6, 2026))
	text := func() string {
		var b strings.Builder
		for range r.IntN(20) {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	for range 2000 {
		old := text()
		// Often a small edit of the old text, sometimes a new one.
		new := old
		if r.IntN(4) == 0 {
			new = text()
		} else if len(old) > 0 {
			i := r.IntN(len(old))
			new = old[:i] + words[r.IntN(len(words))] + old[i+r.IntN(len(old)-i+1)/2:]
		}
		checkRuns(t, old, new, WordDiff(old, new))
	}
}

// Beyond the cell limit the middle is shown removed and added whole, and
// the result is still right.
func TestWordDiffLongTexts(t *testing.T) {
	var a, b strings.Builder
	for i := range 3000 {
		a.WriteString("a" + itoa(i) + " ")
		b.WriteString("b" + itoa(i) + " ")
	}
	old, new := "start "+a.String()+"end", "start "+b.String()+"end"
	runs := WordDiff(old, new)
	checkRuns(t, old, new, runs)
	if len(runs) != 4 {
		t.Errorf("%d runs, want same, removed, added, same", len(runs))
	}
}

func FuzzWordDiff(f *testing.F) {
	f.Add("Support you through your application", "Help you with your application yourselves")
	f.Add("a - b ' c", "a-b 'c'")
	f.Add("x\u2019s", "x's")
	f.Fuzz(func(t *testing.T, old, new string) {
		if len(old) > 2000 || len(new) > 2000 {
			return
		}
		checkRuns(t, old, new, WordDiff(old, new))
	})
}

// Random reshuffles of the example charter: commitments moved between
// sections, renumbered, reworded or dropped, and some added. The diff must
// list every key of either version once and say exactly what was done.
func TestDiffRandomReshuffles(t *testing.T) {
	base := exampleCharter(t)
	r := rand.New(rand.NewPCG(14, 2026))
	for n := range 500 {
		type what struct{ reworded, dropped bool }
		done := map[string]what{}
		next := &Charter{Version: "new", Glossary: base.Glossary}
		for _, s := range base.Sections {
			next.Sections = append(next.Sections, Section{Number: s.Number, Title: s.Title, Descriptor: s.Descriptor})
		}
		for _, s := range base.Sections {
			for _, cm := range s.Commitments {
				w := what{dropped: r.IntN(8) == 0, reworded: r.IntN(4) == 0}
				done[cm.Key] = w
				if w.dropped {
					continue
				}
				if w.reworded {
					cm.Text += " Reworded."
				}
				to := &next.Sections[r.IntN(len(next.Sections))]
				to.Commitments = append(to.Commitments, cm)
			}
		}
		added := r.IntN(3)
		for i := range added {
			s := &next.Sections[r.IntN(len(next.Sections))]
			s.Commitments = append(s.Commitments, Commitment{Key: fmt.Sprintf("new-%d-%d", n, i), Text: "New."})
		}
		newSection := map[string]int{}
		for si := range next.Sections {
			s := &next.Sections[si]
			r.Shuffle(len(s.Commitments), func(i, j int) { s.Commitments[i], s.Commitments[j] = s.Commitments[j], s.Commitments[i] })
			for i := range s.Commitments {
				s.Commitments[i].ID = fmt.Sprintf("%d.%d", s.Number, i+1)
				newSection[s.Commitments[i].Key] = s.Number
			}
		}

		d := Diff(base, next)
		seen := map[string]bool{}
		for _, c := range d.Commitments {
			if seen[c.Key] {
				t.Fatalf("%s is listed twice", c.Key)
			}
			seen[c.Key] = true
			w, old := done[c.Key]
			switch {
			case !old:
				if !c.Added || c.Old != nil || c.New == nil {
					t.Fatalf("%s should be added: %+v", c.Key, c)
				}
			case w.dropped:
				if !c.Removed || c.New != nil {
					t.Fatalf("%s should be removed: %+v", c.Key, c)
				}
			default:
				if c.Reworded != w.reworded || c.Moved != (c.Old.ID != c.New.ID) || c.NewSection != newSection[c.Key] {
					t.Fatalf("%s: %+v (reworded %v)", c.Key, c, w.reworded)
				}
				if c.Moved && (c.OldSection != c.NewSection) != strings.Contains(c.Summary(), "moved from section") {
					t.Fatalf("%s summary %q", c.Key, c.Summary())
				}
			}
		}
		if len(seen) != len(done)+added {
			t.Fatalf("%d commitments listed, want %d", len(seen), len(done)+added)
		}
	}
}
