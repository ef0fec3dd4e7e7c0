package charter

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charter-service/charter/internal/yamlfile"
)

// roundTrip encodes a charter, parses the result and checks it is equal.
func roundTrip(t *testing.T, ch *Charter) []byte {
	t.Helper()
	data := EncodeCharter(ch, "A comment\nover two lines")
	back, err := ParseCharter("out.yaml", data)
	if err != nil {
		t.Fatalf("the encoded charter does not parse:\n%v\n%s", err, data)
	}
	if !reflect.DeepEqual(back, ch) {
		t.Fatalf("the encoded charter reads back differently:\n got %+v\nwant %+v\n%s", back, ch, data)
	}
	return data
}

func TestEncodeExampleCharter(t *testing.T) {
	data := roundTrip(t, exampleCharter(t))
	s := string(data)
	for _, want := range []string{
		"# A comment\n# over two lines\n\nversion: \"2026.1\"\n",
		"published: \"2026-04-01\"\n",
		"      - id: \"1.10\"\n        key: referrals\n",
		"        terms: [support, application, update, expected decision date]\n",
		"        related: [\"2.2\"]\n",
		"        text: >-\n          Support you through your application: send you updates without you\n          having to ask,",
		"        terms: [independent advice, application, re-determination, appeal,\n          supporter, advocate]\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the encoded charter has no %q", want)
		}
	}
	for i, line := range strings.Split(s, "\n") {
		if len(line) > encodeWidth && !strings.Contains(strings.TrimSpace(line), " ") {
			continue // one long word cannot be wrapped
		}
		if len(line) > encodeWidth {
			t.Errorf("line %d is %d characters long: %q", i+1, len(line), line)
		}
	}
}

// Text that YAML would read as something else, or that cannot be folded,
// still reads back as the same text.
func TestEncodeAwkwardText(t *testing.T) {
	awkward := []string{
		"yes", "1.5", "2026-04-01", "null", "~", "- a list?", "key: value", "# not a comment", "[a, b]", "{a: b}",
		"\"quoted\"", "'single'", "tab\there", "two  spaces", "line\nbreak", "ends with a colon:", "*alias", "&anchor",
		"!tag", "%directive", "@at", "`backtick`", "a very long text " + strings.Repeat("with many words ", 20) + "that needs folding: yes # no",
		strings.Repeat("x", 120), "\u00e9t\u00e9 \u2019curly\u2019 \u2014 dash", "\u2028separator", "ok\u0085next",
	}
	for _, text := range awkward {
		text = strings.TrimSpace(text) // as the parser leaves it
		ch := parseDoc(t, diffBase)
		ch.Title = text
		ch.Summary = text
		ch.Sections[0].Commitments[0].Text = text
		ch.Sections[0].Descriptor = strings.ReplaceAll(text, "\n", " ")
		ch.Glossary[0].Definition = text
		roundTrip(t, ch)
	}
}

func TestEncodeRandomCharters(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 4))
	pieces := []string{"a", "word", "1.5", ":", " #", "-", "'", "\"", "\\", "é", "’", "yes", "no", "[", "]", ",", "{", "}", "*", "&", "!", "|", ">", "%", "@", "`", "?"}
	text := func() string {
		var b strings.Builder
		for range 1 + r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
			if r.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		return strings.Join(strings.Fields(b.String()), " ")
	}
	base := exampleCharter(t)
	for range 60 { // each charter has about 70 random texts
		ch := *base
		ch.Sections = append([]Section(nil), base.Sections...)
		ch.Summary = text()
		for si := range ch.Sections {
			s := &ch.Sections[si]
			s.Descriptor = text()
			s.Commitments = append([]Commitment(nil), s.Commitments...)
			for ci := range s.Commitments {
				cm := &s.Commitments[ci]
				cm.Text = text()
				cm.Terms = nil // the terms would no longer appear in the text
			}
			s.Responsibilities = append([]Responsibility(nil), s.Responsibilities...)
			for ri := range s.Responsibilities {
				s.Responsibilities[ri].Text = text()
				s.Responsibilities[ri].Terms = nil
			}
		}
		roundTrip(t, &ch)
	}
}

func FuzzEncodeCharter(f *testing.F) {
	f.Add("Support you through your application.", "Help from our staff.")
	f.Add("yes", "1.5")
	f.Add("a: b # c", "- d")
	f.Fuzz(func(t *testing.T, text, definition string) {
		text, definition = strings.TrimSpace(text), strings.TrimSpace(definition)
		if text == "" || definition == "" || !utf8.ValidString(text) || !utf8.ValidString(definition) {
			return // the parser never returns such text
		}
		ch := parseDoc(t, diffBase)
		ch.Sections[0].Commitments[0].Text = text
		ch.Glossary[2].Definition = definition
		data := EncodeCharter(ch, "")
		back, err := ParseCharter("out.yaml", data)
		if err != nil {
			// Only text YAML cannot hold at all may fail, and then both
			// must be text the parser refuses whatever the layout.
			for _, s := range []string{text, definition} {
				for _, r := range s {
					if !yamlfile.AllowedRune(r) {
						return
					}
				}
			}
			t.Fatalf("the encoded charter does not parse:\n%v\n%s", err, data)
		}
		if !reflect.DeepEqual(back, ch) {
			t.Fatalf("reads back differently:\n got %+v\nwant %+v\n%s", back, ch, data)
		}
	})
}
