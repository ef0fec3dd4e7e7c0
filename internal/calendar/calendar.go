package calendar

import (
	"fmt"
	"slices"
	"sync"
)

// Holiday is a bank holiday on its observed date: for a holiday that falls
// at a weekend, the substitute day, named "… (substitute day)" as on gov.uk.
type Holiday struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
}

// The table covers every date from tableFirstYear-01-01 to
// tableLastYear-12-31. It costs about 4 bytes per day plus 4 per working day
// (under 600 KB) and well under a millisecond to build.
const (
	tableFirstYear = 1970
	tableLastYear  = 2199
)

// Calendar answers working-day questions for Scotland: a working day is
// Monday to Friday and not a bank holiday. It is immutable after
// construction and safe for concurrent use.
//
// Answers for dates from 1970 to 2199 come from a table built once (two
// slice look-ups each); outside that range they are worked out a day at a
// time, correctly but slowly.
type Calendar struct {
	extra    map[int][]Holiday // one-off holidays by year
	replaced map[Date]bool     // rule dates moved by a one-off

	lo Date // first date in the table
	// cum[i] is the number of working days in [lo, lo+i); len(cum) is the
	// number of days in the table plus one. So the working days in (a, b]
	// are cum[b-lo+1] - cum[a-lo+1].
	cum []int32
	// ord[k] is the working day with ordinal k (0-based) in the table: the
	// inverse of cum. The n-th working day after d is ord[cum[d-lo+1]+n-1].
	ord []Date
}

var scotland = sync.OnceValue(func() *Calendar {
	c, err := NewScotland(defaultOneOffs)
	if err != nil {
		panic(fmt.Sprintf("calendar: embedded oneoff.yaml: %v", err))
	}
	return c
})

// Scotland returns the calendar for Scotland: the rules plus the embedded
// one-off holiday file. It returns the same Calendar on every call. It
// panics only if the embedded file is bad, which a test guards against.
func Scotland() *Calendar { return scotland() }

// NewScotland returns a calendar for Scotland with the rules plus the
// one-off holidays in oneOffYAML, in the format of the embedded oneoff.yaml,
// which it replaces entirely: an empty file means the rules alone (use
// Scotland for the embedded file). Besides the format, NewScotland checks
// that each one-off is on a weekday, that no two holidays share a date, and
// that each "replaces" date is a holiday under the rules. An error names the
// line at fault ("… line 12: …"). Building the table takes a few
// milliseconds, so make a calendar once and share it.
func NewScotland(oneOffYAML []byte) (*Calendar, error) {
	oos, err := parseOneOffs(oneOffYAML)
	if err != nil {
		return nil, err
	}
	err = checkOneOffs(oos, func(year int) []Date {
		var ds []Date
		for _, h := range ruleHolidays(year) {
			ds = append(ds, h.Date)
		}
		return ds
	})
	if err != nil {
		return nil, err
	}
	c := &Calendar{
		extra:    make(map[int][]Holiday),
		replaced: make(map[Date]bool),
	}
	for _, o := range oos {
		y := o.Date.year()
		c.extra[y] = append(c.extra[y], o.Holiday)
		if o.hasReplaces {
			c.replaced[o.replaces] = true
		}
	}
	c.buildTable()
	return c, nil
}

// buildTable fills cum and ord.
func (c *Calendar) buildTable() {
	lo := NewDate(tableFirstYear, 1, 1)
	days := int(NewDate(tableLastYear+1, 1, 1) - lo)
	holiday := make([]bool, days)
	for y := tableFirstYear; y <= tableLastYear; y++ {
		for _, h := range c.Holidays(y) {
			if i := int(h.Date - lo); i >= 0 && i < days {
				holiday[i] = true
			}
		}
	}
	c.lo = lo
	c.cum = make([]int32, days+1)
	c.ord = make([]Date, 0, days*5/7)
	for i := range days {
		d := lo + Date(i)
		n := c.cum[i]
		if !holiday[i] && !isWeekend(d) {
			c.ord = append(c.ord, d)
			n++
		}
		c.cum[i+1] = n
	}
	c.ord = slices.Clip(c.ord)
}

// Holidays returns the bank holidays in year at their observed dates,
// sorted by date. The slice is the caller's to keep or change.
func (c *Calendar) Holidays(year int) []Holiday {
	hs := ruleHolidays(year)
	if len(c.replaced) > 0 {
		hs = slices.DeleteFunc(hs, func(h Holiday) bool { return c.replaced[h.Date] })
	}
	hs = append(hs, c.extra[year]...)
	slices.SortStableFunc(hs, func(a, b Holiday) int { return int(a.Date) - int(b.Date) })
	return hs
}

// IsWorkingDay reports whether d is Monday to Friday and not a bank holiday.
func (c *Calendar) IsWorkingDay(d Date) bool {
	if i := int64(d) - int64(c.lo); uint64(i) < uint64(len(c.cum)-1) {
		return c.cum[i+1] != c.cum[i]
	}
	var k dayChecker
	return k.working(c, d)
}

// AddWorkingDays counts working days from d:
//
//   - n > 0: the n-th working day after d. d itself is not counted and need
//     not be a working day: from Friday, 1 working day is the next Monday
//     (if that is not a holiday); from a Saturday, too.
//   - n == 0: d itself, even if it is not a working day.
//   - n < 0: the |n|-th working day before d, likewise not counting d.
func (c *Calendar) AddWorkingDays(d Date, n int) Date {
	switch {
	case n > 0:
		// Working days up to and including d, then n more.
		if i := int64(d) - int64(c.lo) + 1; uint64(i) < uint64(len(c.cum)) {
			if k := int64(c.cum[i]) + int64(n) - 1; k < int64(len(c.ord)) {
				return c.ord[k]
			}
		}
	case n < 0:
		// Working days strictly before d, then |n| fewer.
		if i := int64(d) - int64(c.lo); uint64(i) < uint64(len(c.cum)) {
			if k := int64(c.cum[i]) + int64(n); k >= 0 {
				return c.ord[k]
			}
		}
	default:
		return d
	}
	return c.addSlow(d, n)
}

// WorkingDaysBetween returns the number of working days after a up to and
// including b: the working days in (a, b]. If b is before a it returns minus
// the number in (b, a]. So:
//
//   - WorkingDaysBetween(a, a) == 0;
//   - WorkingDaysBetween(a, b) == -WorkingDaysBetween(b, a);
//   - from a Friday to the following Monday is 1 (if that Monday is not a
//     holiday);
//   - for any a and n >= 0, WorkingDaysBetween(a, AddWorkingDays(a, n)) == n,
//     and for n < 0 the same holds when a is a working day (when it is not,
//     the answer is n+1, because a is not in the count);
//   - for b >= a, AddWorkingDays(a, WorkingDaysBetween(a, b)) is the last
//     working day on or before b, or a itself if there is none after a.
func (c *Calendar) WorkingDaysBetween(a, b Date) int {
	ia := int64(a) - int64(c.lo) + 1
	ib := int64(b) - int64(c.lo) + 1
	if uint64(ia) < uint64(len(c.cum)) && uint64(ib) < uint64(len(c.cum)) {
		return int(c.cum[ib] - c.cum[ia])
	}
	if a <= b {
		return c.countSlow(a, b)
	}
	return -c.countSlow(b, a)
}

// hi returns the first date after the table.
func (c *Calendar) hi() Date { return c.lo + Date(len(c.cum)-1) }

// dayChecker answers IsWorkingDay for any date, remembering the holidays of
// the last year it looked at so that a day-by-day walk outside the table
// works them out once a year rather than once a day.
type dayChecker struct {
	year int
	hols []Holiday
	ok   bool
}

func (k *dayChecker) working(c *Calendar, d Date) bool {
	if i := int64(d) - int64(c.lo); uint64(i) < uint64(len(c.cum)-1) {
		return c.cum[i+1] != c.cum[i]
	}
	if isWeekend(d) {
		return false
	}
	if y := d.year(); !k.ok || y != k.year {
		k.year, k.hols, k.ok = y, c.Holidays(y), true
	}
	for _, h := range k.hols {
		if h.Date == d {
			return false
		}
	}
	return true
}

// addSlow is AddWorkingDays for answers that leave the table: it walks a day
// at a time outside the table and uses the table for the part inside it.
func (c *Calendar) addSlow(d Date, n int) Date {
	var k dayChecker
	cur := int64(d)
	lo, hi := int64(c.lo), int64(c.hi())
	if n > 0 {
		m := int64(n)
		for m > 0 && cur < lo-1 { // before the table
			cur++
			if k.working(c, Date(cur)) {
				m--
			}
		}
		if m == 0 {
			return Date(cur)
		}
		if cur < hi { // cur in [lo-1, hi): jump through the table
			done := int64(c.cum[cur-lo+1])
			if done+m-1 < int64(len(c.ord)) {
				return c.ord[done+m-1]
			}
			m -= int64(len(c.ord)) - done
			cur = hi - 1
		}
		for m > 0 { // after the table
			cur++
			if k.working(c, Date(cur)) {
				m--
			}
		}
		return Date(cur)
	}
	m := -int64(n)
	for m > 0 && cur > hi { // after the table
		cur--
		if k.working(c, Date(cur)) {
			m--
		}
	}
	if m == 0 {
		return Date(cur)
	}
	if cur >= lo { // cur in [lo, hi]: jump through the table
		before := int64(c.cum[cur-lo])
		if before >= m {
			return c.ord[before-m]
		}
		m -= before
		cur = lo
	}
	for m > 0 { // before the table
		cur--
		if k.working(c, Date(cur)) {
			m--
		}
	}
	return Date(cur)
}

// countSlow counts the working days in (a, b] for a <= b when the span
// leaves the table, using the table for the part inside it.
func (c *Calendar) countSlow(a, b Date) int {
	var k dayChecker
	lo, last := int64(c.lo), int64(c.hi())-1
	ia, ib := int64(a), int64(b)
	n := 0
	for d := ia + 1; d <= min(ib, lo-1); d++ { // before the table
		if k.working(c, Date(d)) {
			n++
		}
	}
	if x, y := max(ia, lo-1), min(ib, last); x < y { // inside
		n += int(c.cum[y-lo+1] - c.cum[x-lo+1])
	}
	for d := max(ia, last) + 1; d <= ib; d++ { // after the table
		if k.working(c, Date(d)) {
			n++
		}
	}
	return n
}
