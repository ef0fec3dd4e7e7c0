package calendar

import (
	"math/rand/v2"
	"testing"
)

// B4: "add N working days" and "working days between" must take at most
// 100 ns an operation and be at least 20 times faster than a naive day-by-day
// loop over 60-working-day spans. Compare the table and naive-loop lines of
//
//	go test -run XXX -bench . ./internal/calendar/
//
// Timing goals live here only, never in unit tests.

const benchSpan = 60 // working days

// benchStarts returns varied start dates from 2000 to 2040, weekends and
// holidays included, the same on every run.
func benchStarts() []Date {
	r := rand.New(rand.NewPCG(1, 2))
	lo, hi := NewDate(2000, 1, 1), NewDate(2041, 1, 1)
	starts := make([]Date, 4096)
	for i := range starts {
		starts[i] = lo + Date(r.IntN(int(hi-lo)))
	}
	return starts
}

var sinkDate Date
var sinkInt int

func BenchmarkAddWorkingDays(b *testing.B) {
	c := Scotland()
	naive := newNaive(c, 1999, 2042)
	starts := benchStarts()
	mask := len(starts) - 1
	b.Run("table", func(b *testing.B) {
		var d Date
		for i := 0; b.Loop(); i++ {
			d = c.AddWorkingDays(starts[i&mask], benchSpan)
		}
		sinkDate = d
	})
	b.Run("naive-loop", func(b *testing.B) {
		var d Date
		for i := 0; b.Loop(); i++ {
			d = naive.addWorkingDays(starts[i&mask], benchSpan)
		}
		sinkDate = d
	})
}

func BenchmarkWorkingDaysBetween(b *testing.B) {
	c := Scotland()
	naive := newNaive(c, 1999, 2042)
	starts := benchStarts()
	ends := make([]Date, len(starts))
	for i, a := range starts {
		ends[i] = c.AddWorkingDays(a, benchSpan)
	}
	mask := len(starts) - 1
	b.Run("table", func(b *testing.B) {
		var n int
		for i := 0; b.Loop(); i++ {
			n += c.WorkingDaysBetween(starts[i&mask], ends[i&mask])
		}
		sinkInt = n
	})
	b.Run("naive-loop", func(b *testing.B) {
		var n int
		for i := 0; b.Loop(); i++ {
			n += naive.workingDaysBetween(starts[i&mask], ends[i&mask])
		}
		sinkInt = n
	})
}

// BenchmarkNewScotland is the one-off cost of building a calendar's table.
func BenchmarkNewScotland(b *testing.B) {
	for b.Loop() {
		if _, err := NewScotland(defaultOneOffs); err != nil {
			b.Fatal(err)
		}
	}
}
