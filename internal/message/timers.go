package message

import (
	"fmt"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
)

// TimerKind names one of the service's own clocks.
type TimerKind string

const (
	// TimerNoSilence: the client would go longer than the benefit's
	// max_working_days_without_update without news (commitment 1.4).
	TimerNoSilence TimerKind = "no_silence"
	// TimerAtRisk: the benefit's at_risk_percent of the time to decide has
	// gone by: staff are told (commitment 2.2).
	TimerAtRisk TimerKind = "at_risk"
	// TimerMissed: the decision date has passed without a decision: the
	// client is told, with an apology, on the next working day.
	TimerMissed TimerKind = "missed"
	// TimerReminder: an information request to the client is due in
	// ReminderWorkingDays working days and is still open.
	TimerReminder TimerKind = "reminder"
	// TimerAppealNow: our deadline to re-determine has passed without a
	// re-determination: the client can appeal now and is sent the form.
	TimerAppealNow TimerKind = "appeal_now"
)

// ReminderWorkingDays is how many working days before an information
// request is due the client is reminded of the date.
const ReminderWorkingDays = 5

// Timer is one clock of an application that will fall due on a date. A
// timer is recorded as an event when it falls due; the events make it go
// away, so a timer that is in Timers is always still to be acted on.
type Timer struct {
	Kind      TimerKind
	On        calendar.Date // the date it falls due
	Due       calendar.Date // the date it is about: a decision date, a request's due date
	RequestID string        // for a reminder
}

// Key names the timer for this application; it changes when what the
// timer is about changes.
func (t Timer) Key() string {
	if t.RequestID != "" {
		return fmt.Sprintf("%s/%s/%s", t.Kind, t.RequestID, t.Due)
	}
	return fmt.Sprintf("%s/%s", t.Kind, t.Due)
}

// Timers returns the application's clocks still to fall due or to be acted
// on, as the events say today. It needs no "today": a paused decision
// clock has no at-risk or missed timer until the pause ends (an event).
func Timers(a *casework.Application, cal *calendar.Calendar) []Timer {
	b := a.Benefit()
	if b == nil {
		return nil
	}
	var ts []Timer
	if a.Status == casework.StatusOpen {
		st := b.Standards
		if st.MaxWorkingDaysWithoutUpdate > 0 {
			due := cal.AddWorkingDays(a.LastUpdateOn, st.MaxWorkingDaysWithoutUpdate)
			ts = append(ts, Timer{Kind: TimerNoSilence, On: due, Due: due})
		}
		if !a.Paused() {
			clock := a.StoredClock(cal)
			if a.AtRiskFlaggedFor != clock.Due {
				ts = append(ts, Timer{Kind: TimerAtRisk, On: clock.AtRiskFrom, Due: clock.Due})
			}
			due := clock.Due
			if a.RevisedDecisionDate.After(due) {
				due = a.RevisedDecisionDate
			}
			if a.MissedNoticeFor != due {
				ts = append(ts, Timer{Kind: TimerMissed, On: cal.AddWorkingDays(due, 1), Due: due})
			}
		}
		for _, r := range a.Requests {
			if !r.Open || r.From != casework.FromClient || !r.RemindedOn.IsZero() {
				continue
			}
			if on := cal.AddWorkingDays(r.Due, -ReminderWorkingDays); on.After(r.RequestedOn) {
				ts = append(ts, Timer{Kind: TimerReminder, On: on, Due: r.Due, RequestID: r.ID})
			}
		}
	}
	if c := a.Challenge; c != nil && c.Request != nil && c.Redetermination == nil &&
		!c.Request.DecideBy.IsZero() && c.AppealFormSentOn.IsZero() && c.Appeal == nil {
		ts = append(ts, Timer{Kind: TimerAppealNow, On: c.Request.DecideBy.AddDays(1), Due: c.Request.DecideBy})
	}
	return ts
}

// NextCheck is the first date one of the application's timers falls due,
// or zero if it has none. The store keeps it with the application so that
// a sweep can find what is due by index.
func NextCheck(a *casework.Application, cal *calendar.Calendar) calendar.Date {
	var next calendar.Date
	for _, t := range Timers(a, cal) {
		if next.IsZero() || t.On.Before(next) {
			next = t.On
		}
	}
	return next
}

// Due returns the timers that have fallen due by now: those whose date has
// come, from eight in the morning (SendAt).
func Due(a *casework.Application, cal *calendar.Calendar, now time.Time) []Timer {
	var out []Timer
	for _, t := range Timers(a, cal) {
		if !SendAt(t.On).After(now) {
			out = append(out, t)
		}
	}
	return out
}

// DueUpTo is the last date whose timers have fallen due by now: today
// from eight in the morning, yesterday before.
func DueUpTo(now time.Time) calendar.Date {
	today := casework.LocalDate(now)
	if SendAt(today).After(now) {
		return today.AddDays(-1)
	}
	return today
}

// Event is the event that records a timer falling due; the message it
// causes follows from Caused. channel is how the client will hear (for
// the record of an update), from Route.
func (t Timer) Event(channel string) (casework.EventType, casework.Body) {
	switch t.Kind {
	case TimerNoSilence:
		return casework.TypeUpdateSent, &casework.UpdateSent{Channel: channel, Reason: casework.UpdateReasonNoSilence,
			Summary: "We told the client we are still working on their application, and the date we expect to decide by."}
	case TimerAtRisk:
		return casework.TypeTimescaleAtRisk, &casework.TimescaleAtRisk{Due: t.Due}
	case TimerMissed:
		return casework.TypeTimescaleMissed, &casework.TimescaleMissed{Due: t.Due}
	case TimerReminder:
		return casework.TypeInformationReminderSent, &casework.InformationReminderSent{RequestID: t.RequestID}
	case TimerAppealNow:
		return casework.TypeAppealFormSent, &casework.AppealFormSent{Channel: "letter"}
	}
	panic("message: unknown timer " + string(t.Kind))
}

// SendAt is when timers due on a date act: eight in the morning in the
// service's time zone, so news arrives at a civil hour.
func SendAt(d calendar.Date) time.Time {
	y, m, day := d.Date()
	return time.Date(y, m, day, 8, 0, 0, 0, casework.Zone)
}
