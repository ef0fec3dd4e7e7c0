package measure

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// Period is a financial year (April to March), written "2025-26", or one of
// its quarters, written "2025-26 Q1" (April to June) to "2025-26 Q4"
// (January to March). The zero Period is "no period".
type Period struct {
	// Year is the calendar year the financial year starts in: 2025 for 2025-26.
	Year int
	// Quarter is 1 to 4, or 0 for the whole year.
	Quarter int
}

// YearOf is the financial year a date falls in.
func YearOf(d calendar.Date) Period {
	y, m, _ := d.Date()
	if m < time.April {
		y--
	}
	return Period{Year: y}
}

// QuarterOf is the quarter of a financial year a date falls in.
func QuarterOf(d calendar.Date) Period {
	y, m, _ := d.Date()
	if m < time.April {
		return Period{Year: y - 1, Quarter: 4}
	}
	return Period{Year: y, Quarter: (int(m)-int(time.April))/3 + 1}
}

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p == Period{} }

// IsQuarter reports whether p is a quarter rather than a whole year.
func (p Period) IsQuarter() bool { return p.Quarter != 0 }

// FinancialYear is the year p is in: p itself for a year.
func (p Period) FinancialYear() Period { return Period{Year: p.Year} }

// Quarters are the four quarters of p's financial year, in order.
func (p Period) Quarters() []Period {
	return []Period{{p.Year, 1}, {p.Year, 2}, {p.Year, 3}, {p.Year, 4}}
}

// First is the first day of the period.
func (p Period) First() calendar.Date {
	if p.Quarter == 0 {
		return calendar.NewDate(p.Year, time.April, 1)
	}
	return calendar.NewDate(p.Year, time.April+time.Month(3*(p.Quarter-1)), 1)
}

// Last is the last day of the period.
func (p Period) Last() calendar.Date { return p.Next().First().AddDays(-1) }

// Contains reports whether d falls in the period.
func (p Period) Contains(d calendar.Date) bool { return !d.Before(p.First()) && !d.After(p.Last()) }

// Next is the period after p, of the same length.
func (p Period) Next() Period { return p.Add(1) }

// Previous is the period before p, of the same length.
func (p Period) Previous() Period { return p.Add(-1) }

// Add moves p on by n periods of its own length (back when n < 0).
func (p Period) Add(n int) Period {
	if p.Quarter == 0 {
		return Period{Year: p.Year + n}
	}
	q := p.Year*4 + p.Quarter - 1 + n
	return Period{Year: floorDiv(q, 4), Quarter: q - floorDiv(q, 4)*4 + 1}
}

// Trend is the n periods of p's length ending with p, oldest first: the
// periods a trend over the last n periods shows.
func (p Period) Trend(n int) []Period {
	out := make([]Period, 0, max(n, 0))
	for i := n - 1; i >= 0; i-- {
		out = append(out, p.Add(-i))
	}
	return out
}

// Compare orders periods by when they start; a year comes before its
// first quarter.
func (p Period) Compare(o Period) int {
	return cmp.Or(cmp.Compare(p.Year, o.Year), cmp.Compare(p.Quarter, o.Quarter))
}

// String writes the period as "2025-26" or "2025-26 Q1".
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	s := strconv.Itoa(p.Year) + "-" + fmt.Sprintf("%02d", (p.Year+1)%100)
	if p.Quarter != 0 {
		s += " Q" + strconv.Itoa(p.Quarter)
	}
	return s
}

// Long is the period as a person reads it: "April 2025 to March 2026", or
// "April to June 2025" for a quarter.
func (p Period) Long() string {
	fy, fm, _ := p.First().Date()
	ly, lm, _ := p.Last().Date()
	if fy == ly {
		return fm.String() + " to " + lm.String() + " " + strconv.Itoa(ly)
	}
	return fm.String() + " " + strconv.Itoa(fy) + " to " + lm.String() + " " + strconv.Itoa(ly)
}

// MarshalText writes the period as String does.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads a period as ParsePeriod does.
func (p *Period) UnmarshalText(b []byte) error {
	v, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// ParsePeriod reads a financial year written "2025-26" or a quarter written
// "2025-26 Q1". Spaces around it and a lower-case q are accepted.
func ParsePeriod(s string) (Period, error) {
	t := strings.Join(strings.Fields(s), " ")
	bad := func(why string) (Period, error) {
		return Period{}, errs.Invalid("period", "%q is not a period: %s; write a financial year like 2025-26, or a quarter like 2025-26 Q1", s, why)
	}
	if t == "" {
		return bad("it is empty")
	}
	year, quarter, hasQuarter := strings.Cut(t, " ")
	first, second, ok := strings.Cut(year, "-")
	if !ok || len(first) != 4 || len(second) != 2 {
		return bad("the year must be four digits, a hyphen and two digits")
	}
	y, err1 := strconv.Atoi(first)
	y2, err2 := strconv.Atoi(second)
	if err1 != nil || err2 != nil || y < 1000 {
		return bad("the year must be four digits, a hyphen and two digits")
	}
	if y2 != (y+1)%100 {
		return bad(fmt.Sprintf("a financial year runs from April to March, so the year after %d is written %02d", y, (y+1)%100))
	}
	p := Period{Year: y}
	if hasQuarter {
		if len(quarter) != 2 || (quarter[0] != 'Q' && quarter[0] != 'q') || quarter[1] < '1' || quarter[1] > '4' {
			return bad("the quarter must be Q1, Q2, Q3 or Q4")
		}
		p.Quarter = int(quarter[1] - '0')
	}
	return p, nil
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
