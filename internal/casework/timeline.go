package casework

import (
	"github.com/charter-service/charter/internal/calendar"
)

// StageStatus says where a stage is relative to the application.
type StageStatus string

const (
	StageDone     StageStatus = "done"
	StageCurrent  StageStatus = "current"
	StageUpcoming StageStatus = "upcoming"
)

// StandardStatus says how the service is doing against one standard.
type StandardStatus string

const (
	StandardMet     StandardStatus = "met"      // done on or before the date
	StandardLate    StandardStatus = "late"     // done, but after the date
	StandardOnTrack StandardStatus = "on_track" // not done, time left
	StandardAtRisk  StandardStatus = "at_risk"  // not done, most of the time used
	StandardMissed  StandardStatus = "missed"   // not done and the date has passed
	StandardPaused  StandardStatus = "paused"   // the clock is stopped while we wait on the client
)

// The commitments the casework rules keep, by their stable keys in the
// charter (examples/charter.yaml): a renumbered charter still finds them.
const (
	CommitmentUpdates        = "support-through-application"       // 1.4
	CommitmentSupporters     = "independent-advice-and-supporters" // 1.6
	CommitmentReasons        = "clear-reasons"                     // 1.8
	CommitmentDates          = "decide-by-the-dates-we-give"       // 2.2
	CommitmentChallenge      = "challenge-a-decision"              // 2.8
	CommitmentConsultation   = "consultation-only-when-needed"     // 2.10
	CommitmentWellbeing      = "wellbeing-first-in-consultations"  // 2.11
	CommitmentQualifications = "qualified-practitioners"           // 2.12
)

// The standards a timeline reports on.
const (
	StandardAcknowledge = "acknowledge"
	StandardDecide      = "decide"
	StandardUpdate      = "update"
)

// TimelineStage is one stage as the client sees it.
type TimelineStage struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Status      StageStatus   `json:"status"`
	Started     calendar.Date `json:"started,omitzero"`
	Ended       calendar.Date `json:"ended,omitzero"`
	ClientText  string        `json:"client_text"`
	Commitments []string      `json:"commitments,omitempty"`
	// Optional stages (a consultation) happen only when needed; an upcoming
	// one is shown as "only if needed", not as a promise.
	Optional bool `json:"optional,omitempty"`
}

// Standard is one service standard for this application, as a date.
type Standard struct {
	Name   string         `json:"name"`
	Due    calendar.Date  `json:"due"`
	Done   calendar.Date  `json:"done,omitzero"`
	Status StandardStatus `json:"status"`
	// Commitment is the stable key of the charter commitment it makes
	// real; pages show the number it has in the current charter.
	Commitment string `json:"commitment"`
}

// Timeline is what a client (or a caseworker) needs to know at a glance:
// where the application is, what happens next, by when, and what we need.
type Timeline struct {
	Reference    Reference            `json:"reference"`
	Benefit      string               `json:"benefit"`
	BenefitName  string               `json:"benefit_name"`
	Status       Status               `json:"status"`
	Today        calendar.Date        `json:"today"`
	ReceivedOn   calendar.Date        `json:"received_on"`
	Stages       []TimelineStage      `json:"stages"`
	Now          string               `json:"now"`       // what is happening now, in plain words
	NextStep     string               `json:"next_step"` // what happens next, in plain words
	OpenRequests []InformationRequest `json:"open_requests"`
	// DecisionDue is the date we expect to decide by, moved on by any time
	// the clock was paused. While paused, it assumes the pause ends today.
	DecisionDue         calendar.Date `json:"decision_due"`
	OriginalDecisionDue calendar.Date `json:"original_decision_due"`
	Paused              bool          `json:"paused"`
	PausedSince         calendar.Date `json:"paused_since,omitzero"`
	PausedWorkingDays   int           `json:"paused_working_days"`
	Pauses              []Pause       `json:"pauses"`
	NextUpdateBy        calendar.Date `json:"next_update_by,omitzero"`
	Standards           []Standard    `json:"standards"`
	AtRisk              bool          `json:"at_risk"`
	Missed              bool          `json:"missed"`
	// NewExpectedDate is the date we gave after missing, or expecting to
	// miss, DecisionDue; zero if we have not given one.
	NewExpectedDate calendar.Date `json:"new_expected_date,omitzero"`
	DecidedOn       calendar.Date `json:"decided_on,omitzero"`
	Outcome         string        `json:"outcome,omitempty"`
}

// Clock is the decision clock of an application: when the decision is due,
// from when it counts as at risk, and how long the clock has been paused.
type Clock struct {
	Due               calendar.Date
	AtRiskFrom        calendar.Date
	PausedWorkingDays int
}

// DecisionClock works out the decision clock as it stands on today. An
// ongoing pause counts up to today.
func (a *Application) DecisionClock(cal *calendar.Calendar, today calendar.Date) Clock {
	st := a.benefit.Standards
	paused := 0
	for _, p := range a.Pauses {
		end := p.To
		if end.IsZero() {
			end = today
		}
		if end.After(p.From) {
			paused += cal.WorkingDaysBetween(p.From, end)
		}
	}
	pct := st.AtRiskPercent
	if pct <= 0 {
		pct = 80
	}
	riskDays := (st.DecideWorkingDays*pct + 99) / 100
	return Clock{
		Due:               cal.AddWorkingDays(a.ReceivedOn, st.DecideWorkingDays+paused),
		AtRiskFrom:        cal.AddWorkingDays(a.ReceivedOn, riskDays+paused),
		PausedWorkingDays: paused,
	}
}

// Timeline works out the client's timeline as it stands on today.
func (a *Application) Timeline(cal *calendar.Calendar, today calendar.Date) Timeline {
	b := a.benefit
	clock := a.DecisionClock(cal, today)
	t := Timeline{
		Reference:           a.Ref,
		Benefit:             b.ID,
		BenefitName:         b.Name,
		Status:              a.Status,
		Today:               today,
		ReceivedOn:          a.ReceivedOn,
		OpenRequests:        a.OpenRequests(),
		DecisionDue:         clock.Due,
		OriginalDecisionDue: cal.AddWorkingDays(a.ReceivedOn, b.Standards.DecideWorkingDays),
		Paused:              a.Status == StatusOpen && a.Paused(),
		PausedWorkingDays:   clock.PausedWorkingDays,
		Pauses:              a.Pauses,
	}
	if t.OpenRequests == nil {
		t.OpenRequests = []InformationRequest{}
	}
	if t.Paused {
		t.PausedSince = a.Pauses[len(a.Pauses)-1].From
	}
	if a.Status == StatusOpen {
		t.NewExpectedDate = a.RevisedDecisionDate
	}
	if a.Decision != nil {
		t.DecidedOn = a.Decision.DecidedOn
		t.Outcome = a.Decision.Outcome
	}
	t.Stages = a.timelineStages()
	t.Standards = a.standards(cal, today, clock)
	for _, s := range t.Standards {
		if s.Name == StandardDecide {
			t.AtRisk = s.Status == StandardAtRisk
			t.Missed = s.Status == StandardMissed
		}
		if s.Name == StandardUpdate && s.Status != StandardMet {
			t.NextUpdateBy = s.Due
		}
	}
	t.Now, t.NextStep = a.narrative(t)
	return t
}

func (a *Application) timelineStages() []TimelineStage {
	b := a.benefit
	visited := map[string]StageVisit{}
	ended := map[string]StageVisit{}
	for i, v := range a.Stages {
		if _, ok := visited[v.Stage]; !ok {
			visited[v.Stage] = v
		}
		if i+1 < len(a.Stages) {
			ended[v.Stage] = StageVisit{Stage: v.Stage, On: a.Stages[i+1].On}
		}
	}
	_, current := b.Stage(a.Stage)
	closed := a.Status != StatusOpen
	out := make([]TimelineStage, 0, len(b.Stages))
	for i, s := range b.Stages {
		v, seen := visited[s.ID]
		ts := TimelineStage{ID: s.ID, Name: s.Name, ClientText: s.ClientText, Commitments: s.Commitments, Optional: s.Optional}
		switch {
		case s.ID == a.Stage && closed:
			ts.Status = StageDone
			ts.Started = v.On
			ts.Ended = a.ClosedOn
		case s.ID == a.Stage:
			ts.Status = StageCurrent
			ts.Started = v.On
		case seen:
			ts.Status = StageDone
			ts.Started = v.On
			ts.Ended = ended[s.ID].On
		case i < current || closed:
			continue // a stage this application did not need, such as a consultation
		default:
			ts.Status = StageUpcoming
		}
		out = append(out, ts)
	}
	return out
}

func (a *Application) standards(cal *calendar.Calendar, today calendar.Date, clock Clock) []Standard {
	st := a.benefit.Standards
	ack := Standard{Name: StandardAcknowledge, Commitment: CommitmentUpdates,
		Due: cal.AddWorkingDays(a.ReceivedOn, st.AcknowledgeWorkingDays), Done: a.AcknowledgedOn}
	ack.Status = status(ack.Due, ack.Done, today, calendar.Date(0), false, a.Status != StatusOpen)

	dec := Standard{Name: StandardDecide, Commitment: CommitmentDates, Due: clock.Due}
	if a.Decision != nil {
		dec.Done = a.Decision.DecidedOn
	}
	dec.Status = status(dec.Due, dec.Done, today, clock.AtRiskFrom, a.Paused(), a.Status == StatusWithdrawn)

	upd := Standard{Name: StandardUpdate, Commitment: CommitmentUpdates,
		Due: cal.AddWorkingDays(a.LastUpdateOn, st.MaxWorkingDaysWithoutUpdate)}
	if a.Status != StatusOpen {
		upd.Status = StandardMet
		upd.Done = a.LastUpdateOn
	} else {
		upd.Status = status(upd.Due, 0, today, 0, false, false)
	}
	out := []Standard{ack, dec, upd}
	if a.Status == StatusWithdrawn {
		// A withdrawn application has no decision to wait for.
		out = []Standard{ack}
	}
	return out
}

// status grades one standard. atRiskFrom zero means "never at risk".
func status(due, done, today, atRiskFrom calendar.Date, paused, closed bool) StandardStatus {
	switch {
	case !done.IsZero() && done.After(due):
		return StandardLate
	case !done.IsZero():
		return StandardMet
	case closed:
		return StandardMet // nothing left to do: e.g. acknowledged by the decision itself
	case paused:
		return StandardPaused
	case today.After(due):
		return StandardMissed
	case !atRiskFrom.IsZero() && !today.Before(atRiskFrom):
		return StandardAtRisk
	}
	return StandardOnTrack
}

// narrative says in plain words what is happening now and what happens next.
func (a *Application) narrative(t Timeline) (now, next string) {
	switch a.Status {
	case StatusWithdrawn:
		return "This application was withdrawn on " + a.ClosedOn.Long() + ".",
			"There is nothing more to do. You can apply again at any time."
	case StatusDecided:
		return "We made a decision on " + a.ClosedOn.Long() + ".",
			"Read your decision and the reasons for it. If you disagree, you can ask us to look at it again (a re-determination)."
	}
	for _, s := range t.Stages {
		if s.Status == StageCurrent {
			now = s.ClientText
		}
	}
	if t.Paused {
		q := t.OpenRequests[0]
		for _, r := range t.OpenRequests {
			if r.From == FromClient {
				q = r
				break
			}
		}
		return "We are waiting for information from you: " + q.What + ".",
			"Please send it by " + q.Due.Long() + ". We will decide by " + t.DecisionDue.Long() +
				" if it reaches us today; the date moves on by one working day for each working day we wait."
	}
	if len(t.OpenRequests) > 0 {
		q := t.OpenRequests[0]
		next = "We have asked for " + q.What + " by " + q.Due.Long() + ". "
	}
	if t.Missed && !t.NewExpectedDate.IsZero() {
		return now, next + "We are sorry: we said we would decide by " + t.DecisionDue.Long() +
			" and we have not. We now expect to decide by " + t.NewExpectedDate.Long() + "."
	}
	if t.Missed {
		return now, next + "We are sorry: we said we would decide by " + t.DecisionDue.Long() +
			" and we have not. We will write to you with a new date."
	}
	if !t.NewExpectedDate.IsZero() && t.NewExpectedDate.After(t.DecisionDue) {
		return now, next + "We now expect to decide by " + t.NewExpectedDate.Long() + ", later than the date we first gave you."
	}
	return now, next + "We expect to decide by " + t.DecisionDue.Long() + "."
}

// StoredClock is the decision clock as far as the events alone say: an
// ongoing pause counts for nothing yet. The work queue stores it and treats
// paused applications as their own group, so it needs no "today".
func (a *Application) StoredClock(cal *calendar.Calendar) Clock {
	ref := a.ReceivedOn
	if a.Paused() {
		ref = a.Pauses[len(a.Pauses)-1].From
	}
	return a.DecisionClock(cal, ref)
}
