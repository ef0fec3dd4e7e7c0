package web

import "net/http"

func (s *Server) getCharter(w http.ResponseWriter, r *http.Request) {
	ch, err := s.svc.Charter()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ch)
}

func (s *Server) getBenefits(w http.ResponseWriter, r *http.Request) {
	cat, err := s.svc.Benefits()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cat)
}
