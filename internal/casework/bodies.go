package casework

import (
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// The event types the foundation records. Other parts of the service add more
// by writing a body type and registering it.
const (
	TypeReceived             EventType = "received"
	TypeAcknowledged         EventType = "acknowledged"
	TypeStageChanged         EventType = "stage_changed"
	TypeInformationRequested EventType = "information_requested"
	TypeInformationReceived  EventType = "information_received"
	TypeDecisionMade         EventType = "decision_made"
	TypeUpdateSent           EventType = "update_sent"
	TypeWithdrawn            EventType = "withdrawn"
)

// Who an information request is addressed to.
const (
	FromClient       = "client"
	FromGP           = "gp"
	FromOrganisation = "other organisation"
)

// Decision outcomes.
const (
	OutcomeAward   = "award"
	OutcomePartial = "partial"
	OutcomeRefuse  = "refuse"
)

func init() {
	register(func() Body { return &Received{} })
	register(func() Body { return &Acknowledged{} })
	register(func() Body { return &StageChanged{} })
	register(func() Body { return &InformationRequested{} })
	register(func() Body { return &InformationReceived{} })
	register(func() Body { return &DecisionMade{} })
	register(func() Body { return &UpdateSent{} })
	register(func() Body { return &Withdrawn{} })
}

// Received opens an application.
type Received struct {
	Benefit string `json:"benefit"`
	Client  Client `json:"client"`
	Channel string `json:"channel"` // online | phone | paper
}

func (*Received) Type() EventType { return TypeReceived }

func (b *Received) apply(a *Application, e Event, r Rules) error {
	ben, ok := r.Benefits.Benefit(b.Benefit)
	if !ok {
		return errs.Invalid("body.benefit", "%q is not a benefit we run", b.Benefit)
	}
	if strings.TrimSpace(b.Client.Name) == "" {
		return errs.Invalid("body.client.name", "give the client's name")
	}
	if b.Client.DateOfBirth.IsZero() {
		return errs.Invalid("body.client.date_of_birth", "give the client's date of birth")
	}
	if !b.Client.DateOfBirth.Before(LocalDate(e.At)) {
		return errs.Invalid("body.client.date_of_birth", "the date of birth must be before the date the application was received")
	}
	if err := checkContact("body.client", &b.Client); err != nil {
		return err
	}
	switch b.Channel {
	case "online", "phone", "paper":
	case "":
		b.Channel = "online"
	default:
		return errs.Invalid("body.channel", "choose online, phone or paper")
	}
	a.benefit = ben
	a.BenefitID = ben.ID
	a.Client = b.Client
	a.Channel = b.Channel
	a.Status = StatusOpen
	a.ReceivedAt = e.At
	a.ReceivedOn = LocalDate(e.At)
	a.LastUpdateOn = a.ReceivedOn
	a.Requests = []InformationRequest{}
	a.Pauses = []Pause{}
	a.enterStage(ben.Stages[0].ID, a.ReceivedOn)
	return nil
}

// Acknowledged records that we told the client we have their application.
type Acknowledged struct{}

func (*Acknowledged) Type() EventType { return TypeAcknowledged }

func (*Acknowledged) apply(a *Application, e Event, _ Rules) error {
	if !a.AcknowledgedOn.IsZero() {
		return errs.Conflict("the application was already acknowledged on %s", a.AcknowledgedOn)
	}
	if err := a.requireOpen("acknowledge it"); err != nil {
		return err
	}
	a.AcknowledgedOn = LocalDate(e.At)
	a.LastUpdateOn = a.AcknowledgedOn
	return nil
}

// StageChanged moves the application to another stage of its benefit.
type StageChanged struct {
	Stage string `json:"stage"`
	Note  string `json:"note,omitempty"`
}

func (*StageChanged) Type() EventType { return TypeStageChanged }

func (b *StageChanged) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("change its stage"); err != nil {
		return err
	}
	_, i := a.benefit.Stage(b.Stage)
	switch {
	case b.Stage == "":
		return errs.Invalid("body.stage", "choose a stage")
	case i < 0:
		return errs.Invalid("body.stage", "%q is not a stage of %s", b.Stage, a.benefit.Name)
	case i == 0:
		return errs.Invalid("body.stage", "an application cannot go back to %q", b.Stage)
	case b.Stage == a.Stage:
		return errs.Conflict("the application is already at the stage %q", b.Stage)
	}
	on := LocalDate(e.At)
	a.enterStage(b.Stage, on)
	a.LastUpdateOn = on
	return nil
}

// InformationRequested asks someone for information the decision needs.
type InformationRequested struct {
	RequestID string        `json:"request_id"`
	What      string        `json:"what"`
	Why       string        `json:"why"`
	From      string        `json:"from"`
	How       string        `json:"how"`
	Due       calendar.Date `json:"due,omitzero"` // default: the benefit's usual time to answer
}

func (*InformationRequested) Type() EventType { return TypeInformationRequested }

func (b *InformationRequested) apply(a *Application, e Event, r Rules) error {
	if err := a.requireOpen("ask for information"); err != nil {
		return err
	}
	on := LocalDate(e.At)
	switch {
	case strings.TrimSpace(b.What) == "":
		return errs.Invalid("body.what", "say exactly what information is needed")
	case strings.TrimSpace(b.Why) == "":
		return errs.Invalid("body.why", "say why the information is needed")
	case b.From != FromClient && b.From != FromGP && b.From != FromOrganisation:
		return errs.Invalid("body.from", "choose who can provide it: client, gp or other organisation")
	}
	if b.RequestID == "" {
		b.RequestID = "R" + strconv.Itoa(len(a.Requests)+1)
	}
	for _, q := range a.Requests {
		if q.ID == b.RequestID {
			return errs.Conflict("there is already an information request %q", b.RequestID)
		}
	}
	if b.How == "" {
		b.How = "Upload it from your application page, or post it to the address on your letter, quoting your reference."
	}
	if b.Due.IsZero() {
		days := a.benefit.Standards.InformationRequestWorkingDays
		if days <= 0 {
			days = 10
		}
		b.Due = r.Calendar.AddWorkingDays(on, days)
	}
	if !b.Due.After(on) {
		return errs.Invalid("body.due", "the date to send it by must be after %s", on)
	}
	a.Requests = append(a.Requests, InformationRequest{
		ID: b.RequestID, What: b.What, Why: b.Why, From: b.From, How: b.How,
		Due: b.Due, RequestedOn: on, Open: true,
	})
	a.LastUpdateOn = on
	if b.From == FromClient && a.benefit.Standards.PauseWhileWaitingOnClient && !a.Paused() {
		a.Pauses = append(a.Pauses, Pause{From: on, RequestID: b.RequestID})
	}
	return nil
}

// InformationReceived records what arrived for a request, fully or in part.
type InformationReceived struct {
	RequestID string `json:"request_id"` // may be left out when exactly one request is open
	Note      string `json:"note,omitempty"`
	Partial   bool   `json:"partial,omitempty"` // the request stays open
}

func (*InformationReceived) Type() EventType { return TypeInformationReceived }

func (b *InformationReceived) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("record information"); err != nil {
		return err
	}
	open := a.OpenRequests()
	if len(open) == 0 {
		return errs.Conflict("there is no open information request on this application")
	}
	if b.RequestID == "" {
		if len(open) > 1 {
			return errs.Invalid("body.request_id", "say which request this answers: %d are open", len(open))
		}
		b.RequestID = open[0].ID
	}
	on := LocalDate(e.At)
	for i := range a.Requests {
		q := &a.Requests[i]
		if q.ID != b.RequestID {
			continue
		}
		if !q.Open {
			return errs.Conflict("information request %q was already answered on %s", q.ID, q.ReceivedOn)
		}
		if b.Note != "" {
			q.Notes = append(q.Notes, b.Note)
		}
		if !b.Partial {
			q.Open = false
			q.ReceivedOn = on
			a.endPauseIfNoneOpen(on)
		}
		return nil
	}
	return errs.Invalid("body.request_id", "there is no information request %q on this application", b.RequestID)
}

// CriterionReason is the decision on one criterion of the benefit.
type CriterionReason struct {
	Criterion string   `json:"criterion"`
	Met       bool     `json:"met"`
	Reason    string   `json:"reason"`
	Evidence  []string `json:"evidence,omitempty"`
}

// Decision is the outcome of an application with its reasons.
type Decision struct {
	Outcome       string            `json:"outcome"`
	Award         string            `json:"award,omitempty"`
	Reasons       []CriterionReason `json:"reasons"`
	DecisionMaker string            `json:"decision_maker"` // the role, not the person
	DecidedOn     calendar.Date     `json:"decided_on"`
	// IssuedAt is when the decision was issued: the challenge clocks start from it (challenge.go).
	IssuedAt time.Time `json:"issued_at"`
}

// DecisionMade records a decision with a reason for every criterion.
type DecisionMade struct {
	Outcome       string            `json:"outcome"`
	Award         string            `json:"award,omitempty"`
	Reasons       []CriterionReason `json:"reasons"`
	DecisionMaker string            `json:"decision_maker"`
}

func (*DecisionMade) Type() EventType { return TypeDecisionMade }

func (b *DecisionMade) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("record a decision"); err != nil {
		return err
	}
	switch b.Outcome {
	case OutcomeAward, OutcomePartial, OutcomeRefuse:
	default:
		return errs.Invalid("body.outcome", "choose award, partial or refuse")
	}
	if b.DecisionMaker == "" {
		return errs.Invalid("body.decision_maker", "give the role of the person who made the decision")
	}
	given := map[string]CriterionReason{}
	for i, r := range b.Reasons {
		if _, ok := given[r.Criterion]; ok {
			return errs.Invalid("body.reasons["+strconv.Itoa(i)+"].criterion", "criterion %q has two reasons", r.Criterion)
		}
		if strings.TrimSpace(r.Reason) == "" {
			return errs.Invalid("body.reasons["+strconv.Itoa(i)+"].reason", "give a reason in plain words for criterion %q", r.Criterion)
		}
		given[r.Criterion] = r
	}
	var missing []string
	for _, c := range a.benefit.Criteria {
		if _, ok := given[c.ID]; !ok {
			missing = append(missing, c.ID)
		}
		delete(given, c.ID)
	}
	if len(missing) > 0 {
		return errs.Invalid("body.reasons", "every criterion needs a reason; missing: %s", strings.Join(missing, ", "))
	}
	for id := range given {
		return errs.Invalid("body.reasons", "%q is not a criterion of %s", id, a.benefit.Name)
	}
	on := LocalDate(e.At)
	a.Decision = &Decision{Outcome: b.Outcome, Award: b.Award, Reasons: b.Reasons, DecisionMaker: b.DecisionMaker, DecidedOn: on, IssuedAt: e.At}
	a.Status = StatusDecided
	a.ClosedOn = on
	if _, i := a.benefit.Stage("decision"); i >= 0 && a.Stage != "decision" {
		a.enterStage("decision", on)
	}
	for i := range a.Requests {
		a.Requests[i].Open = false
	}
	a.endPauseIfNoneOpen(on)
	a.LastUpdateOn = on
	return nil
}

// UpdateSent records that we told the client how their application is going.
type UpdateSent struct {
	Channel string `json:"channel"` // email | sms | letter | phone
	Summary string `json:"summary"`
	// Reason is why the service sent it by itself: "no_silence" when the
	// client would otherwise have gone too long without news. Empty when a
	// person records an update they gave (a phone call, say).
	Reason string `json:"reason,omitempty"`
}

func (*UpdateSent) Type() EventType { return TypeUpdateSent }

func (b *UpdateSent) apply(a *Application, e Event, _ Rules) error {
	if strings.TrimSpace(b.Summary) == "" {
		return errs.Invalid("body.summary", "say in a few words what the client was told")
	}
	if b.Reason != "" && b.Reason != UpdateReasonNoSilence {
		return errs.Invalid("body.reason", "leave the reason out, or give %q", UpdateReasonNoSilence)
	}
	a.LastUpdateOn = LocalDate(e.At)
	return nil
}

// Withdrawn closes an application at the client's request.
type Withdrawn struct {
	Reason string `json:"reason,omitempty"`
}

func (*Withdrawn) Type() EventType { return TypeWithdrawn }

func (b *Withdrawn) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("withdraw it"); err != nil {
		return err
	}
	on := LocalDate(e.At)
	a.Status = StatusWithdrawn
	a.ClosedOn = on
	for i := range a.Requests {
		a.Requests[i].Open = false
	}
	a.endPauseIfNoneOpen(on)
	return nil
}
