package seed_test

import (
	"os"
	"reflect"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/feedback"
	"github.com/charter-service/charter/internal/seed"
)

// Synthetic feedback is about commitments the charter has, every
// complaint's steps fit the complaints process, the same seed gives the
// same stories, and some complaints are still open, some of them overdue.
func TestFeedback(t *testing.T) {
	data, err := os.ReadFile("../../examples/charter.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ch, err := charter.ParseCharter("charter.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	cal := calendar.Scotland()
	today := calendar.NewDate(2026, 3, 2)
	stories := seed.Feedback(ch, cal, today, 200, 7)
	if len(stories) != 200 {
		t.Fatalf("%d stories", len(stories))
	}
	if again := seed.Feedback(ch, cal, today, 200, 7); !reflect.DeepEqual(again, stories) {
		t.Error("the same seed gave other stories")
	}
	p := feedback.Process{Timescales: feedback.DefaultTimescales(), Calendar: cal}
	complaints, open, overdue := 0, 0, 0
	for i, s := range stories {
		it := s.Item
		if it.Received > today || it.Received < today.AddDays(-365) {
			t.Errorf("story %d received %s", i, it.Received)
		}
		for _, c := range it.Commitments {
			if got, ok := ch.Commitment(c.ID); !ok || got.Key != c.Key {
				t.Errorf("story %d is about %+v, which the charter does not have", i, c)
			}
		}
		if it.Text == "" || (len(it.Commitments) == 0) != it.SomethingElse {
			t.Errorf("story %d: %+v", i, it)
		}
		if (it.Kind == feedback.KindComplaint) != (len(s.Events) > 0) {
			t.Errorf("story %d: a %s with %d steps", i, it.Kind, len(s.Events))
			continue
		}
		if len(s.Events) == 0 {
			continue
		}
		complaints++
		c, err := p.Fold(s.Events)
		if err != nil {
			t.Errorf("story %d: %v", i, err)
			continue
		}
		if c.ReceivedOn != it.Received || c.LastEventOn > today {
			t.Errorf("story %d: received %s, last step %s", i, c.ReceivedOn, c.LastEventOn)
		}
		if c.Status == feedback.StatusStage1Open || c.Status == feedback.StatusStage2Open || c.Status == feedback.StatusStage2Acknowledged {
			open++
			if c.Overdue(today) {
				overdue++
			}
		}
	}
	if complaints < 10 || open == 0 || overdue == 0 {
		t.Errorf("%d complaints, %d open, %d overdue: want some of each", complaints, open, overdue)
	}
}
