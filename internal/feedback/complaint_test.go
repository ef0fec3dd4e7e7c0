package feedback

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

func process() Process {
	return Process{Timescales: DefaultTimescales(), Calendar: calendar.Scotland()}
}

func ev(tb testing.TB, typ ComplaintEventType, on string, outcome Outcome) ComplaintEvent {
	tb.Helper()
	return ComplaintEvent{Type: typ, On: date(tb, on), Outcome: outcome}
}

func TestTimescalesValidate(t *testing.T) {
	tests := []struct {
		ts    Timescales
		field string // "" if valid
	}{
		{DefaultTimescales(), ""},
		{Timescales{1, 1, 1}, ""},
		{Timescales{0, 3, 20}, "stage1_respond_working_days"},
		{Timescales{5, 3, 261}, "stage2_respond_working_days"},
		{Timescales{5, -1, 20}, "stage2_acknowledge_working_days"},
		{Timescales{5, 21, 20}, "stage2_acknowledge_working_days"},
	}
	for _, tt := range tests {
		err := tt.ts.Validate()
		e, _ := errs.As(err)
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%+v: %v", tt.ts, err)
		case tt.field != "" && (e == nil || e.Field != tt.field || e.Kind != errs.KindInvalid):
			t.Errorf("%+v: error %v, want one on %s", tt.ts, err, tt.field)
		}
	}
}

// Due dates are working days in Scotland: over Christmas and New Year 2025,
// 25 and 26 December and 1 and 2 January are bank holidays.
func TestComplaintDueDates(t *testing.T) {
	p := process()
	c, err := p.Fold([]ComplaintEvent{
		ev(t, ComplaintReceived, "2025-12-23", ""),
		ev(t, Stage1Responded, "2026-01-06", OutcomeNotUpheld),
		ev(t, Escalated, "2026-01-09", ""),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		name      string
		got, want calendar.Date
	}{
		{"stage 1 due", c.Stage1DueOn, date(t, "2026-01-05")},            // Wed 24, Mon 29, Tue 30, Wed 31, Mon 5
		{"stage 2 acknowledge", c.Stage2AckDueOn, date(t, "2026-01-14")}, // Mon 12, Tue 13, Wed 14
		{"stage 2 due", c.Stage2DueOn, date(t, "2026-02-06")},            // 20 working days from Fri 9 January
	} {
		if d.got != d.want {
			t.Errorf("%s: %s, want %s", d.name, d.got.Long(), d.want.Long())
		}
	}
	if c.Status != StatusStage2Open || c.Stage != 2 || c.Events != 3 || c.Stage1Outcome != OutcomeNotUpheld {
		t.Errorf("complaint %+v", c)
	}
	// Stage 1 was answered a day late.
	dl := c.Deadlines(date(t, "2026-01-15"))
	if len(dl) != 3 || !dl[0].Late || dl[0].Overdue || !dl[1].Overdue || dl[2].Overdue {
		t.Errorf("deadlines %+v", dl)
	}
	if !c.Overdue(date(t, "2026-01-15")) || c.Overdue(date(t, "2026-01-14")) {
		t.Error("the acknowledgement is overdue from 15 January, not before")
	}
	// Other timescales give other dates.
	p.Timescales = Timescales{Stage1RespondDays: 10, Stage2AcknowledgeDays: 5, Stage2RespondDays: 30}
	c2, _ := p.Fold([]ComplaintEvent{ev(t, ComplaintReceived, "2026-03-02", "")})
	if c2.Stage1DueOn != date(t, "2026-03-16") {
		t.Errorf("10 working days from Monday 2 March 2026: %s", c2.Stage1DueOn)
	}
}

func TestComplaintTransitions(t *testing.T) {
	rcv := func(on string) ComplaintEvent { return ev(t, ComplaintReceived, on, "") }
	tests := []struct {
		name   string
		events []ComplaintEvent
		status ComplaintStatus             // when valid
		kind   errs.Kind                   // of the error on the last event, if any
		field  string                      // of that error
		check  func(*testing.T, Complaint) // more checks, when valid
	}{
		{name: "received", events: []ComplaintEvent{rcv("2026-03-02")}, status: StatusStage1Open},
		{name: "answered and closed", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, Stage1Responded, "2026-03-05", OutcomeUpheld),
			ev(t, ComplaintClosed, "2026-03-05", "")}, status: StatusClosed},
		{name: "closed at stage 1, then taken to stage 2", events: []ComplaintEvent{rcv("2026-03-02"),
			ev(t, Stage1Responded, "2026-03-05", OutcomeUpheld), ev(t, ComplaintClosed, "2026-03-05", ""),
			ev(t, Escalated, "2026-04-01", "")}, status: StatusStage2Open,
			check: func(t *testing.T, c Complaint) {
				if !c.ClosedOn.IsZero() || c.EscalatedOn != date(t, "2026-04-01") {
					t.Errorf("complaint %+v", c)
				}
			}},
		{name: "the whole way", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, Stage1Responded, "2026-03-05", OutcomePartlyUpheld),
			ev(t, Escalated, "2026-03-10", ""), ev(t, Stage2Acknowledged, "2026-03-11", ""),
			ev(t, Stage2Responded, "2026-03-30", OutcomeNotUpheld), ev(t, ComplaintClosed, "2026-03-30", "")}, status: StatusClosed},
		{name: "stage 2 answered without an acknowledgement", events: []ComplaintEvent{rcv("2026-03-02"),
			ev(t, Stage1Responded, "2026-03-05", OutcomeNotUpheld), ev(t, Escalated, "2026-03-10", ""),
			ev(t, Stage2Responded, "2026-03-12", OutcomeUpheld)}, status: StatusStage2Answered,
			check: func(t *testing.T, c Complaint) {
				if dl := c.Deadlines(date(t, "2026-06-01")); dl[1].DoneOn != date(t, "2026-03-12") || dl[1].Overdue {
					t.Errorf("the acknowledgement counts as done by the answer: %+v", dl[1])
				}
			}},
		{name: "stage 2 because stage 1 is overdue", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, Escalated, "2026-03-10", "")},
			status: StatusStage2Open,
			check: func(t *testing.T, c Complaint) {
				if dl := c.Deadlines(date(t, "2026-03-10")); !dl[0].Late || dl[0].Overdue {
					t.Errorf("stage 1 should count as late, not overdue: %+v", dl[0])
				}
			}},

		{name: "an event before it was received", events: []ComplaintEvent{ev(t, Stage1Responded, "2026-03-02", OutcomeUpheld)},
			kind: errs.KindConflict},
		{name: "received twice", events: []ComplaintEvent{rcv("2026-03-02"), rcv("2026-03-03")}, kind: errs.KindConflict},
		{name: "stage 2 before stage 1 is answered or due", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, Escalated, "2026-03-09", "")},
			kind: errs.KindConflict},
		{name: "answered twice at stage 1", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, Stage1Responded, "2026-03-03", OutcomeUpheld),
			ev(t, Stage1Responded, "2026-03-04", OutcomeUpheld)}, kind: errs.KindConflict},
		{name: "acknowledged at stage 2 without escalation", events: []ComplaintEvent{rcv("2026-03-02"),
			ev(t, Stage1Responded, "2026-03-03", OutcomeUpheld), ev(t, Stage2Acknowledged, "2026-03-04", "")}, kind: errs.KindConflict},
		{name: "acknowledged twice", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, Stage1Responded, "2026-03-03", OutcomeUpheld),
			ev(t, Escalated, "2026-03-04", ""), ev(t, Stage2Acknowledged, "2026-03-04", ""), ev(t, Stage2Acknowledged, "2026-03-05", "")},
			kind: errs.KindConflict},
		{name: "closed before an answer", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, ComplaintClosed, "2026-03-03", "")},
			kind: errs.KindConflict},
		{name: "anything after the final close", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, Stage1Responded, "2026-03-03", OutcomeUpheld),
			ev(t, Escalated, "2026-03-04", ""), ev(t, Stage2Responded, "2026-03-05", OutcomeUpheld), ev(t, ComplaintClosed, "2026-03-05", ""),
			ev(t, Escalated, "2026-03-06", "")}, kind: errs.KindConflict},
		{name: "a response with no outcome", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, Stage1Responded, "2026-03-03", "")},
			kind: errs.KindInvalid, field: "outcome"},
		{name: "a made-up outcome", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, Stage1Responded, "2026-03-03", "sort of")},
			kind: errs.KindInvalid, field: "outcome"},
		{name: "an outcome on an escalation", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, Stage1Responded, "2026-03-03", OutcomeUpheld),
			ev(t, Escalated, "2026-03-04", OutcomeUpheld)}, kind: errs.KindInvalid, field: "outcome"},
		{name: "an event dated before the last", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, Stage1Responded, "2026-03-01", OutcomeUpheld)},
			kind: errs.KindInvalid, field: "on"},
		{name: "an event with no date", events: []ComplaintEvent{{Type: ComplaintReceived}}, kind: errs.KindInvalid, field: "on"},
		{name: "an unknown step", events: []ComplaintEvent{rcv("2026-03-02"), ev(t, "reopened", "2026-03-03", "")},
			kind: errs.KindInvalid, field: "type"},
	}
	p := process()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// All but the last event must apply; then the last one is judged.
			var c Complaint
			for i, e := range tt.events[:len(tt.events)-1] {
				var err error
				if c, err = p.Apply(c, e); err != nil {
					t.Fatalf("event %d: %v", i+1, err)
				}
			}
			before := c
			after, err := p.Apply(c, tt.events[len(tt.events)-1])
			if tt.kind == "" {
				if err != nil {
					t.Fatal(err)
				}
				if after.Status != tt.status || after.Events != len(tt.events) {
					t.Errorf("status %s after %d events, want %s", after.Status, after.Events, tt.status)
				}
				if tt.check != nil {
					tt.check(t, after)
				}
				return
			}
			e, ok := errs.As(err)
			if !ok || e.Kind != tt.kind || e.Field != tt.field || e.Message == "" {
				t.Fatalf("error %#v, want kind %s on field %q", err, tt.kind, tt.field)
			}
			if after != before {
				t.Errorf("a refused event changed the complaint:\n%+v\n%+v", before, after)
			}
			if _, err := p.Fold(tt.events); err == nil || !strings.Contains(err.Error(), "complaint event") {
				t.Errorf("Fold: %v", err)
			}
		})
	}
}

// Whatever events arrive, in whatever order, folding never fails without
// saying why, and what it accepts keeps the complaint's dates in order.
func TestComplaintRandomEvents(t *testing.T) {
	p := process()
	types := []ComplaintEventType{ComplaintReceived, Stage1Responded, Escalated, Stage2Acknowledged, Stage2Responded, ComplaintClosed}
	outcomes := []Outcome{"", OutcomeUpheld, OutcomePartlyUpheld, OutcomeNotUpheld}
	r := rand.New(rand.NewPCG(5, 6))
	start := date(t, "2026-01-01")
	reached := map[ComplaintStatus]bool{}
	for range 5000 {
		var c Complaint
		on := start
		for i := range 1 + r.IntN(12) {
			on = on.AddDays(r.IntN(12))
			e := ComplaintEvent{Type: types[r.IntN(len(types))], On: on, Outcome: outcomes[r.IntN(len(outcomes))]}
			if i == 0 && r.IntN(10) > 0 {
				e = ComplaintEvent{Type: ComplaintReceived, On: on}
			}
			next, err := p.Apply(c, e)
			if err != nil {
				if k := errs.KindOf(err); k != errs.KindConflict && k != errs.KindInvalid {
					t.Fatalf("error of kind %s: %v", k, err)
				}
				continue
			}
			c = next
			reached[c.Status] = true
			if c.Stage1DueOn <= c.ReceivedOn || (c.Stage == 2 && (c.Stage2AckDueOn > c.Stage2DueOn || c.Stage2AckDueOn <= c.EscalatedOn)) {
				t.Fatalf("dates out of order: %+v", c)
			}
			if (c.Status == StatusStage2Answered) != (!c.Stage2RespondedOn.IsZero() && c.ClosedOn.IsZero()) {
				t.Fatalf("status and dates disagree: %+v", c)
			}
			if ns := p.NextSteps(c, on); ns.Heading == "" || len(ns.Paragraphs) == 0 {
				t.Fatalf("no next steps for %+v", c)
			}
		}
	}
	if len(reached) != 6 {
		t.Errorf("only %v were reached: the test does not cover every state", reached)
	}
}
