package message_test

import (
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
)

type fixture struct {
	charter *charter.Charter
	rules   casework.Rules
	cal     *calendar.Calendar
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	ch, err := charter.ParseCharter("charter.yaml", examples.Charter)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := charter.ParseCatalogue("benefits.yaml", examples.Benefits, ch)
	if err != nil {
		t.Fatal(err)
	}
	cal := calendar.Scotland()
	return fixture{charter: ch, rules: casework.Rules{Benefits: cat, Calendar: cal}, cal: cal}
}

// day is 10:00 in London on a date.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 10, 0, 0, 0, casework.Zone)
}

// story builds an application one event at a time, failing the test on a
// refused event.
type story struct {
	t      testing.TB
	f      fixture
	app    *casework.Application
	events []casework.Event
}

func (f fixture) newStory(t testing.TB, benefit string, on time.Time, c casework.Client) *story {
	t.Helper()
	s := &story{t: t, f: f, app: &casework.Application{}}
	if c.Name == "" {
		c.Name = "Sam Example"
	}
	if c.DateOfBirth.IsZero() {
		c.DateOfBirth = calendar.NewDate(1975, 4, 1)
	}
	s.add(casework.TypeReceived, on, &casework.Received{Benefit: benefit, Channel: "online", Client: c})
	s.app.Ref = "7KM-4QX-9DC"
	return s
}

func (s *story) add(typ casework.EventType, at time.Time, b casework.Body) casework.Event {
	s.t.Helper()
	e := casework.Event{Seq: len(s.events) + 1, Type: typ, At: at, Actor: "caseworker:test", Body: b}
	if err := s.app.Apply(s.f.rules, e); err != nil {
		s.t.Fatalf("%s: %v", typ, err)
	}
	s.events = append(s.events, e)
	return e
}

func (s *story) reasons() []casework.CriterionReason {
	var rs []casework.CriterionReason
	for _, c := range s.app.Benefit().Criteria {
		rs = append(rs, casework.CriterionReason{Criterion: c.ID, Met: true, Reason: "You meet this: we checked the information you gave us."})
	}
	return rs
}
