package measure

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkEngineYear computes every example measure over rows of facts,
// as a year's report does; it reports the time per application row. A year
// of 1.4 million applications takes 1.4 million times that.
func BenchmarkEngineYear(b *testing.B) {
	set := exampleSet(b)
	pool := randomFacts(rand.New(rand.NewPCG(1, 2)), 20_000)
	plan := ReportPlan(Period{2025, 0}, 3, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; {
		e, err := NewEngine(set, plan)
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < len(pool) && i < b.N; j, i = j+1, i+1 {
			if err := e.Add(&pool[j]); err != nil {
				b.Fatal(err)
			}
		}
		_ = e.Results()
	}
}
