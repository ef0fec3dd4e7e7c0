// Package web serves Charter over HTTP: the JSON API under /api/v1, its
// OpenAPI document, health and metrics. Handlers are thin: they decode,
// call the application layer, and encode. One file per resource.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/app"
)

// MaxBodyBytes is the largest request body accepted.
const MaxBodyBytes = 1 << 20

// Server holds the handlers' dependencies.
type Server struct {
	svc     *app.Service
	log     *slog.Logger
	metrics *Metrics
	mux     *http.ServeMux
	routes  []route
	assets  *Assets // static files under content-hash URLs (assets.go)
	pages   pageSet // parsed page templates (render.go)
}

type route struct {
	method, pattern string
}

// New builds the HTTP handler. It fails if a page template or an asset a
// template names is missing or broken.
func New(svc *app.Service, log *slog.Logger, metrics *Metrics) (*Server, error) {
	s := &Server{svc: svc, log: log, metrics: metrics, mux: http.NewServeMux()}
	if err := s.setUpPages(); err != nil {
		return nil, err
	}
	s.handle("GET", "/healthz", s.healthz)
	s.handle("GET", "/metrics", metrics.Handler().ServeHTTP)
	s.handle("GET", "/api/openapi.json", s.openAPI)
	s.handle("GET", "/api/v1/charter", s.getCharter)
	s.handle("GET", "/api/v1/benefits", s.getBenefits)
	s.handle("GET", "/api/v1/charter/versions", s.getCharterVersions)
	s.handle("GET", "/api/v1/feedback/counts", s.staff(s.getFeedbackCounts))
	s.handle("GET", "/api/v1/reviews/{round}/findings", s.staff(s.getFindings))
	s.handle("POST", "/api/v1/applications", s.staff(s.createApplication))
	s.handle("GET", "/api/v1/applications", s.staff(s.listQueue))
	s.handle("GET", "/api/v1/applications/{ref}", s.staff(s.getApplication))
	s.handle("POST", "/api/v1/applications/{ref}/events", s.staff(s.postEvent))
	s.handle("GET", "/api/v1/applications/{ref}/timeline", s.staff(s.getTimeline))
	s.handle("GET", "/api/v1/practitioners", s.staff(s.listPractitioners))
	s.handle("GET", "/api/v1/applications/{ref}/notifications", s.staff(s.listNotifications))
	s.handle("POST", "/api/v1/notifications/receipts", s.deliveryCallback)
	s.registerSignIn()
	s.registerClientPages()
	s.registerStaffPages()
	s.registerPractitionerPages()
	s.registerDirectoryPages()
	s.registerChallenge()
	s.registerSupporters()       // pages_supporters.go
	s.registerFeedbackPages()    // pages_feedback.go
	s.registerComplaintPages()   // staff_complaints.go
	s.registerReviewPages()      // staff_reviews.go
	s.registerReportPages()      // pages_report.go
	s.registerImprovementPages() // pages_improvement.go
	s.registerPublicPages()
	svc.OnAppend = metrics.EventsAppended
	svc.OnMessage = metrics.MessageSent
	return s, nil
}

// isAPIRoute reports whether a route is part of the JSON API (and so in
// the OpenAPI document) rather than an HTML page or an asset.
func isAPIRoute(pattern string) bool {
	return pattern == "/healthz" || pattern == "/metrics" || strings.HasPrefix(pattern, "/api/")
}

// APIRoutes lists the method and pattern of every JSON API route served.
func (s *Server) APIRoutes() []string {
	var out []string
	for _, r := range s.routes {
		if isAPIRoute(r.pattern) {
			out = append(out, r.method+" "+r.pattern)
		}
	}
	return out
}

// handle registers a route. Every HTML page (not the API, not assets) goes
// through s.page, which loads the session and checks CSRF tokens, so no
// page can forget to.
func (s *Server) handle(method, pattern string, h http.HandlerFunc) {
	if !isAPIRoute(pattern) && !strings.HasPrefix(pattern, "/assets/") {
		h = s.page(h)
	}
	s.routes = append(s.routes, route{method, pattern})
	s.mux.Handle(method+" "+pattern, s.observe(pattern, h))
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyPrincipal
)

// observe gives each request an id, recovers panics, and records its
// route, status and latency. It logs no personal data: the route pattern,
// not the path, so references stay out of the logs.
func (s *Server) observe(pattern string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), keyRequestID, id))
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "request_id", id, "route", pattern, "panic", p)
				if !rec.wrote {
					s.writeError(rec, r, errInternal)
				}
			}
			d := time.Since(start)
			s.metrics.Observe(r.Method, pattern, rec.status, d)
			s.log.Info("request", "request_id", id, "method", r.Method, "route", pattern,
				"status", rec.status, "duration_ms", float64(d.Microseconds())/1000)
		}()
		r.Body = http.MaxBytesReader(rec, r.Body, MaxBodyBytes)
		h(rec, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Ping(ctx); err != nil {
		s.log.Error("health check", "request_id", requestID(r.Context()), "error", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
