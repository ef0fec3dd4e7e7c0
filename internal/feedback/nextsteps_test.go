package feedback

import (
	"strings"
	"testing"
)

func TestNextSteps(t *testing.T) {
	p := process()
	received := ev(t, ComplaintReceived, "2026-03-02", "")
	answered := ev(t, Stage1Responded, "2026-03-06", OutcomePartlyUpheld)
	escalated := ev(t, Escalated, "2026-03-10", "")
	acknowledged := ev(t, Stage2Acknowledged, "2026-03-11", "")
	final := ev(t, Stage2Responded, "2026-04-01", OutcomeNotUpheld)
	closed := ev(t, ComplaintClosed, "2026-04-01", "")
	// Good Friday, 3 April 2026, is a bank holiday in Scotland, so 20
	// working days from Tuesday 10 March end on Wednesday 8 April.
	tests := []struct {
		name   string
		events []ComplaintEvent
		today  string
		want   []string // phrases the text must contain
		not    []string // phrases it must not contain
		spso   bool     // whether it links to the ombudsman
	}{
		{"stage 1 open", []ComplaintEvent{received}, "2026-03-03",
			[]string{"We will answer it by Monday 9 March 2026."}, []string{"sorry", "Ombudsman"}, false},
		{"stage 1 due today", []ComplaintEvent{received}, "2026-03-09",
			[]string{"by Monday 9 March 2026"}, []string{"sorry"}, false},
		{"stage 1 overdue", []ComplaintEvent{received}, "2026-03-10",
			[]string{"We said we would answer by Monday 9 March 2026, and we have not. We are sorry.", "stage 2",
				"If you ask today, we will tell you by Friday 13 March 2026 that we have your request, and give you our answer by Wednesday 8 April 2026."},
			nil, false},
		{"stage 1 answered", []ComplaintEvent{received, answered}, "2026-03-06",
			[]string{"We answered your complaint on Friday 6 March 2026.", "partly upheld", "look at your complaint again",
				"stage 2", "re-determination"},
			[]string{"Ombudsman"}, false},
		{"closed at stage 1", []ComplaintEvent{received, answered, ev(t, ComplaintClosed, "2026-03-06", "")}, "2026-03-20",
			[]string{"stage 2", "If you ask today, we will tell you by Wednesday 25 March 2026"}, []string{"Ombudsman"}, false},
		{"stage 2 open", []ComplaintEvent{received, answered, escalated}, "2026-03-10",
			[]string{"We will tell you by Friday 13 March 2026 that we have your request.", "We will give you our answer by Wednesday 8 April 2026."},
			[]string{"sorry"}, false},
		{"stage 2 acknowledgement late", []ComplaintEvent{received, answered, escalated}, "2026-03-16",
			[]string{"We said we would tell you by Friday 13 March 2026 that we had your request, and we have not. We are sorry."}, nil, false},
		{"stage 2 acknowledged", []ComplaintEvent{received, answered, escalated, acknowledged}, "2026-03-16",
			[]string{"We will give you our answer by Wednesday 8 April 2026."}, []string{"sorry", "that we have your request"}, false},
		{"stage 2 overdue", []ComplaintEvent{received, answered, escalated, acknowledged}, "2026-04-09",
			[]string{"Wednesday 8 April 2026, and we have not. We are sorry.", "Scottish Public Services Ombudsman (SPSO)", "now"}, nil, true},
		{"stage 2 answered", []ComplaintEvent{received, answered, escalated, acknowledged, final}, "2026-04-01",
			[]string{"did not uphold", "final answer", "Scottish Public Services Ombudsman (SPSO)", "independent", "12 months", "spso.org.uk"},
			[]string{"sorry"}, true},
		{"closed at stage 2", []ComplaintEvent{received, answered, escalated, acknowledged, final, closed}, "2026-05-01",
			[]string{"Scottish Public Services Ombudsman"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := p.Fold(tt.events)
			if err != nil {
				t.Fatal(err)
			}
			ns := p.NextSteps(c, date(t, tt.today))
			text := ns.Heading + "\n" + strings.Join(ns.Paragraphs, "\n")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("no %q in:\n%s", w, text)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("%q in:\n%s", w, text)
				}
			}
			if (ns.Link != nil) != tt.spso || (ns.Link != nil && ns.Link.URL != OmbudsmanURL) {
				t.Errorf("link %+v", ns.Link)
			}
			// Dates, never durations.
			for _, vague := range []string{"working days", "soon", "shortly"} {
				if strings.Contains(text, vague) {
					t.Errorf("the text says %q:\n%s", vague, text)
				}
			}
		})
	}
}
