package calendar

import (
	"regexp"
	"slices"
	"testing"
)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-02", "1970-01-01", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31", "", "2026-3-2", "２０２６-03-02", "2026-03-02\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		// Whatever parses prints back the same and survives a text round trip.
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		b, err := d.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%q): %v", s, err)
		}
		var e Date
		if err := e.UnmarshalText(b); err != nil || e != d {
			t.Fatalf("UnmarshalText(%q) = %v, %v; want %v", b, e, err, d)
		}
		y, m, dd := d.Date()
		if NewDate(y, m, dd) != d {
			t.Fatalf("NewDate(%d, %d, %d) != %v", y, m, dd, d)
		}
	})
}

var fuzzLineRE = regexp.MustCompile(`\bline \d+: `)

func FuzzNewScotland(f *testing.F) {
	f.Add(defaultOneOffs)
	for _, s := range []string{
		"",
		"holidays: []\n",
		"holidays:\n  - name: A\n    date: 2027-03-02\n",
		"holidays:\n  - name: A\n    date: 2027-08-06\n    replaces: 2027-08-02\n",
		"holidays:\n  - name: A\n    date: 2027-03-06\n",
		"holidays:\n  - &e {name: A, date: 2027-03-02}\n  - *e\n",
		"holidays:\n\t- name: A\n",
		"a: [\n",
		"holidays: []\n---\nx: 1\n",
		"\ufeffholidays: []\n",
		"holidays:\n  - name: \xff\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := NewScotland(b)
		if err != nil {
			if !fuzzLineRE.MatchString(err.Error()) {
				t.Fatalf("error names no line: %v", err)
			}
			return
		}
		// A calendar that builds answers questions consistently.
		for _, y := range []int{2022, 2027} {
			hs := c.Holidays(y)
			if !slices.IsSortedFunc(hs, func(a, b Holiday) int { return int(a.Date) - int(b.Date) }) {
				t.Fatalf("Holidays(%d) not sorted: %v", y, hs)
			}
			for _, h := range hs {
				if c.IsWorkingDay(h.Date) {
					t.Fatalf("holiday %v is a working day", h)
				}
			}
		}
		a := NewDate(2027, 1, 1)
		if got := c.WorkingDaysBetween(a, c.AddWorkingDays(a, 60)); got != 60 {
			t.Fatalf("round trip gave %d", got)
		}
	})
}
