package app

import (
	"context"

	"github.com/charter-service/charter/internal/casework"
)

// DecisionNotice returns the notice of an application's decision: what the
// client is told and how to challenge it, with dates. It is a not-found
// error when the application has no decision yet.
func (s *Service) DecisionNotice(ctx context.Context, ref casework.Reference) (casework.DecisionNotice, error) {
	a, _, err := s.Application(ctx, ref)
	if err != nil {
		return casework.DecisionNotice{}, err
	}
	return casework.NewDecisionNotice(a)
}
