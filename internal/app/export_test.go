package app

import "github.com/charter-service/charter/internal/measure"

// KeptFigures returns the raw figures kept for a year's report, and
// whether the count behind them is kept to be moved on (see moveOn).
func (s *Service) KeptFigures(year measure.Period) (*measure.Results, bool) {
	e, _ := s.reports.entry(year)
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.results, e.counted != nil
}
