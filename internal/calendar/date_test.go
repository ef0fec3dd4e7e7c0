package calendar

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/errs"
)

// mustDate parses s or fails the test.
func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func TestNewDateMatchesTime(t *testing.T) {
	// Every day from 1600 to 2400 (covering the 100- and 400-year leap rules)
	// against the standard library.
	start := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	want := NewDate(1600, time.January, 1)
	for tm := start; tm.Year() < 2400; tm = tm.AddDate(0, 0, 1) {
		y, m, d := tm.Date()
		got := NewDate(y, m, d)
		if got != want {
			t.Fatalf("NewDate(%d, %d, %d) = %d, want %d", y, m, d, got, want)
		}
		if gy, gm, gd := got.Date(); gy != y || gm != m || gd != d {
			t.Fatalf("Date(%d).Date() = %d-%d-%d, want %d-%d-%d", got, gy, gm, gd, y, m, d)
		}
		if got.Weekday() != tm.Weekday() {
			t.Fatalf("%v.Weekday() = %v, want %v", got, got.Weekday(), tm.Weekday())
		}
		if !got.Time().Equal(tm) {
			t.Fatalf("%v.Time() = %v, want %v", got, got.Time(), tm)
		}
		if got.String() != tm.Format(time.DateOnly) {
			t.Fatalf("String() = %q, want %q", got.String(), tm.Format(time.DateOnly))
		}
		want++
	}
}

func TestNewDate(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{1970, time.January, 1, "1970-01-01"},
		{2026, time.March, 2, "2026-03-02"},
		{2024, time.February, 29, "2024-02-29"},
		// Normalised like time.Date.
		{2023, time.February, 29, "2023-03-01"},
		{2023, time.December, 32, "2024-01-01"},
		{2023, 13, 1, "2024-01-01"},
		{2023, 0, 1, "2022-12-01"},
		{2023, -11, 1, "2022-01-01"},
		{2023, -12, 1, "2021-12-01"},
		{2023, time.March, 0, "2023-02-28"},
		{0, time.January, 1, "0000-01-01"},
		{9999, time.December, 31, "9999-12-31"},
	}
	for _, tt := range tests {
		got := NewDate(tt.y, tt.m, tt.d)
		if got.String() != tt.want {
			t.Errorf("NewDate(%d, %d, %d) = %s, want %s", tt.y, tt.m, tt.d, got, tt.want)
		}
		tm := time.Date(tt.y, tt.m, tt.d, 0, 0, 0, 0, time.UTC)
		if got.String() != tm.Format(time.DateOnly) {
			t.Errorf("NewDate(%d, %d, %d) = %s, time.Date gives %s", tt.y, tt.m, tt.d, got, tm.Format(time.DateOnly))
		}
	}
	if NewDate(1, time.January, 1) != 0 {
		t.Errorf("0001-01-01 is not Date(0)")
	}
	// 1970-01-01 is somebody's date of birth, so it must not read as "no date".
	if NewDate(1970, time.January, 1).IsZero() {
		t.Errorf("1970-01-01 reads as no date")
	}
}

func TestDateOf(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skipf("no zone data: %v", err)
	}
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "2026-03-02"},
		{time.Date(2026, 3, 2, 23, 59, 59, 0, time.UTC), "2026-03-02"},
		// 23:30 UTC in British Summer Time is 00:30 the next day in London.
		{time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC).In(london), "2026-07-01"},
		{time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC), "2026-06-30"},
		{time.Date(1969, 12, 31, 12, 0, 0, 0, time.UTC), "1969-12-31"},
	}
	for _, tt := range tests {
		if got := DateOf(tt.t); got.String() != tt.want {
			t.Errorf("DateOf(%v) = %s, want %s", tt.t, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	valid := []string{"2026-03-02", "1970-01-01", "2024-02-29", "2000-02-29", "0000-01-01", "9999-12-31", "1969-12-31"}
	for _, s := range valid {
		d, err := ParseDate(s)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", s, err)
			continue
		}
		if d.String() != s {
			t.Errorf("ParseDate(%q).String() = %q", s, d.String())
		}
	}
	invalid := []struct{ in, why string }{
		{"", "wrong format"},
		{"2026-3-2", "wrong format"},
		{"2026/03/02", "wrong format"},
		{"02-03-2026", "wrong format"},
		{"2026-03-02T00:00:00Z", "wrong format"},
		{" 2026-03-02", "wrong format"},
		{"2026-03-0x", "wrong format"},
		{"+026-03-02", "wrong format"},
		{"2026-13-01", "month out of range"},
		{"2026-00-01", "month out of range"},
		{"2026-02-29", "day out of range"},
		{"1900-02-29", "day out of range"},
		{"2026-04-31", "day out of range"},
		{"2026-04-00", "day out of range"},
	}
	for _, tt := range invalid {
		_, err := ParseDate(tt.in)
		if err == nil {
			t.Errorf("ParseDate(%q): no error", tt.in)
			continue
		}
		if !strings.Contains(err.Error(), strconv.Quote(tt.in)) {
			t.Errorf("ParseDate(%q) error %q does not name the value", tt.in, err)
		}
		if !strings.Contains(err.Error(), tt.why) {
			t.Errorf("ParseDate(%q) error %q does not say %q", tt.in, err, tt.why)
		}
		if errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("ParseDate(%q) error kind = %v, want %v", tt.in, errs.KindOf(err), errs.KindInvalid)
		}
	}
}

func TestLong(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-03-02", "Monday 2 March 2026"},
		{"2027-12-28", "Tuesday 28 December 2027"},
		{"2022-09-19", "Monday 19 September 2022"},
	}
	for _, tt := range tests {
		if got := mustDate(t, tt.in).Long(); got != tt.want {
			t.Errorf("%s.Long() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	d := mustDate(t, "2026-02-27")
	if got := d.AddDays(2).String(); got != "2026-03-01" {
		t.Errorf("AddDays(2) = %s", got)
	}
	if got := d.AddDays(-58).String(); got != "2025-12-31" {
		t.Errorf("AddDays(-58) = %s", got)
	}
	e := d.AddDays(1)
	if !d.Before(e) || d.After(e) || !e.After(d) || e.Before(d) || d.Before(d) || d.After(d) {
		t.Errorf("Before/After wrong for %s, %s", d, e)
	}
	if !Date(0).IsZero() || NewDate(1, 1, 1) != Date(0) || NewDate(1970, 1, 1).IsZero() || d.IsZero() {
		t.Errorf("IsZero wrong")
	}
	var zero Date
	if !zero.IsZero() {
		t.Errorf("zero value is not IsZero")
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Due      Date `json:"due"`
		Received Date `json:"received,omitzero"`
	}
	b, err := json.Marshal(doc{Due: mustDate(t, "2026-03-02")})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"due":"2026-03-02"}` {
		t.Errorf("Marshal = %s", b)
	}
	var got doc
	if err := json.Unmarshal([]byte(`{"due":"2027-12-28","received":"2027-12-29"}`), &got); err != nil {
		t.Fatal(err)
	}
	if got.Due.String() != "2027-12-28" || got.Received.String() != "2027-12-29" {
		t.Errorf("Unmarshal = %+v", got)
	}
	for _, bad := range []string{`{"due":"28/12/2027"}`, `{"due":""}`, `{"due":20271228}`} {
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("Unmarshal(%s): no error", bad)
		}
	}
	// The zero Date is written as its date, like any other.
	if b, err := Date(0).MarshalText(); err != nil || string(b) != "0001-01-01" {
		t.Errorf("Date(0).MarshalText() = %q, %v", b, err)
	}
	if _, err := NewDate(10000, 1, 1).MarshalText(); err == nil {
		t.Errorf("MarshalText of year 10000: no error")
	}
}
