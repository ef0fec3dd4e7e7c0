package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/feedback"
	"github.com/charter-service/charter/internal/measure"
)

// Complaints (commitment 1.13): staff see those due and overdue first,
// and record each step of the two-stage process; the person is told what
// happens next, up to the Scottish Public Services Ombudsman, on the page
// their reference opens.

func (s *Server) registerComplaintPages() {
	s.handle("GET", "/staff/complaints", s.anyStaff(s.complaintsPage))
	s.handle("GET", "/staff/complaints/{complaint}", s.anyStaff(s.complaintPage))
	s.handle("POST", "/staff/complaints/{complaint}/{step}", s.anyStaff(s.recordComplaintStep))
	s.handle("GET", "/staff/feedback", s.anyStaff(s.feedbackSummaryPage))
}

type complaintsView struct {
	Chrome   Chrome
	Staff    []NavItem
	Today    calendar.Date
	All      bool
	Rows     []complaintRow
	Overdue  int
	DueToday int
}

type complaintRow struct {
	ID, URL     string
	Received    calendar.Date
	About       string // "1.4, 2.2" or "something else"
	Stage       int
	NextStep    string
	Due         calendar.Date
	Status      string
	Tag         string // the design system tag's colour class
	StatusLabel string
}

func (s *Server) complaintsPage(w http.ResponseWriter, r *http.Request) {
	all := r.URL.Query().Get("all") == "yes"
	rows, err := s.svc.Complaints(r.Context(), all)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	title := "Complaints due"
	if all {
		title = "All complaints"
	}
	v := complaintsView{Chrome: s.chrome(r, title), Staff: s.staffNav(r), Today: s.svc.Today(), All: all}
	for _, c := range rows {
		row := complaintRow{ID: c.ID, URL: complaintURL(c.ID), Received: c.Received, About: aboutText(c.Item), Stage: c.Stage,
			NextStep: c.NextStep, Due: c.NextDue}
		row.StatusLabel, row.Tag = complaintStatusLabel(c.Status), "ds_tag--grey"
		switch {
		case c.Overdue:
			row.StatusLabel, row.Tag = "Overdue", "ds_tag--red"
			v.Overdue++
		case c.DueToday:
			row.StatusLabel, row.Tag = "Due today", "ds_tag--orange"
			v.DueToday++
		case c.NextDue != 0:
			row.StatusLabel, row.Tag = "On track", "ds_tag--green"
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, http.StatusOK, "staff-complaints", v)
}

func complaintURL(id string) string { return "/staff/complaints/" + id }

// aboutText names the commitments an item is about.
func aboutText(it feedback.Item) string {
	var parts []string
	for _, c := range it.Commitments {
		parts = append(parts, c.ID)
	}
	if it.SomethingElse {
		parts = append(parts, "something else")
	}
	return strings.Join(parts, ", ")
}

var complaintStatusLabels = map[feedback.ComplaintStatus]string{
	feedback.StatusStage1Open:         "Stage 1: waiting for our answer",
	feedback.StatusStage1Answered:     "Stage 1: answered",
	feedback.StatusStage2Open:         "Stage 2: to acknowledge",
	feedback.StatusStage2Acknowledged: "Stage 2: waiting for our answer",
	feedback.StatusStage2Answered:     "Stage 2: answered",
	feedback.StatusClosed:             "Closed",
}

func complaintStatusLabel(st feedback.ComplaintStatus) string {
	if l, ok := complaintStatusLabels[st]; ok {
		return l
	}
	return string(st)
}

// complaintView is one complaint, with the forms for the steps that fit
// where it is.
type complaintView struct {
	Chrome      Chrome
	Staff       []NavItem
	ID          string
	PublicURL   string
	Received    calendar.Date
	Commitments []sentCommitment
	Something   bool
	Verdict     string
	Reference   string
	CaseURL     string
	Text        string
	Contact     feedback.Contact
	Status      string
	Deadlines   []deadlineRow
	Events      []complaintEventRow
	Next        feedback.NextSteps
	Version     int
	Today       calendar.Date
	// Forms says which steps fit now.
	CanAnswer1, CanEscalate, CanAcknowledge, CanAnswer2, CanClose bool
	Form                                                          complaintFormValues
	Problem                                                       string // a step that no longer fits, or someone else's change
	Recorded                                                      string // what was just recorded
	Errors
}

type complaintFormValues struct {
	Outcome1, Note1, Outcome2, Note2 string
}

type deadlineRow struct {
	What            string
	Due, Done       calendar.Date
	State, StateTag string
}

type complaintEventRow struct {
	On      calendar.Date
	What    string
	Outcome string
	Note    string
	Who     string
}

var stepNames = map[feedback.ComplaintEventType]string{
	feedback.ComplaintReceived:  "Received",
	feedback.Stage1Responded:    "Stage 1 answer sent",
	feedback.Escalated:          "Asked us to look again: stage 2",
	feedback.Stage2Acknowledged: "Stage 2 acknowledged",
	feedback.Stage2Responded:    "Stage 2 answer sent",
	feedback.ComplaintClosed:    "Closed",
}

var complaintOutcomeLabels = map[feedback.Outcome]string{
	feedback.OutcomeUpheld: "Upheld", feedback.OutcomePartlyUpheld: "Partly upheld", feedback.OutcomeNotUpheld: "Not upheld",
}

func (s *Server) newComplaintView(r *http.Request, c app.ComplaintView) complaintView {
	it := c.Item
	v := complaintView{Staff: s.staffNav(r), ID: it.ID, PublicURL: "/feedback/sent/" + it.ID, Received: it.Received, Something: it.SomethingElse,
		Text: it.Text, Contact: it.Contact, Status: complaintStatusLabel(c.Complaint.Status), Next: c.NextSteps, Version: len(c.Events), Today: c.Today}
	ch, _ := s.svc.Charter()
	for _, ref := range it.Commitments {
		sc := sentCommitment{ID: ref.ID}
		if ch != nil {
			for _, sec := range ch.Sections {
				for _, cm := range sec.Commitments {
					if cm.Key == ref.Key {
						sc = sentCommitment{ID: cm.ID, Text: cm.Text}
					}
				}
			}
		}
		v.Commitments = append(v.Commitments, sc)
	}
	if it.Reference != "" {
		v.Reference, v.CaseURL = it.Reference.String(), caseURL(it.Reference)
	}
	for _, d := range c.Deadlines {
		row := deadlineRow{What: d.What, Due: d.Due, Done: d.DoneOn}
		switch {
		case d.Overdue:
			row.State, row.StateTag = "Overdue", "ds_tag--red"
		case d.Late:
			row.State, row.StateTag = "Done late", "ds_tag--orange"
		case !d.DoneOn.IsZero():
			row.State, row.StateTag = "Done on time", "ds_tag--green"
		case d.Due == c.Today:
			row.State, row.StateTag = "Due today", "ds_tag--orange"
		default:
			row.State, row.StateTag = "Due", "ds_tag--grey"
		}
		v.Deadlines = append(v.Deadlines, row)
	}
	for _, e := range c.Events {
		v.Events = append(v.Events, complaintEventRow{On: e.On, What: stepNames[e.Type], Outcome: complaintOutcomeLabels[e.Outcome], Note: e.Note,
			Who: actorText(e.Actor)})
	}
	st := c.Complaint
	stage1Late := st.Status == feedback.StatusStage1Open && c.Today > st.Stage1DueOn
	v.CanAnswer1 = st.Status == feedback.StatusStage1Open
	v.CanEscalate = st.Status == feedback.StatusStage1Answered || (st.Status == feedback.StatusClosed && st.Stage == 1) || stage1Late
	v.CanAcknowledge = st.Status == feedback.StatusStage2Open
	v.CanAnswer2 = st.Status == feedback.StatusStage2Open || st.Status == feedback.StatusStage2Acknowledged
	v.CanClose = st.Status == feedback.StatusStage1Answered || st.Status == feedback.StatusStage2Answered
	return v
}

func (s *Server) complaintPage(w http.ResponseWriter, r *http.Request) {
	_, c, err := s.svc.FeedbackItem(r.Context(), r.PathValue("complaint"))
	if err == nil && c == nil {
		err = errs.NotFound("%s is feedback, not a complaint", r.PathValue("complaint"))
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := s.newComplaintView(r, *c)
	if step := r.URL.Query().Get("recorded"); step != "" {
		v.Recorded = stepNames[feedback.ComplaintEventType(step)]
	}
	s.renderComplaint(w, r, http.StatusOK, v)
}

func (s *Server) renderComplaint(w http.ResponseWriter, r *http.Request, status int, v complaintView) {
	v.Chrome = s.chrome(r, titled("Complaint "+v.ID, v.Errors))
	s.render(w, r, status, "staff-complaint", v)
}

// complaintSteps are the steps the forms post, by the last part of their
// address.
var complaintSteps = map[string]feedback.ComplaintEventType{
	"stage1-answer":      feedback.Stage1Responded,
	"escalate":           feedback.Escalated,
	"stage2-acknowledge": feedback.Stage2Acknowledged,
	"stage2-answer":      feedback.Stage2Responded,
	"close":              feedback.ComplaintClosed,
}

func (s *Server) recordComplaintStep(w http.ResponseWriter, r *http.Request) {
	typ, ok := complaintSteps[r.PathValue("step")]
	if !ok {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	_, c, err := s.svc.FeedbackItem(r.Context(), r.PathValue("complaint"))
	if err == nil && c == nil {
		err = errs.NotFound("%s is feedback, not a complaint", r.PathValue("complaint"))
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := s.newComplaintView(r, *c)
	expected, err := strconv.Atoi(r.PostFormValue("expected_version"))
	if err != nil || expected < 1 {
		s.renderErrorMessage(w, r, http.StatusBadRequest,
			"The form did not say which version of the complaint it was filled in on. Go back, reload the complaint and try again.")
		return
	}
	step := app.ComplaintStep{Type: typ, ExpectedVersion: expected}
	outcomeField := ""
	switch typ {
	case feedback.Stage1Responded:
		v.Form.Outcome1, v.Form.Note1 = postedValue(r, "outcome"), postedValue(r, "note")
		step.Outcome, step.Note, outcomeField = feedback.Outcome(v.Form.Outcome1), v.Form.Note1, "stage1-outcome"
	case feedback.Stage2Responded:
		v.Form.Outcome2, v.Form.Note2 = postedValue(r, "outcome"), postedValue(r, "note")
		step.Outcome, step.Note, outcomeField = feedback.Outcome(v.Form.Outcome2), v.Form.Note2, "stage2-outcome"
	}
	if outcomeField != "" && step.Outcome == "" {
		v.Errors = Errors{{outcomeField, "Choose what our answer found: upheld, partly upheld or not upheld"}}
		s.renderComplaint(w, r, http.StatusBadRequest, v)
		return
	}
	sess := s.currentSession(r)
	step.Actor = sess.Role + ":" + sess.Name
	_, err = s.svc.RecordComplaintStep(r.Context(), v.ID, step)
	if e, ok := errs.As(err); ok && e.Kind != errs.KindInternal {
		if e.Kind == errs.KindInvalid && e.Field == "outcome" && outcomeField != "" {
			v.Errors = Errors{{outcomeField, asSentence(e.Message)}}
			s.renderComplaint(w, r, http.StatusBadRequest, v)
			return
		}
		// Someone else recorded a step first, or this step no longer fits:
		// show the complaint as it is now, with what was typed.
		_, now, err := s.svc.FeedbackItem(r.Context(), v.ID)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		fresh := s.newComplaintView(r, *now)
		fresh.Form, fresh.Problem = v.Form, asSentence(e.Message)
		s.renderComplaint(w, r, status(e.Kind), fresh)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, complaintURL(v.ID)+"?recorded="+string(typ), http.StatusSeeOther)
}

// ---- Feedback by commitment ----

type feedbackSummaryView struct {
	Chrome        Chrome
	Staff         []NavItem
	Year          string
	From, To      calendar.Date
	Rows          []feedbackSummaryRow
	SomethingElse int
	Total         int
	Recent        []recentFeedbackRow
}

type feedbackSummaryRow struct {
	ID, Text, URL           string
	Met, NotMet, Complaints int
	Measures                []app.MeasureFigure
	HasFeedback             bool
}

type recentFeedbackRow struct {
	ID, URL, Kind, About, Verdict, Text string
	Received                            calendar.Date
}

func (s *Server) feedbackSummaryPage(w http.ResponseWriter, r *http.Request) {
	sum, err := s.svc.FeedbackSummaryFor(r.Context(), measure.YearOf(s.svc.Today()))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	recent, err := s.svc.RecentFeedback(r.Context(), 20)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := feedbackSummaryView{Chrome: s.chrome(r, "Feedback by commitment"), Staff: s.staffNav(r), Year: sum.Year.Long(),
		From: sum.From, To: sum.To, SomethingElse: sum.SomethingElse, Total: sum.Total}
	for _, c := range sum.Commitments {
		v.Rows = append(v.Rows, feedbackSummaryRow{ID: c.Commitment.ID, Text: c.Commitment.Text, URL: commitmentURLFor(c.Commitment.ID),
			Met: c.Met, NotMet: c.NotMet, Complaints: c.Complaints, Measures: c.Measures,
			HasFeedback: c.Met+c.NotMet+c.Complaints > 0})
	}
	for _, it := range recent {
		row := recentFeedbackRow{ID: it.ID, Kind: "Feedback", About: aboutText(it.Item), Text: it.Text, Received: it.Received}
		switch it.Verdict {
		case feedback.VerdictMet:
			row.Verdict = "Met"
		case feedback.VerdictNotMet:
			row.Verdict = "Not met"
		}
		if it.Kind == feedback.KindComplaint {
			row.Kind, row.URL = "Complaint", complaintURL(it.ID)
		}
		v.Recent = append(v.Recent, row)
	}
	s.render(w, r, http.StatusOK, "staff-feedback", v)
}

func commitmentURLFor(id string) string { return "/charter#" + commitmentAnchor(id) }

// complaintFormView is the form for an answer, at stage 1 or 2.
type complaintFormView struct {
	ID, Step, Field, Title, Outcome, Note, Error string
	Version                                      int
	CSRF                                         string
}

// complaintForm builds a complaintFormView in a template.
func complaintForm(id, step, field, title, outcome, note, err string, version int, csrf string) complaintFormView {
	return complaintFormView{ID: id, Step: step, Field: field, Title: title, Outcome: outcome, Note: note, Error: err, Version: version, CSRF: csrf}
}
