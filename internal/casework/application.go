package casework

import (
	"fmt"
	"slices"
	"time"
	_ "time/tzdata" // dates are London dates on any machine

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

// Status is where an application is in its life.
type Status string

const (
	StatusOpen      Status = "open"
	StatusDecided   Status = "decided"
	StatusWithdrawn Status = "withdrawn"
)

// Rules are what folding needs besides the events: the benefits the service
// runs and the working-day calendar.
type Rules struct {
	Benefits *charter.Catalogue
	Calendar *calendar.Calendar
}

// Client is the person who applied. Personal data: never logged.
type Client struct {
	Name             string        `json:"name"`
	DateOfBirth      calendar.Date `json:"date_of_birth"`
	Email            string        `json:"email,omitempty"`
	Phone            string        `json:"phone,omitempty"`
	Area             string        `json:"area,omitempty"`              // local authority area
	PreferredContact string        `json:"preferred_contact,omitempty"` // email | sms | letter | none
	Address          *Address      `json:"address,omitempty"`           // for letters
	// AccessibleFormat is how the client needs what we send: large-print
	// letters we print ourselves; the others a person prepares (contact.go).
	AccessibleFormat string `json:"accessible_format,omitempty"`
	Language         string `json:"language,omitempty"` // with accessible_format other-language
	// NoCharterSummary: the client asked us to stop enclosing the summary
	// of our charter with their letters.
	NoCharterSummary bool `json:"no_charter_summary,omitempty"`
}

// InformationRequest is something we asked for, from whom, by when.
type InformationRequest struct {
	ID          string        `json:"id"`
	What        string        `json:"what"`
	Why         string        `json:"why"`
	From        string        `json:"from"` // client | gp | other organisation
	How         string        `json:"how"`
	Due         calendar.Date `json:"due"`
	RequestedOn calendar.Date `json:"requested_on"`
	ReceivedOn  calendar.Date `json:"received_on,omitzero"`
	Notes       []string      `json:"notes,omitempty"`      // what arrived, including partial answers
	RemindedOn  calendar.Date `json:"reminded_on,omitzero"` // when we reminded the client of the date
	Open        bool          `json:"open"`
}

// Pause is a stretch when the decision clock stood still because we were
// waiting on the client. To is zero while the pause goes on.
type Pause struct {
	From      calendar.Date `json:"from"`
	To        calendar.Date `json:"to,omitzero"`
	RequestID string        `json:"request_id"`
}

// StageVisit records when the application entered a stage.
type StageVisit struct {
	Stage string        `json:"stage"`
	On    calendar.Date `json:"on"`
}

// Application is the current state of a case, folded from its events.
type Application struct {
	Ref            Reference     `json:"reference"`
	BenefitID      string        `json:"benefit"`
	Client         Client        `json:"client"`
	Channel        string        `json:"channel"`
	Status         Status        `json:"status"`
	Stage          string        `json:"stage"`
	ReceivedAt     time.Time     `json:"received_at"`
	ReceivedOn     calendar.Date `json:"received_on"`
	AcknowledgedOn calendar.Date `json:"acknowledged_on,omitzero"`
	ClosedOn       calendar.Date `json:"closed_on,omitzero"` // decided or withdrawn
	Decision       *Decision     `json:"decision,omitempty"`
	Challenge      *Challenge    `json:"challenge,omitempty"`
	// RevisedDecisionDate is the new date we gave after missing (or seeing we
	// would miss) the decision standard; zero if we have not given one.
	RevisedDecisionDate calendar.Date        `json:"revised_decision_date,omitzero"`
	Needs               *ClientNeeds         `json:"client_needs,omitempty"` // health conditions: sensitive (consultation.go)
	Consultation        *Consultation        `json:"consultation,omitempty"` // the latest one (consultation.go)
	Referrals           []Referral           `json:"referrals,omitempty"`    // with the client's consent (referral.go)
	Signposts           []Signpost           `json:"signposts,omitempty"`    // other help they may be able to get (referral.go)
	Supporters          []Supporter          `json:"supporters,omitempty"`   // people the client authorised to help (supporter.go)
	Requests            []InformationRequest `json:"information_requests"`
	Pauses              []Pause              `json:"pauses"`
	Stages              []StageVisit         `json:"stages"`
	LastUpdateOn        calendar.Date        `json:"last_update_on"` // last time we told the client something
	// AtRiskFlaggedFor and MissedNoticeFor are the decision dates for which
	// staff were alerted that the date is at risk, and the client was told
	// we missed it (contact.go); zero if never.
	AtRiskFlaggedFor calendar.Date `json:"at_risk_flagged_for,omitzero"`
	MissedNoticeFor  calendar.Date `json:"missed_notice_for,omitzero"`
	LastEventAt      time.Time     `json:"last_event_at"`
	Version          int           `json:"version"` // Seq of the last event applied

	benefit *charter.Benefit
}

// Benefit returns the benefit the application is for.
func (a *Application) Benefit() *charter.Benefit { return a.benefit }

// OpenRequests returns the information requests still waiting for an answer.
func (a *Application) OpenRequests() []InformationRequest {
	var open []InformationRequest
	for _, r := range a.Requests {
		if r.Open {
			open = append(open, r)
		}
	}
	return open
}

// Fold replays events into the application they describe. It fails on the
// first event that breaks a rule, naming it.
func Fold(r Rules, events []Event) (*Application, error) {
	a := &Application{}
	for _, e := range events {
		// Fold discards a on error, so it applies in place; Apply copies.
		if err := a.apply(r, e, false); err != nil {
			return nil, fmt.Errorf("event %d (%s): %w", e.Seq, e.Type, err)
		}
	}
	if a.Version == 0 {
		return nil, errs.NotFound("this application has no events")
	}
	return a, nil
}

// Apply checks e against the application's rules and, if it is allowed,
// applies it. On error the application is unchanged.
func (a *Application) Apply(r Rules, e Event) error { return a.apply(r, e, true) }

func (a *Application) apply(r Rules, e Event, copyFirst bool) error {
	if e.Body == nil || e.Body.Type() != e.Type {
		return errs.Invalid("type", "the event has no body for its type %q", e.Type)
	}
	if e.Seq != a.Version+1 {
		return errs.Conflict("event %d does not follow event %d", e.Seq, a.Version)
	}
	if e.At.IsZero() {
		return errs.Invalid("at", "say when this happened")
	}
	if a.Version == 0 && e.Type != TypeReceived {
		return errs.Invalid("type", "the first event on an application must be %q", TypeReceived)
	}
	if a.Version > 0 {
		if e.Type == TypeReceived {
			return errs.Conflict("this application has already been received")
		}
		if e.At.Before(a.ReceivedAt) {
			return errs.Invalid("at", "this is dated %s, before the application was received on %s",
				LocalDate(e.At), a.ReceivedOn)
		}
		if e.At.Before(a.LastEventAt) {
			return errs.Invalid("at", "this is dated before the last event on the application (%s)",
				LocalDate(a.LastEventAt))
		}
	}
	next := a
	if copyFirst {
		next = a.clone()
	}
	if err := e.Body.apply(next, e, r); err != nil {
		return err
	}
	next.Version = e.Seq
	next.LastEventAt = e.At
	if copyFirst {
		*a = *next
	}
	return nil
}

func (a *Application) clone() *Application {
	c := *a
	c.Requests = slices.Clone(a.Requests)
	for i := range c.Requests {
		c.Requests[i].Notes = slices.Clone(c.Requests[i].Notes)
	}
	c.Pauses = slices.Clone(a.Pauses)
	c.Stages = slices.Clone(a.Stages)
	if a.Decision != nil {
		d := *a.Decision
		c.Decision = &d
	}
	return &c
}

func (a *Application) requireOpen(what string) error {
	switch a.Status {
	case StatusWithdrawn:
		return errs.Conflict("cannot %s: the application was withdrawn on %s", what, a.ClosedOn)
	case StatusDecided:
		return errs.Conflict("cannot %s: the application was decided on %s", what, a.ClosedOn)
	}
	return nil
}

// enterStage moves the application into a stage.
func (a *Application) enterStage(stage string, on calendar.Date) {
	a.Stage = stage
	a.Stages = append(a.Stages, StageVisit{Stage: stage, On: on})
}

// endPauseIfNoneOpen ends the current pause when no client request is open.
func (a *Application) endPauseIfNoneOpen(on calendar.Date) {
	if len(a.Pauses) == 0 || !a.Pauses[len(a.Pauses)-1].To.IsZero() {
		return
	}
	for _, r := range a.Requests {
		if r.Open && r.From == FromClient {
			return
		}
	}
	a.Pauses[len(a.Pauses)-1].To = on
}

// Paused reports whether the decision clock is stopped now.
func (a *Application) Paused() bool {
	return len(a.Pauses) > 0 && a.Pauses[len(a.Pauses)-1].To.IsZero()
}

// Zone is the service's time zone; a person's "today" is a date there.
var Zone = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // the binary embeds time/tzdata, so this cannot fail
	}
	return loc
}

// LocalDate is the date of t in the service's time zone.
func LocalDate(t time.Time) calendar.Date { return calendar.DateOf(t.In(Zone)) }
