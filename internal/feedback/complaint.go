package feedback

import (
	"fmt"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// Timescales are the working days each step of a complaint may take.
type Timescales struct {
	Stage1RespondDays     int `json:"stage1_respond_working_days"`     // from the day it was received
	Stage2AcknowledgeDays int `json:"stage2_acknowledge_working_days"` // from the day it was escalated
	Stage2RespondDays     int `json:"stage2_respond_working_days"`     // from the day it was escalated
}

// DefaultTimescales are 5 working days to answer at stage 1, and 3 to
// acknowledge and 20 to answer at stage 2.
func DefaultTimescales() Timescales {
	return Timescales{Stage1RespondDays: 5, Stage2AcknowledgeDays: 3, Stage2RespondDays: 20}
}

// maxTimescaleDays is the longest timescale allowed: about a year.
const maxTimescaleDays = 260

// Validate checks that every timescale is 1 to 260 working days and that
// stage 2 is acknowledged no later than it is answered. Errors name the
// JSON field.
func (t Timescales) Validate() error {
	for _, f := range []struct {
		name string
		days int
	}{
		{"stage1_respond_working_days", t.Stage1RespondDays},
		{"stage2_acknowledge_working_days", t.Stage2AcknowledgeDays},
		{"stage2_respond_working_days", t.Stage2RespondDays},
	} {
		if f.days < 1 || f.days > maxTimescaleDays {
			return errs.Invalid(f.name, "must be 1 to %d working days, not %d", maxTimescaleDays, f.days)
		}
	}
	if t.Stage2AcknowledgeDays > t.Stage2RespondDays {
		return errs.Invalid("stage2_acknowledge_working_days",
			"stage 2 must be acknowledged no later than it is answered (%d working days), not after %d",
			t.Stage2RespondDays, t.Stage2AcknowledgeDays)
	}
	return nil
}

// ComplaintEventType names a step in a complaint's life.
type ComplaintEventType string

const (
	ComplaintReceived  ComplaintEventType = "received"
	Stage1Responded    ComplaintEventType = "stage1_responded"
	Escalated          ComplaintEventType = "escalated" // the client asked us to look again: stage 2
	Stage2Acknowledged ComplaintEventType = "stage2_acknowledged"
	Stage2Responded    ComplaintEventType = "stage2_responded"
	ComplaintClosed    ComplaintEventType = "closed"
)

// Outcome is what a response found.
type Outcome string

const (
	OutcomeUpheld       Outcome = "upheld"
	OutcomePartlyUpheld Outcome = "partly-upheld"
	OutcomeNotUpheld    Outcome = "not-upheld"
)

// Plain says what an outcome means, for the client.
func (o Outcome) Plain() string {
	switch o {
	case OutcomeUpheld:
		return "We upheld your complaint: we agreed that we got things wrong."
	case OutcomePartlyUpheld:
		return "We partly upheld your complaint: we agreed that we got some things wrong, but not all of them."
	case OutcomeNotUpheld:
		return "We did not uphold your complaint: we found that we did what we should have."
	}
	return ""
}

// ComplaintEvent is one entry in a complaint's append-only log.
type ComplaintEvent struct {
	Type    ComplaintEventType `json:"type"`
	On      calendar.Date      `json:"on"`
	Outcome Outcome            `json:"outcome,omitempty"` // for the two responses
	Note    string             `json:"note,omitempty"`    // what we found, or why it was closed; staff only
}

// ComplaintStatus is where a complaint is.
type ComplaintStatus string

const (
	StatusStage1Open         ComplaintStatus = "stage1-open"         // received, not yet answered
	StatusStage1Answered     ComplaintStatus = "stage1-answered"     // the client may ask for stage 2
	StatusStage2Open         ComplaintStatus = "stage2-open"         // escalated, not yet acknowledged
	StatusStage2Acknowledged ComplaintStatus = "stage2-acknowledged" // acknowledged, not yet answered
	StatusStage2Answered     ComplaintStatus = "stage2-answered"     // the client may go to the ombudsman
	StatusClosed             ComplaintStatus = "closed"
)

// Complaint is the current state of a complaint, folded from its events.
// Due dates are the last day on which each step is on time; a zero date is
// "not yet" or "not applicable".
type Complaint struct {
	Status            ComplaintStatus `json:"status"`
	Stage             int             `json:"stage"` // 1 or 2
	Events            int             `json:"events"`
	ReceivedOn        calendar.Date   `json:"received_on"`
	Stage1DueOn       calendar.Date   `json:"stage1_due_on"`
	Stage1RespondedOn calendar.Date   `json:"stage1_responded_on,omitzero"`
	Stage1Outcome     Outcome         `json:"stage1_outcome,omitempty"`
	EscalatedOn       calendar.Date   `json:"escalated_on,omitzero"`
	Stage2AckDueOn    calendar.Date   `json:"stage2_acknowledge_due_on,omitzero"`
	Stage2AckOn       calendar.Date   `json:"stage2_acknowledged_on,omitzero"`
	Stage2DueOn       calendar.Date   `json:"stage2_due_on,omitzero"`
	Stage2RespondedOn calendar.Date   `json:"stage2_responded_on,omitzero"`
	Stage2Outcome     Outcome         `json:"stage2_outcome,omitempty"`
	ClosedOn          calendar.Date   `json:"closed_on,omitzero"`
	LastEventOn       calendar.Date   `json:"last_event_on"`
}

// Process applies a service's complaint timescales, counted in working days
// on its calendar.
type Process struct {
	Timescales Timescales
	Calendar   *calendar.Calendar
}

// Fold replays a complaint's events from the start. It fails on the first
// event that does not fit, saying which.
func (p Process) Fold(events []ComplaintEvent) (Complaint, error) {
	var c Complaint
	for i, e := range events {
		next, err := p.Apply(c, e)
		if err != nil {
			return Complaint{}, fmt.Errorf("complaint event %d (%s): %w", i+1, e.Type, err)
		}
		c = next
	}
	return c, nil
}

// Apply returns the complaint after one more event, or an error if the
// event does not fit: errs.KindConflict when the complaint is not in a state
// that allows it, errs.KindInvalid naming the field ("type", "on",
// "outcome") when the event itself is wrong. On an error it returns c as
// it was.
func (p Process) Apply(c Complaint, e ComplaintEvent) (Complaint, error) {
	if e.On.IsZero() {
		return c, errs.Invalid("on", "give the date this happened")
	}
	if c.Events > 0 && e.On < c.LastEventOn {
		return c, errs.Invalid("on", "%s is before %s, when the complaint was last updated", e.On, c.LastEventOn)
	}
	if c.Events == 0 && e.Type != ComplaintReceived {
		return c, errs.Conflict("a complaint starts when it is received: record that first")
	}
	needOutcome := func() error {
		switch e.Outcome {
		case OutcomeUpheld, OutcomePartlyUpheld, OutcomeNotUpheld:
			return nil
		case "":
			return errs.Invalid("outcome", "say whether the complaint was upheld, partly upheld or not upheld")
		}
		return errs.Invalid("outcome", "%q is not an outcome: it is upheld, partly-upheld or not-upheld", clip(string(e.Outcome)))
	}
	if e.Outcome != "" && e.Type != Stage1Responded && e.Type != Stage2Responded {
		return c, errs.Invalid("outcome", "only a response has an outcome")
	}
	cal := p.Calendar

	switch e.Type {
	case ComplaintReceived:
		if c.Events > 0 {
			return c, errs.Conflict("this complaint was already received on %s", c.ReceivedOn)
		}
		c.Status, c.Stage = StatusStage1Open, 1
		c.ReceivedOn = e.On
		c.Stage1DueOn = cal.AddWorkingDays(e.On, p.Timescales.Stage1RespondDays)

	case Stage1Responded:
		if c.Status != StatusStage1Open {
			return c, conflict(c, "answer it at stage 1")
		}
		if err := needOutcome(); err != nil {
			return c, err
		}
		c.Status = StatusStage1Answered
		c.Stage1RespondedOn, c.Stage1Outcome = e.On, e.Outcome

	case Escalated:
		stage1Late := c.Status == StatusStage1Open && e.On > c.Stage1DueOn
		answered := c.Status == StatusStage1Answered || (c.Status == StatusClosed && c.Stage == 1)
		if !answered && !stage1Late {
			if c.Status == StatusStage1Open {
				return c, errs.Conflict("stage 1 is due by %s: the complaint can go to stage 2 once we have answered it, or if we have not answered by then", c.Stage1DueOn)
			}
			return c, conflict(c, "take it to stage 2")
		}
		c.Status, c.Stage = StatusStage2Open, 2
		c.EscalatedOn, c.ClosedOn = e.On, 0
		c.Stage2AckDueOn = cal.AddWorkingDays(e.On, p.Timescales.Stage2AcknowledgeDays)
		c.Stage2DueOn = cal.AddWorkingDays(e.On, p.Timescales.Stage2RespondDays)

	case Stage2Acknowledged:
		if c.Status != StatusStage2Open {
			return c, conflict(c, "acknowledge it at stage 2")
		}
		c.Status, c.Stage2AckOn = StatusStage2Acknowledged, e.On

	case Stage2Responded:
		if c.Status != StatusStage2Open && c.Status != StatusStage2Acknowledged {
			return c, conflict(c, "answer it at stage 2")
		}
		if err := needOutcome(); err != nil {
			return c, err
		}
		c.Status = StatusStage2Answered
		c.Stage2RespondedOn, c.Stage2Outcome = e.On, e.Outcome

	case ComplaintClosed:
		if c.Status != StatusStage1Answered && c.Status != StatusStage2Answered {
			return c, conflict(c, "close it")
		}
		c.Status, c.ClosedOn = StatusClosed, e.On

	default:
		return c, errs.Invalid("type", "%q is not a step of a complaint", clip(string(e.Type)))
	}
	c.Events++
	c.LastEventOn = e.On
	return c, nil
}

// conflict explains why a complaint in its current state cannot take a step.
func conflict(c Complaint, want string) error {
	why := map[ComplaintStatus]string{
		StatusStage1Open:         "it is waiting for our stage 1 answer",
		StatusStage1Answered:     "we have answered it at stage 1, and it has not gone to stage 2",
		StatusStage2Open:         "it is at stage 2 and waiting for us to acknowledge it",
		StatusStage2Acknowledged: "it is at stage 2 and waiting for our answer",
		StatusStage2Answered:     "we have already answered it at stage 2",
		StatusClosed:             "it is closed",
	}[c.Status]
	if c.Status == StatusStage2Acknowledged && want == "acknowledge it at stage 2" {
		why = "we acknowledged it at stage 2 on " + c.Stage2AckOn.String()
	}
	return errs.Conflict("cannot %s: %s", want, why)
}

// Deadline is one dated step of a complaint.
type Deadline struct {
	What    string        `json:"what"` // "stage 1 answer", "stage 2 acknowledgement", "stage 2 answer"
	Due     calendar.Date `json:"due"`
	DoneOn  calendar.Date `json:"done_on,omitzero"`
	Overdue bool          `json:"overdue"` // not done, and today is after the due date
	Late    bool          `json:"late"`    // done after the due date
}

// Deadlines lists the complaint's dated steps so far, with whether each is
// overdue on the given day or was done late. A step skipped because the
// complaint moved on (stage 2 not acknowledged before it was answered)
// counts as done when the complaint moved on.
func (c Complaint) Deadlines(today calendar.Date) []Deadline {
	if c.Events == 0 {
		return nil
	}
	var out []Deadline
	add := func(what string, due, done calendar.Date) {
		d := Deadline{What: what, Due: due, DoneOn: done}
		d.Overdue = done.IsZero() && today > due
		d.Late = !done.IsZero() && done > due
		out = append(out, d)
	}
	stage1Done := c.Stage1RespondedOn
	if stage1Done.IsZero() && !c.EscalatedOn.IsZero() {
		stage1Done = c.EscalatedOn // it went to stage 2 unanswered
	}
	add("stage 1 answer", c.Stage1DueOn, stage1Done)
	if c.Stage == 2 {
		ack := c.Stage2AckOn
		if ack.IsZero() {
			ack = c.Stage2RespondedOn
		}
		add("stage 2 acknowledgement", c.Stage2AckDueOn, ack)
		add("stage 2 answer", c.Stage2DueOn, c.Stage2RespondedOn)
	}
	return out
}

// Overdue reports whether any step is overdue on the given day.
func (c Complaint) Overdue(today calendar.Date) bool {
	for _, d := range c.Deadlines(today) {
		if d.Overdue {
			return true
		}
	}
	return false
}
