package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

// Challenging a decision: the decision notice in the API and on the
// client's page, and the client asking us online to look at the decision
// again (a re-determination). The staff forms are in staff_challenge.go.

// redeterminationPath is where a client asks for a re-determination.
const redeterminationPath = "/application/redetermination"

func (s *Server) registerChallenge() {
	s.handle("GET", "/api/v1/applications/{ref}/decision", s.staff(s.getDecisionNotice))
	s.handle("GET", redeterminationPath, s.requireClient(s.redeterminationPage))
	s.handle("POST", redeterminationPath, s.requireClient(s.askForRedetermination))
}

// getDecisionNotice answers GET /api/v1/applications/{ref}/decision.
func (s *Server) getDecisionNotice(w http.ResponseWriter, r *http.Request) {
	ref, err := casework.ParseReference(r.PathValue("ref"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	n, err := s.svc.DecisionNotice(r.Context(), ref)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.auditAPIView(r, ref, "viewed the decision notice through the API"); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, n)
}

// clientChallenge is the decision as the client reads it, with where their
// challenge to it stands. Nil on the page until there is a decision.
type clientChallenge struct {
	Notice   casework.DecisionNotice
	Timeline casework.ChallengeTimeline
	// HasWindow is false when the benefit sets no re-determination window:
	// the page then says to contact us.
	HasWindow bool
	AskURL    string
	// RedeterminationReasons are the reasons of our re-determination, with
	// each criterion's question, once there is one.
	RedeterminationReasons []casework.NoticeReason
}

// newClientChallenge builds the decision section of the client's page, or
// nil when there is no decision yet.
func newClientChallenge(a *casework.Application, today calendar.Date) *clientChallenge {
	n, err := casework.NewDecisionNotice(a)
	if err != nil {
		return nil
	}
	t, ok := a.ChallengeTimeline(today)
	c := &clientChallenge{Notice: n, Timeline: t, HasWindow: ok, AskURL: redeterminationPath}
	if rd := t.Redetermination; rd != nil {
		for _, cr := range a.Benefit().Criteria {
			for _, r := range rd.Reasons {
				if r.Criterion == cr.ID {
					c.RedeterminationReasons = append(c.RedeterminationReasons,
						casework.NoticeReason{Criterion: cr.ID, Question: cr.Question, Met: r.Met, Reason: r.Reason})
				}
			}
		}
	}
	return c
}

// redeterminationView is the page where a client asks for a
// re-determination, or reads where their request stands.
type redeterminationView struct {
	Chrome    Chrome
	Heading   string // the title, without "Error: "
	Ref       string
	Benefit   *charter.Benefit
	Challenge *clientChallenge // nil: no decision yet
	// DecisionDue is when we expect to decide, for a client who has no
	// decision yet.
	DecisionDue  calendar.Date
	Criteria     []criterionChoice
	Disagreement string
	LateReason   string
	ViewOnly     bool // a supporter who may only look: no form (pages_supporters.go)
	Errors
}

// criterionChoice is one part of the decision the client may say they
// disagree with.
type criterionChoice struct {
	ID, Question string
	Checked      bool
}

func (s *Server) redeterminationPage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.clientApplication(w, r)
	if !ok {
		return
	}
	s.renderRedetermination(w, r, http.StatusOK, s.newRedeterminationView(a, nil))
}

// clientApplication loads the signed-in client's application, or writes
// the error page.
func (s *Server) clientApplication(w http.ResponseWriter, r *http.Request) (*casework.Application, bool) {
	ref := casework.Reference(s.currentSession(r).Subject)
	a, _, err := s.svc.Application(r.Context(), ref)
	if err != nil {
		s.pageError(w, r, err)
		return nil, false
	}
	return a, true
}

// newRedeterminationView shows the application as it is, with the parts
// of the decision ticked that chosen names.
func (s *Server) newRedeterminationView(a *casework.Application, chosen []string) redeterminationView {
	today := s.svc.Today()
	v := redeterminationView{Ref: a.Ref.String(), Benefit: a.Benefit(), Challenge: newClientChallenge(a, today)}
	if v.Challenge == nil {
		v.DecisionDue = a.Timeline(s.svc.Calendar(), today).DecisionDue
	}
	for _, c := range a.Benefit().Criteria {
		v.Criteria = append(v.Criteria, criterionChoice{ID: c.ID, Question: c.Question, Checked: slices.Contains(chosen, c.ID)})
	}
	return v
}

func (s *Server) renderRedetermination(w http.ResponseWriter, r *http.Request, status int, v redeterminationView) {
	title := "Ask us to look at the decision again"
	if c := v.Challenge; c != nil && c.Timeline.Request != nil {
		title = "Your request to look at the decision again"
	}
	v.Heading = title
	v.ViewOnly = viewOnly(s.currentSession(r))
	v.Chrome = s.chrome(r, titled(title, v.Errors))
	s.render(w, r, status, "redetermination", v)
}

// askForRedetermination records a client's request. Problems are shown
// with the form and write nothing. Once the request is made (or when the
// client can no longer ask), the page shows where it stands.
func (s *Server) askForRedetermination(w http.ResponseWriter, r *http.Request) {
	a, ok := s.clientApplication(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, errs.Invalid("", "the form could not be read"))
		return
	}
	chosen := r.PostForm["criteria"]
	v := s.newRedeterminationView(a, chosen)
	if v.Challenge == nil || !v.Challenge.Timeline.CanAsk {
		// Nothing to ask about, asked already (a second press of the
		// button), or too late: the page says which.
		http.Redirect(w, r, redeterminationPath, http.StatusSeeOther)
		return
	}
	t := v.Challenge.Timeline
	v.Disagreement, v.LateReason = postedValue(r, "disagreement"), postedValue(r, "late-reason")
	if v.Disagreement == "" {
		v.Errors = append(v.Errors, FieldError{"disagreement", "Tell us what you disagree with"})
	}
	if t.LateReasonNeeded && v.LateReason == "" {
		v.Errors = append(v.Errors, FieldError{"late-reason", "Tell us why you are asking after " + t.Window.LastDay.Long()})
	}
	if len(v.Errors) > 0 {
		s.renderRedetermination(w, r, http.StatusBadRequest, v)
		return
	}
	by, actor := s.askedBy(r) // pages_supporters.go
	body := &casework.RedeterminationRequested{How: casework.AskedOnline, By: by,
		Disagreement: v.Disagreement, Criteria: chosen}
	if t.LateReasonNeeded {
		body.LateReason = v.LateReason
	}
	_, _, err := s.svc.Record(r.Context(), a.Ref, a.Version, app.NewEvent{Type: body.Type(), Actor: actor, Body: body}, nil)
	if err != nil {
		e, ok := errs.As(err)
		switch {
		case ok && e.Kind == errs.KindInvalid && e.Field == "body.late_reason":
			// The last day ended while the form was open: ask for the reason.
			now, ok := s.clientApplication(w, r)
			if !ok {
				return
			}
			fresh := s.newRedeterminationView(now, chosen)
			fresh.Disagreement = v.Disagreement
			fresh.Errors = Errors{{"late-reason", asSentence(e.Message)}}
			s.renderRedetermination(w, r, http.StatusBadRequest, fresh)
		case ok && e.Kind == errs.KindInvalid && strings.HasPrefix(e.Field, "body."):
			field := "disagreement"
			if strings.HasPrefix(e.Field, "body.criteria") {
				field = "criteria"
			}
			v.Errors = Errors{{field, asSentence(e.Message)}}
			s.renderRedetermination(w, r, http.StatusBadRequest, v)
		case ok && (e.Kind == errs.KindInvalid || e.Kind == errs.KindConflict):
			// The application moved on while the form was open (a request
			// recorded by phone, say): show where it stands now.
			http.Redirect(w, r, redeterminationPath, http.StatusSeeOther)
		default:
			s.pageError(w, r, err)
		}
		return
	}
	http.Redirect(w, r, redeterminationPath, http.StatusSeeOther)
}

// criteriaQuestions are the questions of the criteria named, in order.
func criteriaQuestions(b *charter.Benefit, ids []string) []string {
	var out []string
	for _, c := range b.Criteria {
		if slices.Contains(ids, c.ID) {
			out = append(out, c.Question)
		}
	}
	return out
}

// plural is "1 day" or "42 days".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
