package web

import (
	"net/http"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

// registerPublicPages adds the pages anyone can read, the assets they use,
// and the HTML "page not found" for every other GET outside the API.
func (s *Server) registerPublicPages() {
	s.handle("GET", "/assets/{hash}/{path...}", s.serveAsset)
	s.handle("GET", "/{$}", s.homePage)
	s.handle("GET", "/charter", s.charterPage)
	s.handle("GET", "/charter/history", s.historyPage)
	s.handle("GET", "/track", s.trackPage)
	s.handle("GET", "/feedback", s.feedbackPage)
	s.handle("GET", "/accessibility", s.accessibilityPage)
	s.handle("GET", "/", s.notFoundPage)
}

// homeView is the home page: what the service is, and the dates an
// application received today would be given.
type homeView struct {
	Chrome Chrome
	Today  calendar.Date
	Dates  []benefitDates // empty until benefits are loaded
}

// benefitDates are the dates we would give for an application received on
// homeView.Today, if we needed nothing more from anyone.
type benefitDates struct {
	Benefit     string
	Acknowledge calendar.Date
	Decide      calendar.Date
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	v := homeView{Chrome: s.chrome(r, "Track your application and read our charter"), Today: s.svc.Today()}
	// Before any benefits are loaded the page still works, without the table.
	if cat, err := s.svc.Benefits(); err == nil {
		cal := s.svc.Calendar()
		for _, b := range cat.Benefits {
			v.Dates = append(v.Dates, benefitDates{
				Benefit:     b.Name,
				Acknowledge: cal.AddWorkingDays(v.Today, b.Standards.AcknowledgeWorkingDays),
				Decide:      cal.AddWorkingDays(v.Today, b.Standards.DecideWorkingDays),
			})
		}
	}
	s.render(w, r, http.StatusOK, "home", v)
}

// charterView is the published charter.
type charterView struct {
	Chrome    Chrome
	Charter   *charter.Charter
	Published calendar.Date // zero if Charter.Published does not parse
}

func (s *Server) charterPage(w http.ResponseWriter, r *http.Request) {
	ch, err := s.svc.Charter()
	if err != nil {
		s.pageError(w, r, err) // not found until a charter is loaded
		return
	}
	v := charterView{Chrome: s.chrome(r, ch.Title), Charter: ch}
	v.Published, _ = calendar.ParseDate(ch.Published)
	s.render(w, r, http.StatusOK, "charter", v)
}

// trackView is the "track your application" sign-in form. The sign-in
// handler renders it again, with Errors and what was typed, when a
// sign-in attempt fails (see renderTrack).
type trackView struct {
	Chrome                    Chrome
	Reference                 string
	DOBDay, DOBMonth, DOBYear string
	// Errors are shown in the error summary and next to their field, in
	// this order. Field is the id of the input to focus: "reference", or
	// "dob-day" for any problem with the date of birth.
	Errors
}

// FieldError is one problem with a form, in words a person can act on.
type FieldError struct {
	Field, Message string
}

// Errors are a form's problems, in the order the error summary lists them.
// Views embed it, so templates can ask {{.FieldError "name"}}.
type Errors []FieldError

// FieldError returns the message for a field, or "".
func (es Errors) FieldError(field string) string {
	for _, e := range es {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

func (s *Server) trackPage(w http.ResponseWriter, r *http.Request) {
	s.renderTrack(w, r, http.StatusOK, trackView{})
}

// renderTrack shows the sign-in form with v's values and errors; the page
// title starts "Error:" when there are errors, so screen readers hear it first.
func (s *Server) renderTrack(w http.ResponseWriter, r *http.Request, status int, v trackView) {
	title := "Track your application"
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	v.Chrome = s.chrome(r, title)
	s.render(w, r, status, "track", v)
}

// feedbackView is how to give feedback or complain, with the dates a
// complaint made today would be answered by, from the service's
// complaint timescales.
type feedbackView struct {
	Chrome              Chrome
	Today               calendar.Date
	Stage1By            calendar.Date
	Stage2AcknowledgeBy calendar.Date
	Stage2By            calendar.Date
}

func (s *Server) feedbackPage(w http.ResponseWriter, r *http.Request) {
	today, cal, ts := s.svc.Today(), s.svc.Calendar(), s.svc.ComplaintTimescales()
	s.render(w, r, http.StatusOK, "feedback", feedbackView{
		Chrome:              s.chrome(r, "Feedback and complaints"),
		Today:               today,
		Stage1By:            cal.AddWorkingDays(today, ts.Stage1RespondDays),
		Stage2AcknowledgeBy: cal.AddWorkingDays(today, ts.Stage2AcknowledgeDays),
		Stage2By:            cal.AddWorkingDays(today, ts.Stage2RespondDays),
	})
}

// accessibilityView is the accessibility statement.
type accessibilityView struct {
	Chrome Chrome
}

func (s *Server) accessibilityPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "accessibility", accessibilityView{Chrome: s.chrome(r, "Accessibility statement")})
}

// notFoundPage answers every GET no other route matches: the HTML page,
// or the API's JSON error under /api/.
func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.writeError(w, r, errs.NotFound("there is no API resource at %s", r.URL.Path))
		return
	}
	s.renderError(w, r, http.StatusNotFound)
}
