package web

import (
	"net/http"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// practitionersResponse is GET /api/v1/practitioners: the register, and
// the condition categories its specialisms (and clients' conditions) use.
type practitionersResponse struct {
	Items      []practitionerItem           `json:"items"`
	Conditions []casework.ConditionCategory `json:"condition_categories"`
}

type practitionerItem struct {
	casework.Practitioner
	Version int `json:"version"`
}

func (s *Server) listPractitioners(w http.ResponseWriter, r *http.Request) {
	activeOnly := false
	switch r.URL.Query().Get("active") {
	case "", "false":
	case "true":
		activeOnly = true
	default:
		s.writeError(w, r, errs.Invalid("active", "write true for only those holding consultations now, or leave it out for everyone"))
		return
	}
	ps, err := s.svc.Practitioners(r.Context(), activeOnly)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	resp := practitionersResponse{Items: make([]practitionerItem, 0, len(ps)), Conditions: casework.Conditions}
	for _, p := range ps {
		resp.Items = append(resp.Items, practitionerItem{Practitioner: p.Practitioner, Version: p.Version})
	}
	writeJSON(w, http.StatusOK, resp)
}
