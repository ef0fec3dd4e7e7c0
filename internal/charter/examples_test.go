package charter

import (
	"fmt"
	"strings"
	"testing"
)

func TestExampleCharter(t *testing.T) {
	ch := exampleCharter(t)
	if ch.Version != "2026.1" {
		t.Errorf("version = %q, want 2026.1", ch.Version)
	}
	if len(ch.Sections) != 4 {
		t.Errorf("%d sections, want 4", len(ch.Sections))
	}
	// The example keeps the numbering the research uses.
	for _, s := range []struct{ section, count int }{{1, 13}, {2, 12}} {
		for n := 1; n <= s.count; n++ {
			id := fmt.Sprintf("%d.%d", s.section, n)
			if _, ok := ch.Commitment(id); !ok {
				t.Errorf("commitment %s is missing", id)
			}
		}
	}
	for id, words := range map[string][]string{
		"1.4":  {"support", "updates", "what will happen"},
		"1.6":  {"independent advice", "supporter"},
		"1.8":  {"reason", "disagree"},
		"1.10": {"referral"},
		"1.11": {"other help", "not promise"},
		"1.12": {"equality", "dignity", "human rights", "publish how"},
		"2.2":  {"by the dates we give you"},
		"2.10": {"consultation", "information we already have"},
		"2.11": {"wellbeing", "consultation"},
		"2.12": {"qualified practitioner", "condition"},
	} {
		cm, _ := ch.Commitment(id)
		for _, w := range words {
			if !strings.Contains(strings.ToLower(cm.Text), w) {
				t.Errorf("commitment %s does not say %q: %s", id, w, cm.Text)
			}
		}
	}
	// Vague or outdated words the research asked us to drop.
	for _, s := range ch.Sections {
		for _, cm := range s.Commitments {
			text := strings.ToLower(cm.Text)
			for _, w := range []string{"assessment", "quickly", "as soon as we can"} {
				if strings.Contains(text, w) {
					t.Errorf("commitment %s uses %q", cm.ID, w)
				}
			}
		}
	}
	if n := len(ch.Sections[0].Responsibilities); n < 4 || n > 6 {
		t.Errorf("section 1 has %d responsibilities, want about 5", n)
	}
	for _, term := range []string{
		"re-determination", "appeal", "consultation", "referral", "support", "signposting",
		"working day", "supporter", "advocate", "independent advice", "qualified practitioner",
		"timescale", "expected decision date", "information request",
	} {
		if _, ok := ch.Term(term); !ok {
			t.Errorf("the glossary does not define %q", term)
		}
	}
}

func TestExampleBenefits(t *testing.T) {
	cat, err := ParseCatalogue("benefits.yaml", readExample(t, "benefits.yaml"), exampleCharter(t))
	if err != nil {
		t.Fatalf("example benefits are invalid:\n%v", err)
	}
	kinds := map[string]bool{}
	for _, b := range cat.Benefits {
		kinds[b.Kind] = true
		if b.Stages[0].ID != StageReceived {
			t.Errorf("%s: first stage %q", b.ID, b.Stages[0].ID)
		}
		if _, i := b.Stage(StageDecision); i < 0 {
			t.Errorf("%s: no decision stage", b.ID)
		}
		if len(b.Evidence) == 0 {
			t.Errorf("%s: no evidence listed", b.ID)
		}
		for _, e := range b.Evidence {
			if e.From == "" {
				t.Errorf("%s: evidence %s does not say who it is from", b.ID, e.ID)
			}
		}
	}
	if len(kinds) != 3 {
		t.Errorf("kinds = %v, want one benefit of each kind", kinds)
	}
	adp, ok := cat.Benefit("adult-disability-payment")
	if !ok {
		t.Fatal("adult-disability-payment missing")
	}
	want := ChallengeRules{RedeterminationWindowDays: 42, WindowStartsAfterHours: 48, LateRequestLimitDays: 365,
		RedeterminationDeadlineDays: 56, AppealWindowDays: 31}
	if adp.Challenge != want {
		t.Errorf("challenge = %+v, want %+v", adp.Challenge, want)
	}
	if s, _ := adp.Stage("consultation"); !s.Optional {
		t.Errorf("the consultation stage should be optional")
	}
	if !adp.Standards.PauseWhileWaitingOnClient {
		t.Errorf("the disability benefit should pause while waiting on the client")
	}
}
