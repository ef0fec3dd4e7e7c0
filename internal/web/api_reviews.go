package web

import (
	"net/http"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
)

// The API for charter versions, feedback counts and review findings.

// versionJSON is one published charter version in GET /api/v1/charter/versions.
type versionJSON struct {
	Version   string                     `json:"version"`
	Published calendar.Date              `json:"published,omitzero"`
	Current   bool                       `json:"current"`
	Previous  string                     `json:"previous,omitempty"`
	Reason    string                     `json:"reason,omitempty"`
	RoundID   string                     `json:"round_id,omitempty"`
	Reasons   map[string]string          `json:"reasons,omitempty"` // by commitment key
	Changes   []charter.CommitmentChange `json:"changes,omitempty"`
}

func (s *Server) getCharterVersions(w http.ResponseWriter, r *http.Request) {
	h, err := s.svc.CharterHistory(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := []versionJSON{}
	for _, e := range h {
		v := versionJSON{Version: e.Version, Current: e.Current, Previous: e.Previous, Reason: e.Info.Reason, RoundID: e.Info.RoundID}
		v.Published, _ = calendar.ParseDate(e.Charter.Published)
		if v.Published.IsZero() {
			v.Published = e.Info.PublishedOn
		}
		if e.Diff != nil {
			v.Changes = e.Diff.Changed()
		}
		for key, c := range e.Info.Changes {
			if v.Reasons == nil {
				v.Reasons = map[string]string{}
			}
			v.Reasons[key] = c.Reason
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

// feedbackCountJSON is one day's count about one commitment.
type feedbackCountJSON struct {
	Commitment string        `json:"commitment"`
	On         calendar.Date `json:"on"`
	Complaint  bool          `json:"complaint"`
	Count      int64         `json:"count"`
}

// getFeedbackCounts answers GET /api/v1/feedback/counts?from=&to=: the
// per-day counts the measurement framework's feedback measures take.
// Without dates it counts the current financial year to date.
func (s *Server) getFeedbackCounts(w http.ResponseWriter, r *http.Request) {
	today := s.svc.Today()
	year := measure.YearOf(today)
	from, to := year.First(), today
	for _, p := range []struct {
		name string
		into *calendar.Date
	}{{"from", &from}, {"to", &to}} {
		if v := r.URL.Query().Get(p.name); v != "" {
			d, err := calendar.ParseDate(v)
			if err != nil {
				s.writeError(w, r, errs.Invalid(p.name, "write the date as YYYY-MM-DD, like 2026-04-01"))
				return
			}
			*p.into = d
		}
	}
	if to.AddDays(-3660) > from {
		s.writeError(w, r, errs.Invalid("from", "ask for ten years at most"))
		return
	}
	counts, err := s.svc.FeedbackCounts(r.Context(), from, to)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	items := make([]feedbackCountJSON, len(counts))
	for i, c := range counts {
		items[i] = feedbackCountJSON{Commitment: c.Commitment, On: c.On, Complaint: c.Complaint, Count: c.Count}
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": from, "to": to, "items": items})
}

func (s *Server) getFindings(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.ReviewFindings(r.Context(), r.PathValue("round"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, f.Findings)
}
