package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// createRequest is the body of POST /api/v1/applications.
type createRequest struct {
	At string `json:"at,omitempty"` // when it was received, RFC 3339; default now
	casework.Received
}

// eventRequest is the body of POST /api/v1/applications/{ref}/events.
type eventRequest struct {
	Type            casework.EventType `json:"type"`
	At              string             `json:"at,omitempty"` // RFC 3339; default now
	ExpectedVersion *int               `json:"expected_version,omitempty"`
	Body            json.RawMessage    `json:"body"`
}

// applicationResponse is an application with its events.
type applicationResponse struct {
	*casework.Application
	Events []casework.Event `json:"events,omitempty"`
}

func (s *Server) createApplication(w http.ResponseWriter, r *http.Request) {
	raw, err := readBody(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req createRequest
	if err := decodeStrict(raw, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	at, err := parseTime("at", req.At)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	idem := s.idempotency(r, raw, http.StatusCreated, func(a *casework.Application) any { return a })
	a, replay, err := s.svc.Create(r.Context(), actor(r), at, &req.Received, idem)
	if err != nil {
		// The create body is the received event's body at the top level.
		if e, ok := errs.As(err); ok {
			e.Field = strings.TrimPrefix(e.Field, "body.")
		}
		s.writeError(w, r, err)
		return
	}
	if replay != nil {
		writeReplay(w, replay)
		return
	}
	w.Header().Set("Location", "/api/v1/applications/"+a.Ref.String())
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) postEvent(w http.ResponseWriter, r *http.Request) {
	ref, err := casework.ParseReference(r.PathValue("ref"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	raw, err := readBody(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var req eventRequest
	if err := decodeStrict(raw, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.Type == "" {
		s.writeError(w, r, errs.Invalid("type", "say what kind of event this is: one of %s", eventTypeList()))
		return
	}
	at, err := parseTime("at", req.At)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	body, err := casework.DecodeBody(req.Type, req.Body, true)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	expected := -1
	if req.ExpectedVersion != nil {
		expected = *req.ExpectedVersion
	}
	idem := s.idempotency(r, raw, http.StatusCreated, func(a *casework.Application) any { return a })
	a, replay, err := s.svc.Record(r.Context(), ref, expected,
		app.NewEvent{Type: req.Type, At: at, Actor: actor(r), Body: body}, idem)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if replay != nil {
		writeReplay(w, replay)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) getApplication(w http.ResponseWriter, r *http.Request) {
	ref, err := casework.ParseReference(r.PathValue("ref"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	a, events, err := s.svc.Application(r.Context(), ref)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.auditAPIView(r, ref, "viewed the case through the API"); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, applicationResponse{Application: a, Events: events})
}

func (s *Server) getTimeline(w http.ResponseWriter, r *http.Request) {
	ref, err := casework.ParseReference(r.PathValue("ref"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	t, err := s.svc.Timeline(r.Context(), ref)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.auditAPIView(r, ref, "viewed the timeline through the API"); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}

// queueItem is one row of the work queue as the API shows it.
type queueItem struct {
	Reference   casework.Reference `json:"reference"`
	Benefit     string             `json:"benefit"`
	Stage       string             `json:"stage"`
	QueueStatus string             `json:"queue_status"`
	ReceivedOn  string             `json:"received_on"`
	DecideBy    string             `json:"decide_by"`
	Version     int                `json:"version"`
}

type queueResponse struct {
	Items      []queueItem `json:"items"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

func (s *Server) listQueue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			s.writeError(w, r, errs.Invalid("limit", "give a whole number from 1 to 200"))
			return
		}
		limit = n
	}
	page, err := s.svc.Queue(r.Context(), app.QueueQuery{
		Benefit: q.Get("benefit"), Stage: q.Get("stage"), Status: q.Get("status"),
		Cursor: q.Get("cursor"), Limit: limit,
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp := queueResponse{Items: make([]queueItem, 0, len(page.Items)), NextCursor: page.Next}
	for _, it := range page.Items {
		resp.Items = append(resp.Items, queueItem{Reference: it.Ref, Benefit: it.Benefit, Stage: it.Stage,
			QueueStatus: it.QueueStatus, ReceivedOn: it.ReceivedOn.String(), DecideBy: it.DecideBy.String(), Version: it.Version})
	}
	writeJSON(w, http.StatusOK, resp)
}

// idempotency turns an Idempotency-Key header into a request to store the
// response with the change. The scope ties the key to the token and path.
func (s *Server) idempotency(r *http.Request, raw []byte, code int, view func(*casework.Application) any) *app.Idempotency {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		return nil
	}
	sum := sha256.Sum256(raw)
	return &app.Idempotency{
		Scope: principal(r.Context()).TokenID + " " + r.Method + " " + r.URL.Path, Key: key,
		RequestHash: hex.EncodeToString(sum[:]),
		Render: func(a *casework.Application) (int, []byte, error) {
			b, err := json.Marshal(view(a))
			return code, b, err
		},
	}
}

func writeReplay(w http.ResponseWriter, rp *app.Replay) {
	w.Header().Set("Idempotent-Replayed", "true")
	writeRaw(w, rp.Status, rp.Body)
}

func actor(r *http.Request) string {
	p := principal(r.Context())
	return p.Role + ":" + p.Name
}

func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errs.New(errs.KindTooLarge, "body", "the request body is over the limit of 1 MiB")
	}
	if err != nil {
		return nil, errs.Invalid("body", "the request body could not be read")
	}
	return b, nil
}

// decodeStrict decodes one JSON object, refusing unknown fields and naming
// the field at fault in any error.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		e := casework.JSONError("", err)
		if de, ok := errs.As(e); ok {
			de.Field = strings.TrimPrefix(de.Field, ".")
			if de.Field == "" {
				de.Field = "body"
			}
		}
		return e
	}
	if dec.More() {
		return errs.Invalid("body", "there is more than one JSON value in the body")
	}
	return nil
}

func eventTypeList() string {
	var names []string
	for _, t := range casework.EventTypes() {
		if t != casework.TypeReceived {
			names = append(names, string(t))
		}
	}
	return strings.Join(names, ", ")
}

// parseTime reads an optional RFC 3339 time from a request field.
func parseTime(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, errs.Invalid(field, "write the time as in 2026-03-02T09:30:00Z (RFC 3339)")
	}
	return t, nil
}

// auditAPIView records that a token holder looked at a case.
func (s *Server) auditAPIView(r *http.Request, ref casework.Reference, what string) error {
	p := principal(r.Context())
	return s.svc.Audit(r.Context(), "token", p.TokenID, p.Name, ref, what)
}
