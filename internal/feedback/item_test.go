package feedback

import (
	"errors"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

func exampleCharter(tb testing.TB) *charter.Charter {
	tb.Helper()
	data, err := os.ReadFile("../../examples/charter.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	ch, err := charter.ParseCharter("charter.yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	return ch
}

func date(tb testing.TB, s string) calendar.Date {
	tb.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// fieldsOf lists "field: message" for each problem in a NewItem error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var fe FormErrors
	if !errors.As(err, &fe) {
		t.Fatalf("error is %T, want FormErrors: %v", err, err)
	}
	var out []string
	for _, e := range fe {
		out = append(out, e.Field)
	}
	return out
}

func TestNewItem(t *testing.T) {
	ch := exampleCharter(t)
	ref := casework.NewReference(rand.New(rand.NewPCG(1, 2)))
	mistyped := []byte(string(ref))
	mistyped[0], mistyped[1] = mistyped[1], mistyped[0]
	if mistyped[0] == mistyped[1] {
		t.Fatal("pick another seed: the first two characters are equal")
	}
	tests := []struct {
		name string
		form Form
		want []string // the fields at fault, in order
	}{
		{"feedback that a commitment was met", Form{Kind: KindFeedback, Commitments: []string{"1.4"}, Verdict: VerdictMet}, nil},
		{"feedback on two commitments with a reference", Form{Kind: KindFeedback, Commitments: []string{"1.4", "2.2", "1.4"},
			Verdict: VerdictNotMet, Reference: strings.ToLower(ref.String()), Text: "No updates for weeks."}, nil},
		{"something else, with text", Form{Kind: KindFeedback, Commitments: []string{SomethingElse}, Text: "The car park is closed."}, nil},
		{"a complaint with an email address", Form{Kind: KindComplaint, Commitments: []string{"2.2"}, Text: "My decision is late.",
			Email: "alex@example.org"}, nil},
		{"a complaint with only a reference", Form{Kind: KindComplaint, Commitments: []string{"2.2"}, Text: "Late.",
			Reference: ref.String()}, nil},
		{"nothing at all", Form{}, []string{"kind", "commitments"}},
		{"an unknown kind", Form{Kind: "praise", Commitments: []string{"1.1"}, Verdict: VerdictMet}, []string{"kind"}},
		{"an unknown commitment", Form{Kind: KindFeedback, Commitments: []string{"9.9"}, Verdict: VerdictMet}, []string{"commitments"}},
		{"too many commitments", Form{Kind: KindFeedback, Verdict: VerdictMet,
			Commitments: []string{"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "1.11"}}, []string{"commitments"}},
		{"feedback without a verdict", Form{Kind: KindFeedback, Commitments: []string{"1.4"}}, []string{"verdict"}},
		{"a made-up verdict", Form{Kind: KindFeedback, Commitments: []string{"1.4"}, Verdict: "sort of"}, []string{"verdict"}},
		{"something else without text", Form{Kind: KindFeedback, Commitments: []string{SomethingElse}}, []string{"text"}},
		{"a complaint that says we met the commitment", Form{Kind: KindComplaint, Commitments: []string{"2.2"},
			Verdict: VerdictMet, Text: "x", Phone: "01234 567890"}, []string{"verdict"}},
		{"a complaint with no text and no way to reply", Form{Kind: KindComplaint, Commitments: []string{"2.2"}}, []string{"text", "contact"}},
		{"a mistyped reference", Form{Kind: KindFeedback, Commitments: []string{"1.4"}, Verdict: VerdictMet, Reference: string(mistyped)}, []string{"reference"}},
		{"a reference that is not one", Form{Kind: KindFeedback, Commitments: []string{"1.4"}, Verdict: VerdictMet, Reference: "hello"}, []string{"reference"}},
		{"text too long", Form{Kind: KindFeedback, Commitments: []string{"1.4"}, Verdict: VerdictMet, Text: strings.Repeat("é", MaxTextRunes+1)}, []string{"text"}},
		{"bad contact details", Form{Kind: KindFeedback, Commitments: []string{"1.4"}, Verdict: VerdictMet,
			Name: strings.Repeat("n", MaxNameRunes+1), Email: "alex@localhost", Phone: "call me"}, []string{"name", "email", "phone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it, err := NewItem(tt.form, ch, date(t, "2026-05-04"))
			if got := fieldsOf(t, err); !slices.Equal(got, tt.want) {
				t.Fatalf("fields at fault %q, want %q (%v)", got, tt.want, err)
			}
			if err != nil {
				if !reflectZero(it) {
					t.Errorf("an item came back with an error: %+v", it)
				}
				if k := errs.KindOf(err); k != errs.KindInvalid && k != errs.KindMistyped {
					t.Errorf("kind %s", k)
				}
				return
			}
			if it.CharterVersion != "2026.1" || it.Received != date(t, "2026-05-04") || it.Kind != tt.form.Kind {
				t.Errorf("item %+v", it)
			}
		})
	}
}

func reflectZero(it Item) bool {
	return it.Kind == "" && it.Commitments == nil && it.Text == "" && it.Received == 0
}

func TestNewItemContents(t *testing.T) {
	ch := exampleCharter(t)
	ref := casework.NewReference(rand.New(rand.NewPCG(3, 4)))
	it, err := NewItem(Form{Kind: KindComplaint, Commitments: []string{" 2.2 ", SomethingElse, "1.4"},
		Reference: strings.ToLower(ref.String()), Text: "  Nobody told me.  ", Name: "  Alex\n Example ",
		Email: " alex@example.org "}, ch, date(t, "2026-05-04"))
	if err != nil {
		t.Fatal(err)
	}
	want := []CommitmentRef{{"2.2", "decide-by-the-dates-we-give"}, {"1.4", "support-through-application"}}
	if !slices.Equal(it.Commitments, want) || !it.SomethingElse {
		t.Errorf("commitments %+v, something else %v", it.Commitments, it.SomethingElse)
	}
	if it.Verdict != VerdictNotMet || it.Reference != ref || it.Text != "Nobody told me." {
		t.Errorf("item %+v", it)
	}
	if it.Contact != (Contact{Name: "Alex Example", Email: "alex@example.org"}) {
		t.Errorf("contact %+v", it.Contact)
	}
	// The form's messages are there for each field.
	_, err = NewItem(Form{Kind: KindFeedback, Commitments: []string{"1.4"}}, ch, date(t, "2026-05-04"))
	var fe FormErrors
	if !errors.As(err, &fe) || fe.Message("verdict") == "" || fe.Message("text") != "" {
		t.Errorf("messages: %v", err)
	}
	if e, ok := errs.As(err); !ok || e.Field != "verdict" {
		t.Errorf("errs.As finds %+v", e)
	}
}

func TestChoices(t *testing.T) {
	ch := exampleCharter(t)
	groups := Choices(ch)
	if len(groups) != len(ch.Sections)+1 {
		t.Fatalf("%d groups", len(groups))
	}
	first := groups[0].Choices[3]
	if first.Value != "1.4" || !strings.HasPrefix(first.Label, "Support you through your application") || first.Hint != "Commitment 1.4" {
		t.Errorf("choice %+v", first)
	}
	last := groups[len(groups)-1]
	if len(last.Choices) != 1 || last.Choices[0].Value != SomethingElse {
		t.Errorf("last group %+v", last)
	}
	// Every choice the form offers is accepted.
	for _, g := range groups {
		for _, c := range g.Choices {
			if _, err := NewItem(Form{Kind: KindFeedback, Commitments: []string{c.Value}, Verdict: VerdictMet, Text: "x"}, ch, 1); err != nil {
				t.Errorf("choice %s: %v", c.Value, err)
			}
		}
	}
}

func TestLooksAutomated(t *testing.T) {
	shown := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		honeypot string
		after    time.Duration
		want     bool
	}{
		{"", 2 * time.Minute, false},
		{"", DefaultMinFillTime, false},
		{"", DefaultMinFillTime - time.Millisecond, true},
		{"", -time.Second, true},
		{"http://spam.example", 2 * time.Minute, true},
	}
	for _, tt := range tests {
		got, why := LooksAutomated(tt.honeypot, shown, shown.Add(tt.after), DefaultMinFillTime)
		if got != tt.want || (got && why == "") || (!got && why != "") {
			t.Errorf("LooksAutomated(%q, +%v) = %v, %q", tt.honeypot, tt.after, got, why)
		}
	}
}

func FuzzNewItem(f *testing.F) {
	ch := exampleCharter(f)
	f.Add("feedback", "1.4", "met", "", "text", "", "")
	f.Add("complaint", "something-else", "", "7KM-4QX-9DC", "", "a@b.co", "+44 1234 567890")
	f.Fuzz(func(t *testing.T, kind, commitment, verdict, reference, text, email, phone string) {
		it, err := NewItem(Form{Kind: Kind(kind), Commitments: []string{commitment}, Verdict: Verdict(verdict),
			Reference: reference, Text: text, Email: email, Phone: phone}, ch, 1)
		if err == nil {
			if it.Kind != KindFeedback && it.Kind != KindComplaint {
				t.Fatalf("accepted kind %q", it.Kind)
			}
			if len(it.Commitments) == 0 && !it.SomethingElse {
				t.Fatal("accepted an item about nothing")
			}
			if it.Kind == KindComplaint && it.Verdict != VerdictNotMet {
				t.Fatal("a complaint that is not 'not met'")
			}
			return
		}
		var fe FormErrors
		if !errors.As(err, &fe) || len(fe) == 0 {
			t.Fatalf("error %T %v", err, err)
		}
		known := []string{"kind", "commitments", "verdict", "reference", "text", "name", "email", "phone", "contact"}
		for _, e := range fe {
			if !slices.Contains(known, e.Field) || e.Message == "" {
				t.Fatalf("bad field error %+v", e)
			}
		}
	})
}
