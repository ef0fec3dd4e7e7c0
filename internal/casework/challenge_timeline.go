package casework

import (
	"strconv"

	"github.com/charter-service/charter/internal/calendar"
)

// ChallengeStage says where a challenge to the decision stands on a day.
type ChallengeStage string

const (
	ChallengeCanAsk         ChallengeStage = "can_ask"              // nothing asked; the window is open
	ChallengeCanAskLate     ChallengeStage = "can_ask_late"         // nothing asked; a late request is possible, with a reason
	ChallengeClosed         ChallengeStage = "closed"               // nothing asked, and past the late limit
	ChallengeLateWaiting    ChallengeStage = "late_request_waiting" // a late request waits for us to accept or refuse it
	ChallengeRequested      ChallengeStage = "requested"            // we are looking at the decision again, in time
	ChallengeDeadlineMissed ChallengeStage = "deadline_missed"      // our deadline passed without a re-determination
	ChallengeRedetermined   ChallengeStage = "redetermined"         // we looked at it again; the client may appeal
	ChallengeAppealed       ChallengeStage = "appealed"             // the tribunal has the appeal
	ChallengeAppealDecided  ChallengeStage = "appeal_decided"
)

// ChallengeStepStatus says where one step of the challenge timeline is.
type ChallengeStepStatus string

const (
	StepDone     ChallengeStepStatus = "done"
	StepCurrent  ChallengeStepStatus = "current"  // what is happening, or the date that matters now
	StepUpcoming ChallengeStepStatus = "upcoming" // will happen; the date is not known yet
	StepPassed   ChallengeStepStatus = "passed"   // a date for the client that went by unused
	StepMissed   ChallengeStepStatus = "missed"   // a date for us that we did not keep
)

// ChallengeStep is one step of the challenge timeline, in plain words.
type ChallengeStep struct {
	Name   string              `json:"name"`
	On     calendar.Date       `json:"on,omitzero"`
	Status ChallengeStepStatus `json:"status"`
	Text   string              `json:"text,omitempty"`
}

// ChallengeTimeline is a challenge to the decision as it stands on a day:
// its dates, what the client can do now, and its own timeline (requested →
// deadline → decided or missed → appeal). "Missed" is worked out from the
// dates, not recorded.
type ChallengeTimeline struct {
	Today  calendar.Date  `json:"today"`
	Stage  ChallengeStage `json:"stage"`
	Window RequestWindow  `json:"window"`
	// CanAsk: the client may ask for a re-determination today;
	// LateReasonNeeded: only with a reason why it is late.
	CanAsk           bool                     `json:"can_ask"`
	LateReasonNeeded bool                     `json:"late_reason_needed"`
	Request          *RedeterminationRequest  `json:"request,omitempty"`
	Refused          []RedeterminationRequest `json:"refused,omitempty"`
	Redetermination  *Redetermination         `json:"redetermination,omitempty"`
	DecideBy         calendar.Date            `json:"decide_by,omitzero"`
	// DeadlineMissed stays true once our deadline has passed without a
	// re-determination, even if we make one later.
	DeadlineMissed bool          `json:"deadline_missed"`
	CanAppeal      bool          `json:"can_appeal"`
	AppealBy       calendar.Date `json:"appeal_by,omitzero"`
	// AppealByPassed: the last day to appeal has gone by. The tribunal
	// decides whether to hear a late appeal.
	AppealByPassed   bool            `json:"appeal_by_passed"`
	AppealFormSentOn calendar.Date   `json:"appeal_form_sent_on,omitzero"`
	Appeal           *Appeal         `json:"appeal,omitempty"`
	Steps            []ChallengeStep `json:"steps"`
	Now              string          `json:"now"`  // what is happening, in plain words
	Next             string          `json:"next"` // what the client can do next, and by when
}

// ChallengeTimeline works out the challenge to the decision as it stands
// on today. ok is false when there is no decision, or the benefit sets no
// re-determination window.
func (a *Application) ChallengeTimeline(today calendar.Date) (ChallengeTimeline, bool) {
	w, ok := a.RequestWindow()
	if !ok {
		return ChallengeTimeline{}, false
	}
	rules := a.benefit.Challenge
	t := ChallengeTimeline{Today: today, Window: w}
	c := a.Challenge
	if c == nil {
		c = &Challenge{}
	}
	t.Request, t.Refused, t.Redetermination, t.Appeal, t.AppealFormSentOn =
		c.Request, c.Refused, c.Redetermination, c.Appeal, c.AppealFormSentOn
	if r := c.Request; r != nil {
		t.DecideBy = r.DecideBy
		t.DeadlineMissed = !r.DecideBy.IsZero() &&
			((c.Redetermination == nil && today.After(r.DecideBy)) || (c.Redetermination != nil && c.Redetermination.Late))
	}
	from, appealable := a.appealFrom(today)
	if appealable {
		t.AppealBy = AppealBy(rules, from)
		t.AppealByPassed = !t.AppealBy.IsZero() && today.After(t.AppealBy)
	}
	switch {
	case c.Appeal != nil && c.Appeal.Outcome != "":
		t.Stage = ChallengeAppealDecided
	case c.Appeal != nil:
		t.Stage = ChallengeAppealed
	case c.Redetermination != nil:
		t.Stage = ChallengeRedetermined
	case c.Request != nil && c.Request.WaitingForLateDecision():
		t.Stage = ChallengeLateWaiting
	case c.Request != nil && appealable:
		t.Stage = ChallengeDeadlineMissed
	case c.Request != nil:
		t.Stage = ChallengeRequested
	default:
		switch w.Timing(today) {
		case TimingInTime:
			t.Stage = ChallengeCanAsk
		case TimingLate:
			t.Stage = ChallengeCanAskLate
		default:
			t.Stage = ChallengeClosed
		}
	}
	t.CanAsk = t.Stage == ChallengeCanAsk || t.Stage == ChallengeCanAskLate
	t.LateReasonNeeded = t.Stage == ChallengeCanAskLate
	t.CanAppeal = t.Stage == ChallengeDeadlineMissed || t.Stage == ChallengeRedetermined
	t.Steps = a.challengeSteps(t)
	t.Now, t.Next = a.challengeNarrative(t)
	return t, true
}

func (a *Application) challengeSteps(t ChallengeTimeline) []ChallengeStep {
	rules := a.benefit.Challenge
	w := t.Window
	steps := []ChallengeStep{{Name: "We made our decision", On: a.Decision.DecidedOn, Status: StepDone}}
	for _, r := range t.Refused {
		steps = append(steps,
			ChallengeStep{Name: "You asked us to look at the decision again, late", On: r.ReceivedOn, Status: StepDone, Text: r.LateReason},
			ChallengeStep{Name: "We could not accept your late request", On: r.LateRefusedOn, Status: StepDone, Text: r.LateDecisionReason})
	}
	ifYouAsk := "We look at the decision again and tell you what we decided" + within(rules.RedeterminationDeadlineDays, "receiving your request") + "."
	r := t.Request
	if r == nil {
		ask := ChallengeStep{Name: "Last day to ask us to look at the decision again", On: w.LastDay, Status: StepPassed}
		if !t.Today.After(w.LastDay) {
			ask.Status = StepCurrent
		}
		steps = append(steps, ask)
		if w.LateUntil.After(w.LastDay) && t.Stage != ChallengeCanAsk {
			late := ChallengeStep{Name: "Last day to ask late, with a good reason", On: w.LateUntil, Status: StepPassed}
			if t.Stage == ChallengeCanAskLate {
				late.Status = StepCurrent
			}
			steps = append(steps, late)
		}
		if t.CanAsk {
			steps = append(steps, ChallengeStep{Name: "If you ask", Status: StepUpcoming, Text: ifYouAsk})
		}
		return steps
	}
	asked := ChallengeStep{Name: "You asked us to look at the decision again", On: r.ReceivedOn, Status: StepDone, Text: r.Disagreement}
	if r.Late {
		asked.Name = "You asked us to look at the decision again, after the last day (" + w.LastDay.Long() + ")"
	}
	steps = append(steps, asked)
	switch {
	case r.WaitingForLateDecision():
		steps = append(steps,
			ChallengeStep{Name: "We decide whether we can accept your late request", Status: StepCurrent},
			ChallengeStep{Name: "If we accept it", Status: StepUpcoming,
				Text: "We look at the decision again and tell you what we decided" + within(rules.RedeterminationDeadlineDays, "accepting it") + "."})
		return steps
	case r.Late:
		steps = append(steps, ChallengeStep{Name: "We accepted your late request", On: r.LateAcceptedOn, Status: StepDone, Text: r.LateDecisionReason})
	}
	if !r.DecideBy.IsZero() {
		due := ChallengeStep{Name: "We said we would decide by", On: r.DecideBy, Status: StepCurrent}
		switch {
		case t.DeadlineMissed:
			due.Status = StepMissed
			due.Text = "We did not decide by this date. We are sorry."
		case t.Redetermination != nil:
			due.Status = StepDone
		}
		steps = append(steps, due)
	}
	if d := t.Redetermination; d != nil {
		steps = append(steps, ChallengeStep{Name: "We looked at the decision again", On: d.DecidedOn, Status: StepDone,
			Text: RedeterminationOutcomeText(d.Outcome)})
	}
	if !t.AppealFormSentOn.IsZero() {
		steps = append(steps, ChallengeStep{Name: "We sent you the form to appeal to the tribunal", On: t.AppealFormSentOn, Status: StepDone})
	}
	switch ap := t.Appeal; {
	case ap != nil:
		steps = append(steps, ChallengeStep{Name: "You appealed to the tribunal", On: ap.LodgedOn, Status: StepDone})
		if ap.Outcome != "" {
			steps = append(steps, ChallengeStep{Name: "The tribunal decided", On: ap.DecidedOn, Status: StepDone, Text: AppealOutcomeText(ap.Outcome)})
		} else {
			steps = append(steps, ChallengeStep{Name: "The tribunal decides", Status: StepCurrent,
				Text: "The tribunal is independent of us. It will tell you its decision."})
		}
	case t.CanAppeal:
		appeal := ChallengeStep{Name: "Last day to appeal to the tribunal", On: t.AppealBy, Status: StepCurrent}
		if t.AppealByPassed {
			appeal.Status = StepPassed
		}
		steps = append(steps, appeal)
	case t.Redetermination == nil:
		steps = append(steps, ChallengeStep{Name: "If you still disagree", Status: StepUpcoming,
			Text: "You can appeal to the tribunal" + within(rules.AppealWindowDays, "our new decision") + "."})
	}
	return steps
}

// challengeNarrative says what is happening and what the client can do
// next, with dates.
func (a *Application) challengeNarrative(t ChallengeTimeline) (now, next string) {
	rules := a.benefit.Challenge
	w := t.Window
	switch t.Stage {
	case ChallengeCanAsk:
		return "If you disagree with our decision, you can ask us to look at it again. This is called a re-determination.",
			"Ask by " + w.LastDay.Long() + "."
	case ChallengeCanAskLate:
		return "The last day to ask us to look at the decision again was " + w.LastDay.Long() + ".",
			"You can still ask until " + w.LateUntil.Long() + " if you tell us why you could not ask in time. We accept a late request when there was a good reason."
	case ChallengeClosed:
		return "The last day to ask us to look at the decision again, even late, was " + w.LateUntil.Long() + ".",
			"If you think the decision is wrong, contact us or get free independent advice about what you can still do."
	case ChallengeLateWaiting:
		return "You asked us on " + t.Request.ReceivedOn.Long() + " to look at the decision again. Your request was after the last day, so we are deciding whether we can accept it.",
			"We will tell you. If we accept it, we will look at the decision again" + within(rules.RedeterminationDeadlineDays, "accepting it") + "."
	case ChallengeRequested:
		now = "You asked us on " + t.Request.ReceivedOn.Long() + " to look at the decision again. Someone who was not involved in the first decision is looking at it afresh."
		if t.DecideBy.IsZero() {
			return now, "We will tell you what we decide."
		}
		return now, "We will decide by " + t.DecideBy.Long() + "."
	case ChallengeDeadlineMissed:
		now = "We said we would look at the decision again by " + t.DecideBy.Long() + ", and we have not. We are sorry."
		next = "You can appeal to the tribunal now: you do not need to wait for us." + appealBy(t)
		if t.AppealFormSentOn.IsZero() {
			return now, next + " We will send you the form to appeal."
		}
		return now, next + " We sent you the form to appeal on " + t.AppealFormSentOn.Long() + "."
	case ChallengeRedetermined:
		now = "We looked at the decision again on " + t.Redetermination.DecidedOn.Long() + ": " + RedeterminationOutcomeText(t.Redetermination.Outcome) + "."
		return now, "If you still disagree, you can appeal to the tribunal, which is independent of us." + appealBy(t)
	case ChallengeAppealed:
		return "You appealed to the tribunal on " + t.Appeal.LodgedOn.Long() + ".",
			"The tribunal is independent of us. It will tell you its decision."
	case ChallengeAppealDecided:
		return "The tribunal decided on " + t.Appeal.DecidedOn.Long() + ": " + AppealOutcomeText(t.Appeal.Outcome) + ".", ""
	}
	return "", ""
}

// RedeterminationOutcomeText says a re-determination's outcome in plain words.
func RedeterminationOutcomeText(outcome string) string {
	switch outcome {
	case RedeterminationUnchanged:
		return "the decision stays the same"
	case RedeterminationChangedUp:
		return "we changed the decision, and your award goes up"
	case RedeterminationChangedDown:
		return "we changed the decision, and your award goes down"
	}
	return outcome
}

// AppealOutcomeText says the tribunal's decision in plain words.
func AppealOutcomeText(outcome string) string {
	switch outcome {
	case AppealUpheld:
		return "the tribunal agreed with you"
	case AppealNotUpheld:
		return "the tribunal agreed with our decision"
	case AppealPartlyUpheld:
		return "the tribunal agreed with you in part"
	}
	return outcome
}

// appealBy says by when to appeal, or that the day has passed.
func appealBy(t ChallengeTimeline) string {
	switch {
	case t.AppealBy.IsZero():
		return ""
	case t.AppealByPassed:
		return " The last day to appeal was " + t.AppealBy.Long() + ". The tribunal can sometimes hear a late appeal: contact us or get free independent advice."
	}
	return " Appeal by " + t.AppealBy.Long() + "."
}

// within is " within 56 days of <of>", or "" when the rule is not set.
func within(n int, of string) string {
	if n <= 0 {
		return ""
	}
	return " within " + days(n) + " of " + of
}

// days is a number of days in words: "1 day", "42 days".
func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}
