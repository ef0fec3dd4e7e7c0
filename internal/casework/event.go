package casework

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/charter-service/charter/internal/errs"
)

// EventType names a kind of event in an application's log.
type EventType string

// Event is one entry in an application's append-only log. Seq starts at 1
// and has no gaps; At is when the thing happened (which may be earlier than
// when it was recorded, e.g. post opened the next morning).
type Event struct {
	Seq   int       `json:"seq"`
	Type  EventType `json:"type"`
	At    time.Time `json:"at"`
	Actor string    `json:"actor"` // "client", "system", "caseworker:<name>"
	Body  Body      `json:"body"`
}

// Body is the typed content of an event. Each type applies its own rules to
// the application; adding an event type means writing one struct with these
// two methods and one line in the registry below.
type Body interface {
	Type() EventType
	apply(a *Application, e Event, r Rules) error
}

// registry maps each event type to a constructor for its body.
var registry = map[EventType]func() Body{}

func register(f func() Body) { registry[f().Type()] = f }

// NewBody returns an empty body for the event type, to decode into.
func NewBody(t EventType) (Body, bool) {
	f, ok := registry[t]
	if !ok {
		return nil, false
	}
	return f(), true
}

// EventTypes lists every known event type, sorted.
func EventTypes() []EventType {
	ts := make([]EventType, 0, len(registry))
	for t := range registry {
		ts = append(ts, t)
	}
	slices.Sort(ts)
	return ts
}

// DecodeBody decodes raw JSON into the body for t. Unknown fields are errors
// so that a misspelt field is reported rather than silently dropped.
func DecodeBody(t EventType, raw json.RawMessage, strict bool) (Body, error) {
	b, ok := NewBody(t)
	if !ok {
		return nil, errs.Invalid("type", "%q is not a kind of event we record", t)
	}
	if len(raw) == 0 || string(raw) == "null" {
		raw = []byte("{}")
	}
	if err := decodeJSON(raw, b, strict); err != nil {
		return nil, err
	}
	return b, nil
}

// UnmarshalJSON decodes an event with the body type its Type names.
func (e *Event) UnmarshalJSON(data []byte) error {
	var raw struct {
		Seq   int             `json:"seq"`
		Type  EventType       `json:"type"`
		At    time.Time       `json:"at"`
		Actor string          `json:"actor"`
		Body  json.RawMessage `json:"body"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	b, err := DecodeBody(raw.Type, raw.Body, false)
	if err != nil {
		return fmt.Errorf("event %d: %w", raw.Seq, err)
	}
	*e = Event{Seq: raw.Seq, Type: raw.Type, At: raw.At, Actor: raw.Actor, Body: b}
	return nil
}
