package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/message"
)

// SystemActor is who the service's own events are recorded as.
const SystemActor = "system"

// TimerResult says what a sweep did.
type TimerResult struct {
	Checked  int // applications looked at
	Recorded int // timer events recorded (each causes its message)
	Clashed  int // applications another writer changed first: checked again next time
}

// CheckTimers acts on every timer that has fallen due: for each
// application whose next check date has come, it folds the events, and
// records an event for each due timer (which causes the message). It is
// safe to run in several processes at once: two that act on the same
// application clash on its version, and one wins. It works through at
// most limit applications and reports what it did.
func (s *Service) CheckTimers(ctx context.Context, limit int) (TimerResult, error) {
	var res TimerResult
	refs, err := s.store.DueForCheck(ctx, message.DueUpTo(s.now()), limit)
	if err != nil {
		return res, err
	}
	for _, ref := range refs {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		n, err := s.checkOne(ctx, ref)
		res.Checked++
		res.Recorded += n
		switch {
		case errs.KindOf(err) == errs.KindConflict:
			res.Clashed++
		case err != nil:
			return res, fmt.Errorf("timers of %s: %w", ref, err)
		}
	}
	return res, nil
}

// checkOne records the due timers of one application, one event each.
func (s *Service) checkOne(ctx context.Context, ref casework.Reference) (int, error) {
	recorded := 0
	for range 8 { // each event may change what is due; a few rounds settle it
		a, _, err := s.Application(ctx, ref)
		if err != nil {
			return recorded, err
		}
		due := message.Due(a, s.cal, s.now())
		if len(due) == 0 {
			// Nothing to do (another process did it, or the date moved):
			// store when to look next.
			return recorded, s.store.SetNextCheck(ctx, ref, a.Version, message.NextCheck(a, s.cal))
		}
		t := due[0]
		typ, body := t.Event(string(s.channelFor(a, t)))
		if _, _, err := s.Record(ctx, ref, a.Version, NewEvent{Type: typ, Actor: SystemActor, Body: body}, nil); err != nil {
			return recorded, err
		}
		recorded++
	}
	return recorded, errors.New("timers kept falling due")
}

// channelFor is how the client hears of a timer's message, for the record.
func (s *Service) channelFor(a *casework.Application, t message.Timer) message.Channel {
	typ, body := t.Event("")
	e := casework.Event{Type: typ, Body: body}
	for _, p := range message.Caused(a, e) {
		if ds := message.Route(a.Client, p); len(ds) > 0 {
			return ds[0].Channel
		}
	}
	return message.ChannelNone
}

// BackfillTimers works out the next check date of open applications
// written before timers existed. It returns how many it updated.
func (s *Service) BackfillTimers(ctx context.Context) (int, error) {
	var after casework.Reference
	n := 0
	for {
		refs, err := s.store.NeverChecked(ctx, after, 500)
		if err != nil || len(refs) == 0 {
			return n, err
		}
		for _, ref := range refs {
			a, _, err := s.Application(ctx, ref)
			if err != nil {
				return n, err
			}
			if err := s.store.SetNextCheck(ctx, ref, a.Version, message.NextCheck(a, s.cal)); err != nil {
				return n, err
			}
			n++
		}
		after = refs[len(refs)-1]
	}
}
