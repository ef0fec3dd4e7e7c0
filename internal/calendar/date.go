package calendar

import (
	"fmt"
	"strconv"
	"time"

	"github.com/charter-service/charter/internal/errs"
)

// Date is a civil date (no time of day, no zone), stored as days since
// 0001-01-01 in the proleptic Gregorian calendar. Date(0), 0001-01-01, is the
// zero value and stands for "no date" (see IsZero): a date no person or
// application of this service can have, unlike 1970-01-01, which is
// somebody's date of birth.
//
// Dates compare with the ordinary operators (<, ==, >), and the difference of
// two dates is the number of calendar days between them.
type Date int32

// NewDate returns the date y-m-d. Like time.Date, it normalises values out of
// range: NewDate(2023, time.February, 29) is 2023-03-01. Years far beyond
// ±5 million overflow.
func NewDate(y int, m time.Month, d int) Date {
	// Bring the month into 1..12, carrying whole years.
	mm := int(m) - 1
	y += floorDiv(mm, 12)
	mm = mm - floorDiv(mm, 12)*12 + 1
	return Date(daysFromCivil(int64(y), int64(mm), 1) + unixEpoch + int64(d) - 1)
}

// DateOf returns the civil date of t in t's own location. Callers convert to
// Europe/London first when they mean "today in Scotland".
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate parses a date written as "2006-01-02" (four-digit year, two-digit
// month and day). The error names the bad value and has kind errs.KindInvalid.
func ParseDate(s string) (Date, error) {
	bad := func(why string) error {
		return errs.Invalid("", "%q is not a date (want YYYY-MM-DD, e.g. 2026-03-02): %s", s, why)
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, bad("wrong format")
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return 0, bad("wrong format")
	}
	if m < 1 || m > 12 {
		return 0, bad("month out of range")
	}
	if d < 1 || d > daysIn(y, time.Month(m)) {
		return 0, bad("day out of range")
	}
	return NewDate(y, time.Month(m), d), nil
}

// digits parses a run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// String returns the date as "2006-01-02". Years outside 0–9999 are written
// with as many digits as they need (and a sign if negative); ParseDate does
// not accept them.
func (d Date) String() string {
	y, m, dd := d.Date()
	if y < 0 || y > 9999 {
		return fmt.Sprintf("%05d-%02d-%02d", y, int(m), dd)
	}
	var b [10]byte
	b[0] = byte('0' + y/1000)
	b[1] = byte('0' + y/100%10)
	b[2] = byte('0' + y/10%10)
	b[3] = byte('0' + y%10)
	b[4] = '-'
	b[5] = byte('0' + int(m)/10)
	b[6] = byte('0' + int(m)%10)
	b[7] = '-'
	b[8] = byte('0' + dd/10)
	b[9] = byte('0' + dd%10)
	return string(b[:])
}

// Time returns midnight UTC at the start of the date.
func (d Date) Time() time.Time {
	return time.Unix((int64(d)-unixEpoch)*secondsPerDay, 0).UTC()
}

// Date returns the year, month and day of the date.
func (d Date) Date() (int, time.Month, int) {
	y, m, dd := civilFromDays(int64(d) - unixEpoch)
	return int(y), time.Month(m), int(dd)
}

// year returns the year of the date.
func (d Date) year() int {
	y, _, _ := civilFromDays(int64(d) - unixEpoch)
	return int(y)
}

// Weekday returns the day of the week of the date.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	return time.Weekday(floorMod(int64(d)-unixEpoch+int64(time.Thursday), 7))
}

// AddDays returns the date n calendar days after d (before d if n < 0).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d < o }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d > o }

// IsZero reports whether d is the zero Date, 0001-01-01, which stands for
// "no date" (so a struct field tagged `json:",omitzero"` is left out).
func (d Date) IsZero() bool { return d == 0 }

// Long returns the date as shown to people: "Monday 2 March 2026".
func (d Date) Long() string {
	y, m, dd := d.Date()
	return d.Weekday().String() + " " + strconv.Itoa(dd) + " " + m.String() + " " + strconv.Itoa(y)
}

// MarshalText writes the date as "2006-01-02", so JSON shows it as a string.
// The zero Date is written like any other ("0001-01-01"); use omitzero on
// optional fields. Years outside 0–9999 are an error, as for time.Time.
func (d Date) MarshalText() ([]byte, error) {
	if y := d.year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("calendar: date %s: year outside 0-9999", d)
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads a date written as "2006-01-02".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

const secondsPerDay = 24 * 60 * 60

// unixEpoch is the Date of 1970-01-01: days from 0001-01-01.
const unixEpoch = 719162

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	default:
		return 31
	}
}

// daysFromCivil and civilFromDays convert between proleptic Gregorian
// year/month/day and days since 1970-01-01, after Howard Hinnant's
// "chrono-Compatible Low-Level Date Algorithms". m must be 1..12.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv64(y, 400)
	yoe := y - era*400 // [0, 399]
	mp := (m + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return era*146097 + doe - 719468
}

func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := floorDiv64(z, 146097)
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // March = 0
	d = doy - (153*mp+2)/5 + 1
	m = (mp+2)%12 + 1
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorDiv64(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv64(a, b)*b }
