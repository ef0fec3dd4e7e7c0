package review

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestProportionWordsBoundaries(t *testing.T) {
	tests := []struct {
		k, n int
		want string
	}{
		{0, 0, ""},
		{0, 6, WordsNone},
		// a few: under a quarter
		{1, 6, WordsFew}, {1, 5, WordsFew}, {2, 9, WordsFew},
		// exactly a quarter is some, not a few
		{1, 4, WordsSome}, {2, 8, WordsSome},
		// some: a quarter up to, not including, a half
		{2, 6, WordsSome}, {2, 5, WordsSome}, {4, 9, WordsSome},
		// half exactly
		{1, 2, WordsHalf}, {3, 6, WordsHalf}, {7, 14, WordsHalf},
		// most: over half, not all
		{4, 7, WordsMost}, {5, 9, WordsMost}, {4, 6, WordsMost}, {5, 6, WordsMost}, {8, 9, WordsMost},
		{6, 6, WordsAll}, {1, 1, WordsAll},
		// one of three is some (a third), one of five a few (a fifth)
		{1, 3, WordsSome},
	}
	for _, tt := range tests {
		if got := ProportionWords(tt.k, tt.n); got != tt.want {
			t.Errorf("ProportionWords(%d, %d) = %q, want %q", tt.k, tt.n, got, tt.want)
		}
	}
}

// For any group, more people never gives a smaller word, and the bands
// agree with the fractions they stand for.
func TestProportionWordsProperties(t *testing.T) {
	order := []string{WordsNone, WordsFew, WordsSome, WordsHalf, WordsMost, WordsAll}
	r := rand.New(rand.NewPCG(10, 2026))
	for range 2000 {
		n := 1 + r.IntN(60)
		prev := -1
		for k := 0; k <= n; k++ {
			w := ProportionWords(k, n)
			i := slices.Index(order, w)
			if i < prev {
				t.Fatalf("ProportionWords(%d, %d) = %q comes before %q", k, n, w, order[prev])
			}
			prev = i
			p := float64(k) / float64(n)
			ok := map[string]bool{
				WordsNone: k == 0, WordsAll: k == n, WordsFew: k > 0 && p < 0.25,
				WordsSome: p >= 0.25 && p < 0.5, WordsHalf: 2*k == n, WordsMost: p > 0.5 && k < n,
			}[w]
			if !ok {
				t.Fatalf("ProportionWords(%d, %d) = %q does not fit %.3f", k, n, w, p)
			}
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct{ k, n, want int }{
		{0, 0, 0}, {0, 20, 0}, {15, 20, 75}, {1, 3, 33}, {2, 3, 67}, {1, 8, 13}, {1, 200, 1}, {1, 201, 0}, {20, 20, 100},
	}
	for _, tt := range tests {
		if got := Percent(tt.k, tt.n); got != tt.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", tt.k, tt.n, got, tt.want)
		}
	}
}

func TestBalance(t *testing.T) {
	tests := []struct {
		pos, neg, mixed int
		want            string
	}{
		{0, 0, 0, BalanceNoView},
		{0, 0, 3, BalanceMixed},
		{2, 0, 5, BalancePositive},
		{0, 1, 0, BalanceNegative},
		{3, 1, 0, BalanceMorePositive},
		{1, 3, 9, BalanceMoreNegative},
		{2, 2, 0, BalanceMixed},
	}
	for _, tt := range tests {
		if got := Balance(tt.pos, tt.neg, tt.mixed); got != tt.want {
			t.Errorf("Balance(%d, %d, %d) = %q, want %q", tt.pos, tt.neg, tt.mixed, got, tt.want)
		}
	}
}

func TestShareHidesNumbersForSmallGroups(t *testing.T) {
	if s := share(3, 6, true); s.N != 0 || s.Percent != 0 || s.Show != WordsHalf || s.Words != WordsHalf {
		t.Errorf("small group share %+v", s)
	}
	if s := share(3, 12, false); s.N != 3 || s.Percent != 25 || s.Show != "25%" || s.Words != WordsSome {
		t.Errorf("large group share %+v", s)
	}
}
