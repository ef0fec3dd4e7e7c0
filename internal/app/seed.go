package app

import (
	"context"

	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/seed"
	"github.com/charter-service/charter/internal/store"
)

// seedBatch is how many applications the seed writes in one transaction.
const seedBatch = 2000

// SeedResult says what Seed wrote.
type SeedResult struct {
	Applications int // applications written
	Events       int // events written
	// Existing is how many applications the store already held. When it is
	// not zero Seed wrote nothing and returned a conflict.
	Existing int
}

// Seed writes a synthetic history through the bulk path, a batch of
// applications per transaction, generating the next batch while the last is
// written. It refuses to run if there are already applications (so `charter
// demo` run twice reuses data rather than duplicating): the result says how
// many exist, and the caller decides. An End of zero means today; a Now of
// zero means now, so that nothing is dated later than the moment of seeding.
// progress, if not nil, is called after each batch with the number written.
//
// Each batch is its own transaction: if Seed fails part way, the batches
// before the failure stay written.
func (s *Service) Seed(ctx context.Context, o seed.Options, progress func(done int)) (SeedResult, error) {
	rules, err := s.Rules()
	if err != nil {
		return SeedResult{}, err
	}
	n, err := s.store.CountApplications(ctx)
	if err != nil {
		return SeedResult{}, err
	}
	if n > 0 {
		return SeedResult{Existing: n}, errs.Conflict(
			"the database already holds %d applications; a synthetic history is only written into an empty one", n)
	}
	// The history books consultations with these practitioners.
	if _, err := s.EnsurePractitioners(ctx, seed.Practitioners()); err != nil {
		return SeedResult{}, err
	}
	// And refers clients to these organisations.
	if _, err := s.EnsureOrganisations(ctx, seed.Organisations()); err != nil {
		return SeedResult{}, err
	}
	if o.End.IsZero() {
		o.End = s.Today()
	}
	if o.Now.IsZero() {
		o.Now = s.now()
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []seed.Generated, 1)
	generated := make(chan error, 1)
	go func() {
		defer close(batches)
		generated <- seed.Generate(rules, o, seedBatch, func(b []seed.Generated) error {
			select {
			case batches <- b:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()

	var res SeedResult
	var werr error
	for b := range batches {
		if werr != nil {
			continue // the generator is stopping; let it finish
		}
		rows := make([]store.BulkApplication, len(b))
		events := 0
		for i, g := range b {
			facts, err := factsOf(rules, g.App.Ref, g.Events)
			if err != nil {
				werr = err
				break
			}
			rows[i] = store.BulkApplication{Row: s.Row(g.App), Events: g.Events, Facts: facts}
			events += len(g.Events)
		}
		if werr != nil {
			cancel()
			continue
		}
		if werr = s.store.BulkInsert(ctx, rows); werr != nil {
			cancel()
			continue
		}
		res.Applications += len(b)
		res.Events += events
		if s.OnAppend != nil {
			s.OnAppend(events)
		}
		if progress != nil {
			progress(res.Applications)
		}
	}
	if werr != nil {
		return res, werr
	}
	if err := <-generated; err != nil {
		return res, err
	}
	// The planner's statistics, for the measures' reads (PostgreSQL).
	return res, s.store.Analyze(ctx)
}
