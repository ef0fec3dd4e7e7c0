package seed

import (
	"math/rand/v2"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/feedback"
)

// FeedbackStory is one piece of synthetic feedback, or a complaint with
// its steps (the first is its receipt).
type FeedbackStory struct {
	Item   feedback.Item
	Events []feedback.ComplaintEvent
}

// saltFeedback seeds the feedback stream.
const saltFeedback = 0x666565646261636b

// feedbackAbout weighs the commitments people write about: most about
// updates, timescales, reasons for decisions and consultations.
var feedbackAbout = []struct {
	id     string
	weight int
	met    []string
	notMet []string
}{
	{"1.4", 6, []string{"I got a message every time something changed. I never had to phone.", "The letter told me what would happen next and by when."},
		[]string{"Nobody told me anything for weeks, and I had to phone three times to find out where my application was.", "The update said you were still working on it but not when you would finish."}},
	{"2.2", 5, []string{"I had my decision a week before the date you gave me.", "You told me before the date that you needed longer, and why."},
		[]string{"The date in my letter passed and nobody got in touch.", "My decision took far longer than the date I was given."}},
	{"1.8", 3, []string{"The letter explained each part of the decision, and how to ask you to look again."},
		[]string{"The decision letter did not say why I was refused the mobility part.", "I did not know I could ask for a re-determination until it was nearly too late."}},
	{"2.10", 2, []string{"You decided from my GP's letter, so I did not need a consultation."},
		[]string{"I was asked to a consultation even though my consultant's report said everything."}},
	{"1.5", 2, []string{"The person on the phone knew exactly how the carer payment works."},
		[]string{"The adviser could not answer my question about backdating."}},
	{"1.6", 1, []string{"You told me about a local advice service and they helped me fill in the form."}, nil},
	{"1.3", 1, []string{"You wrote to me in large print, as I asked."}, []string{"I asked for letters in large print and still got small print."}},
}

// somethingElse is feedback that names no commitment.
var somethingElse = []string{
	"The online form logged me out while I was filling it in.",
	"It would help to be able to upload photos of documents from my phone.",
}

// Feedback makes n pieces of feedback about the charter's commitments,
// received on days spread over the year before today: mostly feedback
// saying a commitment was or was not met, about one in six complaints,
// each taken as far through the complaints process as its age allows
// (mostly answered on time, some late, a few escalated to stage 2, the
// latest still open, some of those overdue). Only commitments the charter
// has are used. The same inputs give the same stories.
func Feedback(ch *charter.Charter, cal *calendar.Calendar, today calendar.Date, n int, seed uint64) []FeedbackStory {
	r := rand.New(rand.NewPCG(seed, saltFeedback))
	type topic struct {
		ref    feedback.CommitmentRef
		weight int
		met    []string
		notMet []string
	}
	var topics []topic
	total := 0
	for _, f := range feedbackAbout {
		if c, ok := ch.Commitment(f.id); ok {
			topics = append(topics, topic{feedback.CommitmentRef{ID: c.ID, Key: c.Key}, f.weight, f.met, f.notMet})
			total += f.weight
		}
	}
	if total == 0 {
		return nil
	}
	p := feedback.Process{Timescales: feedback.DefaultTimescales(), Calendar: cal}
	var out []FeedbackStory
	for i := range n {
		// Spread over the year; the last few are recent, so that some
		// complaints are still open.
		age := r.IntN(365)
		if i >= n-6 {
			age = (n - 1 - i) * 3
		}
		received := today.AddDays(-age)
		it := feedback.Item{Kind: feedback.KindFeedback, Received: received, CharterVersion: ch.Version}
		pick := r.IntN(total + 1)
		if pick == total {
			it.SomethingElse = true
			it.Text = somethingElse[r.IntN(len(somethingElse))]
			out = append(out, FeedbackStory{Item: it})
			continue
		}
		var tp topic
		for _, t := range topics {
			if pick < t.weight {
				tp = t
				break
			}
			pick -= t.weight
		}
		it.Commitments = []feedback.CommitmentRef{tp.ref}
		it.Verdict = feedback.VerdictMet
		if len(tp.notMet) > 0 && (len(tp.met) == 0 || r.IntN(100) < 55) {
			it.Verdict = feedback.VerdictNotMet
		}
		texts := tp.met
		if it.Verdict == feedback.VerdictNotMet {
			texts = tp.notMet
		}
		it.Text = texts[r.IntN(len(texts))]
		story := FeedbackStory{Item: it}
		if it.Verdict == feedback.VerdictNotMet && (r.IntN(6) == 0 || i >= n-4) {
			story.Item.Kind = feedback.KindComplaint
			story.Item.Contact = feedback.Contact{Name: "A member of the public", Email: "complaint@example.org"}
			story.Events = complaintSteps(p, r, received, today)
		}
		out = append(out, story)
	}
	return out
}

// complaintSteps takes a complaint received on a day as far through the
// process as today allows.
func complaintSteps(p feedback.Process, r *rand.Rand, received, today calendar.Date) []feedback.ComplaintEvent {
	evs := []feedback.ComplaintEvent{{Type: feedback.ComplaintReceived, On: received}}
	c, _ := p.Fold(evs)
	outcomes := []feedback.Outcome{feedback.OutcomeUpheld, feedback.OutcomePartlyUpheld, feedback.OutcomeNotUpheld}
	// The stage 1 answer: usually by the due date, sometimes a few days late.
	answer := p.Calendar.AddWorkingDays(received, 1+r.IntN(p.Timescales.Stage1RespondDays))
	if r.IntN(8) == 0 {
		answer = p.Calendar.AddWorkingDays(c.Stage1DueOn, 1+r.IntN(3))
	}
	if answer > today {
		return evs // still open: due, or overdue
	}
	evs = append(evs, feedback.ComplaintEvent{Type: feedback.Stage1Responded, On: answer, Outcome: outcomes[r.IntN(3)],
		Note: "We looked at the application's history and wrote to the person."})
	if r.IntN(4) != 0 {
		return evs
	}
	escalated := answer.AddDays(3 + r.IntN(10))
	if escalated > today {
		return evs
	}
	evs = append(evs, feedback.ComplaintEvent{Type: feedback.Escalated, On: escalated})
	c, _ = p.Fold(evs)
	ack := p.Calendar.AddWorkingDays(escalated, 1+r.IntN(p.Timescales.Stage2AcknowledgeDays))
	if ack > today {
		return evs
	}
	evs = append(evs, feedback.ComplaintEvent{Type: feedback.Stage2Acknowledged, On: ack})
	final := p.Calendar.AddWorkingDays(escalated, 5+r.IntN(p.Timescales.Stage2RespondDays))
	if final > today || final > c.Stage2DueOn.AddDays(5) {
		return evs
	}
	return append(evs, feedback.ComplaintEvent{Type: feedback.Stage2Responded, On: max(final, ack), Outcome: outcomes[r.IntN(3)],
		Note: "An investigator who had not been involved looked at the complaint again."})
}
