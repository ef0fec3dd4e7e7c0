package web

import "net/http"

// Session is a signed-in person as the pages see them. Nil means nobody is
// signed in.
type Session struct {
	Kind      string // "client" or "staff"
	Name      string // shown in the header: the staff member's email, or "your application"
	Role      string // client, caseworker, manager, admin
	CSRFToken string // put in every form as the hidden field "csrf_token"
	Reference string // for clients: the one application they may see
}

// currentSession returns the session of the request, if any.
// (Filled in by the sign-in work; for now nobody is ever signed in.)
func (s *Server) currentSession(r *http.Request) *Session { return nil }
