package app

import (
	"context"
	"fmt"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/measure"
)

// factsOf works out an application's case facts from its whole event log,
// for the store to write with the events. The rules have already accepted
// every event, so a refusal here is a bug, reported as one.
func factsOf(rules casework.Rules, ref casework.Reference, log []casework.Event) (measure.Facts, error) {
	f, err := measure.FactsOf(rules, log)
	if err != nil {
		return f, fmt.Errorf("case facts of %s: %w", ref, err)
	}
	f.Ref = ref.String()
	return f, nil
}

// RebuildFacts works out every application's case facts again from its
// events and stores them: for when the way facts are worked out changes
// (a new release of measure.FactsOf). It is safe while the service runs.
// progress, if not nil, is called after each batch with the number done.
func (s *Service) RebuildFacts(ctx context.Context, progress func(done int)) (int, error) {
	rules, err := s.Rules()
	if err != nil {
		return 0, err
	}
	n, err := s.store.RebuildFacts(ctx, func(ref casework.Reference, events []casework.Event) (measure.Facts, error) {
		return factsOf(rules, ref, events)
	}, progress)
	if err == nil {
		s.forgetReports()
	}
	return n, err
}
