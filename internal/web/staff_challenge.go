package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
)

// ---- Re-determination and appeal on the staff case page ----
//
// The forms are in caseForms (staff_forms.go) with decided set: they record
// on a decided application. Each is shown only while it fits where the
// challenge stands; one sent anyway is refused next to the section heading.

// challengeFormValues are what was typed into the challenge forms.
type challengeFormValues struct {
	How, By, Disagreement, LateReason        string
	Criteria                                 []string
	ReceivedDay, ReceivedMonth, ReceivedYear string
	LateOutcome, LateDecisionReason          string
	Outcome, Award, DecisionMaker            string
	Reasons                                  []criterionValue // nil: not sent
	FormChannel                              string
	LodgedDay, LodgedMonth, LodgedYear, Note string
	AppealOutcome                            string
	DecidedDay, DecidedMonth, DecidedYear    string
	AppealNote                               string
}

// caseChallenge is the "Re-determination and appeal" section of a decided case.
type caseChallenge struct {
	URL, CSRFToken string
	Version        int
	Errors
	Form            challengeFormValues
	T               casework.ChallengeTimeline
	Steps           []challengeStepRow
	Request         *challengeRequestRow
	Refused         []challengeRequestRow
	Redetermination *challengeRedeterminationRow
	Appeal          *casework.Appeal
	AppealOutcome   string
	DecideWithin    string // "56 days"
	AppealWithin    string // "31 days"
	Today           calendar.Date

	// Which forms fit the challenge now.
	CanRecordRequest, CanDecideLate, CanRedetermine     bool
	CanSendAppealForm, CanRecordAppeal, CanDecideAppeal bool
	Criteria                                            []criterionChoice // for the request form
	Reasons                                             []criterionValue  // for the re-determination form
}

type challengeStepRow struct {
	Name, Text, Label, Tag string
	On                     calendar.Date
}

type challengeRequestRow struct {
	ReceivedOn, DecideBy     calendar.Date
	How, By, Disagreement    string
	Criteria                 []string // their questions
	Late                     bool
	LateReason, LateDecision string
	LateDecidedOn            calendar.Date
}

type challengeRedeterminationRow struct {
	Outcome, Award, DecisionMaker string
	DecidedOn                     calendar.Date
	Late                          bool
	Reasons                       []caseReason
}

var (
	askedHowLabels = map[string]string{
		casework.AskedOnline: "online", casework.AskedByPhone: "by phone",
		casework.AskedByPost: "by post", casework.AskedInPerson: "in person",
	}
	askedByLabels = map[string]string{
		casework.AskedByClient: "the client", casework.AskedBySupporter: "the client's supporter",
		casework.AskedByStaff: "a member of staff, for the client",
	}
	redeterminationLabels = map[string]string{
		casework.RedeterminationUnchanged:   "Unchanged",
		casework.RedeterminationChangedUp:   "Changed: the award goes up",
		casework.RedeterminationChangedDown: "Changed: the award goes down",
	}
	appealLabels = map[string]string{
		casework.AppealUpheld:       "Upheld: the tribunal agreed with the client",
		casework.AppealNotUpheld:    "Not upheld: the tribunal agreed with our decision",
		casework.AppealPartlyUpheld: "Partly upheld: the tribunal agreed with the client in part",
	}
	stepLabels = map[casework.ChallengeStepStatus][2]string{
		casework.StepDone:     {"Done", "ds_tag--green"},
		casework.StepCurrent:  {"Now", "ds_tag--blue"},
		casework.StepUpcoming: {"To come", "ds_tag--grey"},
		casework.StepPassed:   {"Passed", "ds_tag--grey"},
		casework.StepMissed:   {"Missed", "ds_tag--red"},
	}
)

// ChallengeSection is the re-determination and appeal section of the case,
// or nil when there is no decision to challenge.
func (v caseView) ChallengeSection() *caseChallenge {
	a := v.App
	t, ok := a.ChallengeTimeline(v.Timeline.Today)
	if !ok {
		return nil
	}
	b := a.Benefit()
	c := &caseChallenge{URL: v.URL, CSRFToken: v.Chrome.CSRFToken, Version: a.Version, Errors: v.Errors,
		Form: v.Form.Challenge, T: t, Appeal: t.Appeal, Today: t.Today,
		DecideWithin: plural(b.Challenge.RedeterminationDeadlineDays, "day", "days"),
		AppealWithin: plural(b.Challenge.AppealWindowDays, "day", "days")}
	for _, s := range t.Steps {
		l := stepLabels[s.Status]
		c.Steps = append(c.Steps, challengeStepRow{Name: s.Name, Text: s.Text, On: s.On, Label: l[0], Tag: l[1]})
	}
	if t.Request != nil {
		row := requestRow(b, *t.Request)
		c.Request = &row
	}
	for _, r := range t.Refused {
		c.Refused = append(c.Refused, requestRow(b, r))
	}
	if d := t.Redetermination; d != nil {
		row := &challengeRedeterminationRow{Outcome: redeterminationLabels[d.Outcome], Award: d.Award, DecisionMaker: d.DecisionMaker,
			DecidedOn: d.DecidedOn, Late: d.Late}
		for _, re := range d.Reasons {
			row.Reasons = append(row.Reasons, caseReason{Question: criterionQuestion(b, re.Criterion), Reason: re.Reason, Met: re.Met})
		}
		c.Redetermination = row
	}
	if t.Appeal != nil {
		c.AppealOutcome = appealLabels[t.Appeal.Outcome]
	}
	c.CanRecordRequest = t.CanAsk
	c.CanDecideLate = t.Stage == casework.ChallengeLateWaiting
	c.CanRedetermine = (t.Stage == casework.ChallengeRequested || t.Stage == casework.ChallengeDeadlineMissed)
	c.CanSendAppealForm = t.CanAppeal && t.AppealFormSentOn.IsZero()
	c.CanRecordAppeal = t.CanAppeal
	c.CanDecideAppeal = t.Stage == casework.ChallengeAppealed
	for _, cr := range b.Criteria {
		c.Criteria = append(c.Criteria, criterionChoice{ID: cr.ID, Question: cr.Question, Checked: slices.Contains(c.Form.Criteria, cr.ID)})
	}
	c.Reasons = c.Form.Reasons
	if c.Reasons == nil {
		c.Reasons = redeterminationCriteria(b)
	}
	return c
}

func requestRow(b *charter.Benefit, r casework.RedeterminationRequest) challengeRequestRow {
	row := challengeRequestRow{ReceivedOn: r.ReceivedOn, DecideBy: r.DecideBy, How: askedHowLabels[r.How], By: askedByLabels[r.By],
		Disagreement: r.Disagreement, Criteria: criteriaQuestions(b, r.Criteria), Late: r.Late, LateReason: r.LateReason,
		LateDecision: r.LateDecisionReason}
	switch {
	case !r.LateAcceptedOn.IsZero():
		row.LateDecidedOn, row.LateDecision = r.LateAcceptedOn, "Accepted: "+r.LateDecisionReason
	case !r.LateRefusedOn.IsZero():
		row.LateDecidedOn, row.LateDecision = r.LateRefusedOn, "Refused: "+r.LateDecisionReason
	}
	return row
}

func criterionQuestion(b *charter.Benefit, id string) string {
	for _, c := range b.Criteria {
		if c.ID == id {
			return c.Question
		}
	}
	return id
}

// redeterminationCriteria are the criterion inputs of the re-determination
// form, named apart from the first decision's.
func redeterminationCriteria(b *charter.Benefit) []criterionValue {
	var out []criterionValue
	for _, c := range b.Criteria {
		out = append(out, criterionValue{ID: c.ID, Question: c.Question,
			MetField: "rdd-" + c.ID + "-met", ReasonField: "rdd-" + c.ID + "-reason"})
	}
	return out
}

// formShown reports whether the form at path fits the challenge now, and
// if not, why, in words for the member of staff.
func (c *caseChallenge) formShown(path string) (bool, string) {
	t := c.T
	switch path {
	case "redetermination-request":
		switch {
		case c.CanRecordRequest:
			return true, ""
		case t.Request != nil:
			return false, "A re-determination was already asked for on " + t.Request.ReceivedOn.Long() + ", and a request cannot be made twice"
		case t.Redetermination != nil:
			return false, "The decision was already looked at again: the next step is an appeal"
		}
		return false, "The last day to ask for a re-determination, even late, was " + t.Window.LateUntil.Long()
	case "late-request":
		return c.CanDecideLate, "There is no late request for a re-determination waiting for a decision"
	case "redetermination-decision":
		return c.CanRedetermine, "There is no request for a re-determination waiting for a decision"
	case "appeal-form-sent":
		if !t.AppealFormSentOn.IsZero() {
			return false, "The appeal form was already sent on " + t.AppealFormSentOn.Long()
		}
		return c.CanSendAppealForm, "The client cannot appeal yet"
	case "appeal-lodged":
		if t.Appeal != nil {
			return false, "The client already appealed on " + t.Appeal.LodgedOn.Long()
		}
		return c.CanRecordAppeal, "The client cannot appeal yet"
	case "appeal-decided":
		return c.CanDecideAppeal, "There is no appeal waiting for the tribunal's decision"
	}
	return false, "That form is not part of this page"
}

// challengeForm wraps the parse function of a challenge form: it refuses
// a form that does not fit the case now, next to the section heading (or
// the case status, when there is no decision), before reading it.
func challengeForm(path string, parse func(r *http.Request, v *caseView, c *caseChallenge, today calendar.Date) (casework.Body, Errors)) func(*http.Request, *caseView, calendar.Date) (casework.Body, Errors) {
	return func(r *http.Request, v *caseView, today calendar.Date) (casework.Body, Errors) {
		c := v.ChallengeSection()
		if c == nil {
			return nil, Errors{{"case-status", "There is no decision on this application, so there is nothing to challenge"}}
		}
		if ok, why := c.formShown(path); !ok {
			return nil, Errors{{"challenge", why}}
		}
		return parse(r, v, c, today)
	}
}

// challengeField is the input a domain error on a challenge form is about.
func (f caseForm) challengeField(domainField string, v *caseView) string {
	c := v.ChallengeSection()
	if c == nil {
		return "case-status"
	}
	if ok, _ := c.formShown(f.path); !ok {
		return "challenge"
	}
	if id, ok := f.fields[domainField]; ok {
		return id
	}
	// body.reasons[2].reason → the reason of the third criterion.
	if rest, ok := strings.CutPrefix(domainField, "body.reasons["); ok && len(c.Reasons) > 0 {
		if i, field, ok := strings.Cut(rest, "]."); ok {
			if n, err := strconv.Atoi(i); err == nil && n >= 0 && n < len(c.Reasons) {
				if field == "reason" {
					return c.Reasons[n].ReasonField
				}
				return c.Reasons[n].MetField
			}
		}
	}
	// body.criteria[1] → the criteria checkboxes.
	if base, _, ok := strings.Cut(domainField, "["); ok {
		if id, ok := f.fields[base]; ok {
			return id
		}
	}
	return f.first
}

// optionalDate reads an optional date typed as day, month and year: zero
// when all three are empty. It must not be after today.
func optionalDate(day, month, year, what string, today calendar.Date) (calendar.Date, string) {
	if day == "" && month == "" && year == "" {
		return 0, ""
	}
	d, msg := parseDateFields(day, month, year, what, "30 3 2026")
	if msg == "" && d.After(today) {
		msg = asSentence(what) + " must be today or in the past"
	}
	return d, msg
}

func parseRedeterminationRequest(r *http.Request, v *caseView, c *caseChallenge, today calendar.Date) (casework.Body, Errors) {
	f := &v.Form.Challenge
	f.How, f.By, f.Disagreement, f.LateReason = postedValue(r, "how"), postedValue(r, "by"), postedValue(r, "disagreement"), postedValue(r, "late_reason")
	f.Criteria = r.PostForm["criteria"]
	f.ReceivedDay, f.ReceivedMonth, f.ReceivedYear = postedValue(r, "received-day"), postedValue(r, "received-month"), postedValue(r, "received-year")
	var problems Errors
	if f.How != casework.AskedByPhone && f.How != casework.AskedByPost && f.How != casework.AskedInPerson {
		problems = append(problems, FieldError{"rd-how", "Choose how the request reached us: by phone, by post or in person"})
	}
	if _, ok := askedByLabels[f.By]; !ok {
		problems = append(problems, FieldError{"rd-by", "Choose who made the request"})
	}
	if f.Disagreement == "" {
		problems = append(problems, FieldError{"rd-disagreement", "Write down what the client disagrees with, in their words"})
	}
	received, msg := optionalDate(f.ReceivedDay, f.ReceivedMonth, f.ReceivedYear, "the date it reached us", today)
	if msg != "" {
		problems = append(problems, FieldError{"rd-received-day", msg})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.RedeterminationRequested{ReceivedOn: received, How: f.How, By: f.By, Disagreement: f.Disagreement,
		Criteria: f.Criteria, LateReason: f.LateReason}, nil
}

func parseLateRequestDecision(r *http.Request, v *caseView, _ *caseChallenge, _ calendar.Date) (casework.Body, Errors) {
	f := &v.Form.Challenge
	f.LateOutcome, f.LateDecisionReason = postedValue(r, "outcome"), postedValue(r, "reason")
	var problems Errors
	if f.LateOutcome != casework.LateAccepted && f.LateOutcome != casework.LateRefused {
		problems = append(problems, FieldError{"late-outcome", "Choose whether we accept the late request"})
	}
	if f.LateDecisionReason == "" {
		problems = append(problems, FieldError{"late-decision-reason", "Give the reason in plain words: the client reads it"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.LateRequestDecided{Outcome: f.LateOutcome, Reason: f.LateDecisionReason}, nil
}

func parseRedeterminationDecision(r *http.Request, v *caseView, c *caseChallenge, _ calendar.Date) (casework.Body, Errors) {
	f := &v.Form.Challenge
	f.Outcome, f.Award, f.DecisionMaker = postedValue(r, "outcome"), postedValue(r, "award"), postedValue(r, "decision_maker")
	f.Reasons = redeterminationCriteria(v.App.Benefit())
	var problems Errors
	if _, ok := redeterminationLabels[f.Outcome]; !ok {
		problems = append(problems, FieldError{"rdd-outcome", "Choose the outcome: unchanged, or changed so the award goes up or down"})
	}
	body := &casework.RedeterminationDecided{Outcome: f.Outcome, Award: f.Award, DecisionMaker: f.DecisionMaker}
	reasons, missing := parseCriterionAnswers(r, f.Reasons)
	body.Reasons, problems = reasons, append(problems, missing...)
	if f.DecisionMaker == "" {
		problems = append(problems, FieldError{"rdd-decision-maker", "Give the role of the person who looked at the decision again, for example Senior case manager"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return body, nil
}

func parseAppealFormSent(r *http.Request, v *caseView, _ *caseChallenge, _ calendar.Date) (casework.Body, Errors) {
	f := &v.Form.Challenge
	f.FormChannel = postedValue(r, "channel")
	if f.FormChannel != "letter" && f.FormChannel != "email" {
		return nil, Errors{{"af-channel", "Choose how the appeal form was sent: by letter or by email"}}
	}
	return &casework.AppealFormSent{Channel: f.FormChannel}, nil
}

func parseAppealLodged(r *http.Request, v *caseView, _ *caseChallenge, today calendar.Date) (casework.Body, Errors) {
	f := &v.Form.Challenge
	f.LodgedDay, f.LodgedMonth, f.LodgedYear, f.Note = postedValue(r, "lodged-day"), postedValue(r, "lodged-month"), postedValue(r, "lodged-year"), postedValue(r, "note")
	lodged, msg := optionalDate(f.LodgedDay, f.LodgedMonth, f.LodgedYear, "the date of the appeal", today)
	if msg != "" {
		return nil, Errors{{"al-lodged-day", msg}}
	}
	return &casework.AppealLodged{LodgedOn: lodged, Note: f.Note}, nil
}

func parseAppealDecided(r *http.Request, v *caseView, _ *caseChallenge, today calendar.Date) (casework.Body, Errors) {
	f := &v.Form.Challenge
	f.AppealOutcome, f.AppealNote = postedValue(r, "outcome"), postedValue(r, "note")
	f.DecidedDay, f.DecidedMonth, f.DecidedYear = postedValue(r, "decided-day"), postedValue(r, "decided-month"), postedValue(r, "decided-year")
	var problems Errors
	if _, ok := appealLabels[f.AppealOutcome]; !ok {
		problems = append(problems, FieldError{"ad-outcome", "Choose what the tribunal decided"})
	}
	decided, msg := optionalDate(f.DecidedDay, f.DecidedMonth, f.DecidedYear, "the date of the tribunal's decision", today)
	if msg != "" {
		problems = append(problems, FieldError{"ad-decided-day", msg})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.AppealDecided{Outcome: f.AppealOutcome, DecidedOn: decided, Note: f.AppealNote}, nil
}

// describeChallengeEvent says in words what a challenge event recorded.
func describeChallengeEvent(e casework.Event) (string, bool) {
	switch body := e.Body.(type) {
	case *casework.RedeterminationRequested:
		what := "Re-determination asked for " + askedHowLabels[body.How] + " by " + askedByLabels[body.By] +
			", received on " + body.ReceivedOn.Long() + ". Disagrees with: " + body.Disagreement
		if body.LateReason != "" {
			what += ". Late, because: " + body.LateReason
		}
		return what, true
	case *casework.LateRequestDecided:
		if body.Outcome == casework.LateAccepted {
			return "Late request accepted: " + body.Reason, true
		}
		return "Late request refused: " + body.Reason, true
	case *casework.RedeterminationDecided:
		return "Re-determination made: " + strings.ToLower(redeterminationLabels[body.Outcome]), true
	case *casework.AppealFormSent:
		return "Appeal form sent (" + body.Channel + ")", true
	case *casework.AppealLodged:
		return withNote("The client appealed to the tribunal on "+body.LodgedOn.Long(), body.Note), true
	case *casework.AppealDecided:
		return withNote("The tribunal decided on "+body.DecidedOn.Long()+": "+strings.ToLower(appealLabels[body.Outcome]), body.Note), true
	}
	return "", false
}

// The challenge forms join the case page's forms (staff_forms.go).
func init() {
	caseForms = append(caseForms,
		caseForm{path: "redetermination-request", first: "rd-disagreement", decided: true,
			parse: challengeForm("redetermination-request", parseRedeterminationRequest),
			fields: map[string]string{"body.how": "rd-how", "body.by": "rd-by", "body.disagreement": "rd-disagreement",
				"body.criteria": "rd-criteria", "body.late_reason": "rd-late-reason", "body.received_on": "rd-received-day"}},
		caseForm{path: "late-request", first: "late-outcome", decided: true,
			parse:  challengeForm("late-request", parseLateRequestDecision),
			fields: map[string]string{"body.outcome": "late-outcome", "body.reason": "late-decision-reason"}},
		caseForm{path: "redetermination-decision", first: "rdd-outcome", decided: true,
			parse: challengeForm("redetermination-decision", parseRedeterminationDecision),
			fields: map[string]string{"body.outcome": "rdd-outcome", "body.award": "rdd-award", "body.decision_maker": "rdd-decision-maker",
				"body.reasons": "rdd-outcome"}},
		caseForm{path: "appeal-form-sent", first: "af-channel", decided: true,
			parse: challengeForm("appeal-form-sent", parseAppealFormSent), fields: map[string]string{"body.channel": "af-channel"}},
		caseForm{path: "appeal-lodged", first: "al-lodged-day", decided: true,
			parse: challengeForm("appeal-lodged", parseAppealLodged), fields: map[string]string{"body.lodged_on": "al-lodged-day", "body.note": "al-note"}},
		caseForm{path: "appeal-decided", first: "ad-outcome", decided: true,
			parse:  challengeForm("appeal-decided", parseAppealDecided),
			fields: map[string]string{"body.outcome": "ad-outcome", "body.decided_on": "ad-decided-day", "body.note": "ad-note"}},
	)
}
