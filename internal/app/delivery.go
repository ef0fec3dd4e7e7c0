package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/store"
)

// Sender delivers messages on one channel (internal/notify has them: SMTP,
// the text and email provider, the letter print queue). It returns the
// provider's id for the message, or an error made with message.Temporary
// or message.Permanent; any other error counts as temporary.
type Sender interface {
	Send(ctx context.Context, m message.Outgoing) (providerID string, err error)
}

// DeliveryOptions configure the delivery worker. Zero values take the
// defaults in brackets.
type DeliveryOptions struct {
	Senders map[message.Channel]Sender
	// Rate limits sends per second on each channel (no limit). A channel's
	// provider refuses more than it allows; staying under it is kinder
	// than being refused.
	Rate        map[message.Channel]float64
	Batch       int           // messages claimed at once [50]
	Concurrency int           // sends at once [4]
	Lease       time.Duration // how long a claim holds a message [2m]
	Poll        time.Duration // the longest the worker sleeps when idle [5s]
	RetryBase   time.Duration // the first wait before trying again [10s]
	RetryMax    time.Duration // the longest wait [1h]
	MaxAttempts int           // tries before giving up for good [10]
	// CheckTimersEvery is how often the worker acts on timers that have
	// fallen due [1m]; negative: never (another process does it).
	CheckTimersEvery time.Duration
}

func (o *DeliveryOptions) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&o.Lease, 2*time.Minute)
	def(&o.Poll, 5*time.Second)
	def(&o.RetryBase, 10*time.Second)
	def(&o.RetryMax, time.Hour)
	def(&o.CheckTimersEvery, time.Minute)
	if o.Batch <= 0 {
		o.Batch = 50
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
}

// Worker delivers queued messages and acts on timers. Several may run at
// once, in one process or many, on one database.
type Worker struct {
	svc      *Service
	o        DeliveryOptions
	limiters map[message.Channel]*rate.Limiter
	jitter   func() float64
}

// NewWorker makes a delivery worker.
func (s *Service) NewWorker(o DeliveryOptions) *Worker {
	o.defaults()
	w := &Worker{svc: s, o: o, limiters: map[message.Channel]*rate.Limiter{}, jitter: rand.Float64}
	for ch, r := range o.Rate {
		if r > 0 {
			w.limiters[ch] = rate.NewLimiter(rate.Limit(r), 1)
		}
	}
	return w
}

// Run delivers and checks timers until ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	if n, err := w.svc.BackfillTimers(ctx); err != nil {
		return err
	} else if n > 0 {
		w.svc.log.Info("worked out timers for applications written before timers existed", "applications", n)
	}
	var nextTimers time.Time
	for ctx.Err() == nil {
		if w.o.CheckTimersEvery > 0 && !w.svc.now().Before(nextTimers) {
			res, err := w.svc.CheckTimers(ctx, 1000)
			if err != nil && ctx.Err() == nil {
				w.svc.log.Error("checking timers", "error", err)
			} else if res.Recorded > 0 {
				w.svc.log.Info("timers acted on", "applications", res.Checked, "events", res.Recorded)
			}
			if res.Checked < 1000 { // more due: go round again at once
				nextTimers = w.svc.now().Add(w.o.CheckTimersEvery)
			}
		}
		n, err := w.DeliverOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.svc.log.Error("delivering messages", "error", err)
		}
		if n > 0 {
			continue
		}
		w.sleep(ctx, nextTimers)
	}
	return nil
}

// sleep waits until the next message or timer is due, or Poll, whichever
// is sooner.
func (w *Worker) sleep(ctx context.Context, nextTimers time.Time) {
	now := w.svc.now()
	wake := now.Add(w.o.Poll)
	if at, ok, err := w.svc.store.NextNotificationDue(ctx); err == nil && ok && at.Before(wake) {
		wake = at
	}
	if w.o.CheckTimersEvery > 0 && nextTimers.Before(wake) {
		wake = nextTimers
	}
	d := max(wake.Sub(now), 10*time.Millisecond)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// DeliverOnce claims one batch of due messages and sends them, and returns
// how many it claimed.
func (w *Worker) DeliverOnce(ctx context.Context) (int, error) {
	batch, err := w.svc.store.ClaimNotifications(ctx, w.svc.now(), w.o.Lease, w.o.Batch)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	work := make(chan store.Notification)
	results := make(chan store.NotificationResult, len(batch))
	var wg sync.WaitGroup
	for range min(w.o.Concurrency, len(batch)) {
		wg.Go(func() {
			for n := range work {
				if r, ok := w.send(ctx, n); ok {
					results <- r
				}
			}
		})
	}
	for _, n := range batch {
		work <- n
	}
	close(work)
	wg.Wait()
	close(results)
	done := make([]store.NotificationResult, 0, len(batch))
	for r := range results {
		done = append(done, r)
	}
	// One transaction for the batch. Messages not in it (the worker is
	// stopping) stay claimed until their lease runs out, then go again.
	return len(batch), w.svc.store.FinishSends(context.WithoutCancel(ctx), done)
}

// send makes one try at one claimed message and says how it went; ok is
// false when the worker is stopping and the try should not be recorded.
func (w *Worker) send(ctx context.Context, n store.Notification) (res store.NotificationResult, ok bool) {
	res = store.NotificationResult{ID: n.ID, Status: message.StatusSent}
	sender := w.o.Senders[n.Channel]
	switch {
	case n.Channel == message.ChannelStaff && sender == nil:
		res.Reason = "Shown to staff on the messages page."
	case sender == nil:
		res.Status, res.Reason = message.StatusFailed, fmt.Sprintf("No way to send by %s is set up: send it another way.", n.Channel)
	default:
		if lim := w.limiters[n.Channel]; lim != nil {
			if err := lim.Wait(ctx); err != nil {
				return res, false // stopping: the lease runs out and another try picks it up
			}
		}
		id, err := sender.Send(ctx, message.Outgoing{Key: n.Key, Ref: n.Ref, Kind: n.Kind, Channel: n.Channel,
			Recipient: n.Recipient, Subject: n.Subject, Body: n.Body, LargePrint: n.LargePrint, Attempt: n.Attempts})
		res.ProviderID = id
		if err != nil {
			if ctx.Err() != nil {
				return res, false // stopping mid-send: as above
			}
			permanent, after, reason := message.Classify(err)
			switch {
			case permanent:
				res.Status, res.Reason = message.StatusFailed, reason
			case n.Attempts >= w.o.MaxAttempts:
				res.Status, res.Reason = message.StatusFailed, fmt.Sprintf("Gave up after %d tries. The last: %s", n.Attempts, reason)
			default:
				if after <= 0 {
					after = message.Backoff(n.Attempts, w.o.RetryBase, w.o.RetryMax, w.jitter())
				}
				res.Status, res.Reason, res.RetryAt = message.StatusRetrying, reason, w.svc.now().Add(after)
			}
		}
	}
	if res.Status == message.StatusFailed {
		w.svc.log.Warn("a message failed for good: staff are alerted on the messages page",
			"key", n.Key, "channel", n.Channel, "reason", res.Reason)
	}
	if w.svc.OnMessage != nil {
		w.svc.OnMessage(n.Channel, res.Status)
	}
	return res, true
}
