package review

import "strconv"

// Word bands. When fewer people than a round's SmallGroup answered,
// findings give a share k of n in words, as research with small groups
// does, so that nobody can be singled out by a count:
//
//	none     k = 0
//	a few    0 < k/n < 1/4
//	some     1/4 ≤ k/n < 1/2
//	half     k/n = 1/2
//	most     1/2 < k/n < 1
//	all      k = n
//
// The bands are worked out in whole numbers (4k < n, 2k < n, 2k = n), so a
// boundary never depends on rounding.
const (
	WordsNone = "none"
	WordsFew  = "a few"
	WordsSome = "some"
	WordsHalf = "half"
	WordsMost = "most"
	WordsAll  = "all"
)

// ProportionWords gives k out of n in words (see the bands above), or ""
// when n is 0.
func ProportionWords(k, n int) string {
	switch {
	case n <= 0:
		return ""
	case k <= 0:
		return WordsNone
	case k >= n:
		return WordsAll
	case 4*k < n:
		return WordsFew
	case 2*k < n:
		return WordsSome
	case 2*k == n:
		return WordsHalf
	}
	return WordsMost
}

// Percent is k out of n as a whole percentage, halves rounded up (0 when n
// is 0). Shares rounded this way may not add up to exactly 100.
func Percent(k, n int) int {
	if n <= 0 {
		return 0
	}
	return (200*k + n) / (2 * n)
}

// Balance words, for how positive a set of answers or comments is.
const (
	BalancePositive     = "positive"                    // some positive, none negative
	BalanceNegative     = "negative"                    // some negative, none positive
	BalanceMorePositive = "more positive than negative" // both, more positive
	BalanceMoreNegative = "more negative than positive" // both, more negative
	BalanceMixed        = "mixed"                       // as many positive as negative, or only mixed comments
	BalanceNoView       = "no clear view"               // nothing positive, negative or mixed
)

// Balance weighs positive against negative (agree against disagree, or
// positive against negative comments). mixed counts comments coded mixed:
// they decide the balance only when there is nothing else.
func Balance(positive, negative, mixed int) string {
	switch {
	case positive == 0 && negative == 0 && mixed > 0:
		return BalanceMixed
	case positive == 0 && negative == 0:
		return BalanceNoView
	case negative == 0:
		return BalancePositive
	case positive == 0:
		return BalanceNegative
	case positive > negative:
		return BalanceMorePositive
	case negative > positive:
		return BalanceMoreNegative
	}
	return BalanceMixed
}

// Share is a part of a group, as findings show it. When the group is small
// (InWords), the count and the percentage are left at zero, so that no page
// or export can show them by mistake; Show is then the words.
type Share struct {
	N       int    `json:"n,omitempty"`
	Percent int    `json:"percent,omitempty"`
	Words   string `json:"words"`
	Show    string `json:"show"` // "80%", or "most" for a small group
}

func share(k, n int, inWords bool) Share {
	s := Share{Words: ProportionWords(k, n)}
	if inWords {
		s.Show = s.Words
		return s
	}
	s.N, s.Percent = k, Percent(k, n)
	s.Show = strconv.Itoa(s.Percent) + "%"
	return s
}
