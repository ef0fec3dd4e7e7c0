package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// ---- The forms on the case page ----

// caseForm is one form on the case page that records an event.
type caseForm struct {
	path string // after /staff/cases/{ref}/
	// first is the field that problems the form cannot place go to.
	first string
	// fields maps the domain's field names to the form's field ids.
	fields map[string]string
	// parse reads the form into v.Form and builds the event's body, or
	// says what is wrong in words a person can act on.
	parse func(r *http.Request, v *caseView, today calendar.Date) (casework.Body, Errors)
	// decided forms record on a decided application, not an open one:
	// re-determinations and appeals (staff_challenge.go).
	decided bool
	// always forms record whatever the application's status: contact
	// details and supporters (staff_messages.go, staff_supporters.go).
	always bool
}

var caseForms = []caseForm{
	{path: "request-information", first: "what", parse: parseRequestInformation,
		fields: map[string]string{"body.what": "what", "body.why": "why", "body.from": "from", "body.how": "how", "body.due": "due-day"}},
	{path: "information-received", first: "received-request", parse: parseInformationReceived,
		fields: map[string]string{"body.request_id": "received-request", "body.note": "received-note"}},
	{path: "stage", first: "stage", parse: parseStageChange,
		fields: map[string]string{"body.stage": "stage", "body.note": "stage-note"}},
	{path: "decision", first: "outcome", parse: parseDecision,
		fields: map[string]string{"body.outcome": "outcome", "body.award": "award", "body.decision_maker": "decision-maker"}},
	{path: "withdraw", first: "withdraw-reason", parse: parseWithdraw,
		fields: map[string]string{"body.reason": "withdraw-reason"}},
	{path: "contact-details", first: "contact-preferred", parse: parseContactDetails, always: true, // staff_messages.go
		fields: map[string]string{"body.preferred_contact": "contact-preferred", "body.email": "contact-email",
			"body.phone": "contact-phone", "body.address": "contact-address", "body.address.lines": "contact-address",
			"body.address.postcode": "contact-postcode", "body.accessible_format": "contact-format", "body.language": "contact-language"}},
	{path: "supporter", first: "supporter-name", parse: parseStaffSupporter, always: true, // staff_supporters.go
		fields: map[string]string{"body.name": "supporter-name", "body.relationship": "supporter-relationship",
			"body.organisation": "supporter-organisation", "body.email": "supporter-email", "body.scope": "supporter-scope"}},
	{path: "revoke-supporter", first: "supporters", parse: parseRevokeSupporter, always: true,
		fields: map[string]string{"body.supporter_id": "supporters"}},
}

// fieldFor is the id of the input a domain error is about.
func (f caseForm) fieldFor(domainField string, v *caseView) string {
	if f.decided {
		return f.challengeField(domainField, v)
	}
	if !v.Open && !f.always {
		return "case-status" // the forms are not on the page
	}
	if f.path == "information-received" && len(v.Requests) == 0 {
		return "open-requests"
	}
	if id, ok := f.fields[domainField]; ok {
		return id
	}
	// body.reasons[2].reason → the reason of the third criterion.
	if rest, ok := strings.CutPrefix(domainField, "body.reasons"); ok && len(v.Form.Criteria) > 0 {
		c := v.Form.Criteria[0]
		if i, field, ok := strings.Cut(strings.TrimPrefix(rest, "["), "]."); ok {
			if n, err := strconv.Atoi(i); err == nil && n >= 0 && n < len(v.Form.Criteria) {
				c = v.Form.Criteria[n]
				if field == "reason" {
					return c.ReasonField
				}
			}
		}
		return c.MetField
	}
	return f.first
}

// recordFromForm handles one of the case page's forms: it checks the form,
// appends the event if the case has not changed since the page was shown,
// and otherwise shows the case page again saying what to do.
func (s *Server) recordFromForm(f caseForm) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, events, ok := s.loadCase(w, r)
		if !ok {
			return
		}
		expected, err := strconv.Atoi(r.PostFormValue("expected_version"))
		if err != nil || expected < 1 {
			s.renderErrorMessage(w, r, http.StatusBadRequest,
				"The form did not say which version of the case it was filled in on. Go back, reload the case and try again.")
			return
		}
		today := s.svc.Today()
		// build shows the case as it is with the form as it was sent.
		build := func(a *casework.Application, events []casework.Event) (caseView, casework.Body, Errors) {
			v := s.newCaseView(r, a, events)
			body, problems := f.parse(r, &v, today)
			return v, body, problems
		}
		v, body, problems := build(a, events)
		if expected != a.Version {
			v.Conflict = true
			s.renderCase(w, r, http.StatusConflict, v)
			return
		}
		if !v.Open && !f.decided && !f.always {
			v.Errors = Errors{{"case-status", "This application was " + string(a.Status) + " on " + a.ClosedOn.Long() +
				", so nothing more can be recorded on it"}}
			s.renderCase(w, r, http.StatusConflict, v)
			return
		}
		if len(problems) > 0 {
			v.Errors = problems
			s.renderCase(w, r, http.StatusBadRequest, v)
			return
		}
		sess := s.currentSession(r)
		_, _, err = s.svc.Record(r.Context(), a.Ref, expected,
			app.NewEvent{Type: body.Type(), Actor: sess.Role + ":" + sess.Name, Body: body}, nil)
		if err != nil {
			e, ok := errs.As(err)
			switch {
			case ok && e.Kind == errs.KindInvalid:
				v.Errors = Errors{{f.fieldFor(e.Field, &v), asSentence(e.Message)}}
				s.renderCase(w, r, http.StatusBadRequest, v)
			case ok && e.Kind == errs.KindConflict:
				// Either someone else wrote first (show the case as it is
				// now) or the event does not fit the case (say why).
				now, nowEvents, ok := s.loadCase(w, r)
				if !ok {
					return
				}
				if now.Version != expected {
					v, _, _ = build(now, nowEvents)
					v.Conflict = true
				} else {
					v.Errors = Errors{{f.fieldFor(e.Field, &v), asSentence(e.Message)}}
				}
				s.renderCase(w, r, http.StatusConflict, v)
			default:
				s.pageError(w, r, err)
			}
			return
		}
		// The event itself names who recorded it, so a failure to write
		// the audit row is logged rather than shown as if nothing was saved.
		if err := s.svc.Audit(r.Context(), "staff", sess.Subject, sess.Name, a.Ref, "recorded "+string(body.Type())); err != nil {
			s.log.Error("audit", "request_id", requestID(r.Context()), "error", err)
		}
		http.Redirect(w, r, caseURL(a.Ref), http.StatusSeeOther)
	}
}

func postedValue(r *http.Request, name string) string {
	return strings.TrimSpace(r.PostFormValue(name))
}

func parseRequestInformation(r *http.Request, v *caseView, today calendar.Date) (casework.Body, Errors) {
	f := &v.Form
	f.What, f.Why, f.From, f.How = postedValue(r, "what"), postedValue(r, "why"), postedValue(r, "from"), postedValue(r, "how")
	f.DueDay, f.DueMonth, f.DueYear = postedValue(r, "due-day"), postedValue(r, "due-month"), postedValue(r, "due-year")
	var problems Errors
	if f.What == "" {
		problems = append(problems, FieldError{"what", "Say exactly what information is needed"})
	}
	if f.Why == "" {
		problems = append(problems, FieldError{"why", "Say why the information is needed"})
	}
	if _, ok := fromLabels[f.From]; !ok {
		problems = append(problems, FieldError{"from", "Choose who can give the information: the client, their GP practice or another organisation"})
	}
	// All three empty means the benefit's usual time to answer.
	var due calendar.Date
	var msg string
	if f.DueDay != "" || f.DueMonth != "" || f.DueYear != "" {
		due, msg = parseDateFields(f.DueDay, f.DueMonth, f.DueYear, "the date to send it by", "30 3 2026")
		if msg == "" && !due.After(today) {
			msg = "The date to send it by must be after today, " + today.Long()
		}
	}
	if msg != "" {
		problems = append(problems, FieldError{"due-day", msg})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.InformationRequested{What: f.What, Why: f.Why, From: f.From, How: f.How, Due: due}, nil
}

func parseInformationReceived(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	f := &v.Form
	f.RequestID, f.ReceivedNote, f.Partial = postedValue(r, "request_id"), postedValue(r, "note"), r.PostFormValue("partial") == "yes"
	var problems Errors
	if len(v.Requests) == 0 {
		return nil, Errors{{"open-requests", "There are no open information requests on this case to record an answer to"}}
	}
	if f.RequestID == "" {
		problems = append(problems, FieldError{"received-request", "Choose which request the information answers"})
	}
	if f.Partial && f.ReceivedNote == "" {
		problems = append(problems, FieldError{"received-note", "Say which part of the information arrived"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.InformationReceived{RequestID: f.RequestID, Note: f.ReceivedNote, Partial: f.Partial}, nil
}

func parseStageChange(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	f := &v.Form
	f.Stage, f.StageNote = postedValue(r, "stage"), postedValue(r, "note")
	for i := range v.StageOptions {
		v.StageOptions[i].Selected = v.StageOptions[i].Value == f.Stage
	}
	if f.Stage == "" {
		return nil, Errors{{"stage", "Choose the stage the application is moving to"}}
	}
	return &casework.StageChanged{Stage: f.Stage, Note: f.StageNote}, nil
}

func parseDecision(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	f := &v.Form
	f.Outcome, f.Award, f.DecisionMaker = postedValue(r, "outcome"), postedValue(r, "award"), postedValue(r, "decision_maker")
	var problems Errors
	if _, ok := outcomeLabels[f.Outcome]; !ok {
		problems = append(problems, FieldError{"outcome", "Choose the outcome: award, award in part, or refuse"})
	}
	body := &casework.DecisionMade{Outcome: f.Outcome, Award: f.Award, DecisionMaker: f.DecisionMaker}
	reasons, missing := parseCriterionAnswers(r, f.Criteria)
	body.Reasons, problems = reasons, append(problems, missing...)
	switch {
	case (f.Outcome == casework.OutcomeAward || f.Outcome == casework.OutcomePartial) && f.Award == "":
		problems = append(problems, FieldError{"award", "Say what is awarded, for example the rate and the date payments start"})
	case f.Outcome == casework.OutcomeRefuse && f.Award != "":
		problems = append(problems, FieldError{"award", "Leave the award empty when the application is refused"})
	}
	if f.DecisionMaker == "" {
		problems = append(problems, FieldError{"decision-maker", "Give the role of the person who made the decision, for example Case manager"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return body, nil
}

func parseWithdraw(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	v.Form.WithdrawReason = postedValue(r, "reason")
	if v.Form.WithdrawReason == "" {
		return nil, Errors{{"withdraw-reason", "Say why the application is being withdrawn, for example what the client told us"}}
	}
	return &casework.Withdrawn{Reason: v.Form.WithdrawReason}, nil
}

// parseCriterionAnswers reads a yes or no and a reason for every criterion
// of a decision or a re-determination into criteria, and says which are
// missing.
func parseCriterionAnswers(r *http.Request, criteria []criterionValue) ([]casework.CriterionReason, Errors) {
	var reasons []casework.CriterionReason
	var problems Errors
	for i := range criteria {
		c := &criteria[i]
		c.Met, c.Reason = postedValue(r, "met-"+c.ID), postedValue(r, "reason-"+c.ID)
		if c.Met != "yes" && c.Met != "no" {
			problems = append(problems, FieldError{c.MetField, "Say yes or no to: " + c.Question})
		}
		if c.Reason == "" {
			problems = append(problems, FieldError{c.ReasonField, "Give the reason, in plain words, for your answer to: " + c.Question})
		}
		reasons = append(reasons, casework.CriterionReason{Criterion: c.ID, Met: c.Met == "yes", Reason: c.Reason})
	}
	return reasons, problems
}
