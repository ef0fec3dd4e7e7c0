package app

import (
	"context"

	"github.com/charter-service/charter/internal/store"
)

// QueueTallies counts open applications by benefit, stage and queue status
// as of today.
func (s *Service) QueueTallies(ctx context.Context) ([]store.StageTally, error) {
	return s.store.QueueTallies(ctx, s.Today())
}

// CodeOutbox lists the newest messages carrying sign-in codes, newest
// first: until notifications are delivered for real, staff read a client's
// code here.
func (s *Service) CodeOutbox(ctx context.Context, limit int) ([]store.CodeMessage, error) {
	return s.store.CodeMessages(ctx, limit)
}
