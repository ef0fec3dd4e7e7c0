package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/feedback"
)

// The public feedback form (commitment 1.13): anyone, signed in or not,
// can say a commitment was or was not met, or make a complaint, choosing
// commitments in the charter's own words. There is no CAPTCHA: a hidden
// field people leave empty, a check that the form was not sent back
// quicker than a person could fill it in, and a limit per address
// (app.SubmitFeedback).

// honeypotField is the hidden field: its name invites a robot to fill it in.
const honeypotField = "website"

func (s *Server) registerFeedbackPages() {
	s.handle("GET", "/feedback/send", s.feedbackFormPage)
	s.handle("POST", "/feedback/send", s.sendFeedback)
	s.handle("GET", "/feedback/sent", s.feedbackSentPage)
	s.handle("GET", "/feedback/sent/{id}", s.feedbackSentPage)
}

// feedbackFormView is the form, empty or as sent with its problems.
type feedbackFormView struct {
	Chrome    Chrome
	Groups    []choiceGroup
	Form      feedbackFormValues
	Shown     string // when the form was given out, unix seconds
	Honeypot  string
	Timescale calendar.Date // the stage 1 date of a complaint made today
	Errors
}

type feedbackFormValues struct {
	Kind, Verdict, Reference, Text, Name, Email, Phone string
	Commitments                                        []string
}

type choiceGroup struct {
	Heading string
	ID      string
	Choices []choiceView
}

type choiceView struct {
	ID, Value, Label, Hint string
	Checked                bool
}

// feedbackFields maps the domain's field names to the form's ids (the
// error summary links to them).
var feedbackFields = map[string]string{
	"kind": "kind", "commitments": "commitments", "verdict": "verdict", "reference": "reference", "text": "text",
	"name": "name", "email": "email", "phone": "phone", "contact": "email",
}

func (s *Server) feedbackFormPage(w http.ResponseWriter, r *http.Request) {
	v := feedbackFormView{}
	if c := r.URL.Query().Get("commitment"); c != "" {
		v.Form.Commitments = []string{c} // linked from a commitment
	}
	s.renderFeedbackForm(w, r, http.StatusOK, v)
}

func (s *Server) renderFeedbackForm(w http.ResponseWriter, r *http.Request, status int, v feedbackFormView) {
	ch, err := s.svc.Charter()
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Chrome = s.chrome(r, titled("Give feedback or make a complaint", v.Errors))
	v.Shown = strconv.FormatInt(s.svc.Now().Unix(), 10)
	v.Timescale = s.svc.Calendar().AddWorkingDays(s.svc.Today(), s.svc.ComplaintTimescales().Stage1RespondDays)
	v.Groups = choiceGroups(ch, v.Form.Commitments)
	s.render(w, r, status, "feedback-form", v)
}

// choiceGroups lists the charter's commitments by section, in its own
// words, then "something else"; the first box has the id "commitments",
// which the error summary links to.
func choiceGroups(ch *charter.Charter, checked []string) []choiceGroup {
	var out []choiceGroup
	first := true
	for i, g := range feedback.Choices(ch) {
		cg := choiceGroup{Heading: g.Heading, ID: "commitment-group-" + strconv.Itoa(i+1)}
		for _, c := range g.Choices {
			id := "commitment-" + slug(c.Value)
			if first {
				id, first = "commitments", false
			}
			cg.Choices = append(cg.Choices, choiceView{ID: id, Value: c.Value, Label: c.Label, Hint: c.Hint, Checked: slices.Contains(checked, c.Value)})
		}
		out = append(out, cg)
	}
	return out
}

func (s *Server) sendFeedback(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, errs.Invalid("form", "the form could not be read"))
		return
	}
	f := feedbackFormValues{Kind: postedValue(r, "kind"), Verdict: postedValue(r, "verdict"), Reference: postedValue(r, "reference"),
		Text: strings.TrimSpace(r.PostFormValue("text")), Name: postedValue(r, "name"), Email: postedValue(r, "email"),
		Phone: postedValue(r, "phone"), Commitments: r.PostForm["commitments"]}
	var shown time.Time
	if n, err := strconv.ParseInt(postedValue(r, "shown"), 10, 64); err == nil {
		shown = time.Unix(n, 0)
	}
	receipt, err := s.svc.SubmitFeedback(r.Context(), app.FeedbackSubmission{
		Form: feedback.Form{Kind: feedback.Kind(f.Kind), Commitments: f.Commitments, Verdict: feedback.Verdict(f.Verdict),
			Reference: f.Reference, Text: f.Text, Name: f.Name, Email: f.Email, Phone: f.Phone},
		Honeypot: r.PostFormValue(honeypotField), Shown: shown, From: clientAddr(r)})
	var fe feedback.FormErrors
	if errors.As(err, &fe) {
		v := feedbackFormView{Form: f}
		for _, e := range fe {
			field := feedbackFields[e.Field]
			if field == "" || v.FieldError(field) != "" {
				continue
			}
			v.Errors = append(v.Errors, FieldError{field, asSentence(e.Message)})
		}
		s.renderFeedbackForm(w, r, http.StatusBadRequest, v)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if receipt.ID == "" { // looked automated: thanked, not kept
		http.Redirect(w, r, "/feedback/sent", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/feedback/sent/"+receipt.ID, http.StatusSeeOther)
}

// feedbackSentView thanks the person and, for a complaint, says where it
// is and what they can do next. It shows no personal details: anyone with
// the reference can open it.
type feedbackSentView struct {
	Chrome      Chrome
	ID          string // "" when nothing is known about it
	Complaint   bool
	Received    calendar.Date
	Commitments []sentCommitment
	Next        *feedback.NextSteps
}

type sentCommitment struct{ ID, Text string }

func (s *Server) feedbackSentPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	v := feedbackSentView{}
	if id != "" {
		it, c, err := s.svc.FeedbackItem(r.Context(), id)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		v.ID, v.Complaint, v.Received = it.ID, c != nil, it.Received
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
		if c != nil {
			v.Next = &c.NextSteps
		}
	}
	title := "Thank you for your feedback"
	if v.Complaint {
		title = "We have your complaint"
	}
	v.Chrome = s.chrome(r, title)
	s.render(w, r, http.StatusOK, "feedback-sent", v)
}
