package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
)

// registerStaffPages adds the casework pages: the work queue, a case with
// the forms that record what happens to it, the sign-in code outbox and a
// first performance page for managers.
func (s *Server) registerStaffPages() {
	anyStaff := s.requireStaff(app.RoleCaseworker, app.RoleManager, app.RoleAdmin)
	s.handle("GET", "/staff", anyStaff(s.queuePage))
	s.handle("GET", "/staff/cases/{ref}", anyStaff(s.casePage))
	for _, f := range caseForms {
		s.handle("POST", "/staff/cases/{ref}/"+f.path, anyStaff(s.recordFromForm(f)))
	}
	s.handle("GET", "/staff/outbox", anyStaff(s.outboxPage))
	s.handle("GET", "/staff/performance", s.requireStaff(app.RoleManager, app.RoleAdmin)(s.performancePage))
}

// staffNav is the navigation between the staff pages; Performance only
// for the roles that may see it.
func (s *Server) staffNav(r *http.Request) []NavItem {
	items := []NavItem{{Label: "Work queue", URL: "/staff"}, {Label: "Outbox", URL: "/staff/outbox"}}
	if sess := s.currentSession(r); sess != nil && (sess.Role == app.RoleManager || sess.Role == app.RoleAdmin) {
		items = append(items, NavItem{Label: "Performance", URL: "/staff/performance"})
	}
	for i := range items {
		items[i].Current = r.URL.Path == items[i].URL ||
			(items[i].URL == "/staff" && strings.HasPrefix(r.URL.Path, "/staff/cases/"))
	}
	return items
}

// titled is a page title, with "Error: " first when the form has problems,
// so screen readers hear it first.
func titled(title string, problems Errors) string {
	if len(problems) > 0 {
		return "Error: " + title
	}
	return title
}

// asSentence gives a domain message (lower case, no full stop) a capital.
func asSentence(msg string) string {
	if msg == "" {
		return msg
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// ---- The work queue ----

// queuePageSize is how many applications one page of the queue shows.
const queuePageSize = 25

// queueStatus is a queue status as people read it, with its tag colour.
type queueStatus struct{ Value, Label, Tag string }

var queueStatuses = []queueStatus{
	{store.QueueMissed, "Missed", "ds_tag--red"},
	{store.QueueAtRisk, "At risk", "ds_tag--orange"},
	{store.QueueOnTrack, "On track", "ds_tag--green"},
	{store.QueuePaused, "Paused", "ds_tag--grey"},
}

func queueStatusOf(value string) (queueStatus, bool) {
	for _, q := range queueStatuses {
		if q.Value == value {
			return q, true
		}
	}
	return queueStatus{}, false
}

// selectOption is one choice in a select.
type selectOption struct {
	Value, Label string
	Selected     bool
}

// queueView is the work queue: filters, counts and one page of cases.
type queueView struct {
	Chrome                  Chrome
	Staff                   []NavItem
	Today                   calendar.Date
	Benefit, Stage, Status  string // the filters as sent
	Benefits, Stages        []selectOption
	Statuses                []selectOption
	Counts                  []queueCount // empty when the filters have problems
	Total                   int
	Rows                    []queueRow
	NextURL, FirstURL       string
	FilterLabel             string // "Adult Disability Payment, at the stage Gathering information"
	Filtered, CursorProblem bool
	Errors
}

type queueCount struct {
	queueStatus
	Count int
	URL   string
}

type queueRow struct {
	Ref, URL, ClientName, Benefit, Stage string
	Status                               queueStatus
	DecideBy                             calendar.Date
	Paused                               bool
}

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := queueView{Staff: s.staffNav(r), Today: s.svc.Today(),
		Benefit: strings.TrimSpace(q.Get("benefit")), Stage: strings.TrimSpace(q.Get("stage")), Status: strings.TrimSpace(q.Get("status"))}
	cursor := q.Get("cursor")
	if v.Status == "all" {
		v.Status = ""
	}
	cat, err := s.svc.Benefits()
	if err != nil {
		s.pageError(w, r, err)
		return
	}

	// The choices, and a check of what was sent against them.
	v.Benefits = []selectOption{{Value: "", Label: "All benefits", Selected: v.Benefit == ""}}
	var benefit *charter.Benefit
	for i := range cat.Benefits {
		b := &cat.Benefits[i]
		v.Benefits = append(v.Benefits, selectOption{Value: b.ID, Label: b.Name, Selected: b.ID == v.Benefit})
		if b.ID == v.Benefit {
			benefit = b
		}
	}
	v.Stages = []selectOption{{Value: "", Label: "All stages", Selected: v.Stage == ""}}
	stageNames := map[string]string{}
	for _, b := range cat.Benefits {
		for _, st := range b.Stages {
			if _, seen := stageNames[st.ID]; !seen {
				stageNames[st.ID] = st.Name
				v.Stages = append(v.Stages, selectOption{Value: st.ID, Label: st.Name, Selected: st.ID == v.Stage})
			}
		}
	}
	v.Statuses = []selectOption{{Value: "all", Label: "All", Selected: v.Status == ""}}
	for _, st := range queueStatuses {
		v.Statuses = append(v.Statuses, selectOption{Value: st.Value, Label: st.Label, Selected: st.Value == v.Status})
	}
	if v.Benefit != "" && benefit == nil {
		v.Errors = append(v.Errors, FieldError{"benefit", "Choose a benefit from the list"})
	}
	if _, ok := stageNames[v.Stage]; v.Stage != "" && !ok {
		v.Errors = append(v.Errors, FieldError{"stage", "Choose a stage from the list"})
	} else if _, i := benefitStage(benefit, v.Stage); v.Stage != "" && benefit != nil && i < 0 {
		v.Errors = append(v.Errors, FieldError{"stage", "Choose a stage that " + benefit.Name + " has, or All stages"})
	}
	if _, ok := queueStatusOf(v.Status); v.Status != "" && !ok {
		v.Errors = append(v.Errors, FieldError{"status", "Choose a status from the list"})
	}
	if len(v.Errors) > 0 {
		s.renderQueue(w, r, http.StatusBadRequest, v)
		return
	}

	page, err := s.svc.Queue(r.Context(), store.QueueQuery{Benefit: v.Benefit, Stage: v.Stage, Status: v.Status,
		Cursor: cursor, Limit: queuePageSize})
	if err != nil {
		e, ok := errs.As(err)
		if !ok || e.Kind != errs.KindInvalid {
			s.pageError(w, r, err)
			return
		}
		// What is left is a cursor we did not give out, or a rule the
		// checks above do not know yet.
		field := map[string]string{"benefit": "benefit", "stage": "stage", "status": "status"}[e.Field]
		msg := asSentence(e.Message)
		if field == "" {
			field, msg, v.CursorProblem = "first-page", "This page of the queue no longer exists: start again from the first page", true
		}
		v.Errors = append(v.Errors, FieldError{field, msg})
		v.FirstURL = queueURL(v.Benefit, v.Stage, v.Status, "")
		s.renderQueue(w, r, http.StatusBadRequest, v)
		return
	}
	for _, it := range page.Items {
		row := queueRow{Ref: it.Ref.String(), URL: caseURL(it.Ref), ClientName: it.ClientName,
			Benefit: it.Benefit, Stage: it.Stage, DecideBy: it.DecideBy, Paused: it.Paused}
		row.Status, _ = queueStatusOf(it.QueueStatus)
		if b, ok := cat.Benefit(it.Benefit); ok {
			row.Benefit = b.Name
			if st, i := b.Stage(it.Stage); i >= 0 {
				row.Stage = st.Name
			}
		}
		v.Rows = append(v.Rows, row)
	}
	if page.Next != "" {
		v.NextURL = queueURL(v.Benefit, v.Stage, v.Status, page.Next)
	}
	if cursor != "" {
		v.FirstURL = queueURL(v.Benefit, v.Stage, v.Status, "")
	}

	// The counts at the top follow the benefit and stage filters, and
	// each links to the queue of that status.
	tallies, err := s.svc.QueueTallies(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var sum store.QueueTally
	for _, t := range tallies {
		if (v.Benefit == "" || t.Benefit == v.Benefit) && (v.Stage == "" || t.Stage == v.Stage) {
			sum = sum.Add(t.QueueTally)
		}
	}
	for _, st := range queueStatuses {
		v.Counts = append(v.Counts, queueCount{queueStatus: st, Count: sum.Of(st.Value), URL: queueURL(v.Benefit, v.Stage, st.Value, "")})
	}
	v.Total = sum.Total()
	var parts []string
	if benefit != nil {
		parts = append(parts, benefit.Name)
	}
	if v.Stage != "" {
		parts = append(parts, "at the stage "+stageNames[v.Stage])
	}
	v.FilterLabel = strings.Join(parts, ", ")
	v.Filtered = v.Benefit != "" || v.Stage != "" || v.Status != ""
	s.renderQueue(w, r, http.StatusOK, v)
}

func (s *Server) renderQueue(w http.ResponseWriter, r *http.Request, status int, v queueView) {
	v.Chrome = s.chrome(r, titled("Work queue", v.Errors))
	s.render(w, r, status, "staff-queue", v)
}

func benefitStage(b *charter.Benefit, stage string) (charter.Stage, int) {
	if b == nil {
		return charter.Stage{}, -1
	}
	return b.Stage(stage)
}

// queueURL is the address of a page of the queue with these filters.
func queueURL(benefit, stage, status, cursor string) string {
	q := url.Values{}
	for k, v := range map[string]string{"benefit": benefit, "stage": stage, "status": status, "cursor": cursor} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return "/staff"
	}
	return "/staff?" + q.Encode()
}

func caseURL(ref casework.Reference) string { return "/staff/cases/" + ref.String() }

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
	Commitment         string // "1.4"
}

type caseCommitment struct{ ID, Text string }

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

	switch c := a.Client; {
	case c.PreferredContact == "email" || (c.PreferredContact == "" && c.Email != ""):
		v.Contact = "Email: " + c.Email
	case c.PreferredContact == "sms" || (c.PreferredContact == "" && c.Phone != ""):
		v.Contact = "Text message: " + c.Phone
	default:
		v.Contact = "Letter"
	}
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
		if ch == nil || slices.ContainsFunc(v.Commitments, func(c caseCommitment) bool { return c.ID == st.Commitment }) {
			continue
		}
		if c, ok := ch.Commitment(st.Commitment); ok {
			v.Commitments = append(v.Commitments, caseCommitment{ID: c.ID, Text: c.Text})
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
		return "Update sent (" + body.Channel + "): " + body.Summary
	case *casework.Withdrawn:
		return withNote("Withdrawn", body.Reason)
	}
	return asSentence(strings.ReplaceAll(string(e.Type), "_", " "))
}

func withNote(what, note string) string {
	if note == "" {
		return what
	}
	return what + ". Note: " + note
}

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
}

// fieldFor is the id of the input a domain error is about.
func (f caseForm) fieldFor(domainField string, v *caseView) string {
	if !v.Open {
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
		if !v.Open {
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
	due, msg := parseDueDate(f.DueDay, f.DueMonth, f.DueYear, today)
	if msg != "" {
		problems = append(problems, FieldError{"due-day", msg})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.InformationRequested{What: f.What, Why: f.Why, From: f.From, How: f.How, Due: due}, nil
}

// parseDueDate reads the date a request is due by, typed as day, month and
// year. All three empty means the benefit's usual time.
func parseDueDate(day, month, year string, today calendar.Date) (calendar.Date, string) {
	if day == "" && month == "" && year == "" {
		return 0, ""
	}
	d, err1 := strconv.Atoi(day)
	m, err2 := strconv.Atoi(month)
	y, err3 := strconv.Atoi(year)
	switch {
	case day == "" || month == "" || year == "":
		return 0, "The date to send it by must include a day, a month and a year"
	case err1 != nil || err2 != nil || err3 != nil:
		return 0, "Write the date to send it by in numbers, for example 30 3 2026"
	case len(year) != 4:
		return 0, "Write the year with four numbers, for example 2026"
	}
	date := calendar.NewDate(y, time.Month(m), d)
	if yy, mm, dd := date.Date(); m < 1 || m > 12 || yy != y || int(mm) != m || dd != d {
		return 0, "The date to send it by must be a real date, for example 30 3 2026"
	}
	if !date.After(today) {
		return 0, "The date to send it by must be after today, " + today.Long()
	}
	return date, ""
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
	for i := range f.Criteria {
		c := &f.Criteria[i]
		c.Met, c.Reason = postedValue(r, "met-"+c.ID), postedValue(r, "reason-"+c.ID)
		if c.Met != "yes" && c.Met != "no" {
			problems = append(problems, FieldError{c.MetField, "Say yes or no to: " + c.Question})
		}
		if c.Reason == "" {
			problems = append(problems, FieldError{c.ReasonField, "Give the reason, in plain words, for your answer to: " + c.Question})
		}
		body.Reasons = append(body.Reasons, casework.CriterionReason{Criterion: c.ID, Met: c.Met == "yes", Reason: c.Reason})
	}
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

// ---- The sign-in code outbox ----

// outboxLimit is how many messages the outbox page shows.
const outboxLimit = 100

type outboxView struct {
	Chrome   Chrome
	Staff    []NavItem
	Limit    int
	Messages []outboxRow
}

type outboxRow struct {
	When, Ref, URL, Channel, Recipient, Body string
}

var channelLabels = map[string]string{"email": "Email", "sms": "Text message", "letter": "Letter"}

func (s *Server) outboxPage(w http.ResponseWriter, r *http.Request) {
	msgs, err := s.svc.CodeOutbox(r.Context(), outboxLimit)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := outboxView{Chrome: s.chrome(r, "Sign-in code outbox"), Staff: s.staffNav(r), Limit: outboxLimit}
	for _, m := range msgs {
		ref := casework.Reference(m.Ref)
		ch := channelLabels[m.Channel]
		if ch == "" {
			ch = m.Channel
		}
		v.Messages = append(v.Messages, outboxRow{When: whenText(m.CreatedAt), Ref: ref.String(), URL: caseURL(ref),
			Channel: ch, Recipient: m.Recipient, Body: m.Body})
	}
	s.render(w, r, http.StatusOK, "staff-outbox", v)
}

// ---- Performance ----

type performanceView struct {
	Chrome Chrome
	Staff  []NavItem
	Today  calendar.Date
	Rows   []performanceRow
	Total  store.QueueTally
}

type performanceRow struct {
	Benefit string
	store.QueueTally
}

func (s *Server) performancePage(w http.ResponseWriter, r *http.Request) {
	cat, err := s.svc.Benefits()
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	tallies, err := s.svc.QueueTallies(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	byBenefit := map[string]store.QueueTally{}
	for _, t := range tallies {
		byBenefit[t.Benefit] = byBenefit[t.Benefit].Add(t.QueueTally)
	}
	v := performanceView{Chrome: s.chrome(r, "Performance"), Staff: s.staffNav(r), Today: s.svc.Today()}
	for _, b := range cat.Benefits {
		v.Rows = append(v.Rows, performanceRow{Benefit: b.Name, QueueTally: byBenefit[b.ID]})
		v.Total = v.Total.Add(byBenefit[b.ID])
		delete(byBenefit, b.ID)
	}
	// Applications for a benefit no longer in the catalogue still count.
	for _, id := range slices.Sorted(maps.Keys(byBenefit)) {
		v.Rows = append(v.Rows, performanceRow{Benefit: id, QueueTally: byBenefit[id]})
		v.Total = v.Total.Add(byBenefit[id])
	}
	s.render(w, r, http.StatusOK, "staff-performance", v)
}
