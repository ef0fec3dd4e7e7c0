package app

import (
	"context"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/store"
)

// NewEvent is an event someone wants to record, before it has a number.
type NewEvent struct {
	Type  casework.EventType
	At    time.Time // zero: now
	Actor string
	Body  casework.Body
}

// Idempotency asks for a request's response to be stored with the change,
// so that a replay of the same key returns it. Render builds the response
// from the result before the transaction commits.
type Idempotency struct {
	Scope, Key, RequestHash string
	Render                  func(*casework.Application) (status int, body []byte, err error)
}

// Replay is returned by Create and Record when an idempotency key was
// already used: the stored response, to send again as it was.
type Replay struct {
	Status int
	Body   []byte
}

// Create opens a new application with a received event.
func (s *Service) Create(ctx context.Context, actor string, at time.Time, body *casework.Received, idem *Idempotency) (*casework.Application, *Replay, error) {
	if r, err := s.replay(ctx, idem); r != nil || err != nil {
		return nil, r, err
	}
	rules, err := s.Rules()
	if err != nil {
		return nil, nil, err
	}
	at, err = s.checkTime(at)
	if err != nil {
		return nil, nil, err
	}
	e := casework.Event{Seq: 1, Type: casework.TypeReceived, At: at, Actor: actor, Body: body}
	for range 5 { // a clash of random references is rare; draw again
		a := &casework.Application{}
		if err := a.Apply(rules, e); err != nil {
			return nil, nil, err
		}
		a.Ref = s.newReference()
		err := s.write(ctx, rules, a, 0, []casework.Event{e}, idem)
		if err == store.ErrVersionConflict {
			if r, rerr := s.replay(ctx, idem); r != nil || rerr != nil {
				return nil, r, rerr
			}
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		return a, nil, nil
	}
	return nil, nil, errs.Conflict("could not find a free reference; please try again")
}

// Record appends one event to an application. If expectedVersion is not
// negative it must match the application's version, or nothing is written
// and the error is a conflict.
func (s *Service) Record(ctx context.Context, ref casework.Reference, expectedVersion int, ne NewEvent, idem *Idempotency) (*casework.Application, *Replay, error) {
	if r, err := s.replay(ctx, idem); r != nil || err != nil {
		return nil, r, err
	}
	if ne.Body == nil {
		return nil, nil, errs.Invalid("type", "say what kind of event this is")
	}
	if ne.Type == casework.TypeReceived {
		return nil, nil, errs.Invalid("type", "an application is received by creating it, not by adding an event")
	}
	at, err := s.checkTime(ne.At)
	if err != nil {
		return nil, nil, err
	}
	a, events, err := s.Application(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	if expectedVersion >= 0 && expectedVersion != a.Version {
		return nil, nil, errs.Conflict("the application is at version %d, not %d: someone else has changed it; reload it and try again",
			a.Version, expectedVersion)
	}
	rules, err := s.Rules()
	if err != nil {
		return nil, nil, err
	}
	if err := s.completeEvent(ctx, ne.Body); err != nil {
		return nil, nil, err
	}
	if err := s.completeReferral(ctx, ne.Body); err != nil { // referral.go
		return nil, nil, err
	}
	from := a.Version
	e := casework.Event{Seq: from + 1, Type: ne.Type, At: at, Actor: ne.Actor, Body: ne.Body}
	if err := a.Apply(rules, e); err != nil {
		return nil, nil, err
	}
	if err := s.write(ctx, rules, a, from, append(events, e), idem); err != nil {
		if err == store.ErrVersionConflict {
			if r, rerr := s.replay(ctx, idem); r != nil || rerr != nil {
				return nil, r, rerr
			}
		}
		return nil, nil, err
	}
	return a, nil, nil
}

// write appends the events of log after from, with the projection of a
// (the state after them) and the case facts of the whole log, which the
// store writes in the same transaction.
func (s *Service) write(ctx context.Context, rules casework.Rules, a *casework.Application, from int, log []casework.Event, idem *Idempotency) error {
	events := log[from:]
	facts, err := factsOf(rules, a.Ref, log)
	if err != nil {
		return err
	}
	req := store.Append{Ref: a.Ref, ExpectedVersion: from, Events: events, Row: s.Row(a), Facts: facts}
	msgs, err := s.messagesFor(a, events)
	if err != nil {
		return err
	}
	req.Notifications = msgs
	if idem != nil {
		status, body, err := idem.Render(a)
		if err != nil {
			return err
		}
		req.Idempotency = &store.IdempotencyRecord{Scope: idem.Scope, Key: idem.Key, Request: idem.RequestHash,
			Status: status, Response: body}
	}
	if err := s.store.Append(ctx, req); err != nil {
		return err
	}
	if s.OnAppend != nil {
		s.OnAppend(len(events))
	}
	return nil
}

// replay returns the stored response for an idempotency key, if any. The
// same key with a different request is refused.
func (s *Service) replay(ctx context.Context, idem *Idempotency) (*Replay, error) {
	if idem == nil {
		return nil, nil
	}
	rec, ok, err := s.store.Idempotent(ctx, idem.Scope, idem.Key)
	if err != nil || !ok {
		return nil, err
	}
	if rec.Request != idem.RequestHash {
		return nil, errs.New(errs.KindConflict, "Idempotency-Key",
			"this Idempotency-Key was already used for a different request; use a new key")
	}
	return &Replay{Status: rec.Status, Body: rec.Response}, nil
}

// Row is the stored projection of an application.
func (s *Service) Row(a *casework.Application) store.ApplicationRow {
	clock := a.StoredClock(s.cal)
	return store.ApplicationRow{
		Ref: a.Ref, Benefit: a.BenefitID, Status: a.Status, Stage: a.Stage,
		ClientName: a.Client.Name, Area: a.Client.Area, ReceivedOn: a.ReceivedOn,
		DecideBy: clock.Due, AtRiskFrom: clock.AtRiskFrom, Paused: a.Paused(),
		ClosedOn: a.ClosedOn, Version: a.Version, NextCheckOn: message.NextCheck(a, s.cal),
		ChallengeDue: challengeDue(a),
	}
}

// challengeDue is our deadline for a re-determination still to make.
func challengeDue(a *casework.Application) calendar.Date {
	if c := a.Challenge; c != nil && c.Request != nil && c.Redetermination == nil {
		return c.Request.DecideBy
	}
	return 0
}

// checkTime defaults a zero time to now and refuses times in the future.
func (s *Service) checkTime(at time.Time) (time.Time, error) {
	now := s.now()
	if at.IsZero() {
		return now.UTC(), nil
	}
	if at.After(now.Add(5 * time.Minute)) {
		return at, errs.Invalid("at", "this is dated in the future; record things once they have happened")
	}
	return at.UTC(), nil
}

// Application folds an application from its events.
func (s *Service) Application(ctx context.Context, ref casework.Reference) (*casework.Application, []casework.Event, error) {
	rules, err := s.Rules()
	if err != nil {
		return nil, nil, err
	}
	events, err := s.store.Events(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	a, err := casework.Fold(rules, events)
	if err != nil {
		return nil, nil, err
	}
	a.Ref = ref
	return a, events, nil
}

// Timeline returns an application's timeline as of today.
func (s *Service) Timeline(ctx context.Context, ref casework.Reference) (casework.Timeline, error) {
	a, _, err := s.Application(ctx, ref)
	if err != nil {
		return casework.Timeline{}, err
	}
	return a.Timeline(s.cal, s.Today()), nil
}

// Queue returns a page of the work queue as of today.
func (s *Service) Queue(ctx context.Context, q store.QueueQuery) (store.QueuePage, error) {
	q.Today = s.Today()
	if q.Benefit != "" || q.Stage != "" {
		cat, err := s.Benefits()
		if err != nil {
			return store.QueuePage{}, err
		}
		b, ok := cat.Benefit(q.Benefit)
		if q.Benefit != "" && !ok {
			return store.QueuePage{}, errs.Invalid("benefit", "%q is not a benefit we run", q.Benefit)
		}
		if q.Stage != "" && !stageExists(cat.Benefits, b, q.Stage) {
			return store.QueuePage{}, errs.Invalid("stage", "%q is not a stage of any benefit we run", q.Stage)
		}
	}
	return s.store.Queue(ctx, q)
}

func (s *Service) newReference() casework.Reference {
	s.refMu.Lock()
	defer s.refMu.Unlock()
	return casework.NewReference(s.refs)
}

func stageExists(all []charter.Benefit, b *charter.Benefit, stage string) bool {
	if b != nil {
		_, i := b.Stage(stage)
		return i >= 0
	}
	for i := range all {
		if _, j := all[i].Stage(stage); j >= 0 {
			return true
		}
	}
	return false
}

// ApplicationsOf lists the applications of a client by their name,
// newest first.
func (s *Service) ApplicationsOf(ctx context.Context, name string) ([]casework.Reference, error) {
	return s.store.ApplicationsOf(ctx, name, 50)
}

// Redeterminations lists the applications with a re-determination to
// make, by our deadline.
func (s *Service) Redeterminations(ctx context.Context) ([]store.ApplicationRow, error) {
	return s.store.Redeterminations(ctx, 200)
}
