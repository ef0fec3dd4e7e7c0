package message_test

import (
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/message"
)

func find(ts []message.Timer, k message.TimerKind) (message.Timer, bool) {
	for _, t := range ts {
		if t.Kind == k {
			return t, true
		}
	}
	return message.Timer{}, false
}

func TestTimersFollowTheStandards(t *testing.T) {
	f := newFixture(t)
	s := f.newStory(t, "adult-disability-payment", day(2026, time.March, 2), casework.Client{Email: "sam@example.org", PreferredContact: "email"})
	st := s.app.Benefit().Standards
	ts := message.Timers(s.app, f.cal)

	ns, ok := find(ts, message.TimerNoSilence)
	if want := f.cal.AddWorkingDays(calendar.NewDate(2026, 3, 2), st.MaxWorkingDaysWithoutUpdate); !ok || ns.On != want {
		t.Fatalf("no-silence timer %+v, want on %s", ns, want)
	}
	clock := s.app.StoredClock(f.cal)
	if r, ok := find(ts, message.TimerAtRisk); !ok || r.On != clock.AtRiskFrom || r.Due != clock.Due {
		t.Errorf("at-risk timer %+v, want on %s about %s", r, clock.AtRiskFrom, clock.Due)
	}
	m, ok := find(ts, message.TimerMissed)
	if want := f.cal.AddWorkingDays(clock.Due, 1); !ok || m.On != want {
		t.Errorf("missed timer %+v, want on the working day after %s", m, clock.Due)
	}
	if next := message.NextCheck(s.app, f.cal); next != ns.On {
		t.Errorf("NextCheck = %s, want the earliest timer %s", next, ns.On)
	}

	// An update moves the no-silence timer on; recording the timer's own
	// event (what the sweep does) removes it until the next update.
	s.add(casework.TypeAcknowledged, day(2026, time.March, 4), &casework.Acknowledged{})
	ns2, _ := find(message.Timers(s.app, f.cal), message.TimerNoSilence)
	if want := f.cal.AddWorkingDays(calendar.NewDate(2026, 3, 4), st.MaxWorkingDaysWithoutUpdate); ns2.On != want {
		t.Fatalf("after an update the no-silence timer is on %s, want %s", ns2.On, want)
	}
	typ, body := ns2.Event("email")
	s.add(typ, message.SendAt(ns2.On), body)
	ns3, _ := find(message.Timers(s.app, f.cal), message.TimerNoSilence)
	if !ns3.On.After(ns2.On) {
		t.Errorf("after the no-silence update the next is on %s, want after %s", ns3.On, ns2.On)
	}

	// At risk is flagged once for a date.
	r, _ := find(message.Timers(s.app, f.cal), message.TimerAtRisk)
	typ, body = r.Event("")
	s.add(typ, message.SendAt(r.On), body)
	if _, ok := find(message.Timers(s.app, f.cal), message.TimerAtRisk); ok {
		t.Error("the at-risk timer is still there after staff were told")
	}
	// Missed: once for the date; a new date gives a new timer.
	m, _ = find(message.Timers(s.app, f.cal), message.TimerMissed)
	typ, body = m.Event("")
	s.add(typ, message.SendAt(m.On), body)
	if _, ok := find(message.Timers(s.app, f.cal), message.TimerMissed); ok {
		t.Error("the missed timer is still there after the client was told")
	}
	newDate := f.cal.AddWorkingDays(m.On, 10)
	s.add(casework.TypeDecisionDateRevised, message.SendAt(m.On).Add(time.Hour),
		&casework.DecisionDateRevised{NewDate: newDate, Reason: "We are waiting for a report from a specialist we asked."})
	m2, ok := find(message.Timers(s.app, f.cal), message.TimerMissed)
	if !ok || m2.Due != newDate || m2.On != f.cal.AddWorkingDays(newDate, 1) {
		t.Errorf("after a new date the missed timer is %+v, want one about %s", m2, newDate)
	}

	// A decision ends every application timer.
	s.add(casework.TypeDecisionMade, message.SendAt(m.On).Add(2*time.Hour),
		&casework.DecisionMade{Outcome: casework.OutcomeAward, Reasons: s.reasons(), DecisionMaker: "case manager"})
	if ts := message.Timers(s.app, f.cal); len(ts) != 0 {
		t.Errorf("a decided application has timers %+v", ts)
	}
}

func TestPausedClockHasNoMissedTimerAndRemindsBeforeTheDueDate(t *testing.T) {
	f := newFixture(t)
	s := f.newStory(t, "adult-disability-payment", day(2026, time.March, 2), casework.Client{Email: "sam@example.org"})
	due := calendar.NewDate(2026, 4, 17)
	s.add(casework.TypeInformationRequested, day(2026, time.March, 9), &casework.InformationRequested{
		What: "A letter from your GP", Why: "To understand daily living", From: casework.FromClient, Due: due})
	ts := message.Timers(s.app, f.cal)
	if _, ok := find(ts, message.TimerMissed); ok {
		t.Error("a paused clock has a missed timer")
	}
	if _, ok := find(ts, message.TimerAtRisk); ok {
		t.Error("a paused clock has an at-risk timer")
	}
	r, ok := find(ts, message.TimerReminder)
	if want := f.cal.AddWorkingDays(due, -message.ReminderWorkingDays); !ok || r.On != want || r.RequestID != "R1" {
		t.Fatalf("reminder %+v, want R1 on %s", r, want)
	}
	typ, body := r.Event("")
	s.add(typ, message.SendAt(r.On), body)
	if _, ok := find(message.Timers(s.app, f.cal), message.TimerReminder); ok {
		t.Error("a reminder is due again after it was sent")
	}
	if got := s.app.Requests[0].RemindedOn; got != r.On {
		t.Errorf("RemindedOn = %s, want %s", got, r.On)
	}
	// The reminder cannot be sent twice, or for an answered request.
	e := casework.Event{Seq: s.app.Version + 1, Type: typ, At: message.SendAt(r.On), Body: body}
	if err := s.app.Apply(f.rules, e); err == nil {
		t.Error("a second reminder for the same request was accepted")
	}

	// A request due too soon for a reminder gets none.
	s2 := f.newStory(t, "adult-disability-payment", day(2026, time.March, 2), casework.Client{Email: "sam@example.org"})
	s2.add(casework.TypeInformationRequested, day(2026, time.March, 9), &casework.InformationRequested{
		What: "A payslip", Why: "To check earnings", From: casework.FromClient, Due: calendar.NewDate(2026, 3, 12)})
	if _, ok := find(message.Timers(s2.app, f.cal), message.TimerReminder); ok {
		t.Error("a request due in three working days has a reminder")
	}
}

func TestAppealNowTimerWhenTheRedeterminationDeadlinePasses(t *testing.T) {
	f := newFixture(t)
	s := f.newStory(t, "early-years-grant", day(2026, time.March, 2), casework.Client{Email: "sam@example.org"})
	s.add(casework.TypeDecisionMade, day(2026, time.March, 10), &casework.DecisionMade{
		Outcome: casework.OutcomeRefuse, Reasons: s.reasons(), DecisionMaker: "case manager"})
	if ts := message.Timers(s.app, f.cal); len(ts) != 0 {
		t.Fatalf("decided, unchallenged: timers %+v", ts)
	}
	s.add(casework.TypeRedeterminationRequested, day(2026, time.March, 16), &casework.RedeterminationRequested{
		How: "online", By: "client", Disagreement: "I do look after the child and I can show it."})
	deadline := s.app.Challenge.Request.DecideBy
	tm, ok := find(message.Timers(s.app, f.cal), message.TimerAppealNow)
	if !ok || tm.On != deadline.AddDays(1) {
		t.Fatalf("appeal-now timer %+v, want on the day after %s", tm, deadline)
	}
	typ, body := tm.Event("")
	s.add(typ, message.SendAt(tm.On), body)
	if _, ok := find(message.Timers(s.app, f.cal), message.TimerAppealNow); ok {
		t.Error("the appeal form is due again after it was sent")
	}
	if s.app.Challenge.AppealFormSentOn != tm.On {
		t.Errorf("appeal form sent on %s, want %s", s.app.Challenge.AppealFormSentOn, tm.On)
	}
}

func TestTimersActFromEightInTheMorning(t *testing.T) {
	d := calendar.NewDate(2026, 12, 1)
	if got := message.DueUpTo(message.SendAt(d).Add(-time.Minute)); got != d.AddDays(-1) {
		t.Errorf("at 7:59 timers are due up to %s, want the day before", got)
	}
	if got := message.DueUpTo(message.SendAt(d)); got != d {
		t.Errorf("at 8:00 timers are due up to %s, want the day", got)
	}
	f := newFixture(t)
	s := f.newStory(t, "early-years-grant", day(2026, time.March, 2), casework.Client{Email: "a@example.org"})
	ns, _ := find(message.Timers(s.app, f.cal), message.TimerNoSilence)
	if len(message.Due(s.app, f.cal, message.SendAt(ns.On).Add(-time.Second))) != 0 {
		t.Error("a timer is due before eight on its day")
	}
	if due := message.Due(s.app, f.cal, message.SendAt(ns.On)); len(due) != 1 || due[0].Kind != message.TimerNoSilence {
		t.Errorf("at eight on its day: %+v", due)
	}
}
