package calendar

import "time"

// naiveCalendar answers the same questions as Calendar the obvious way: a
// set of holiday dates and a walk one day at a time. Tests use it as the
// reference for the table, and benchmarks as the baseline.
type naiveCalendar struct {
	holidays map[Date]bool
}

// newNaive builds the holiday set from c.Holidays for the years given.
func newNaive(c *Calendar, firstYear, lastYear int) naiveCalendar {
	n := naiveCalendar{holidays: make(map[Date]bool)}
	for y := firstYear; y <= lastYear; y++ {
		for _, h := range c.Holidays(y) {
			n.holidays[h.Date] = true
		}
	}
	return n
}

func (n naiveCalendar) isWorkingDay(d Date) bool {
	switch d.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !n.holidays[d]
}

func (n naiveCalendar) addWorkingDays(d Date, k int) Date {
	step := Date(1)
	if k < 0 {
		step, k = -1, -k
	}
	for k > 0 {
		d += step
		if n.isWorkingDay(d) {
			k--
		}
	}
	return d
}

func (n naiveCalendar) workingDaysBetween(a, b Date) int {
	sign := 1
	if b < a {
		a, b, sign = b, a, -1
	}
	count := 0
	for d := a + 1; d <= b; d++ {
		if n.isWorkingDay(d) {
			count++
		}
	}
	return sign * count
}
