package feedback

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
)

// financialYear returns the first and last days of a financial year written
// "2025-26" (April to March), or of a quarter of it written "2025-26 Q1".
// The measure package owns periods; this is only for the tests.
func financialYear(t *testing.T, label string) (from, to calendar.Date) {
	t.Helper()
	var y, y2, q int
	n, _ := fmt.Sscanf(label, "%d-%d Q%d", &y, &y2, &q)
	if n < 2 || y2 != (y+1)%100 {
		t.Fatalf("bad period %q", label)
	}
	if q == 0 {
		return calendar.NewDate(y, time.April, 1), calendar.NewDate(y+1, time.March, 31)
	}
	from = calendar.NewDate(y, time.April+time.Month(3*(q-1)), 1)
	return from, calendar.NewDate(y, time.April+time.Month(3*q), 0)
}

func TestTally(t *testing.T) {
	item := func(received string, kind Kind, verdict Verdict, else_ bool, refs ...CommitmentRef) Item {
		return Item{Kind: kind, Received: date(t, received), Verdict: verdict, SomethingElse: else_, Commitments: refs}
	}
	updates := CommitmentRef{"1.4", "support-through-application"}
	updatesRenumbered := CommitmentRef{"1.3", "support-through-application"}
	dates := CommitmentRef{"2.2", "decide-by-the-dates-we-give"}
	items := []Item{
		item("2025-03-31", KindFeedback, VerdictMet, false, updates), // the year before
		item("2025-04-01", KindFeedback, VerdictMet, false, updates), // first day of 2025-26 Q1
		item("2025-06-30", KindFeedback, VerdictNotMet, false, updates, dates),
		item("2025-07-01", KindComplaint, VerdictNotMet, false, dates), // Q2
		item("2025-12-31", KindFeedback, "", true),
		item("2026-01-15", KindFeedback, VerdictNotMet, false, updatesRenumbered), // Q4, after renumbering
		item("2026-03-31", KindComplaint, VerdictNotMet, true, dates),             // last day of the year
		item("2026-04-01", KindComplaint, VerdictNotMet, false, dates),            // the year after
	}
	show := func(cs []Count) []string {
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%s %s %s %s %d", c.CommitmentKey, c.CommitmentID, c.Kind, c.Verdict, c.N))
		}
		return out
	}
	tests := []struct {
		period string
		want   []string
	}{
		{"2025-26", []string{
			"decide-by-the-dates-we-give 2.2 feedback not-met 1",
			"decide-by-the-dates-we-give 2.2 complaint not-met 2",
			"something-else  feedback  1",
			"something-else  complaint not-met 1",
			"support-through-application 1.3 feedback met 1",
			"support-through-application 1.3 feedback not-met 2",
		}},
		{"2025-26 Q1", []string{
			"decide-by-the-dates-we-give 2.2 feedback not-met 1",
			"support-through-application 1.4 feedback met 1",
			"support-through-application 1.4 feedback not-met 1",
		}},
		{"2025-26 Q2", []string{"decide-by-the-dates-we-give 2.2 complaint not-met 1"}},
		{"2025-26 Q3", []string{"something-else  feedback  1"}},
		{"2024-25 Q4", []string{"support-through-application 1.4 feedback met 1"}},
		{"2027-28", nil},
	}
	for _, tt := range tests {
		from, to := financialYear(t, tt.period)
		if got := show(Tally(items, from, to)); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.period, got, tt.want)
		}
	}
	// The quarters add up to the year.
	total := func(cs []Count) (n int) {
		for _, c := range cs {
			n += c.N
		}
		return n
	}
	from, to := financialYear(t, "2025-26")
	sum := 0
	for q := 1; q <= 4; q++ {
		qf, qt := financialYear(t, fmt.Sprintf("2025-26 Q%d", q))
		sum += total(Tally(items, qf, qt))
	}
	if year := total(Tally(items, from, to)); sum != year {
		t.Errorf("quarters add up to %d, the year to %d", sum, year)
	}
}

// Daily counts add up to the same totals as a tally over the same days.
func TestDailyCounts(t *testing.T) {
	ref := func(id, key string) CommitmentRef { return CommitmentRef{id, key} }
	items := []Item{
		{Kind: KindFeedback, Received: date(t, "2026-05-04"), Verdict: VerdictMet, Commitments: []CommitmentRef{ref("1.4", "support")}},
		{Kind: KindFeedback, Received: date(t, "2026-05-04"), Verdict: VerdictMet, Commitments: []CommitmentRef{ref("1.4", "support")}},
		{Kind: KindComplaint, Received: date(t, "2026-05-04"), Verdict: VerdictNotMet, Commitments: []CommitmentRef{ref("1.4", "support")}, SomethingElse: true},
		{Kind: KindFeedback, Received: date(t, "2026-05-01"), Verdict: VerdictNotMet, Commitments: []CommitmentRef{ref("1.3", "support")}},
	}
	got := DailyCounts(items)
	var lines []string
	for _, c := range got {
		lines = append(lines, fmt.Sprintf("%s %s %s %s %s %d", c.On, c.CommitmentKey, c.CommitmentID, c.Kind, c.Verdict, c.N))
	}
	want := []string{
		"2026-05-01 support 1.3 feedback not-met 1",
		"2026-05-04 something-else  complaint not-met 1",
		"2026-05-04 support 1.4 feedback met 2",
		"2026-05-04 support 1.4 complaint not-met 1",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("daily counts:\n got %q\nwant %q", lines, want)
	}
	sum := 0
	for _, c := range got {
		sum += c.N
	}
	tallied := 0
	for _, c := range Tally(items, date(t, "2026-05-01"), date(t, "2026-05-04")) {
		tallied += c.N
	}
	if sum != tallied || sum != 5 {
		t.Errorf("daily counts add up to %d, the tally to %d, want 5", sum, tallied)
	}
}
