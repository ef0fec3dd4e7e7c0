package casework

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// The events of a challenge to a decision: a re-determination (we look at
// our decision again) and then an appeal to the tribunal. There is no event
// for withdrawing a request for a re-determination: once made it cannot be
// withdrawn, and the pages say so before the client asks.
//
// Every refusal is errs.Invalid naming the field at fault ("type" when the
// event does not fit where the challenge is), and leaves the application
// unchanged: each apply builds a new Challenge and swaps it in last.
const (
	TypeRedeterminationRequested EventType = "redetermination_requested"
	TypeLateRequestDecided       EventType = "late_request_decided"
	TypeRedeterminationDecided   EventType = "redetermination_decided"
	TypeAppealFormSent           EventType = "appeal_form_sent"
	TypeAppealLodged             EventType = "appeal_lodged"
	TypeAppealDecided            EventType = "appeal_decided"
)

// How a request for a re-determination reached us.
const (
	AskedOnline   = "online"
	AskedByPhone  = "phone"
	AskedByPost   = "post"
	AskedInPerson = "in_person"
)

// Who made a request for a re-determination.
const (
	AskedByClient    = "client"
	AskedBySupporter = "supporter"
	AskedByStaff     = "staff" // a member of staff, on the client's behalf
)

// Late request outcomes.
const (
	LateAccepted = "accepted"
	LateRefused  = "refused"
)

// Re-determination outcomes: the award may go up or down.
const (
	RedeterminationUnchanged   = "unchanged"
	RedeterminationChangedUp   = "changed_up"
	RedeterminationChangedDown = "changed_down"
)

// Appeal outcomes, from the client's side: "upheld" means the tribunal
// agreed with the client.
const (
	AppealUpheld       = "upheld"
	AppealNotUpheld    = "not_upheld"
	AppealPartlyUpheld = "partly_upheld"
)

func init() {
	register(func() Body { return &RedeterminationRequested{} })
	register(func() Body { return &LateRequestDecided{} })
	register(func() Body { return &RedeterminationDecided{} })
	register(func() Body { return &AppealFormSent{} })
	register(func() Body { return &AppealLodged{} })
	register(func() Body { return &AppealDecided{} })
}

// Challenge is where a client's challenge to the decision stands. Nil until
// the client first asks for a re-determination.
type Challenge struct {
	// Request is the request for a re-determination being dealt with, or
	// nil after a late request was refused.
	Request *RedeterminationRequest `json:"request,omitempty"`
	// Refused are earlier late requests we did not accept. The client may
	// ask again, with another reason, until the late limit.
	Refused          []RedeterminationRequest `json:"refused,omitempty"`
	Redetermination  *Redetermination         `json:"redetermination,omitempty"`
	AppealFormSentOn calendar.Date            `json:"appeal_form_sent_on,omitzero"`
	AppealFormSentBy string                   `json:"appeal_form_sent_by,omitempty"` // letter | email
	Appeal           *Appeal                  `json:"appeal,omitempty"`
}

// RedeterminationRequest is a client's request to look at the decision again.
type RedeterminationRequest struct {
	ReceivedOn   calendar.Date `json:"received_on"`
	How          string        `json:"how"` // online | phone | post | in_person
	By           string        `json:"by"`  // client | supporter | staff
	Disagreement string        `json:"disagreement"`
	Criteria     []string      `json:"criteria,omitempty"` // the parts of the decision disagreed with, if said
	Late         bool          `json:"late"`
	LateReason   string        `json:"late_reason,omitempty"`
	// For a late request: when and why we accepted or refused it.
	LateAcceptedOn     calendar.Date `json:"late_accepted_on,omitzero"`
	LateRefusedOn      calendar.Date `json:"late_refused_on,omitzero"`
	LateDecisionReason string        `json:"late_decision_reason,omitempty"`
	// DecideBy is our deadline; zero while a late request waits to be accepted.
	DecideBy calendar.Date `json:"decide_by,omitzero"`
}

// WaitingForLateDecision reports whether the request is late and we have
// not yet said whether we accept it.
func (r *RedeterminationRequest) WaitingForLateDecision() bool {
	return r.Late && r.LateAcceptedOn.IsZero() && r.LateRefusedOn.IsZero()
}

// Redetermination is our decision on looking at the decision again.
type Redetermination struct {
	Outcome       string            `json:"outcome"` // unchanged | changed_up | changed_down
	Award         string            `json:"award,omitempty"`
	Reasons       []CriterionReason `json:"reasons"`
	DecisionMaker string            `json:"decision_maker"`
	DecidedOn     calendar.Date     `json:"decided_on"`
	Late          bool              `json:"late"` // after the deadline
}

// Appeal is the client's appeal to the tribunal.
type Appeal struct {
	LodgedOn  calendar.Date `json:"lodged_on"`
	Late      bool          `json:"late"` // after the appeal window: the tribunal decides whether to hear it
	Note      string        `json:"note,omitempty"`
	Outcome   string        `json:"outcome,omitempty"` // once decided
	DecidedOn calendar.Date `json:"decided_on,omitzero"`
	// DecisionNote is what staff noted about the tribunal's decision.
	DecisionNote string `json:"decision_note,omitempty"`
}

// copy returns a copy of c (or a new Challenge if c is nil) that shares
// nothing a later apply changes, so the application before an event is
// never touched.
func (c *Challenge) copy() *Challenge {
	if c == nil {
		return &Challenge{}
	}
	n := *c
	if c.Request != nil {
		r := *c.Request
		n.Request = &r
	}
	n.Refused = slices.Clip(c.Refused)
	if c.Appeal != nil {
		ap := *c.Appeal
		n.Appeal = &ap
	}
	return &n
}

// activeRequest is the request being dealt with, or nil.
func (a *Application) activeRequest() *RedeterminationRequest {
	if a.Challenge == nil {
		return nil
	}
	return a.Challenge.Request
}

// appealFrom is the day the client's appeal window counts from as of day
// on, and whether they may appeal at all: our re-determination, or our
// deadline once it has passed without one.
func (a *Application) appealFrom(on calendar.Date) (calendar.Date, bool) {
	c := a.Challenge
	switch {
	case c == nil || c.Request == nil:
		return 0, false
	case c.Redetermination != nil && !on.Before(c.Redetermination.DecidedOn):
		return c.Redetermination.DecidedOn, true
	case !c.Request.DecideBy.IsZero() && on.After(c.Request.DecideBy):
		return c.Request.DecideBy, true
	}
	return 0, false
}

// RedeterminationRequested records a request to look at the decision
// again. The event's time is when it was recorded; ReceivedOn, if given,
// is the day it reached us (a letter opened the day before, say).
type RedeterminationRequested struct {
	ReceivedOn   calendar.Date `json:"received_on,omitzero"` // default: the day of the event
	How          string        `json:"how"`
	By           string        `json:"by"`
	Disagreement string        `json:"disagreement"`
	Criteria     []string      `json:"criteria,omitempty"`
	LateReason   string        `json:"late_reason,omitempty"` // required when the request is late
}

func (*RedeterminationRequested) Type() EventType { return TypeRedeterminationRequested }

func (b *RedeterminationRequested) apply(a *Application, e Event, _ Rules) error {
	if a.Decision == nil {
		return errs.Invalid("type", "there is no decision on this application yet, so there is nothing to look at again")
	}
	w, ok := a.RequestWindow()
	if !ok {
		return errs.Invalid("type", "%s has no re-determination window in the benefit catalogue", a.benefit.Name)
	}
	if c := a.Challenge; c != nil {
		switch r := c.Request; {
		case c.Redetermination != nil:
			return errs.Invalid("type", "we already looked at the decision again on %s; the next step is an appeal to the tribunal",
				c.Redetermination.DecidedOn.Long())
		case r != nil && r.WaitingForLateDecision():
			return errs.Invalid("type", "a re-determination was already asked for on %s; we are deciding whether we can accept it late",
				r.ReceivedOn.Long())
		case r != nil:
			return errs.Invalid("type", "a re-determination was already asked for on %s and a request cannot be made twice", r.ReceivedOn.Long())
		}
	}
	on := LocalDate(e.At)
	if b.ReceivedOn.IsZero() {
		b.ReceivedOn = on
	}
	switch {
	case b.ReceivedOn.After(on):
		return errs.Invalid("body.received_on", "the day the request reached us cannot be after the day it is recorded, %s", on.Long())
	case b.ReceivedOn.Before(a.Decision.DecidedOn):
		return errs.Invalid("body.received_on", "the day the request reached us cannot be before the decision on %s", a.Decision.DecidedOn.Long())
	}
	switch b.How {
	case AskedOnline, AskedByPhone, AskedByPost, AskedInPerson:
	default:
		return errs.Invalid("body.how", "say how the request reached us: online, phone, post or in_person")
	}
	switch b.By {
	case AskedByClient, AskedBySupporter, AskedByStaff:
	default:
		return errs.Invalid("body.by", "say who made the request: client, supporter or staff (on the client's behalf)")
	}
	b.Disagreement = strings.TrimSpace(b.Disagreement)
	if b.Disagreement == "" {
		return errs.Invalid("body.disagreement", "say what the client disagrees with, in their words")
	}
	seen := map[string]bool{}
	for i, id := range b.Criteria {
		field := "body.criteria[" + strconv.Itoa(i) + "]"
		if !a.hasCriterion(id) {
			return errs.Invalid(field, "%q is not a part of the decision on %s", id, a.benefit.Name)
		}
		if seen[id] {
			return errs.Invalid(field, "%q is given twice", id)
		}
		seen[id] = true
	}
	req := RedeterminationRequest{ReceivedOn: b.ReceivedOn, How: b.How, By: b.By, Disagreement: b.Disagreement,
		Criteria: slices.Clone(b.Criteria)}
	switch w.Timing(b.ReceivedOn) {
	case TimingTooLate:
		if w.LateUntil == w.LastDay {
			return errs.Invalid("body.received_on", "the last day to ask was %s, and %s takes no late requests",
				w.LastDay.Long(), a.benefit.Name)
		}
		return errs.Invalid("body.received_on", "the last day to ask, even late with a good reason, was %s", w.LateUntil.Long())
	case TimingLate:
		b.LateReason = strings.TrimSpace(b.LateReason)
		if b.LateReason == "" {
			return errs.Invalid("body.late_reason", "the request is late (the last day to ask was %s): say why it could not be made in time",
				w.LastDay.Long())
		}
		req.Late, req.LateReason = true, b.LateReason
	default:
		req.DecideBy = RedeterminationDue(a.benefit.Challenge, b.ReceivedOn)
	}
	next := a.Challenge.copy()
	next.Request = &req
	a.Challenge = next
	return nil
}

func (a *Application) hasCriterion(id string) bool {
	for _, c := range a.benefit.Criteria {
		if c.ID == id {
			return true
		}
	}
	return false
}

// LateRequestDecided records whether we accept a late request. We accept
// one when the client had a good reason; either way we say why.
type LateRequestDecided struct {
	Outcome string `json:"outcome"` // accepted | refused
	Reason  string `json:"reason"`
}

func (*LateRequestDecided) Type() EventType { return TypeLateRequestDecided }

func (b *LateRequestDecided) apply(a *Application, e Event, _ Rules) error {
	r := a.activeRequest()
	if r == nil || !r.WaitingForLateDecision() {
		return errs.Invalid("type", "there is no late request for a re-determination waiting for a decision")
	}
	if b.Outcome != LateAccepted && b.Outcome != LateRefused {
		return errs.Invalid("body.outcome", "choose accepted or refused")
	}
	b.Reason = strings.TrimSpace(b.Reason)
	if b.Reason == "" {
		return errs.Invalid("body.reason", "give the reason in plain words: the client reads it")
	}
	on := LocalDate(e.At)
	next := a.Challenge.copy()
	req := next.Request
	req.LateDecisionReason = b.Reason
	if b.Outcome == LateAccepted {
		req.LateAcceptedOn = on
		req.DecideBy = RedeterminationDue(a.benefit.Challenge, on)
	} else {
		req.LateRefusedOn = on
		next.Refused = append(next.Refused, *req)
		next.Request = nil
	}
	a.Challenge = next
	return nil
}

// RedeterminationDecided records our decision on looking at the decision
// again, with a reason for every criterion, as for the first decision.
type RedeterminationDecided struct {
	Outcome       string            `json:"outcome"`
	Award         string            `json:"award,omitempty"`
	Reasons       []CriterionReason `json:"reasons"`
	DecisionMaker string            `json:"decision_maker"`
}

func (*RedeterminationDecided) Type() EventType { return TypeRedeterminationDecided }

func (b *RedeterminationDecided) apply(a *Application, e Event, _ Rules) error {
	r := a.activeRequest()
	switch {
	case r == nil:
		return errs.Invalid("type", "there is no request for a re-determination to decide")
	case r.WaitingForLateDecision():
		return errs.Invalid("type", "the request is late: record whether we accept it before deciding it")
	case a.Challenge.Redetermination != nil:
		return errs.Invalid("type", "the re-determination was already decided on %s", a.Challenge.Redetermination.DecidedOn.Long())
	case a.Challenge.Appeal != nil:
		return errs.Invalid("type", "the client appealed on %s after our deadline passed: the tribunal decides now", a.Challenge.Appeal.LodgedOn.Long())
	}
	switch b.Outcome {
	case RedeterminationUnchanged, RedeterminationChangedUp, RedeterminationChangedDown:
	default:
		return errs.Invalid("body.outcome", "choose unchanged, changed_up or changed_down")
	}
	if strings.TrimSpace(b.DecisionMaker) == "" {
		return errs.Invalid("body.decision_maker", "give the role of the person who looked at the decision again")
	}
	if err := checkReasons(a, b.Reasons); err != nil {
		return err
	}
	on := LocalDate(e.At)
	next := a.Challenge.copy()
	next.Redetermination = &Redetermination{Outcome: b.Outcome, Award: b.Award, Reasons: slices.Clone(b.Reasons),
		DecisionMaker: b.DecisionMaker, DecidedOn: on, Late: !r.DecideBy.IsZero() && on.After(r.DecideBy)}
	a.Challenge = next
	return nil
}

// checkReasons checks there is one reason in words for every criterion of
// the benefit, and nothing else: the rule a first decision follows too.
func checkReasons(a *Application, reasons []CriterionReason) error {
	given := map[string]bool{}
	for i, r := range reasons {
		field := "body.reasons[" + strconv.Itoa(i) + "]"
		switch {
		case !a.hasCriterion(r.Criterion):
			return errs.Invalid(field+".criterion", "%q is not a criterion of %s", r.Criterion, a.benefit.Name)
		case given[r.Criterion]:
			return errs.Invalid(field+".criterion", "criterion %q has two reasons", r.Criterion)
		case strings.TrimSpace(r.Reason) == "":
			return errs.Invalid(field+".reason", "give a reason in plain words for criterion %q", r.Criterion)
		}
		given[r.Criterion] = true
	}
	var missing []string
	for _, c := range a.benefit.Criteria {
		if !given[c.ID] {
			missing = append(missing, c.ID)
		}
	}
	if len(missing) > 0 {
		return errs.Invalid("body.reasons", "every criterion needs a reason; missing: %s", strings.Join(missing, ", "))
	}
	return nil
}

// AppealFormSent records that we sent the client the form to appeal to the
// tribunal: with our re-determination, or once our deadline passed
// without one.
type AppealFormSent struct {
	Channel string `json:"channel,omitempty"` // letter (the default) | email
}

func (*AppealFormSent) Type() EventType { return TypeAppealFormSent }

func (b *AppealFormSent) apply(a *Application, e Event, _ Rules) error {
	on := LocalDate(e.At)
	if err := a.requireAppealable(on); err != nil {
		return err
	}
	if !a.Challenge.AppealFormSentOn.IsZero() {
		return errs.Invalid("type", "the appeal form was already sent on %s", a.Challenge.AppealFormSentOn.Long())
	}
	switch b.Channel {
	case "":
		b.Channel = "letter"
	case "letter", "email":
	default:
		return errs.Invalid("body.channel", "choose letter or email")
	}
	next := a.Challenge.copy()
	next.AppealFormSentOn, next.AppealFormSentBy = on, b.Channel
	a.Challenge = next
	return nil
}

// requireAppealable refuses unless the client may appeal on day on.
func (a *Application) requireAppealable(on calendar.Date) error {
	r := a.activeRequest()
	switch {
	case r == nil:
		return errs.Invalid("type", "the client cannot appeal yet: there is no request for a re-determination")
	case r.DecideBy.IsZero():
		return errs.Invalid("type", "the client cannot appeal yet: the late request has not been accepted")
	}
	if _, ok := a.appealFrom(on); !ok {
		return errs.Invalid("type", "the client cannot appeal yet: we have until %s to look at the decision again", r.DecideBy.Long())
	}
	return nil
}

// AppealLodged records that the client appealed to the tribunal.
type AppealLodged struct {
	LodgedOn calendar.Date `json:"lodged_on,omitzero"` // default: the day of the event
	Note     string        `json:"note,omitempty"`
}

func (*AppealLodged) Type() EventType { return TypeAppealLodged }

func (b *AppealLodged) apply(a *Application, e Event, _ Rules) error {
	on := LocalDate(e.At)
	if b.LodgedOn.IsZero() {
		b.LodgedOn = on
	}
	if b.LodgedOn.After(on) {
		return errs.Invalid("body.lodged_on", "the day of the appeal cannot be after the day it is recorded, %s", on.Long())
	}
	if a.Challenge != nil && a.Challenge.Appeal != nil {
		return errs.Invalid("type", "the client already appealed on %s", a.Challenge.Appeal.LodgedOn.Long())
	}
	if err := a.requireAppealable(b.LodgedOn); err != nil {
		return err
	}
	from, _ := a.appealFrom(b.LodgedOn)
	by := AppealBy(a.benefit.Challenge, from)
	next := a.Challenge.copy()
	next.Appeal = &Appeal{LodgedOn: b.LodgedOn, Note: strings.TrimSpace(b.Note), Late: !by.IsZero() && b.LodgedOn.After(by)}
	a.Challenge = next
	return nil
}

// AppealDecided records the tribunal's decision.
type AppealDecided struct {
	Outcome   string        `json:"outcome"`             // upheld | not_upheld | partly_upheld
	DecidedOn calendar.Date `json:"decided_on,omitzero"` // default: the day of the event
	Note      string        `json:"note,omitempty"`
}

func (*AppealDecided) Type() EventType { return TypeAppealDecided }

func (b *AppealDecided) apply(a *Application, e Event, _ Rules) error {
	if a.Challenge == nil || a.Challenge.Appeal == nil {
		return errs.Invalid("type", "there is no appeal to the tribunal on this application")
	}
	ap := a.Challenge.Appeal
	if ap.Outcome != "" {
		return errs.Invalid("type", "the tribunal's decision was already recorded: it decided on %s", ap.DecidedOn.Long())
	}
	switch b.Outcome {
	case AppealUpheld, AppealNotUpheld, AppealPartlyUpheld:
	default:
		return errs.Invalid("body.outcome", "choose upheld, not_upheld or partly_upheld")
	}
	on := LocalDate(e.At)
	if b.DecidedOn.IsZero() {
		b.DecidedOn = on
	}
	switch {
	case b.DecidedOn.After(on):
		return errs.Invalid("body.decided_on", "the tribunal's decision cannot be dated after the day it is recorded, %s", on.Long())
	case b.DecidedOn.Before(ap.LodgedOn):
		return errs.Invalid("body.decided_on", "the tribunal's decision cannot be dated before the appeal on %s", ap.LodgedOn.Long())
	}
	next := a.Challenge.copy()
	next.Appeal.Outcome, next.Appeal.DecidedOn = b.Outcome, b.DecidedOn
	next.Appeal.DecisionNote = strings.TrimSpace(b.Note)
	a.Challenge = next
	return nil
}
