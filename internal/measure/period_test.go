package measure

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

func TestParsePeriod(t *testing.T) {
	cases := []struct {
		in   string
		want Period
		err  string
	}{
		{"2025-26", Period{2025, 0}, ""},
		{" 2025-26  Q1 ", Period{2025, 1}, ""},
		{"2025-26 q4", Period{2025, 4}, ""},
		{"1999-00", Period{1999, 0}, ""},
		{"2025-27", Period{}, "the year after 2025 is written 26"},
		{"2025/26", Period{}, "four digits, a hyphen and two digits"},
		{"25-26", Period{}, "four digits"},
		{"2025-26 Q5", Period{}, "Q1, Q2, Q3 or Q4"},
		{"2025-26 Q1 x", Period{}, "Q1, Q2, Q3 or Q4"},
		{"", Period{}, "it is empty"},
		{"April 2025", Period{}, "four digits"},
	}
	for _, c := range cases {
		got, err := ParsePeriod(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || errs.KindOf(err) != errs.KindInvalid {
				t.Errorf("ParsePeriod(%q) = %v, %v; want an error saying %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
		if again, _ := ParsePeriod(got.String()); again != got {
			t.Errorf("%v does not survive String and ParsePeriod: %v", got, again)
		}
	}
}

func TestPeriodDates(t *testing.T) {
	d := func(y int, m time.Month, dd int) calendar.Date { return calendar.NewDate(y, m, dd) }
	cases := []struct {
		p           Period
		first, last calendar.Date
		long        string
	}{
		{Period{2025, 0}, d(2025, 4, 1), d(2026, 3, 31), "April 2025 to March 2026"},
		{Period{2025, 1}, d(2025, 4, 1), d(2025, 6, 30), "April to June 2025"},
		{Period{2025, 2}, d(2025, 7, 1), d(2025, 9, 30), "July to September 2025"},
		{Period{2025, 3}, d(2025, 10, 1), d(2025, 12, 31), "October to December 2025"},
		{Period{2025, 4}, d(2026, 1, 1), d(2026, 3, 31), "January to March 2026"},
		{Period{2023, 4}, d(2024, 1, 1), d(2024, 3, 31), "January to March 2024"}, // a leap year's March
	}
	for _, c := range cases {
		if c.p.First() != c.first || c.p.Last() != c.last || c.p.Long() != c.long {
			t.Errorf("%v: %s to %s (%q), want %s to %s (%q)", c.p, c.p.First(), c.p.Last(), c.p.Long(), c.first, c.last, c.long)
		}
	}
	// Around the year end.
	if YearOf(d(2026, 3, 31)) != (Period{2025, 0}) || YearOf(d(2026, 4, 1)) != (Period{2026, 0}) {
		t.Error("31 March and 1 April fall in different financial years")
	}
	if QuarterOf(d(2026, 3, 31)) != (Period{2025, 4}) || QuarterOf(d(2026, 4, 1)) != (Period{2026, 1}) ||
		QuarterOf(d(2025, 12, 31)) != (Period{2025, 3}) || QuarterOf(d(2026, 1, 1)) != (Period{2025, 4}) {
		t.Error("quarters around the year end are wrong")
	}
}

func TestPeriodArithmetic(t *testing.T) {
	q := Period{2025, 1}
	if q.Previous() != (Period{2024, 4}) || q.Add(-5) != (Period{2023, 4}) || q.Add(7) != (Period{2026, 4}) {
		t.Errorf("2025-26 Q1: previous %v, minus 5 quarters %v, plus 7 %v", q.Previous(), q.Add(-5), q.Add(7))
	}
	if (Period{2025, 4}).Next() != (Period{2026, 1}) || (Period{2025, 0}).Next() != (Period{2026, 0}) {
		t.Error("Next crosses the year end wrongly")
	}
	trend := Period{2025, 0}.Trend(3)
	want := []Period{{2023, 0}, {2024, 0}, {2025, 0}}
	if len(trend) != 3 || trend[0] != want[0] || trend[2] != want[2] {
		t.Errorf("Trend(3) = %v, want %v", trend, want)
	}
	qs := Period{2025, 2}.Quarters()
	if len(qs) != 4 || qs[0] != (Period{2025, 1}) || qs[3] != (Period{2025, 4}) || (Period{2025, 2}).FinancialYear() != (Period{2025, 0}) {
		t.Errorf("quarters of 2025-26: %v", qs)
	}
}

// TestEveryDateInOneQuarterAndOneYear: every date falls in exactly one
// quarter and one financial year, the quarter is in the year, and the
// periods next to them do not contain it.
func TestEveryDateInOneQuarterAndOneYear(t *testing.T) {
	r := rand.New(rand.NewPCG(2025, 26))
	for range 5000 {
		d := calendar.NewDate(1990, 1, 1).AddDays(r.IntN(80 * 366))
		q, y := QuarterOf(d), YearOf(d)
		if !q.Contains(d) || !y.Contains(d) || q.FinancialYear() != y {
			t.Fatalf("%s: quarter %v, year %v", d, q, y)
		}
		for _, other := range []Period{q.Previous(), q.Next(), y.Previous(), y.Next()} {
			if other.Contains(d) {
				t.Fatalf("%s is in %v as well as %v/%v", d, other, q, y)
			}
		}
		in := 0
		for _, p := range y.Quarters() {
			if p.Contains(d) {
				in++
			}
		}
		if in != 1 {
			t.Fatalf("%s is in %d quarters of %v", d, in, y)
		}
	}
}
