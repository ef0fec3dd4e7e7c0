package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

// ---- A case ----

// caseView is one application as staff see it, with the forms that
// record what happens next.
type caseView struct {
	Chrome    Chrome
	Staff     []NavItem
	Ref       string
	URL       string
	App       *casework.Application
	Benefit   *charter.Benefit
	Timeline  casework.Timeline
	Contact   string // how the client wants to hear from us, in words
	Status    string // open, decided or withdrawn, in words
	Stages    []caseStage
	Standards []caseStandard
	// Commitments are those the standards make real, once each.
	Commitments []caseCommitment
	Pauses      []casePause
	Requests    []caseRequest // the open ones
	Decision    *caseDecision
	History     []caseEvent // newest first
	Open        bool        // forms are shown only while the application is open

	StageOptions []selectOption
	DefaultDue   calendar.Date // when a request is due if no date is given
	Form         caseFormValues
	// Consultation is the client's conditions and preferences, the
	// consultation and its forms (staff_consultation.go).
	Consultation consultationSection
	Referral     referralSection // referrals and other help (staff_referral.go)
	Messages     []caseMessage   // newest first (staff_messages.go)
	Supporters   []caseSupporter // people the client named to help (staff_supporters.go)
	// Conflict is set when someone else changed the case between the page
	// being shown and a form being sent: nothing was written.
	Conflict bool
	Errors
}

type caseStage struct {
	Name, Label, Tag string
	Started, Ended   calendar.Date
	Current          bool
}

type caseStandard struct {
	Label, Status, Tag string
	Due, Done          calendar.Date
	Commitment         string // its stable key: support-through-application
}

type caseCommitment struct{ ID, Key, Text string }

type casePause struct {
	From, To  calendar.Date
	RequestID string
}

type caseRequest struct {
	casework.InformationRequest
	FromLabel string
}

type caseDecision struct {
	Outcome       string
	Award         string
	DecisionMaker string
	DecidedOn     calendar.Date
	Reasons       []caseReason
}

type caseReason struct {
	Question, Reason string
	Met              bool
}

type caseEvent struct {
	When, What, Who string
}

// caseFormValues are what was typed into the forms, kept when a form is
// shown again with its problems.
type caseFormValues struct {
	What, Why, From, How, DueDay, DueMonth, DueYear string

	RequestID, ReceivedNote string
	Partial                 bool

	Stage, StageNote string

	Outcome, Award, DecisionMaker string
	Criteria                      []criterionValue

	WithdrawReason string

	Revised revisedFormValues // a new decision date (staff_revise.go)

	Challenge challengeFormValues // re-determination and appeal (staff_challenge.go)

	Contact   contactFormValues   // how to reach the client (staff_messages.go)
	Supporter supporterFormValues // a supporter the client named (staff_supporters.go)
}

// criterionValue is one criterion of the decision form: every criterion
// of the benefit needs an answer and a reason.
type criterionValue struct {
	ID, Question, Met, Reason string
	MetField, ReasonField     string // the ids of its inputs, for errors
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	a, events, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	s.renderCase(w, r, http.StatusOK, s.newCaseView(r, a, events))
}

// loadCase reads the application named in the path, or writes the error
// page: 400 for a reference that cannot be one, 404 for one we do not have.
func (s *Server) loadCase(w http.ResponseWriter, r *http.Request) (*casework.Application, []casework.Event, bool) {
	ref, err := casework.ParseReference(r.PathValue("ref"))
	if err != nil {
		msg := "The reference in the web address is not a reference: references are nine letters and numbers, like 7KM-4QX-9DC."
		if errs.KindOf(err) == errs.KindMistyped {
			msg = "The reference in the web address looks mistyped: references never contain 0, O, 1, I, L or U, and the last character checks the others. Check it against the work queue and try again."
		}
		s.renderErrorMessage(w, r, http.StatusBadRequest, msg)
		return nil, nil, false
	}
	a, events, err := s.svc.Application(r.Context(), ref)
	if errs.KindOf(err) == errs.KindNotFound {
		s.renderErrorMessage(w, r, http.StatusNotFound, "There is no application with the reference "+ref.String()+". Check the reference, or find the case in the work queue.")
		return nil, nil, false
	}
	if err != nil {
		s.pageError(w, r, err)
		return nil, nil, false
	}
	return a, events, true
}

// renderCase shows the case page. Every showing writes one audit row,
// including a form shown again with its problems: the client's details
// are on the page either way.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, v caseView) {
	sess := s.currentSession(r)
	if err := s.svc.Audit(r.Context(), "staff", sess.Subject, sess.Name, v.App.Ref, "viewed"); err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Chrome = s.chrome(r, titled("Case "+v.Ref, v.Errors))
	s.render(w, r, status, "staff-case", v)
}

var (
	standardLabels = map[string]string{
		casework.StandardAcknowledge: "Acknowledge the application",
		casework.StandardDecide:      "Decide",
		casework.StandardUpdate:      "Give the client an update",
	}
	standardStatuses = map[casework.StandardStatus][2]string{
		casework.StandardMet:     {"Met", "ds_tag--green"},
		casework.StandardLate:    {"Late", "ds_tag--red"},
		casework.StandardOnTrack: {"On track", "ds_tag--blue"},
		casework.StandardAtRisk:  {"At risk", "ds_tag--orange"},
		casework.StandardMissed:  {"Missed", "ds_tag--red"},
		casework.StandardPaused:  {"Paused", "ds_tag--grey"},
	}
	fromLabels = map[string]string{
		casework.FromClient:       "the client",
		casework.FromGP:           "the client's GP practice",
		casework.FromOrganisation: "another organisation",
	}
	outcomeLabels = map[string]string{
		casework.OutcomeAward:   "Award",
		casework.OutcomePartial: "Award in part",
		casework.OutcomeRefuse:  "Refuse",
	}
)

// newCaseView works out everything the case page shows, with empty forms.
func (s *Server) newCaseView(r *http.Request, a *casework.Application, events []casework.Event) caseView {
	today, cal := s.svc.Today(), s.svc.Calendar()
	b := a.Benefit()
	t := a.Timeline(cal, today)
	v := caseView{Staff: s.staffNav(r), Ref: a.Ref.String(), URL: caseURL(a.Ref), App: a, Benefit: b, Timeline: t,
		Open: a.Status == casework.StatusOpen}

	v.Contact = clientContactText(a.Client)
	v.Form.Contact = contactValues(a.Client)
	v.Supporters = caseSupporters(a)
	v.Messages, _ = s.caseMessages(r, a.Ref) // the page works without them; the error is logged by the store
	switch a.Status {
	case casework.StatusDecided:
		v.Status = "Decided on " + a.ClosedOn.Long()
	case casework.StatusWithdrawn:
		v.Status = "Withdrawn on " + a.ClosedOn.Long()
	default:
		v.Status = "Open"
	}

	for _, st := range t.Stages {
		cs := caseStage{Name: st.Name, Started: st.Started, Ended: st.Ended, Current: st.Status == casework.StageCurrent}
		switch {
		case st.Status == casework.StageDone:
			cs.Label, cs.Tag = "Done", "ds_tag--green"
		case cs.Current:
			cs.Label, cs.Tag = "Now", "ds_tag--blue"
		case st.Optional:
			cs.Label, cs.Tag = "Only if needed", "ds_tag--grey"
		default:
			cs.Label, cs.Tag = "To come", "ds_tag--grey"
		}
		v.Stages = append(v.Stages, cs)
	}
	ch, _ := s.svc.Charter() // the case page works without the commitment texts
	for _, st := range t.Standards {
		status := standardStatuses[st.Status]
		cs := caseStandard{Label: standardLabels[st.Name], Status: status[0], Tag: status[1], Due: st.Due, Done: st.Done,
			Commitment: st.Commitment}
		if cs.Label == "" {
			cs.Label = st.Name
		}
		v.Standards = append(v.Standards, cs)
		if ch == nil || slices.ContainsFunc(v.Commitments, func(c caseCommitment) bool { return c.Key == st.Commitment }) {
			continue
		}
		if c, ok := ch.CommitmentByKey(st.Commitment); ok {
			v.Commitments = append(v.Commitments, caseCommitment{ID: c.ID, Key: c.Key, Text: c.Text})
		}
	}
	for _, p := range a.Pauses {
		v.Pauses = append(v.Pauses, casePause{From: p.From, To: p.To, RequestID: p.RequestID})
	}
	for _, q := range t.OpenRequests {
		v.Requests = append(v.Requests, caseRequest{InformationRequest: q, FromLabel: fromLabels[q.From]})
	}
	if d := a.Decision; d != nil {
		cd := &caseDecision{Outcome: outcomeLabels[d.Outcome], Award: d.Award, DecisionMaker: d.DecisionMaker, DecidedOn: d.DecidedOn}
		for _, re := range d.Reasons {
			q := re.Criterion
			for _, c := range b.Criteria {
				if c.ID == re.Criterion {
					q = c.Question
				}
			}
			cd.Reasons = append(cd.Reasons, caseReason{Question: q, Reason: re.Reason, Met: re.Met})
		}
		v.Decision = cd
	}
	for i := len(events) - 1; i >= 0; i-- {
		v.History = append(v.History, caseEvent{When: whenText(events[i].At), What: describeEvent(events[i], b), Who: actorText(events[i].Actor)})
	}

	// The forms. A stage can move forward or back, but not to the first
	// stage, nor to the decision stage: recording a decision does that.
	v.StageOptions = []selectOption{{Value: "", Label: "Choose a stage"}}
	for i, st := range b.Stages {
		if i == 0 || st.ID == a.Stage || st.ID == charter.StageDecision {
			continue
		}
		v.StageOptions = append(v.StageOptions, selectOption{Value: st.ID, Label: st.Name})
	}
	days := b.Standards.InformationRequestWorkingDays
	if days <= 0 {
		days = 10 // as casework does when a benefit does not say
	}
	v.DefaultDue = cal.AddWorkingDays(today, days)
	if len(v.Requests) == 1 {
		v.Form.RequestID = v.Requests[0].ID
	}
	for _, c := range b.Criteria {
		v.Form.Criteria = append(v.Form.Criteria, criterionValue{ID: c.ID, Question: c.Question,
			MetField: "criterion-" + c.ID + "-met", ReasonField: "criterion-" + c.ID + "-reason"})
	}
	v.Consultation = s.newConsultationSection(r, a)
	v.Referral = s.newReferralSection(r, a)
	return v
}

// whenText is a moment as people read it: "Monday 2 March 2026 at 10:05am".
func whenText(t time.Time) string {
	return casework.LocalDate(t).Long() + " at " + strings.ToLower(t.In(casework.Zone).Format("3:04PM"))
}

// actorText says who did something: "casey@example.org (caseworker)".
func actorText(actor string) string {
	switch actor {
	case "client":
		return "The client"
	case "system":
		return "Charter, automatically"
	}
	if role, name, ok := strings.Cut(actor, ":"); ok && name != "" {
		return name + " (" + role + ")"
	}
	return actor
}

// describeEvent says in words what an event recorded.
func describeEvent(e casework.Event, b *charter.Benefit) string {
	switch body := e.Body.(type) {
	case *casework.Received:
		return "Application received (" + body.Channel + ")"
	case *casework.Acknowledged:
		return "Acknowledged: we told the client we have their application"
	case *casework.StageChanged:
		name := body.Stage
		if st, i := b.Stage(body.Stage); i >= 0 {
			name = st.Name
		}
		return withNote("Moved to the stage “"+name+"”", body.Note)
	case *casework.InformationRequested:
		return "Asked " + fromLabels[body.From] + " for: " + body.What + " (request " + body.RequestID + ", by " + body.Due.Long() + ")"
	case *casework.InformationReceived:
		what := "All the information arrived for request " + body.RequestID
		if body.Partial {
			what = "Part of the information arrived for request " + body.RequestID
		}
		return withNote(what, body.Note)
	case *casework.DecisionMade:
		return "Decision made: " + strings.ToLower(outcomeLabels[body.Outcome])
	case *casework.UpdateSent:
		if body.Reason == casework.UpdateReasonNoSilence {
			return "Update sent by the service (" + body.Channel + "), so the client is not left without news: " + body.Summary
		}
		return "Update sent (" + body.Channel + "): " + body.Summary
	case *casework.ContactDetailsUpdated:
		return "Contact details changed: " + clientContactText(casework.Client{PreferredContact: body.PreferredContact, Email: body.Email,
			Phone: body.Phone, AccessibleFormat: body.AccessibleFormat, Language: body.Language})
	case *casework.TimescaleAtRisk:
		return "At risk: staff alerted that the decision date " + body.Due.Long() + " may be missed"
	case *casework.TimescaleMissed:
		return "Missed: the client was told, with an apology, that we did not decide by " + body.Due.Long()
	case *casework.InformationReminderSent:
		return "Reminder sent for request " + body.RequestID
	case *casework.Withdrawn:
		return withNote("Withdrawn", body.Reason)
	case *casework.DecisionDateRevised:
		return withNote("New decision date given: "+body.NewDate.Long(), body.Reason)
	}
	if what, ok := describeConsultationEvent(e); ok {
		return what
	}
	if what, ok := describeChallengeEvent(e); ok {
		return what
	}
	if what, ok := describeReferralEvent(e); ok {
		return what
	}
	return asSentence(strings.ReplaceAll(string(e.Type), "_", " "))
}

func withNote(what, note string) string {
	if note == "" {
		return what
	}
	return what + ". Note: " + note
}
