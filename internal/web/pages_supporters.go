package web

import (
	"net/http"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// Supporters (commitment 1.6): on their application page a client names
// people who can help them (a person they know, or an advocate), as view
// only or act for me, and removes them. A supporter signs in at
// /supporter/sign-in with the client's reference and their own email
// address, then the shared one-time code step. Every page a supporter sees
// and every form they send is written to the audit log.

const (
	supportersPath      = "/application/supporters"
	supporterSignInPath = "/supporter/sign-in"
)

func (s *Server) registerSupporters() {
	s.handle("GET", supporterSignInPath, s.supporterSignInPage)
	s.handle("POST", supporterSignInPath, s.supporterSignIn)
	s.handle("GET", supportersPath, s.requireClientSelf(s.supportersPage))
	s.handle("POST", supportersPath, s.requireClientSelf(s.addSupporter))
	s.handle("POST", supportersPath+"/revoke", s.requireClientSelf(s.revokeSupporter))
}

// supporterMay lets a supporter through a client page as their scope
// allows, auditing every request, and writes a refusal otherwise.
func (s *Server) supporterMay(w http.ResponseWriter, r *http.Request, sess *Session) bool {
	allowed := r.Method != http.MethodPost || sess.Role == app.RoleSupporterAct
	action := "viewed " + r.URL.Path
	switch {
	case !allowed:
		action = "was refused " + r.Method + " " + r.URL.Path + ": view only"
	case r.Method == http.MethodPost:
		action = "sent the form " + r.URL.Path
	}
	if err := s.auditSupporter(r, sess, action); err != nil {
		s.pageError(w, r, err)
		return false
	}
	if !allowed {
		s.pageError(w, r, errs.New(errs.KindForbidden, "",
			"you can see this application but not act for the person you are helping; they can change that on their application page"))
	}
	return allowed
}

func (s *Server) auditSupporter(r *http.Request, sess *Session, action string) error {
	return s.svc.Audit(r.Context(), app.SessionSupporter, sess.SupporterID, sess.Name, casework.Reference(sess.Subject), action)
}

// requireClientSelf lets through only a client acting for themselves: a
// supporter may not change who helps the client, whatever their scope.
func (s *Server) requireClientSelf(h http.HandlerFunc) http.HandlerFunc {
	return s.requireClient(func(w http.ResponseWriter, r *http.Request) {
		if sess := s.currentSession(r); sess.Kind != app.SessionClient {
			if err := s.auditSupporter(r, sess, "was refused "+r.Method+" "+r.URL.Path+": supporters cannot manage supporters"); err != nil {
				s.pageError(w, r, err)
				return
			}
			s.pageError(w, r, errs.New(errs.KindForbidden, "",
				"only the person whose application it is can choose who helps them"))
			return
		}
		h(w, r)
	})
}

// isSupporter reports whether a supporter is signed in, and viewOnly
// whether they may only look.
func isSupporter(sess *Session) bool { return sess != nil && sess.Kind == app.SessionSupporter }

func viewOnly(sess *Session) bool { return isSupporter(sess) && sess.Role != app.RoleSupporterAct }

// clientSupporters is the "People who can help you" section of the
// client's page.
type clientSupporters struct {
	Active    []casework.Supporter
	CanManage bool   // the client, not a supporter, is signed in
	AddURL    string // the form to add one
	RevokeURL string
	// ClientName is set when a supporter reads the page, so the section
	// speaks about the client rather than to them.
	ClientName string
}

// supporterHooks fills in the supporter parts of the client's page: the
// section, and no action buttons for a supporter who may only look.
func (s *Server) supporterHooks(r *http.Request, a *casework.Application, v *applicationView) {
	sess := s.currentSession(r)
	cs := &clientSupporters{CanManage: !isSupporter(sess), AddURL: supportersPath, RevokeURL: supportersPath + "/revoke"}
	if isSupporter(sess) {
		cs.ClientName = a.Client.Name
	}
	for _, sup := range a.Supporters {
		if sup.Active() {
			cs.Active = append(cs.Active, sup)
		}
	}
	v.Supporters = cs
	if viewOnly(sess) && v.Challenge != nil {
		v.Challenge.AskURL = ""
	}
}

// supportersView is the form to name a supporter.
type supportersView struct {
	Chrome       Chrome
	Ref          string
	Active       []casework.Supporter
	Name         string
	Relationship string
	Organisation string
	Email        string
	Scope        string
	Errors
}

func (s *Server) supportersPage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.clientApplication(w, r)
	if !ok {
		return
	}
	s.renderSupporters(w, r, http.StatusOK, a, supportersView{})
}

func (s *Server) renderSupporters(w http.ResponseWriter, r *http.Request, status int, a *casework.Application, v supportersView) {
	v.Ref = a.Ref.String()
	v.Active = nil
	for _, sup := range a.Supporters {
		if sup.Active() {
			v.Active = append(v.Active, sup)
		}
	}
	v.Chrome = s.chrome(r, titled("Name someone to help you", v.Errors))
	s.render(w, r, status, "application-supporters", v)
}

// supporterFields maps the event's fields to the form's.
var supporterFields = map[string]string{
	"body.name": "name", "body.relationship": "relationship", "body.organisation": "organisation",
	"body.email": "email", "body.scope": "scope",
}

// addSupporter records a supporter the client names. Problems are shown
// with the form and write nothing.
func (s *Server) addSupporter(w http.ResponseWriter, r *http.Request) {
	a, ok := s.clientApplication(w, r)
	if !ok {
		return
	}
	v := supportersView{Name: postedValue(r, "name"), Relationship: postedValue(r, "relationship"),
		Organisation: postedValue(r, "organisation"), Email: postedValue(r, "email"), Scope: postedValue(r, "scope")}
	if v.Name == "" {
		v.Errors = append(v.Errors, FieldError{"name", "Enter the name of the person who will help you"})
	}
	if v.Relationship != casework.RelationshipPersonTheyKnow && v.Relationship != casework.RelationshipAdvocate {
		v.Errors = append(v.Errors, FieldError{"relationship", "Choose whether they are someone you know or an advocate"})
	} else if v.Relationship == casework.RelationshipAdvocate && v.Organisation == "" {
		v.Errors = append(v.Errors, FieldError{"organisation", "Enter the organisation the advocate works for"})
	}
	if v.Email == "" {
		v.Errors = append(v.Errors, FieldError{"email", "Enter their email address: they sign in with a code we send there"})
	}
	if v.Scope != casework.ScopeView && v.Scope != casework.ScopeAct {
		v.Errors = append(v.Errors, FieldError{"scope", "Choose what they can do"})
	}
	if len(v.Errors) > 0 {
		s.renderSupporters(w, r, http.StatusBadRequest, a, v)
		return
	}
	org := v.Organisation
	if v.Relationship != casework.RelationshipAdvocate {
		org = ""
	}
	_, err := s.svc.AuthoriseSupporter(r.Context(), a.Ref, a.Version, "client", casework.SupporterAuthorised{
		Name: v.Name, Relationship: v.Relationship, Organisation: org, Email: v.Email, Scope: v.Scope,
		AuthorisedBy: casework.AuthorisedByClient})
	if err != nil {
		if e, ok := errs.As(err); ok && e.Kind == errs.KindInvalid && supporterFields[e.Field] != "" {
			v.Errors = Errors{{supporterFields[e.Field], asSentence(e.Message)}}
			s.renderSupporters(w, r, http.StatusBadRequest, a, v)
			return
		}
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/application#supporters", http.StatusSeeOther)
}

// revokeSupporter removes a supporter: from now on they cannot sign in, and
// a session they have open ends at its next request.
func (s *Server) revokeSupporter(w http.ResponseWriter, r *http.Request) {
	a, ok := s.clientApplication(w, r)
	if !ok {
		return
	}
	id := postedValue(r, "supporter_id")
	body := &casework.SupporterRevoked{SupporterID: id}
	_, _, err := s.svc.Record(r.Context(), a.Ref, a.Version, app.NewEvent{Type: body.Type(), Actor: "client", Body: body}, nil)
	if err != nil {
		if e, ok := errs.As(err); ok && e.Kind == errs.KindInvalid {
			s.renderSupporters(w, r, http.StatusBadRequest, a, supportersView{Errors: Errors{{"supporter_id", asSentence(e.Message)}}})
			return
		}
		s.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, "/application#supporters", http.StatusSeeOther)
}

// supporterSignInView is the supporter's sign-in form.
type supporterSignInView struct {
	Chrome    Chrome
	Reference string
	Email     string
	Errors
}

func (s *Server) supporterSignInPage(w http.ResponseWriter, r *http.Request) {
	s.renderSupporterSignIn(w, r, http.StatusOK, supporterSignInView{})
}

func (s *Server) renderSupporterSignIn(w http.ResponseWriter, r *http.Request, status int, v supporterSignInView) {
	v.Chrome = s.chrome(r, titled("Sign in to help someone with their application", v.Errors))
	s.render(w, r, status, "supporter-sign-in", v)
}

// supporterSignIn checks the reference and the supporter's email address
// and sends a code there. Every refusal gets the same answer.
func (s *Server) supporterSignIn(w http.ResponseWriter, r *http.Request) {
	v := supporterSignInView{Reference: postedValue(r, "reference"), Email: postedValue(r, "email")}
	if v.Reference == "" {
		v.Errors = append(v.Errors, FieldError{"reference", "Enter the reference of the application you are helping with"})
	}
	if v.Email == "" {
		v.Errors = append(v.Errors, FieldError{"email", "Enter your email address"})
	}
	if len(v.Errors) > 0 {
		s.renderSupporterSignIn(w, r, http.StatusBadRequest, v)
		return
	}
	codeID, sentTo, err := s.svc.SupporterStart(r.Context(), v.Reference, v.Email, clientAddr(r))
	if err != nil {
		if e, ok := errs.As(err); ok && (e.Kind == errs.KindInvalid || e.Kind == errs.KindMistyped) {
			v.Errors = Errors{{"reference", asSentence(e.Message)}}
			s.renderSupporterSignIn(w, r, http.StatusBadRequest, v)
			return
		}
		s.pageError(w, r, err)
		return
	}
	setCookie(w, cookiePending, codeID+"|"+strings.ReplaceAll(sentTo, "|", ""), app.CodeLifetime)
	http.Redirect(w, r, "/sign-in/code", http.StatusSeeOther)
}

// askedBy says who asked for something online and the event's actor: the
// client, or a supporter acting for them.
func (s *Server) askedBy(r *http.Request) (by, actor string) {
	if sess := s.currentSession(r); isSupporter(sess) {
		return casework.AskedBySupporter, "supporter:" + sess.Name
	}
	return casework.AskedByClient, "client"
}
