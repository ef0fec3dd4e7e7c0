package measure

import (
	"fmt"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

// Facts is one application's row of facts: what measures are computed
// from. Every field is a scalar so that the store can keep it as one table
// row per application, written in the same transaction as each event, and
// stream it back cheaply. A date is zero when the thing did not happen; a
// count is zero when there were none. FactFields lists the fields by the
// names measure definitions use, with a plain description of each.
type Facts struct {
	Ref     string // set by the caller: events do not carry the reference
	Benefit string
	Area    string // the council area, as the directory spells it; "" when not recorded
	AgeBand string // at receipt, from the date of birth (AgeBands)
	Channel string // online | phone | paper
	Status  string // open | decided | withdrawn

	ReceivedOn         calendar.Date
	AcknowledgeDue     calendar.Date
	AcknowledgedOn     calendar.Date
	AcknowledgedInTime bool // on or before AcknowledgeDue, or closed by then

	DecisionDue              calendar.Date // the expected decision date, moved on by pauses
	DecidedOn                calendar.Date
	Outcome                  string // award | partial | refuse
	WorkingDaysToDecision    int    // not counting paused working days
	PausedWorkingDays        int
	Pauses                   int
	DecidedInTime            bool // decided on or before DecisionDue
	ReasonsForEveryCriterion bool
	DateRevisedOn            calendar.Date // the first new expected decision date we gave
	DateRevisedInTime        bool          // that new date was given on or before DecisionDue
	WithdrawnOn              calendar.Date
	ClosedOn                 calendar.Date

	LongestSilence int  // working days: the longest run without an update while open
	SilenceLimit   int  // the benefit's max_working_days_without_update
	SilenceKept    bool // never longer than SilenceLimit without an update while open

	InformationRequests        int
	ClientRequests             int // information requests to the client
	RequestsAnswered           int
	RequestsAnsweredByDue      int
	RedeterminationRequestedOn calendar.Date
	RedeterminationRequests    int // including late ones we refused
	LateRequest                bool
	LateRequestsRefused        int
	RedeterminationDue         calendar.Date
	RedeterminationDecidedOn   calendar.Date
	RedeterminationInTime      bool
	RedeterminationOutcome     string // unchanged | changed_up | changed_down
	RedeterminationChanged     bool
	AppealLodgedOn             calendar.Date
	AppealDecidedOn            calendar.Date
	AppealOutcome              string // upheld | not_upheld | partly_upheld
	ConsultationProposedOn     calendar.Date
	ConsultationsProposed      int
	ConsultationsWithReason    int // the missing information and why it is needed were recorded, or the client asked
	ConsultationsClientAsked   int
	ConsultationsScheduled     int
	ConsultationsMatched       int // the practitioner's specialisms covered every condition
	ConsultationsHeld          int
	ConsultationsCancelled     int
	FirstReferralOn            calendar.Date
	Referrals                  int
	ReferralsWithConsent       int
	Signposts                  int
	Supporters                 int
	Advocates                  int
}

// AgeBands are the age bands facts use, youngest first.
var AgeBands = []string{"under 16", "16 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 and over"}

// AgeBand is the band of a person born on dob, on day on; "" when the date
// of birth is not known.
func AgeBand(dob, on calendar.Date) string {
	if dob.IsZero() || on.Before(dob) {
		return ""
	}
	by, bm, bd := dob.Date()
	y, m, d := on.Date()
	age := y - by
	if m < bm || (m == bm && d < bd) {
		age--
	}
	switch {
	case age < 16:
		return AgeBands[0]
	case age >= 65:
		return AgeBands[len(AgeBands)-1]
	case age < 25:
		return AgeBands[1]
	}
	return AgeBands[2+(age-25)/10]
}

// FactsOf works out an application's facts from its event log. It applies
// the events one at a time with the casework rules (the same rules
// casework.Fold applies), because some facts, such as the longest time
// without an update, depend on the state after each event. An event the
// rules refuse is an error naming it. Ref is left for the caller to set.
//
// Facts of an application that is still open are as the events alone say:
// a pause that goes on counts for nothing yet, and the longest silence is
// counted up to the last event. Measures count open applications only
// through facts that are already final, such as received_on.
func FactsOf(rules casework.Rules, events []casework.Event) (Facts, error) {
	var (
		a    = &casework.Application{}
		f    Facts
		w    silence
		cons []consultation
	)
	for _, e := range events {
		wasOpen := a.Status == casework.StatusOpen
		if err := a.Apply(rules, e); err != nil {
			return Facts{}, fmt.Errorf("event %d (%s): %w", e.Seq, e.Type, err)
		}
		if e.Type == casework.TypeReceived {
			if rules.Calendar == nil {
				return Facts{}, errs.Invalid("calendar", "a working-day calendar is needed")
			}
			w = silence{cal: rules.Calendar, last: a.LastUpdateOn, limit: a.Benefit().Standards.MaxWorkingDaysWithoutUpdate, kept: true}
			continue
		}
		if wasOpen {
			w.step(a, casework.LocalDate(e.At))
		}
		switch b := e.Body.(type) {
		case *casework.ConsultationProposed:
			f.ConsultationsProposed++
			if f.ConsultationProposedOn.IsZero() {
				f.ConsultationProposedOn = a.Consultation.ProposedOn
			}
			if b.ClientAsked {
				f.ConsultationsClientAsked++
			}
			if b.ClientAsked || (a.Consultation.MissingInformation != "" && a.Consultation.WhyNotEnough != "") {
				f.ConsultationsWithReason++
			}
		case *casework.ConsultationScheduled:
			c := a.Consultation
			if n := len(cons); n == 0 || cons[n-1].number != c.Number {
				cons = append(cons, consultation{number: c.Number})
			}
			cons[len(cons)-1].matched = len(c.Uncovered) == 0
		case *casework.ConsultationHeld:
			f.ConsultationsHeld++
		case *casework.ConsultationCancelled:
			f.ConsultationsCancelled++
		case *casework.ReferralMade:
			if b.Consent {
				f.ReferralsWithConsent++
			}
		case *casework.DecisionDateRevised:
			if f.DateRevisedOn.IsZero() {
				f.DateRevisedOn = casework.LocalDate(e.At)
			}
		}
	}
	if a.Version == 0 {
		return Facts{}, errs.NotFound("this application has no events")
	}
	if a.Status == casework.StatusOpen {
		w.end(casework.LocalDate(a.LastEventAt))
	}
	f.fromApplication(rules.Calendar, a)
	f.LongestSilence, f.SilenceLimit, f.SilenceKept = w.longest, w.limit, w.kept
	f.ConsultationsScheduled = len(cons)
	for _, c := range cons {
		if c.matched {
			f.ConsultationsMatched++
		}
	}
	if !f.DateRevisedOn.IsZero() {
		f.DateRevisedInTime = !f.DateRevisedOn.After(f.DecisionDue)
	}
	return f, nil
}

type consultation struct {
	number  int
	matched bool
}

// silence follows the updates a client was sent while their application
// was open, and the longest run between them.
type silence struct {
	cal     *calendar.Calendar
	last    calendar.Date // the last update
	limit   int
	longest int
	kept    bool
}

// step looks at the application after an event dated on, applied while it
// was open.
func (s *silence) step(a *casework.Application, on calendar.Date) {
	switch {
	case a.LastUpdateOn.After(s.last):
		s.gap(a.LastUpdateOn)
		s.last = a.LastUpdateOn
	case a.Status == casework.StatusWithdrawn:
		s.gap(on) // withdrawn: the silence lasted until then
	}
}

// end counts the silence up to the last event of an application still open.
func (s *silence) end(on calendar.Date) {
	if on.After(s.last) {
		s.gap(on)
	}
}

func (s *silence) gap(to calendar.Date) {
	s.longest = max(s.longest, s.cal.WorkingDaysBetween(s.last, to))
	if to.After(s.cal.AddWorkingDays(s.last, s.limit)) {
		s.kept = false
	}
}

// fromApplication fills in the facts the application's final state holds.
func (f *Facts) fromApplication(cal *calendar.Calendar, a *casework.Application) {
	b := a.Benefit()
	f.Benefit = a.BenefitID
	if area, ok := casework.CanonicalArea(a.Client.Area); ok {
		f.Area = area
	} else {
		f.Area = strings.TrimSpace(a.Client.Area)
	}
	f.AgeBand = AgeBand(a.Client.DateOfBirth, a.ReceivedOn)
	f.Channel = a.Channel
	f.Status = string(a.Status)
	f.ReceivedOn = a.ReceivedOn
	f.ClosedOn = a.ClosedOn

	f.AcknowledgeDue = cal.AddWorkingDays(a.ReceivedOn, b.Standards.AcknowledgeWorkingDays)
	f.AcknowledgedOn = a.AcknowledgedOn
	switch {
	case !a.AcknowledgedOn.IsZero():
		f.AcknowledgedInTime = !a.AcknowledgedOn.After(f.AcknowledgeDue)
	case a.Status != casework.StatusOpen:
		// The decision or the withdrawal told the client we had it.
		f.AcknowledgedInTime = !a.ClosedOn.After(f.AcknowledgeDue)
	}

	clock := a.StoredClock(cal)
	if a.Status != casework.StatusOpen {
		clock = a.DecisionClock(cal, a.ClosedOn)
	}
	f.DecisionDue = clock.Due
	f.PausedWorkingDays = clock.PausedWorkingDays
	f.Pauses = len(a.Pauses)
	if d := a.Decision; d != nil {
		f.DecidedOn = d.DecidedOn
		f.Outcome = d.Outcome
		f.WorkingDaysToDecision = cal.WorkingDaysBetween(a.ReceivedOn, d.DecidedOn) - clock.PausedWorkingDays
		f.DecidedInTime = !d.DecidedOn.After(clock.Due)
		f.ReasonsForEveryCriterion = reasonForEach(b.Criteria, d.Reasons)
	}
	if a.Status == casework.StatusWithdrawn {
		f.WithdrawnOn = a.ClosedOn
	}

	for _, r := range a.Requests {
		f.InformationRequests++
		if r.From == casework.FromClient {
			f.ClientRequests++
		}
		if !r.ReceivedOn.IsZero() {
			f.RequestsAnswered++
			if !r.ReceivedOn.After(r.Due) {
				f.RequestsAnsweredByDue++
			}
		}
	}
	f.challenge(a.Challenge)

	f.Referrals = len(a.Referrals)
	if len(a.Referrals) > 0 {
		f.FirstReferralOn = a.Referrals[0].On
	}
	f.Signposts = len(a.Signposts)
	f.Supporters = len(a.Supporters)
	for _, s := range a.Supporters {
		if s.Relationship == casework.RelationshipAdvocate {
			f.Advocates++
		}
	}
}

// challenge fills in the facts of a challenge to the decision.
func (f *Facts) challenge(c *casework.Challenge) {
	if c == nil {
		return
	}
	reqs := append([]casework.RedeterminationRequest{}, c.Refused...)
	if c.Request != nil {
		reqs = append(reqs, *c.Request)
	}
	for _, r := range reqs {
		f.RedeterminationRequests++
		if f.RedeterminationRequestedOn.IsZero() || r.ReceivedOn.Before(f.RedeterminationRequestedOn) {
			f.RedeterminationRequestedOn = r.ReceivedOn
		}
		if r.Late {
			f.LateRequest = true
		}
		if !r.LateRefusedOn.IsZero() {
			f.LateRequestsRefused++
		}
	}
	if c.Request != nil {
		f.RedeterminationDue = c.Request.DecideBy
	}
	if rd := c.Redetermination; rd != nil {
		f.RedeterminationDecidedOn = rd.DecidedOn
		f.RedeterminationInTime = !rd.Late
		f.RedeterminationOutcome = rd.Outcome
		f.RedeterminationChanged = rd.Outcome != casework.RedeterminationUnchanged
	}
	if ap := c.Appeal; ap != nil {
		f.AppealLodgedOn = ap.LodgedOn
		f.AppealDecidedOn = ap.DecidedOn
		f.AppealOutcome = ap.Outcome
	}
}

// reasonForEach reports whether every criterion has a reason in words.
func reasonForEach(criteria []charter.Criterion, reasons []casework.CriterionReason) bool {
	for _, c := range criteria {
		ok := false
		for _, r := range reasons {
			if r.Criterion == c.ID && strings.TrimSpace(r.Reason) != "" {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
