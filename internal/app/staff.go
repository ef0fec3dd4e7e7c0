package app

import (
	"context"
	"sync"
	"time"

	"github.com/charter-service/charter/internal/calendar"

	"github.com/charter-service/charter/internal/store"
)

// QueueTallies counts open applications by benefit, stage and queue status
// as of today. Counting reads every open application, so with
// Options.QueueCountCache set the counts are kept for that long and
// refreshed in the background: no request waits for a recount, and the
// counts on a page may be that many seconds old.
func (s *Service) QueueTallies(ctx context.Context) ([]store.StageTally, error) {
	if s.tallies.ttl <= 0 {
		return s.store.QueueTallies(ctx, s.Today())
	}
	return s.tallies.get(ctx, s.Today(), func(ctx context.Context, today calendar.Date) ([]store.StageTally, error) {
		return s.store.QueueTallies(ctx, today)
	})
}

// QueueCounts counts open applications by queue status (for /metrics).
func (s *Service) QueueCounts(ctx context.Context, _ calendar.Date) (map[string]int, error) {
	tallies, err := s.QueueTallies(ctx)
	if err != nil {
		return nil, err
	}
	return store.SumTallies(tallies), nil
}

// tallyCache keeps the queue counts for a while and refreshes them in the
// background once they are older than ttl.
type tallyCache struct {
	ttl time.Duration

	mu         sync.Mutex
	day        calendar.Date
	at         time.Time // wall clock, whatever clock the service uses
	value      []store.StageTally
	refreshing bool

	first sync.Mutex // one recount at a time when there is nothing to serve
}

type countFunc func(context.Context, calendar.Date) ([]store.StageTally, error)

func (c *tallyCache) get(ctx context.Context, today calendar.Date, count countFunc) ([]store.StageTally, error) {
	c.mu.Lock()
	if c.value != nil && c.day == today {
		v := c.value
		if time.Since(c.at) > c.ttl && !c.refreshing {
			c.refreshing = true
			go c.refresh(today, count)
		}
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()
	// Nothing to serve for today yet: count now, once.
	c.first.Lock()
	defer c.first.Unlock()
	c.mu.Lock()
	if c.value != nil && c.day == today {
		v := c.value
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()
	v, err := count(ctx, today)
	if err != nil {
		return nil, err
	}
	c.store(today, v)
	return v, nil
}

func (c *tallyCache) refresh(today calendar.Date, count countFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	v, err := count(ctx, today)
	c.mu.Lock()
	c.refreshing = false
	c.mu.Unlock()
	if err == nil {
		c.store(today, v)
	}
}

func (c *tallyCache) store(today calendar.Date, v []store.StageTally) {
	c.mu.Lock()
	c.day, c.at, c.value = today, time.Now(), v
	c.mu.Unlock()
}

// CodeOutbox lists the newest messages carrying sign-in codes, newest
// first: until notifications are delivered for real, staff read a client's
// code here.
func (s *Service) CodeOutbox(ctx context.Context, limit int) ([]store.CodeMessage, error) {
	return s.store.CodeMessages(ctx, limit)
}
