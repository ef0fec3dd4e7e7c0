package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// Cookie names. The __Host- prefix makes the browser refuse them unless
// they are Secure, have no Domain and have Path=/, so no other site or
// subdomain can set or read them.
const (
	cookieSession = "__Host-charter-session"
	cookiePending = "__Host-charter-code" // which one-time code a client is typing
	cookieCSRF    = "__Host-charter-csrf" // for forms before sign-in
)

// Session is a signed-in person as the pages see them. Nil means nobody is
// signed in.
type Session struct {
	Kind      string // "client" or "staff"
	Name      string // shown in the header: the staff member's email, or the client's reference
	Role      string // client, caseworker, manager, admin
	CSRFToken string // put in every form as the hidden field "csrf_token"
	Reference string // for clients: the one application they may see
	Subject   string // staff user id, or the reference
	// SupporterID says which supporter is signed in, for supporters
	// (pages_supporters.go); Subject and Reference are then the client's.
	SupporterID string
	secret      string
}

type pageCtx struct {
	session *Session
	csrf    string // the token forms must carry: the session's, or the pre-sign-in cookie's
}

const keyPage ctxKey = 100

// currentSession returns the session of the request, if any.
func (s *Server) currentSession(r *http.Request) *Session {
	if pc, ok := r.Context().Value(keyPage).(*pageCtx); ok {
		return pc.session
	}
	return nil
}

// csrfToken is the token every form on this page must carry.
func (s *Server) csrfToken(r *http.Request) string {
	if pc, ok := r.Context().Value(keyPage).(*pageCtx); ok {
		return pc.csrf
	}
	return ""
}

// page wraps every HTML route: it loads the session, gives anonymous
// visitors a CSRF cookie, and refuses any POST whose form does not carry
// the right token.
func (s *Server) page(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		pc := &pageCtx{}
		if c, err := r.Cookie(cookieSession); err == nil && c.Value != "" {
			info, err := s.svc.Session(r.Context(), c.Value)
			switch {
			case err == nil:
				pc.session = sessionFrom(info, c.Value)
				pc.csrf = info.CSRF
			case errs.KindOf(err) == errs.KindUnauthorized:
				clearCookie(w, cookieSession)
			default:
				s.pageError(w, r, err)
				return
			}
		}
		if pc.csrf == "" {
			if c, err := r.Cookie(cookieCSRF); err == nil && len(c.Value) == 64 {
				pc.csrf = c.Value
			} else {
				pc.csrf = newToken()
				setCookie(w, cookieCSRF, pc.csrf, 0)
			}
		}
		securityHeaders(w.Header())
		r = r.WithContext(context.WithValue(r.Context(), keyPage, pc))
		if r.Method == http.MethodPost {
			if !sameOrigin(r) || subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf_token")), []byte(pc.csrf)) != 1 {
				s.pageError(w, r, errs.New(errs.KindForbidden, "",
					"this form has expired or did not come from this site; go back, reload the page and try again"))
				return
			}
		}
		h(w, r)
	}
}

// requireClient lets through only a signed-in client.
func (s *Server) requireClient(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess := s.currentSession(r)
		if sess == nil {
			http.Redirect(w, r, "/track", http.StatusSeeOther)
			return
		}
		if sess.Kind == app.SessionSupporter {
			if !s.supporterMay(w, r, sess) { // pages_supporters.go
				return
			}
		} else if sess.Kind != app.SessionClient {
			s.pageError(w, r, errs.New(errs.KindForbidden, "", "this page is for clients; staff see cases in the work queue"))
			return
		}
		h(w, r)
	}
}

// requireStaff lets through only signed-in staff with one of the roles.
func (s *Server) requireStaff(roles ...string) func(http.HandlerFunc) http.HandlerFunc {
	return func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			sess := s.currentSession(r)
			if sess == nil {
				http.Redirect(w, r, "/staff/sign-in", http.StatusSeeOther)
				return
			}
			if sess.Kind != app.SessionStaff {
				s.pageError(w, r, errs.New(errs.KindForbidden, "", "this page is for staff"))
				return
			}
			for _, role := range roles {
				if sess.Role == role {
					h(w, r)
					return
				}
			}
			s.pageError(w, r, errs.New(errs.KindForbidden, "", "your role does not allow you to see this page"))
		}
	}
}

// anyStaff lets through caseworkers, managers and admins.
func (s *Server) anyStaff(h http.HandlerFunc) http.HandlerFunc {
	return s.requireStaff(app.RoleCaseworker, app.RoleManager, app.RoleAdmin)(h)
}

func sessionFrom(info app.SessionInfo, secret string) *Session {
	sess := &Session{Kind: info.Kind, Name: info.Name, Role: info.Role, CSRFToken: info.CSRF, Subject: info.Subject, secret: secret}
	if info.Kind == app.SessionClient {
		sess.Reference = casework.Reference(info.Subject).String()
	}
	if ref, id, ok := app.SplitSupporterSubject(info.Subject); ok && info.Kind == app.SessionSupporter {
		sess.Subject, sess.Reference, sess.SupporterID = string(ref), ref.String(), id
	}
	return sess
}

// startSession sets the cookie for a new session; the id is new at every
// sign-in, so a session id planted before sign-in is worthless after it.
func startSession(w http.ResponseWriter, ns app.NewSession) {
	setCookie(w, cookieSession, ns.Secret, 0)
}

func setCookie(w http.ResponseWriter, name, value string, maxAge time.Duration) {
	c := &http.Cookie{Name: name, Value: value, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	if maxAge > 0 {
		c.MaxAge = int(maxAge.Seconds())
	}
	http.SetCookie(w, c)
}

func clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// sameOrigin checks the Origin header when the browser sends one: a second
// line of defence after the token.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return origin == ""
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

// clientAddr is where a request came from, for rate limits. It is not
// logged.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}
