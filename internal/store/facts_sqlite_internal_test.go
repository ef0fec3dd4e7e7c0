package store

import (
	"context"
	"database/sql"
	"math"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/measure"
)

// TestPackedFactsRoundTrip reads dates at the ends of their 32-bit range,
// zero and ordinary ones, and every pattern of three flags, through SQLite
// packed (two dates to a value, flags as bits): each comes back as it was.
func TestPackedFactsRoundTrip(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE case_facts (benefit TEXT, received_on INTEGER, decided_on INTEGER, closed_on INTEGER,
		decided_in_time BOOLEAN, silence_kept BOOLEAN, acknowledged_in_time BOOLEAN, longest_silence INTEGER)`); err != nil {
		t.Fatal(err)
	}
	dates := []calendar.Date{math.MinInt32, math.MaxInt32, 0, 1, -1, calendar.NewDate(2026, 3, 31)}
	var want []measure.Facts
	for i := range 8 {
		f := measure.Facts{Benefit: "b", ReceivedOn: dates[i%len(dates)], DecidedOn: dates[(i+1)%len(dates)], ClosedOn: dates[(i+2)%len(dates)],
			DecidedInTime: i&1 != 0, SilenceKept: i&2 != 0, AcknowledgedInTime: i&4 != 0, LongestSilence: -i}
		want = append(want, f)
		if _, err := db.ExecContext(ctx, `INSERT INTO case_facts VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, f.Benefit, int64(f.ReceivedOn), int64(f.DecidedOn),
			int64(f.ClosedOn), f.DecidedInTime, f.SilenceKept, f.AcknowledgedInTime, f.LongestSilence); err != nil {
			t.Fatal(err)
		}
	}
	cols, where, args, err := factsQuery(FactsQuery{Fields: []string{"benefit", "received_on", "decided_on", "closed_on",
		"decided_in_time", "silence_kept", "acknowledged_in_time", "longest_silence"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, packed := packedSelect(cols); len(packed) != 5 { // benefit, longest_silence, two dates, one date, the flags
		t.Errorf("%d packed columns for 8 fields, want 5", len(packed))
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var got []measure.Facts
	err = conn.Raw(func(dc any) error {
		return eachFactsDriver(ctx, dc, cols, where, args, func(f *measure.Facts) error { got = append(got, *f); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows read, want %d", len(got), len(want))
	}
	seen := map[int]bool{}
	for _, f := range got { // row i has longest_silence -i
		i := -f.LongestSilence
		if i < 0 || i >= len(want) || f != want[i] || seen[i] {
			t.Errorf("a row read back as\n%+v, want\n%+v (or read twice)", f, want[min(max(i, 0), len(want)-1)])
		}
		seen[i] = true
	}
}
