package report

import (
	"fmt"
	"slices"
)

// easyRead is one plain sentence on how we did on a commitment in the
// report year, for the easy-read summary.
func easyRead(c *Commitment) string {
	if len(c.Measures) == 0 {
		return "We do not measure this promise yet."
	}
	var met, missed, unknown int
	planned := true
	for _, m := range c.Measures {
		switch {
		case m.Status == Met:
			met++
		case m.Status.Missed():
			missed++
			if !slices.ContainsFunc(m.Actions, func(a Action) bool { return a.Status.Open() }) {
				planned = false
			}
		case m.Status == NoData || m.Status == TooFew:
			unknown++
		}
	}
	targets := met + missed
	switch {
	case targets == 0 && unknown == 0:
		return "We tell you in words what we did for this promise."
	case targets == 0:
		return "We do not have enough figures this year to say how we did on this promise."
	case missed == 0 && targets == 1:
		return "We met our target for this promise."
	case missed == 0:
		return fmt.Sprintf("We met all %s of our targets for this promise.", number(targets))
	case met == 0 && planned:
		return fmt.Sprintf("We did not meet %s for this promise, and we have a plan to do better.", targetWord(targets))
	case met == 0:
		return fmt.Sprintf("We did not meet %s for this promise.", targetWord(targets))
	case planned:
		return fmt.Sprintf("We met %s of our %s targets for this promise, and we have a plan to do better on the rest.", number(met), number(targets))
	}
	return fmt.Sprintf("We met %s of our %s targets for this promise.", number(met), number(targets))
}

func targetWord(n int) string {
	if n == 1 {
		return "our target"
	}
	return "any of our " + number(n) + " targets"
}

// number writes small numbers as words, as easy-read text does.
func number(n int) string {
	words := []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return fmt.Sprint(n)
}
