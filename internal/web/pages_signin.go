package web

import (
	"net/http"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/errs"
)

func (s *Server) registerSignIn() {
	s.handle("POST", "/sign-in", s.clientSignIn)
	s.handle("GET", "/sign-in/code", s.codePage)
	s.handle("POST", "/sign-in/code", s.clientCode)
	s.handle("POST", "/sign-out", s.signOut)
	s.handle("GET", "/signed-out", s.signedOutPage)
	s.handle("GET", "/staff/sign-in", s.staffSignInPage)
	s.handle("POST", "/staff/sign-in", s.staffSignIn)
}

// clientSignIn checks a reference and date of birth, sends a one-time code
// and asks for it. A wrong reference or date of birth gets the same answer,
// so the form cannot be used to find out who has applied.
func (s *Server) clientSignIn(w http.ResponseWriter, r *http.Request) {
	v := trackView{
		Reference: strings.TrimSpace(r.PostFormValue("reference")),
		DOBDay:    strings.TrimSpace(r.PostFormValue("dob-day")),
		DOBMonth:  strings.TrimSpace(r.PostFormValue("dob-month")),
		DOBYear:   strings.TrimSpace(r.PostFormValue("dob-year")),
	}
	if v.Reference == "" {
		v.Errors = append(v.Errors, FieldError{"reference", "Enter your application reference"})
	}
	dob, dobErr := parseDateFields(v.DOBDay, v.DOBMonth, v.DOBYear, "your date of birth", "17 5 1980")
	if dobErr == "" && !dob.Before(s.svc.Today()) {
		dobErr = "Your date of birth must be in the past"
	}
	if dobErr != "" {
		v.Errors = append(v.Errors, FieldError{"dob-day", dobErr})
	}
	if len(v.Errors) > 0 {
		s.renderTrack(w, r, http.StatusBadRequest, v)
		return
	}
	codeID, sentTo, err := s.svc.ClientStart(r.Context(), v.Reference, dob, clientAddr(r))
	if err != nil {
		e, ok := errs.As(err)
		switch {
		case ok && e.Kind == errs.KindRateLimited:
			s.pageError(w, r, err)
		case ok && (e.Kind == errs.KindInvalid || e.Kind == errs.KindMistyped):
			msg := e.Message
			v.Errors = append(v.Errors, FieldError{"reference", strings.ToUpper(msg[:1]) + msg[1:]})
			s.renderTrack(w, r, http.StatusBadRequest, v)
		default:
			s.pageError(w, r, err)
		}
		return
	}
	setCookie(w, cookiePending, codeID+"|"+sentTo, app.CodeLifetime)
	http.Redirect(w, r, "/sign-in/code", http.StatusSeeOther)
}

// codeView asks for the one-time code.
type codeView struct {
	Chrome Chrome
	SentTo string // masked: p***@example.org
	Code   string
	Errors
}

func (s *Server) codePage(w http.ResponseWriter, r *http.Request) {
	_, sentTo, ok := pendingCode(r)
	if !ok {
		http.Redirect(w, r, "/track", http.StatusSeeOther)
		return
	}
	s.renderCode(w, r, http.StatusOK, codeView{SentTo: sentTo})
}

func (s *Server) renderCode(w http.ResponseWriter, r *http.Request, status int, v codeView) {
	title := "Enter the code we sent you"
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	v.Chrome = s.chrome(r, title)
	s.render(w, r, status, "sign-in-code", v)
}

func (s *Server) clientCode(w http.ResponseWriter, r *http.Request) {
	codeID, sentTo, ok := pendingCode(r)
	if !ok {
		http.Redirect(w, r, "/track", http.StatusSeeOther)
		return
	}
	v := codeView{SentTo: sentTo, Code: strings.TrimSpace(r.PostFormValue("code"))}
	if v.Code == "" {
		v.Errors = Errors{{"code", "Enter the 6-digit code from the message we sent"}}
		s.renderCode(w, r, http.StatusBadRequest, v)
		return
	}
	ns, err := s.svc.ClientVerify(r.Context(), codeID, v.Code, clientAddr(r))
	if err != nil {
		if e, ok := errs.As(err); ok && e.Kind == errs.KindInvalid {
			v.Code = ""
			v.Errors = Errors{{"code", strings.ToUpper(e.Message[:1]) + e.Message[1:]}}
			s.renderCode(w, r, http.StatusBadRequest, v)
			return
		}
		s.pageError(w, r, err)
		return
	}
	clearCookie(w, cookiePending)
	startSession(w, ns)
	http.Redirect(w, r, "/application", http.StatusSeeOther)
}

func pendingCode(r *http.Request) (codeID, sentTo string, ok bool) {
	c, err := r.Cookie(cookiePending)
	if err != nil {
		return "", "", false
	}
	codeID, sentTo, ok = strings.Cut(c.Value, "|")
	return codeID, sentTo, ok && codeID != ""
}

// signOut ends the session on the server, not only in the browser.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if sess := s.currentSession(r); sess != nil {
		if err := s.svc.SignOut(r.Context(), sess.secret); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	clearCookie(w, cookieSession)
	http.Redirect(w, r, "/signed-out", http.StatusSeeOther)
}

type plainView struct{ Chrome Chrome }

func (s *Server) signedOutPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signed-out", plainView{Chrome: s.chrome(r, "You have signed out")})
}

// staffSignInView is the staff sign-in form.
type staffSignInView struct {
	Chrome Chrome
	Email  string
	Errors
}

func (s *Server) staffSignInPage(w http.ResponseWriter, r *http.Request) {
	if sess := s.currentSession(r); sess != nil && sess.Kind == app.SessionStaff {
		http.Redirect(w, r, "/staff", http.StatusSeeOther)
		return
	}
	s.renderStaffSignIn(w, r, http.StatusOK, staffSignInView{})
}

func (s *Server) renderStaffSignIn(w http.ResponseWriter, r *http.Request, status int, v staffSignInView) {
	title := "Sign in to Charter casework"
	if len(v.Errors) > 0 {
		title = "Error: " + title
	}
	v.Chrome = s.chrome(r, title)
	s.render(w, r, status, "staff-sign-in", v)
}

func (s *Server) staffSignIn(w http.ResponseWriter, r *http.Request) {
	v := staffSignInView{Email: strings.TrimSpace(r.PostFormValue("email"))}
	password := r.PostFormValue("password")
	if v.Email == "" {
		v.Errors = append(v.Errors, FieldError{"email", "Enter your work email address"})
	}
	if password == "" {
		v.Errors = append(v.Errors, FieldError{"password", "Enter your password"})
	}
	if len(v.Errors) > 0 {
		s.renderStaffSignIn(w, r, http.StatusBadRequest, v)
		return
	}
	ns, err := s.svc.StaffSignIn(r.Context(), v.Email, password, clientAddr(r))
	if err != nil {
		if e, ok := errs.As(err); ok && e.Kind == errs.KindInvalid {
			v.Errors = Errors{{"email", "The email address or password is not right"}}
			s.renderStaffSignIn(w, r, http.StatusBadRequest, v)
			return
		}
		s.pageError(w, r, err)
		return
	}
	startSession(w, ns)
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
}
