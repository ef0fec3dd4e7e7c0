package calendar

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

// observed returns the observed dates of c's holidays in year as strings.
func observed(t *testing.T, c *Calendar, year int) []string {
	t.Helper()
	var out []string
	for _, h := range c.Holidays(year) {
		out = append(out, h.Date.String())
	}
	return out
}

// TestHolidaysGovUK checks whole years against the Scotland lists published
// at https://www.gov.uk/bank-holidays.
func TestHolidaysGovUK(t *testing.T) {
	tests := []struct {
		year int
		want []string
	}{
		{2012, []string{"2012-01-02", "2012-01-03", "2012-04-06", "2012-05-07", "2012-06-04", "2012-06-05", "2012-08-06", "2012-11-30", "2012-12-25", "2012-12-26"}},
		{2019, []string{"2019-01-01", "2019-01-02", "2019-04-19", "2019-05-06", "2019-05-27", "2019-08-05", "2019-12-02", "2019-12-25", "2019-12-26"}},
		{2020, []string{"2020-01-01", "2020-01-02", "2020-04-10", "2020-05-08", "2020-05-25", "2020-08-03", "2020-11-30", "2020-12-25", "2020-12-28"}},
		{2021, []string{"2021-01-01", "2021-01-04", "2021-04-02", "2021-05-03", "2021-05-31", "2021-08-02", "2021-11-30", "2021-12-27", "2021-12-28"}},
		{2022, []string{"2022-01-03", "2022-01-04", "2022-04-15", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-01", "2022-09-19", "2022-11-30", "2022-12-26", "2022-12-27"}},
		{2023, []string{"2023-01-02", "2023-01-03", "2023-04-07", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-07", "2023-11-30", "2023-12-25", "2023-12-26"}},
		{2024, []string{"2024-01-01", "2024-01-02", "2024-03-29", "2024-05-06", "2024-05-27", "2024-08-05", "2024-12-02", "2024-12-25", "2024-12-26"}},
		{2025, []string{"2025-01-01", "2025-01-02", "2025-04-18", "2025-05-05", "2025-05-26", "2025-08-04", "2025-12-01", "2025-12-25", "2025-12-26"}},
		{2026, []string{"2026-01-01", "2026-01-02", "2026-04-03", "2026-05-04", "2026-05-25", "2026-08-03", "2026-11-30", "2026-12-25", "2026-12-28"}},
		{2027, []string{"2027-01-01", "2027-01-04", "2027-03-26", "2027-05-03", "2027-05-31", "2027-08-02", "2027-11-30", "2027-12-27", "2027-12-28"}},
	}
	c := Scotland()
	for _, tt := range tests {
		if got := observed(t, c, tt.year); !slices.Equal(got, tt.want) {
			t.Errorf("Holidays(%d)\n got %v\nwant %v", tt.year, got, tt.want)
		}
	}
}

// TestHolidayNames checks the names gov.uk gives, in particular which of a
// pair of adjacent holidays is the substitute.
func TestHolidayNames(t *testing.T) {
	tests := []struct{ date, name string }{
		// 1 Jan Saturday, 2 Jan Sunday.
		{"2022-01-03", "New Year’s Day (substitute day)"},
		{"2022-01-04", "2nd January (substitute day)"},
		// 1 Jan Sunday: 2 Jan is itself the Monday holiday.
		{"2023-01-02", "2nd January"},
		{"2023-01-03", "New Year’s Day (substitute day)"},
		// 2 Jan Saturday.
		{"2027-01-04", "2nd January (substitute day)"},
		{"2027-01-01", "New Year’s Day"},
		// 25 Dec Sunday: Boxing Day is the Monday, Christmas moves to Tuesday.
		{"2022-12-26", "Boxing Day"},
		{"2022-12-27", "Christmas Day (substitute day)"},
		// 25 Dec Saturday, 26 Dec Sunday.
		{"2027-12-27", "Christmas Day (substitute day)"},
		{"2027-12-28", "Boxing Day (substitute day)"},
		// 26 Dec Saturday.
		{"2026-12-28", "Boxing Day (substitute day)"},
		// St Andrew's Day on a Saturday and on a Monday.
		{"2019-12-02", "St Andrew’s Day (substitute day)"},
		{"2020-11-30", "St Andrew’s Day"},
		// First Monday of August, not the last.
		{"2026-08-03", "Summer bank holiday"},
		// One-offs from oneoff.yaml.
		{"2020-05-08", "Early May bank holiday (VE day)"},
		{"2022-06-02", "Spring bank holiday"},
		{"2022-06-03", "Platinum Jubilee bank holiday"},
		{"2022-09-19", "Bank Holiday for the State Funeral of Queen Elizabeth II"},
		{"2023-05-08", "Bank holiday for the coronation of King Charles III"},
	}
	c := Scotland()
	for _, tt := range tests {
		d := mustDate(t, tt.date)
		var got []string
		for _, h := range c.Holidays(d.year()) {
			if h.Date == d {
				got = append(got, h.Name)
			}
		}
		if len(got) != 1 || got[0] != tt.name {
			t.Errorf("holiday on %s = %q, want [%q]", tt.date, got, tt.name)
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	tests := []struct {
		date    string
		working bool
		why     string
	}{
		{"2026-04-06", true, "Easter Monday is not a bank holiday in Scotland"},
		{"2026-04-03", false, "Good Friday"},
		{"2026-04-04", false, "Saturday"},
		{"2026-04-05", false, "Sunday"},
		{"2026-04-07", true, "ordinary Tuesday"},
		{"2026-08-03", false, "summer holiday, first Monday of August"},
		{"2026-08-31", true, "last Monday of August is England's holiday, not Scotland's"},
		{"2026-05-04", false, "early May"},
		{"2026-05-25", false, "spring holiday"},
		{"2026-11-30", false, "St Andrew's Day"},
		{"2019-11-29", true, "Friday before St Andrew's Day on a Saturday"},
		{"2019-12-02", false, "St Andrew's Day substitute"},
		{"2020-11-30", false, "St Andrew's Day on a Monday"},
		{"2006-11-30", true, "St Andrew's Day before the 2007 Act"},
		{"2007-11-30", false, "first St Andrew's Day bank holiday"},
		{"2020-05-04", true, "early May moved to VE day"},
		{"2020-05-08", false, "VE day"},
		{"2022-05-30", true, "spring holiday moved to 2 June"},
		{"2022-06-02", false, "spring holiday, moved"},
		{"2022-06-03", false, "Platinum Jubilee"},
		{"2022-09-19", false, "state funeral"},
		{"2023-05-08", false, "coronation"},
		{"2023-01-03", false, "New Year's Day substitute"},
		{"2026-12-28", false, "Boxing Day substitute"},
		{"2026-12-29", true, "after Christmas"},
		{"2026-01-02", false, "2 January"},
		{"2026-01-05", true, "first working day of 2026"},
	}
	c := Scotland()
	for _, tt := range tests {
		if got := c.IsWorkingDay(mustDate(t, tt.date)); got != tt.working {
			t.Errorf("IsWorkingDay(%s) = %v, want %v (%s)", tt.date, got, tt.working, tt.why)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-02", 0, "2026-03-02"},
		{"2026-04-03", 0, "2026-04-03"}, // n == 0 is d even on a holiday
		{"2026-03-02", 1, "2026-03-03"},
		{"2026-03-06", 1, "2026-03-09"},  // Friday to Monday
		{"2026-03-07", 1, "2026-03-09"},  // from a Saturday
		{"2026-03-08", -1, "2026-03-06"}, // from a Sunday, backwards
		{"2026-04-02", 1, "2026-04-06"},  // over Good Friday; Easter Monday works
		{"2026-04-06", -1, "2026-04-02"},
		// Across the year end, 2021-22: 27, 28 Dec and 3, 4 Jan are holidays.
		{"2021-12-23", 1, "2021-12-24"},
		{"2021-12-23", 2, "2021-12-29"},
		{"2021-12-23", 4, "2021-12-31"},
		{"2021-12-23", 5, "2022-01-05"},
		{"2021-12-24", 10, "2022-01-13"},
		{"2022-01-05", -1, "2021-12-31"},
		{"2022-01-05", -5, "2021-12-23"},
		// 2026-27: 25, 28 Dec, 1, 4 Jan.
		{"2026-12-24", 1, "2026-12-29"},
		{"2026-12-31", 1, "2027-01-05"},
		{"2027-01-05", -1, "2026-12-31"},
		// 2022-23: 26, 27 Dec, 2, 3 Jan.
		{"2022-12-23", 1, "2022-12-28"},
		{"2022-12-30", 1, "2023-01-04"},
		// Over the 2022 Platinum Jubilee: 2, 3 June off, 30 May works.
		{"2022-05-27", 1, "2022-05-30"},
		{"2022-06-01", 1, "2022-06-06"},
		// A 60-working-day deadline over Christmas.
		{"2026-11-02", 60, "2027-02-01"},
		{"2027-02-01", -60, "2026-11-02"},
	}
	c := Scotland()
	for _, tt := range tests {
		from := mustDate(t, tt.from)
		if got := c.AddWorkingDays(from, tt.n); got.String() != tt.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-03-02", "2026-03-02", 0},
		{"2026-03-02", "2026-03-03", 1},
		{"2026-03-06", "2026-03-09", 1}, // Friday to Monday
		{"2026-03-07", "2026-03-08", 0}, // a weekend
		{"2026-03-06", "2026-03-08", 0},
		{"2026-04-02", "2026-04-07", 2}, // Good Friday off, Easter Monday on
		{"2021-12-23", "2022-01-05", 5},
		{"2022-01-05", "2021-12-23", -5},
		{"2021-12-24", "2022-01-04", 3}, // 29, 30, 31 Dec
		{"2026-11-02", "2027-02-01", 60},
		{"2026-11-02", "2027-01-29", 59},
		{"2026-01-01", "2026-12-31", 252},
	}
	c := Scotland()
	for _, tt := range tests {
		a, b := mustDate(t, tt.a), mustDate(t, tt.b)
		if got := c.WorkingDaysBetween(a, b); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestRoundTrip checks the documented relations between AddWorkingDays and
// WorkingDaysBetween for every day of 2020-2030.
func TestRoundTrip(t *testing.T) {
	c := Scotland()
	for a := NewDate(2020, 1, 1); a < NewDate(2031, 1, 1); a++ {
		for n := 0; n <= 40; n++ {
			if got := c.WorkingDaysBetween(a, c.AddWorkingDays(a, n)); got != n {
				t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(%s, %d)) = %d", a, a, n, got)
			}
			back := c.WorkingDaysBetween(a, c.AddWorkingDays(a, -n))
			want := -n
			if !c.IsWorkingDay(a) && n > 0 {
				want = -n + 1 // a is not in the count
			}
			if back != want {
				t.Fatalf("WorkingDaysBetween(%s, AddWorkingDays(%s, %d)) = %d, want %d", a, a, -n, back, want)
			}
		}
		for k := 0; k <= 20; k++ {
			b := a + Date(k)
			got := c.AddWorkingDays(a, c.WorkingDaysBetween(a, b))
			want := b
			for want > a && !c.IsWorkingDay(want) {
				want--
			}
			if got != want {
				t.Fatalf("AddWorkingDays(%s, WorkingDaysBetween(%s, %s)) = %s, want %s", a, a, b, got, want)
			}
		}
	}
}

// TestTableMatchesNaive checks the table against a day-by-day walk for every
// start date from 2000 to 2040: AddWorkingDays for n in [-70, 70] and
// WorkingDaysBetween for spans of up to 100 calendar days either way.
func TestTableMatchesNaive(t *testing.T) {
	c := Scotland()
	checkAgainstNaive(t, c, newNaive(c, 1999, 2041), NewDate(2000, 1, 1), NewDate(2041, 1, 1))
}

// TestOutsideTable checks the slow paths, and the joins between them and the
// table, at both ends of the table.
func TestOutsideTable(t *testing.T) {
	c := Scotland()
	naive := newNaive(c, 1955, 2215)
	checkAgainstNaive(t, c, naive, NewDate(1969, 9, 1), NewDate(1970, 5, 1))
	checkAgainstNaive(t, c, naive, NewDate(2199, 9, 1), NewDate(2200, 5, 1))
	checkAgainstNaive(t, c, naive, NewDate(1960, 1, 1), NewDate(1960, 2, 1))
	checkAgainstNaive(t, c, naive, NewDate(2210, 1, 1), NewDate(2210, 2, 1))

	// Long spans that start outside and cross the whole table.
	a, b := NewDate(1965, 3, 1), NewDate(2205, 3, 1)
	if got, want := c.WorkingDaysBetween(a, b), naive.workingDaysBetween(a, b); got != want {
		t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", a, b, got, want)
	}
	n := naive.workingDaysBetween(a, b)
	if got := c.AddWorkingDays(a, n); got != naive.addWorkingDays(a, n) {
		t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", a, n, got, naive.addWorkingDays(a, n))
	}
	if got := c.AddWorkingDays(b, -n); got != naive.addWorkingDays(b, -n) {
		t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", b, -n, got, naive.addWorkingDays(b, -n))
	}
	// Holidays outside the table still count.
	for _, tt := range []struct {
		date    string
		working bool
	}{
		{"1965-01-01", false}, // Friday
		{"1965-01-04", false}, // 2 January (Saturday) substitute
		{"1965-01-05", true},
		{"2212-12-25", false}, // Friday
		{"2212-12-28", false}, // Boxing Day (Saturday) substitute
		{"2212-12-29", true},
		{"2212-12-31", true},
	} {
		if got := c.IsWorkingDay(mustDate(t, tt.date)); got != tt.working {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.date, got, tt.working)
		}
	}
}

// checkAgainstNaive compares c with naive for every start date in
// [from, to). Each start date is walked once in each direction, so the test
// stays quick even under the race detector.
func checkAgainstNaive(t *testing.T, c *Calendar, naive naiveCalendar, from, to Date) {
	t.Helper()
	const maxN, maxSpan = 70, 100
	for a := from; a < to; a++ {
		if got, want := c.IsWorkingDay(a), naive.isWorkingDay(a); got != want {
			t.Fatalf("IsWorkingDay(%s) = %v, want %v", a, got, want)
		}
		for _, dir := range []int{1, -1} {
			d, n, count := a, 0, 0
			for span := 1; n < maxN || span <= maxSpan; span++ {
				d += Date(dir)
				if naive.isWorkingDay(d) {
					n++
					count++
					if n <= maxN {
						if got := c.AddWorkingDays(a, dir*n); got != d {
							t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", a, dir*n, got, d)
						}
					}
				}
				if span <= maxSpan {
					// (a, d] going forwards; -(d, a] going backwards, where a
					// counts and d does not.
					want := count
					if dir < 0 {
						want = -count
						if naive.isWorkingDay(d) {
							want++
						}
						if naive.isWorkingDay(a) {
							want--
						}
					}
					if got := c.WorkingDaysBetween(a, d); got != want {
						t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", a, d, got, want)
					}
				}
			}
		}
	}
}

// TestHolidaysSortedAndObserved checks every year in and around the table:
// sorted, on weekdays, in the year asked for, and nine or more a year.
func TestHolidaysSortedAndObserved(t *testing.T) {
	c := Scotland()
	for y := 1960; y <= 2210; y++ {
		hs := c.Holidays(y)
		for i, h := range hs {
			if isWeekend(h.Date) {
				t.Errorf("%d: %s (%s) is at a weekend", y, h.Date, h.Name)
			}
			if h.Date.year() != y {
				t.Errorf("%d: %s (%s) is in another year", y, h.Date, h.Name)
			}
			if i > 0 && hs[i-1].Date >= h.Date {
				t.Errorf("%d: not sorted or duplicate at %s", y, h.Date)
			}
			if h.Name == "" || strings.Contains(h.Name, "Easter") {
				t.Errorf("%d: odd name %q", y, h.Name)
			}
		}
		if y >= 2007 && len(hs) < 9 {
			t.Errorf("%d: only %d holidays", y, len(hs))
		}
	}
	// Changing the returned slice does not change the calendar.
	hs := c.Holidays(2026)
	hs[0].Date = mustDate(t, "2026-03-03")
	if c.Holidays(2026)[0].Date.String() != "2026-01-01" {
		t.Errorf("Holidays shares its slice")
	}
}

func TestScotlandEmbeddedFile(t *testing.T) {
	// The embedded file parses (Scotland would panic otherwise) ...
	if _, err := NewScotland(defaultOneOffs); err != nil {
		t.Fatalf("embedded oneoff.yaml: %v", err)
	}
	// ... and Scotland shares one immutable calendar.
	if Scotland() != Scotland() {
		t.Errorf("Scotland() builds a new calendar each call")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := Scotland()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			d := NewDate(2026, 1, 1) + Date(g)
			for i := range 2000 {
				e := c.AddWorkingDays(d, i%90-45)
				_ = c.WorkingDaysBetween(d, e)
				_ = c.IsWorkingDay(e)
				_ = c.AddWorkingDays(NewDate(2300, 1, 1), i%5+1) // slow path
				if i%100 == 0 {
					_ = c.Holidays(2020 + i%10)
					_ = Scotland()
				}
			}
		})
	}
	wg.Wait()
}
