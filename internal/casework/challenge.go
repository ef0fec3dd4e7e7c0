package casework

import (
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
)

// The statutory clocks for challenging a decision, as pure functions of a
// benefit's challenge rules (charter.ChallengeRules) and dates.
//
// How every clock here counts:
//
//   - "N days from day D" means the N calendar days after D, so the last
//     day is D+N and the whole of it counts, up to midnight in Scotland.
//     A request received on the last day is in time; on the next day it is
//     late.
//   - Days are calendar days, not working days. A last day that falls on a
//     weekend or a bank holiday does NOT move, for the client or for us: the
//     catalogue gives no rule for moving it, and a date that never moves is
//     one a person can rely on from the first letter. The pages say so.
//   - window_starts_after_hours is counted on the clock on the wall in
//     Scotland: 48 hours after 23:30 on a Saturday is 23:30 on the Monday,
//     even if the clocks go forward or back on the Sunday, so British
//     Summer Time never moves a date.
//   - A rule left at 0 in the catalogue is "not set": its date is the zero
//     Date, and nothing is refused or shown as missed because of it (a late
//     limit of 0 means no late requests).

// RequestWindow is when a client may ask for a re-determination of one
// decision.
type RequestWindow struct {
	// IssuedAt is when the decision was issued.
	IssuedAt time.Time `json:"issued_at"`
	// StartsOn is the day the window counts from: the date in Scotland
	// window_starts_after_hours after the decision was issued.
	StartsOn calendar.Date `json:"starts_on"`
	// LastDay is the last day to ask in time: StartsOn plus
	// redetermination_window_days.
	LastDay calendar.Date `json:"last_day"`
	// LateUntil is the last day a late request can be accepted, with a good
	// reason: LastDay plus late_request_limit_days. Equal to LastDay when
	// the benefit takes no late requests.
	LateUntil calendar.Date `json:"late_until"`
}

// RequestTiming says whether a request received on a day is in time.
type RequestTiming string

const (
	TimingInTime  RequestTiming = "in_time"  // on or before the last day
	TimingLate    RequestTiming = "late"     // after the last day, within the late limit: needs a good reason
	TimingTooLate RequestTiming = "too_late" // after the late limit: refused
)

// HasRedetermination reports whether the benefit's catalogue entry sets a
// re-determination window at all; without one no window can be worked out.
func HasRedetermination(c charter.ChallengeRules) bool { return c.RedeterminationWindowDays > 0 }

// WindowStart is the day the request window counts from: the date in
// Scotland hours after issuedAt, counted on the wall clock (see the top of
// this file), so a change to or from British Summer Time never moves it.
func WindowStart(issuedAt time.Time, hours int) calendar.Date {
	local := issuedAt.In(Zone)
	y, m, d := local.Date()
	h, min, _ := local.Clock()
	// Whole hours added to the time of day on the wall: the day moves on
	// once for every 24 hours past midnight. Seconds cannot tip it over.
	const minutesPerDay = 24 * 60
	past := h*60 + min + max(hours, 0)*60
	return calendar.NewDate(y, m, d).AddDays(past / minutesPerDay)
}

// NewRequestWindow works out the request window of a decision issued at
// issuedAt. Without a window in the rules (HasRedetermination false) every
// date is zero.
func NewRequestWindow(c charter.ChallengeRules, issuedAt time.Time) RequestWindow {
	w := RequestWindow{IssuedAt: issuedAt}
	if !HasRedetermination(c) {
		return w
	}
	w.StartsOn = WindowStart(issuedAt, c.WindowStartsAfterHours)
	w.LastDay = w.StartsOn.AddDays(c.RedeterminationWindowDays)
	w.LateUntil = w.LastDay.AddDays(max(c.LateRequestLimitDays, 0))
	return w
}

// Timing says whether a request received on a day is in time, late (it
// needs a good reason) or too late. A request made before the window
// starts, in the hours after the decision, is in time.
func (w RequestWindow) Timing(receivedOn calendar.Date) RequestTiming {
	switch {
	case !receivedOn.After(w.LastDay):
		return TimingInTime
	case !receivedOn.After(w.LateUntil):
		return TimingLate
	}
	return TimingTooLate
}

// RedeterminationDue is the last day we have to re-determine: deadline days
// from the day the request was received or, for a late request, from the
// day we accepted it. Zero when the rules set no deadline.
func RedeterminationDue(c charter.ChallengeRules, from calendar.Date) calendar.Date {
	if c.RedeterminationDeadlineDays <= 0 {
		return 0
	}
	return from.AddDays(c.RedeterminationDeadlineDays)
}

// AppealBy is the last day to appeal to the tribunal: appeal_window_days
// from the day of our re-determination or, when we did not re-determine in
// time, from our deadline (the client may appeal from the day after it).
// Zero when the rules set no appeal window.
func AppealBy(c charter.ChallengeRules, from calendar.Date) calendar.Date {
	if c.AppealWindowDays <= 0 {
		return 0
	}
	return from.AddDays(c.AppealWindowDays)
}

// RequestWindow is the re-determination window of the application's
// decision; ok is false when there is no decision, or the benefit sets no
// window.
func (a *Application) RequestWindow() (RequestWindow, bool) {
	if a.Decision == nil || a.benefit == nil || !HasRedetermination(a.benefit.Challenge) {
		return RequestWindow{}, false
	}
	return NewRequestWindow(a.benefit.Challenge, a.Decision.IssuedAt), true
}
