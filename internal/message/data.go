package message

import (
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
)

// Service is who sends the messages and where people read more: the same
// for every message.
type Service struct {
	Name      string // "Your payments and our charter"
	PublicURL string // where the service's pages are, without a trailing slash
	Phone     string // the number to call us on
}

// Notice is everything an email or a text message may say. By design it
// holds nothing sensitive: no health condition, no decision reason, no
// date of birth or National Insurance number, not even which benefit was
// applied for. A template for an email or a text is checked against this
// type when the service starts, so it cannot name anything else.
type Notice struct {
	Service     string
	Name        string // the client's name as they gave it
	Reference   string // the application reference: the client needs it to sign in
	SignInURL   string // where to read the news: sign in with the reference
	Phone       string
	FeedbackURL string // to tell us a commitment was not met, or complain
	CharterURL  string
	Today       calendar.Date
	// DecisionDue is the date we expect to decide by (moved on by pauses),
	// and NewDate a later date we gave after missing it; zero if none.
	DecisionDue calendar.Date
	NewDate     calendar.Date
	// Missed is the decision date we missed, for an apology; WriteBy, when
	// we have not yet given a new date, the date by which we will write
	// with one.
	Missed  calendar.Date
	WriteBy calendar.Date
	// UpdateBy is the date by which we will give news even if nothing
	// changes (the no-silence rule).
	UpdateBy calendar.Date
	// RequestDue is when an information request is due, and FromClient
	// whether the client is the one to answer it.
	RequestDue calendar.Date
	FromClient bool
	// ConsultationAt is when a booked consultation starts ("Tuesday 3 March
	// 2026 at 10:30am"); empty when there is none.
	ConsultationAt string
	// AskBy is the last day to ask us to look at a decision again;
	// RedeterminationBy our deadline to do so; AppealBy the last day to
	// appeal to the tribunal.
	AskBy             calendar.Date
	RedeterminationBy calendar.Date
	AppealBy          calendar.Date
	Commitment        Commitment // the commitment the message keeps
}

// Commitment is a charter commitment as a message quotes it.
type Commitment struct {
	ID, Text string
}

// Letter is what a letter may say: the notice and the details.
type Letter struct {
	Notice
	Address      []string // lines, the postcode last
	BenefitName  string
	StageName    string
	StageText    string
	Requests     []casework.InformationRequest // open requests to the client
	Request      *casework.InformationRequest  // the request this letter is about
	Decision     *casework.DecisionNotice
	Challenge    *casework.ChallengeTimeline
	Consultation *casework.Consultation
	Supporters   []casework.Supporter // active ones
	LargePrint   bool
	// Enclosure is the charter summary sent with acknowledgement and
	// decision letters; nil when not enclosed.
	Enclosure *CharterSummary
}

// CharterSummary is the short form of the charter enclosed with letters.
type CharterSummary struct {
	Title, Version string
	Sections       []SummarySection
}

// SummarySection is a section of the charter in short.
type SummarySection struct {
	Number      int
	Title       string
	Descriptor  string
	Commitments []Commitment
}

// Summarise shortens a charter for a letter: every section and commitment,
// without the glossary.
func Summarise(ch *charter.Charter) *CharterSummary {
	s := &CharterSummary{Title: ch.Title, Version: ch.Version}
	for _, sec := range ch.Sections {
		ss := SummarySection{Number: sec.Number, Title: sec.Title, Descriptor: sec.Descriptor}
		for _, c := range sec.Commitments {
			ss.Commitments = append(ss.Commitments, Commitment{ID: c.ID, Text: strings.Join(strings.Fields(c.Text), " ")})
		}
		s.Sections = append(s.Sections, ss)
	}
	return s
}

// commitments names the commitment each kind of message keeps, by its
// stable key, so a renumbered charter still quotes the right one.
var commitments = map[Kind]string{
	KindAcknowledgement: casework.CommitmentUpdates, KindInformationRequested: casework.CommitmentUpdates,
	KindReminder: casework.CommitmentUpdates, KindInformationReceived: casework.CommitmentUpdates,
	KindStageChanged: casework.CommitmentUpdates, KindStillWorking: casework.CommitmentUpdates,
	KindAtRisk: casework.CommitmentDates, KindMissed: casework.CommitmentDates, KindDateRevised: casework.CommitmentDates,
	KindDecision: casework.CommitmentReasons, KindConsultationProposed: casework.CommitmentConsultation,
	KindConsultationBooked: casework.CommitmentWellbeing, KindConsultationCancelled: casework.CommitmentWellbeing,
	KindRedeterminationReceived: casework.CommitmentReasons, KindLateRequestDecided: casework.CommitmentReasons,
	KindRedeterminationDecision: casework.CommitmentReasons, KindAppealNow: casework.CommitmentReasons,
	KindSupporters: casework.CommitmentSupporters, KindWithdrawn: casework.CommitmentUpdates, KindNews: casework.CommitmentUpdates,
}

// WriteWithNewDateWorkingDays is how many working days after missing a
// decision date we promise to write with a new one.
const WriteWithNewDateWorkingDays = 5

// Facts is what composing a message needs besides the application.
type Facts struct {
	Service  Service
	Charter  *charter.Charter
	Calendar *calendar.Calendar
	Today    calendar.Date
}

// Compose builds what a letter about kind k may say (its Notice is what an
// email or text may say) from the application as it stands.
func Compose(k Kind, a *casework.Application, e casework.Event, f Facts) Letter {
	n := Notice{
		Service: f.Service.Name, Name: a.Client.Name, Reference: a.Ref.String(),
		SignInURL: f.Service.PublicURL + "/track", Phone: f.Service.Phone,
		FeedbackURL: f.Service.PublicURL + "/feedback", CharterURL: f.Service.PublicURL + "/charter",
		Today: f.Today,
	}
	if key := commitments[k]; key != "" && f.Charter != nil {
		if c, ok := f.Charter.CommitmentByKey(key); ok {
			n.Commitment = Commitment{ID: c.ID, Text: strings.Join(strings.Fields(c.Text), " ")}
		}
	}
	l := Letter{Notice: n}
	if b := a.Benefit(); b != nil {
		l.BenefitName = b.Name
		if st, i := b.Stage(a.Stage); i >= 0 {
			l.StageName, l.StageText = st.Name, strings.Join(strings.Fields(st.ClientText), " ")
		}
		if a.Status == casework.StatusOpen {
			t := a.Timeline(f.Calendar, f.Today)
			l.DecisionDue, l.NewDate, l.UpdateBy = t.DecisionDue, t.NewExpectedDate, t.NextUpdateBy
			if m, ok := e.Body.(*casework.TimescaleMissed); ok {
				l.Missed = m.Due
				if !l.NewDate.After(m.Due) {
					l.NewDate = 0 // the date missed was the new one: we owe another
				}
			}
			if t.Missed && l.NewDate.IsZero() {
				l.WriteBy = f.Calendar.AddWorkingDays(f.Today, WriteWithNewDateWorkingDays)
			}
		}
		if d, err := casework.NewDecisionNotice(a); err == nil {
			l.Decision = &d
			l.AskBy = d.Disagree.AskBy
		}
		if ct, ok := a.ChallengeTimeline(f.Today); ok {
			l.Challenge = &ct
			l.RedeterminationBy, l.AppealBy = ct.DecideBy, ct.AppealBy
		}
	}
	if ad := a.Client.Address; ad != nil {
		l.Address = append(append([]string{a.Client.Name}, ad.Lines...), ad.Postcode)
	}
	for _, r := range a.OpenRequests() {
		if r.From == casework.FromClient {
			l.Requests = append(l.Requests, r)
		}
	}
	if id := requestOf(e); id != "" {
		for i := range a.Requests {
			if a.Requests[i].ID == id {
				r := a.Requests[i]
				l.Request, l.RequestDue, l.FromClient = &r, r.Due, r.From == casework.FromClient
			}
		}
	}
	if c := a.Consultation; c != nil {
		cc := *c
		l.Consultation = &cc
		if c.Status == casework.ConsultationScheduledStatus && !c.StartsAt.IsZero() {
			l.ConsultationAt = When(c.StartsAt)
		}
	}
	for _, s := range a.Supporters {
		if s.Active() {
			l.Supporters = append(l.Supporters, s)
		}
	}
	return l
}

// requestOf is the information request an event is about, if any.
func requestOf(e casework.Event) string {
	switch b := e.Body.(type) {
	case *casework.InformationRequested:
		return b.RequestID
	case *casework.InformationReceived:
		return b.RequestID
	case *casework.InformationReminderSent:
		return b.RequestID
	}
	return ""
}

// When writes a time as people read it: "Tuesday 3 March 2026 at 10:30am".
func When(t time.Time) string {
	t = t.In(casework.Zone)
	return casework.LocalDate(t).Long() + " at " + strings.ToLower(t.Format("3:04PM"))
}
