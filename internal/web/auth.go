package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/errs"
)

// staff requires a valid bearer token of any staff role.
func (s *Server) staff(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		secret, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok || secret == "" {
			s.writeError(w, r, errs.New(errs.KindUnauthorized, "", "send a staff token as Authorization: Bearer <token>"))
			return
		}
		p, err := s.svc.Authenticate(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if !app.ValidRole(p.Role) {
			s.writeError(w, r, errs.New(errs.KindForbidden, "", "this token's role may not do this"))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), keyPrincipal, p)))
	}
}

func principal(ctx context.Context) app.Principal {
	p, _ := ctx.Value(keyPrincipal).(app.Principal)
	return p
}
