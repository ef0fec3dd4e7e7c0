package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/charter-service/charter/internal/errs"
)

var errInternal = errors.New("internal error")

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Field     string `json:"field,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

// status maps a domain error kind to an HTTP status. It is the only place
// that does.
func status(kind errs.Kind) int {
	switch kind {
	case errs.KindInvalid, errs.KindMistyped:
		return http.StatusBadRequest
	case errs.KindNotFound:
		return http.StatusNotFound
	case errs.KindConflict:
		return http.StatusConflict
	case errs.KindUnauthorized:
		return http.StatusUnauthorized
	case errs.KindForbidden:
		return http.StatusForbidden
	case errs.KindTooLarge:
		return http.StatusRequestEntityTooLarge
	case errs.KindRateLimited:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// writeError sends err as JSON. Errors without a kind are logged with the
// request id and shown only as "something went wrong".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = errs.New(errs.KindTooLarge, "body", "the request body is over the limit of 1 MiB")
	}
	id := requestID(r.Context())
	e, ok := errs.As(err)
	if !ok || e.Kind == errs.KindInternal {
		s.log.Error("internal error", "request_id", id, "route", r.Pattern, "error", err)
		e = &errs.Error{Kind: errs.KindInternal, Message: "something went wrong on our side; it has been logged with the request id"}
	}
	if e.Kind == errs.KindUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="charter"`)
	}
	writeJSON(w, status(e.Kind), errorBody{Error: errorDetail{Code: string(e.Kind), Message: e.Message, Field: e.Field, RequestID: id}})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":{"code":"internal","message":"could not encode the response"}}`, http.StatusInternalServerError)
		return
	}
	writeRaw(w, code, body)
}

func writeRaw(w http.ResponseWriter, code int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(body)
	w.Write([]byte("\n"))
}
