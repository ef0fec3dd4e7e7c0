package casework_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

// The challenge clocks are checked as properties over many thousands of
// decisions drawn with a fixed seed, over deterministic lists of the awkward
// days (month ends, 29 February, bank holidays, the nights the clocks
// change), and against an oracle that works from the standard library's
// calendar rather than from calendar.Date.

var london = casework.Zone

// oracleStart is the day the window counts from, worked out on the wall
// clock with time.Date's own normalisation in a zone without summer time.
func oracleStart(issued time.Time, hours int) calendar.Date {
	l := issued.In(london)
	wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour()+hours, l.Minute(), 0, 0, time.UTC)
	return calendar.DateOf(wall)
}

// oracleAddDays adds calendar days with the standard library.
func oracleAddDays(d calendar.Date, n int) calendar.Date {
	y, m, dd := d.Date()
	return calendar.DateOf(time.Date(y, m, dd+n, 12, 0, 0, 0, time.UTC))
}

func randomRules(r *rand.Rand) charter.ChallengeRules {
	return charter.ChallengeRules{
		RedeterminationWindowDays:   1 + r.IntN(400),
		WindowStartsAfterHours:      r.IntN(241),
		LateRequestLimitDays:        r.IntN(800), // 0: no late requests
		RedeterminationDeadlineDays: 1 + r.IntN(400),
		AppealWindowDays:            1 + r.IntN(400),
	}
}

// randomInstant is a moment between 2000 and 2100.
func randomInstant(r *rand.Rand) time.Time {
	lo := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	return time.Unix(lo+r.Int64N(hi-lo), 0).UTC()
}

// checkWindow checks every property of the request window of one decision.
func checkWindow(t *testing.T, c charter.ChallengeRules, issued time.Time) {
	t.Helper()
	w := casework.NewRequestWindow(c, issued)
	issuedOn := casework.LocalDate(issued)
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("issued %s (%s in London), rules %+v: "+format,
			append([]any{issued.Format(time.RFC3339), issued.In(london).Format("2006-01-02 15:04 MST"), c}, args...)...)
	}
	if want := oracleStart(issued, c.WindowStartsAfterHours); w.StartsOn != want {
		fail("window starts %s, want %s", w.StartsOn, want)
	}
	if w.StartsOn.Before(issuedOn) || int(w.StartsOn-issuedOn) > c.WindowStartsAfterHours/24+1 {
		fail("window starts %s, not within the hours after the decision on %s", w.StartsOn, issuedOn)
	}
	if c.WindowStartsAfterHours%24 == 0 && int(w.StartsOn-issuedOn) != c.WindowStartsAfterHours/24 {
		fail("whole days of hours must move the date by whole days whatever the time: starts %s", w.StartsOn)
	}
	// The last day is exactly the window's days after the start, by both counts.
	if int(w.LastDay-w.StartsOn) != c.RedeterminationWindowDays || w.LastDay != oracleAddDays(w.StartsOn, c.RedeterminationWindowDays) {
		fail("last day %s is not %d days after %s", w.LastDay, c.RedeterminationWindowDays, w.StartsOn)
	}
	if int(w.LateUntil-w.LastDay) != c.LateRequestLimitDays {
		fail("late until %s is not %d days after %s", w.LateUntil, c.LateRequestLimitDays, w.LastDay)
	}
	// The boundaries: the last day is in time, the day after is late (or
	// too late when there are no late requests), and so on.
	afterLast := casework.TimingLate
	if c.LateRequestLimitDays == 0 {
		afterLast = casework.TimingTooLate
	}
	for _, tc := range []struct {
		on   calendar.Date
		want casework.RequestTiming
	}{
		{issuedOn, casework.TimingInTime},
		{w.StartsOn, casework.TimingInTime},
		{w.LastDay, casework.TimingInTime},
		{w.LastDay.AddDays(1), afterLast},
		{w.LateUntil, map[bool]casework.RequestTiming{true: casework.TimingLate, false: casework.TimingInTime}[c.LateRequestLimitDays > 0]},
		{w.LateUntil.AddDays(1), casework.TimingTooLate},
	} {
		if got := w.Timing(tc.on); got != tc.want {
			fail("a request on %s is %s, want %s (last day %s, late until %s)", tc.on, got, tc.want, w.LastDay, w.LateUntil)
		}
	}
}

var timingOrder = map[casework.RequestTiming]int{casework.TimingInTime: 0, casework.TimingLate: 1, casework.TimingTooLate: 2}

func TestRequestWindowProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 16)) // commitments 1.8 and 1.6
	for range 20000 {
		c := randomRules(r)
		issued := randomInstant(r)
		checkWindow(t, c, issued)

		// Timing never goes back as the days go on.
		w := casework.NewRequestWindow(c, issued)
		span := int(w.LateUntil-w.StartsOn) + 10
		d1 := w.StartsOn.AddDays(r.IntN(span) - 5)
		d2 := d1.AddDays(r.IntN(span))
		if timingOrder[w.Timing(d1)] > timingOrder[w.Timing(d2)] {
			t.Fatalf("%+v issued %s: %s is %s but the later %s is %s", c, issued, d1, w.Timing(d1), d2, w.Timing(d2))
		}

		// Our deadline and the appeal window never end before they start,
		// and are exactly their days long.
		received := w.StartsOn.AddDays(r.IntN(span))
		due := casework.RedeterminationDue(c, received)
		if due.Before(received) || int(due-received) != c.RedeterminationDeadlineDays || due != oracleAddDays(received, c.RedeterminationDeadlineDays) {
			t.Fatalf("%+v: request on %s is due %s", c, received, due)
		}
		if by := casework.AppealBy(c, due); by.Before(due) || int(by-due) != c.AppealWindowDays {
			t.Fatalf("%+v: appeal from %s by %s", c, due, by)
		}
	}
}

// TestRequestWindowMonthEndsAndLeapDays issues decisions on the last day of
// every month from 2000 to 2100 and on every 29 February, at times across
// the day, so every month length and every leap year is crossed.
func TestRequestWindowMonthEndsAndLeapDays(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 29))
	n := 0
	for y := 2000; y < 2100; y++ {
		for m := time.January; m <= time.December; m++ {
			last := time.Date(y, m+1, 0, 0, 0, 0, 0, london).Day()
			days := []int{last}
			if m == time.February && last == 29 {
				days = append(days, 28) // the day before a leap day too
			}
			for _, d := range days {
				for _, hm := range [][2]int{{0, 0}, {9, 15}, {23, 30}, {23, 59}} {
					issued := time.Date(y, m, d, hm[0], hm[1], 0, 0, london)
					checkWindow(t, randomRules(r), issued)
					checkWindow(t, charter.ChallengeRules{RedeterminationWindowDays: 42, WindowStartsAfterHours: 48,
						LateRequestLimitDays: 365, RedeterminationDeadlineDays: 56, AppealWindowDays: 31}, issued)
					n += 2
				}
			}
		}
	}
	if n < 9000 {
		t.Fatalf("only %d cases", n)
	}
	// Known answers, worked out by hand.
	for _, tc := range []struct {
		issued          time.Time
		window, hours   int
		starts, lastDay calendar.Date
	}{
		// 48 hours after 27 February 2028 is the leap day; 42 days on is 11 April.
		{time.Date(2028, 2, 27, 10, 0, 0, 0, london), 42, 48, calendar.NewDate(2028, 2, 29), calendar.NewDate(2028, 4, 11)},
		// In 2027 the same is 1 March, and 12 April.
		{time.Date(2027, 2, 27, 10, 0, 0, 0, london), 42, 48, calendar.NewDate(2027, 3, 1), calendar.NewDate(2027, 4, 12)},
		// 31 January + 2 days = 2 February; + 31 days = 5 March 2026.
		{time.Date(2026, 1, 31, 16, 0, 0, 0, london), 31, 48, calendar.NewDate(2026, 2, 2), calendar.NewDate(2026, 3, 5)},
		// Across the year end.
		{time.Date(2026, 12, 30, 23, 30, 0, 0, london), 42, 48, calendar.NewDate(2027, 1, 1), calendar.NewDate(2027, 2, 12)},
		// 36 hours after 13:00 is 01:00 two days later; after 11:00, 23:00 the next day.
		{time.Date(2026, 3, 2, 13, 0, 0, 0, london), 42, 36, calendar.NewDate(2026, 3, 4), calendar.NewDate(2026, 4, 15)},
		{time.Date(2026, 3, 2, 11, 0, 0, 0, london), 42, 36, calendar.NewDate(2026, 3, 3), calendar.NewDate(2026, 4, 14)},
	} {
		w := casework.NewRequestWindow(charter.ChallengeRules{RedeterminationWindowDays: tc.window, WindowStartsAfterHours: tc.hours}, tc.issued)
		if w.StartsOn != tc.starts || w.LastDay != tc.lastDay || w.LateUntil != tc.lastDay {
			t.Errorf("issued %s, %d days from %d hours: starts %s, last day %s, late until %s; want %s, %s, %s",
				tc.issued, tc.window, tc.hours, w.StartsOn, w.LastDay, w.LateUntil, tc.starts, tc.lastDay, tc.lastDay)
		}
	}
}

// TestRequestWindowSummerTime issues decisions on the nights the clocks
// change, every year from 2000 to 2100: at 23:30 on the last Sunday of
// March and of October, and at times on the Saturday before, so the 48
// hours straddle the change. No date may move because of it.
func TestRequestWindowSummerTime(t *testing.T) {
	lastSunday := func(y int, m time.Month) time.Time {
		d := time.Date(y, m+1, 0, 12, 0, 0, 0, london)
		for d.Weekday() != time.Sunday {
			d = d.AddDate(0, 0, -1)
		}
		return d
	}
	c := charter.ChallengeRules{RedeterminationWindowDays: 42, WindowStartsAfterHours: 48, LateRequestLimitDays: 365,
		RedeterminationDeadlineDays: 56, AppealWindowDays: 31}
	for y := 2000; y <= 2100; y++ {
		for _, m := range []time.Month{time.March, time.October} {
			sun := lastSunday(y, m)
			sat := sun.AddDate(0, 0, -1)
			for _, issued := range []time.Time{
				time.Date(sun.Year(), sun.Month(), sun.Day(), 23, 30, 0, 0, london),
				time.Date(sat.Year(), sat.Month(), sat.Day(), 23, 30, 0, 0, london),
				time.Date(sat.Year(), sat.Month(), sat.Day(), 0, 30, 0, 0, london),
				time.Date(sun.Year(), sun.Month(), sun.Day(), 0, 30, 0, 0, london), // before the change
				time.Date(sun.Year(), sun.Month(), sun.Day(), 3, 30, 0, 0, london), // after it
			} {
				issuedOn := casework.LocalDate(issued)
				w := casework.NewRequestWindow(c, issued)
				if w.StartsOn != issuedOn.AddDays(2) || w.LastDay != issuedOn.AddDays(44) {
					t.Fatalf("issued %s: starts %s, last day %s; want %s and %s",
						issued.Format("Mon 2006-01-02 15:04 MST"), w.StartsOn, w.LastDay, issuedOn.AddDays(2), issuedOn.AddDays(44))
				}
				checkWindow(t, c, issued)
			}
		}
	}
	// The trap this avoids: 48 elapsed hours after 23:30 GMT on Saturday
	// 28 March 2026 end at 00:30 BST on Tuesday 31 March, a day later than
	// the client reads "48 hours after" on their letter.
	issued := time.Date(2026, 3, 28, 23, 30, 0, 0, london)
	if elapsed := casework.LocalDate(issued.Add(48 * time.Hour)); elapsed != calendar.NewDate(2026, 3, 31) {
		t.Fatalf("the example is wrong: elapsed hours end on %s", elapsed)
	}
	if got := casework.WindowStart(issued, 48); got != calendar.NewDate(2026, 3, 30) {
		t.Errorf("window starts %s, want Monday 30 March 2026", got)
	}
}

// TestChallengeDatesDoNotMoveForBankHolidays puts the last day to ask, and
// our deadline, on every Scottish bank holiday from 2020 to 2040: the date
// stays, a request on it is in time, and the next day is late.
func TestChallengeDatesDoNotMoveForBankHolidays(t *testing.T) {
	cal := calendar.Scotland()
	c := charter.ChallengeRules{RedeterminationWindowDays: 42, WindowStartsAfterHours: 48, LateRequestLimitDays: 365,
		RedeterminationDeadlineDays: 56, AppealWindowDays: 31}
	n := 0
	for y := 2020; y <= 2040; y++ {
		for _, h := range cal.Holidays(y) {
			if cal.IsWorkingDay(h.Date) {
				t.Fatalf("%s (%s) is a working day", h.Date, h.Name)
			}
			issuedOn := h.Date.AddDays(-44)
			yy, mm, dd := issuedOn.Date()
			issued := time.Date(yy, mm, dd, 16, 45, 0, 0, london)
			w := casework.NewRequestWindow(c, issued)
			if w.LastDay != h.Date {
				t.Fatalf("issued %s: last day %s, want the bank holiday %s (%s) unmoved", issuedOn, w.LastDay, h.Date, h.Name)
			}
			if w.Timing(h.Date) != casework.TimingInTime || w.Timing(h.Date.AddDays(1)) != casework.TimingLate {
				t.Fatalf("on %s (%s): %s, the day after %s", h.Date, h.Name, w.Timing(h.Date), w.Timing(h.Date.AddDays(1)))
			}
			if due := casework.RedeterminationDue(c, h.Date.AddDays(-56)); due != h.Date {
				t.Fatalf("deadline %s, want the bank holiday %s unmoved", due, h.Date)
			}
			checkWindow(t, c, issued)
			n++
		}
	}
	if n < 150 {
		t.Fatalf("only %d bank holidays", n)
	}
}

// TestRequestTimingThroughTheLog checks the clocks as the event log applies
// them, for the example benefits: decisions at random times from 2026 to
// 2030, and requests at the last minute of the last day (in time, no
// reason needed) and the first minute of the next (late: a reason is
// required, and the refusal changes nothing).
func TestRequestTimingThroughTheLog(t *testing.T) {
	rl := rules(t)
	r := rand.New(rand.NewPCG(42, 31))
	lo := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 2000 {
		benefit := []string{"adult-disability-payment", "early-years-grant"}[i%2]
		ben, _ := rl.Benefits.Benefit(benefit)
		decided := lo.Add(time.Duration(r.Int64N(int64(4 * 365 * 24 * time.Hour)))).Truncate(time.Minute)
		l := received(benefit, decided.Add(-time.Hour)).
			add(casework.TypeDecisionMade, decided, &casework.DecisionMade{Outcome: "refuse", DecisionMaker: "case manager", Reasons: reasonsFor(ben)})
		a, err := casework.Fold(rl, l.events)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := a.RequestWindow()
		y, m, d := w.LastDay.Date()
		lastMinute := time.Date(y, m, d, 23, 59, 0, 0, london)
		firstMinuteAfter := time.Date(y, m, d+1, 0, 0, 0, 0, london)

		late := *a
		err = late.Apply(rl, casework.Event{Seq: a.Version + 1, Type: casework.TypeRedeterminationRequested, At: firstMinuteAfter,
			Body: &casework.RedeterminationRequested{How: "online", By: "client", Disagreement: "I need help to move around"}})
		if e, ok := errs.As(err); !ok || e.Field != "body.late_reason" || late.Challenge != nil || late.Version != a.Version {
			t.Fatalf("decided %s, request at %s without a reason: %v", decided, firstMinuteAfter, err)
		}

		if err := a.Apply(rl, casework.Event{Seq: a.Version + 1, Type: casework.TypeRedeterminationRequested, At: lastMinute,
			Body: &casework.RedeterminationRequested{How: "online", By: "client", Disagreement: "I need help to move around"}}); err != nil {
			t.Fatalf("decided %s, request at %s: %v", decided, lastMinute, err)
		}
		req := a.Challenge.Request
		if req.Late || req.ReceivedOn != w.LastDay || req.DecideBy != w.LastDay.AddDays(ben.Challenge.RedeterminationDeadlineDays) {
			t.Fatalf("decided %s, request on the last day %s: %+v", decided, w.LastDay, req)
		}
	}
}
