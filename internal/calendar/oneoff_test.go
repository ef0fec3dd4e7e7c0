package calendar

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// newCal builds a calendar from a one-off file or fails the test.
func newCal(t *testing.T, yaml string) *Calendar {
	t.Helper()
	c, err := NewScotland([]byte(yaml))
	if err != nil {
		t.Fatalf("NewScotland: %v", err)
	}
	return c
}

func TestOneOffFileReplacesEmbedded(t *testing.T) {
	// A newly proclaimed holiday on Tuesday 2 March 2027.
	c := newCal(t, string(defaultOneOffs)+`
  - name: Example proclaimed holiday
    date: 2027-03-02
`)
	d := mustDate(t, "2027-03-02")
	if c.IsWorkingDay(d) {
		t.Errorf("the added holiday is a working day")
	}
	if !Scotland().IsWorkingDay(d) {
		t.Errorf("the embedded calendar changed")
	}
	mon := mustDate(t, "2027-03-01")
	if got := c.AddWorkingDays(mon, 1).String(); got != "2027-03-03" {
		t.Errorf("AddWorkingDays(%s, 1) = %s, want 2027-03-03", mon, got)
	}
	if got := Scotland().AddWorkingDays(mon, 1).String(); got != "2027-03-02" {
		t.Errorf("embedded AddWorkingDays(%s, 1) = %s, want 2027-03-02", mon, got)
	}
	if got := c.WorkingDaysBetween(mon, mon+7) - Scotland().WorkingDaysBetween(mon, mon+7); got != -1 {
		t.Errorf("WorkingDaysBetween differs by %d, want -1", got)
	}
	found := false
	for _, h := range c.Holidays(2027) {
		if h.Date == d && h.Name == "Example proclaimed holiday" {
			found = true
		}
	}
	if !found {
		t.Errorf("Holidays(2027) = %v, lacks the added holiday", c.Holidays(2027))
	}
	// The embedded one-offs are still there.
	if c.IsWorkingDay(mustDate(t, "2023-05-08")) {
		t.Errorf("coronation lost")
	}
}

func TestOneOffFileEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "holidays:\n", "holidays: []\n", "---\n", "~\n"} {
		c := newCal(t, src)
		// Without the file the rules alone hold: no coronation, and the 2022
		// spring holiday is back on the last Monday of May.
		if !c.IsWorkingDay(mustDate(t, "2023-05-08")) {
			t.Errorf("%q: coronation still a holiday", src)
		}
		if c.IsWorkingDay(mustDate(t, "2022-05-30")) || !c.IsWorkingDay(mustDate(t, "2022-06-02")) {
			t.Errorf("%q: 2022 spring holiday not on the rule date", src)
		}
		if c.IsWorkingDay(mustDate(t, "2020-05-04")) || !c.IsWorkingDay(mustDate(t, "2020-05-08")) {
			t.Errorf("%q: 2020 early May not on the rule date", src)
		}
	}
}

func TestOneOffReplaces(t *testing.T) {
	// Move the 2027 summer holiday from Monday 2 August to Friday 6 August.
	c := newCal(t, `
holidays:
  - name: Summer bank holiday
    date: 2027-08-06
    replaces: 2027-08-02
`)
	if !c.IsWorkingDay(mustDate(t, "2027-08-02")) {
		t.Errorf("replaced date is still a holiday")
	}
	if c.IsWorkingDay(mustDate(t, "2027-08-06")) {
		t.Errorf("new date is a working day")
	}
	if got := observed(t, c, 2027); len(got) != 9 || got[5] != "2027-08-06" {
		t.Errorf("Holidays(2027) = %v", got)
	}
}

func TestOneOffErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		says      string
	}{
		{"yaml syntax", "holidays:\n  - name: A\n    date: 2027-03-02\n   bad: [\n", 4, ""},
		{"bad indentation", "holidays:\n  - name: A\n  date: 2027-03-02\n", 3, ""},
		{"tab indentation", "holidays:\n\t- name: A\n", 2, ""},
		{"unknown top key", "# c\nholiday:\n  - name: A\n", 2, `unknown key "holiday"`},
		{"holidays twice", "holidays: []\nholidays: []\n", 2, "twice"},
		{"top level list", "- name: A\n  date: 2027-03-02\n", 1, "mapping"},
		{"top level scalar", "hello\n", 1, "mapping"},
		{"holidays not a list", "holidays:\n  name: A\n", 2, "must be a list"},
		{"entry not a mapping", "holidays:\n  - 2027-03-02\n", 2, "mapping"},
		{"unknown entry key", "holidays:\n  - name: A\n    date: 2027-03-02\n    day: Tuesday\n", 4, `unknown key "day"`},
		{"entry key twice", "holidays:\n  - name: A\n    date: 2027-03-02\n    date: 2027-03-03\n", 4, "twice"},
		{"no name", "holidays:\n  - name: A\n    date: 2027-03-02\n  - date: 2027-03-03\n", 4, "no name"},
		{"empty name", "holidays:\n  - name: \"  \"\n    date: 2027-03-02\n", 2, "name is empty"},
		{"null name", "holidays:\n  - name:\n    date: 2027-03-02\n", 2, "name must be"},
		{"no date", "holidays:\n\n  - name: A\n", 3, "no date"},
		{"bad date", "holidays:\n  - name: A\n    date: 2027-02-30\n", 3, `"2027-02-30"`},
		{"date not a string", "holidays:\n  - name: A\n    date: [2027, 3, 2]\n", 3, "date must be"},
		{"bad replaces", "holidays:\n  - name: A\n    date: 2027-03-02\n    replaces: 30 May\n", 4, `"30 May"`},
		{"weekend", "holidays:\n  - name: A\n    date: 2027-03-06\n", 2, "Saturday"},
		{"already a rule holiday", "holidays:\n  - name: A\n    date: 2026-12-28\n", 2, "already a bank holiday"},
		{"same date twice", "holidays:\n  - name: A\n    date: 2027-03-02\n  - name: B\n    date: 2027-03-02\n", 4, "line 2"},
		{"replaces a working day", "holidays:\n  - name: A\n    date: 2027-03-02\n    replaces: 2027-03-01\n", 2, "not a bank holiday"},
		{"replaces twice", "holidays:\n  - name: A\n    date: 2027-08-03\n    replaces: 2027-08-02\n  - name: B\n    date: 2027-08-04\n    replaces: 2027-08-02\n", 5, "already replaced"},
		{"two documents", "holidays: []\n---\nholidays: []\n", 2, "one YAML document"},
		{"alias", "x: &a 1\n", 1, `unknown key "x"`},
		{"alias entry", "holidays:\n  - &e {name: A, date: 2027-03-02}\n  - *e\n", 3, "alias"},
		{"invalid utf-8", "holidays:\n  - name: \xff\n", 2, "UTF-8"},
		{"control character", "holidays:\n  - name: A\x01\n", 2, "control character"},
	}
	lineRE := regexp.MustCompile(`\bline (\d+): `)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewScotland([]byte(tt.src))
			if err == nil {
				t.Fatalf("no error for %q", tt.src)
			}
			msg := err.Error()
			m := lineRE.FindStringSubmatch(msg)
			if m == nil {
				t.Fatalf("error %q names no line", msg)
			}
			if want := "line " + strconv.Itoa(tt.line) + ": "; !strings.Contains(msg, want) {
				t.Errorf("error %q, want it to name line %d", msg, tt.line)
			}
			if !strings.Contains(msg, tt.says) {
				t.Errorf("error %q, want it to say %q", msg, tt.says)
			}
		})
	}
}
