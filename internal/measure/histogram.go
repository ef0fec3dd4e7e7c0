package measure

import (
	"math"
	"slices"
)

// histogram holds a multiset of whole numbers compactly: a count for each
// value from 0 up to denseLimit, and a map for any outside that range. The
// values measures take (working days, counts) are small, so a year of a
// million applications needs a few hundred counts per cell, not a million
// values.
type histogram struct {
	n      int64
	dense  []int64
	sparse map[int64]int64
}

const denseLimit = 1 << 14

func (h *histogram) add(v int64) { h.addN(v, 1) }

// addN adds n values v.
func (h *histogram) addN(v, n int64) {
	h.n += n
	if v >= 0 && v < denseLimit {
		if int(v) >= len(h.dense) {
			h.dense = append(h.dense, make([]int64, int(v)+1-len(h.dense))...)
		}
		h.dense[v] += n
		return
	}
	if h.sparse == nil {
		h.sparse = map[int64]int64{}
	}
	h.sparse[v] += n
}

// kth returns the k-th smallest value (k from 0).
func (h *histogram) kth(k int64) int64 {
	var below, above []int64
	for v := range h.sparse {
		if v < 0 {
			below = append(below, v)
		} else {
			above = append(above, v)
		}
	}
	slices.Sort(below)
	slices.Sort(above)
	for _, v := range below {
		if k -= h.sparse[v]; k < 0 {
			return v
		}
	}
	for v, c := range h.dense {
		if k -= c; k < 0 {
			return int64(v)
		}
	}
	for _, v := range above {
		if k -= h.sparse[v]; k < 0 {
			return v
		}
	}
	return math.MaxInt64 // k out of range: not reached by callers
}

// Quantile returns the p-th percentile (0 < p < 100) of the values in
// sorted, interpolating between the two nearest ranks: the value at rank
// (n-1)·p/100 counted from 0. The median (p = 50) of an even number of
// values is the mean of the middle two. It is the method spreadsheets call
// PERCENTILE.INC.
func Quantile(sorted []int64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	return interpolate(int64(len(sorted)), p, func(k int64) int64 { return sorted[k] })
}

func (h *histogram) quantile(p float64) float64 {
	if h == nil || h.n == 0 {
		return math.NaN()
	}
	return interpolate(h.n, p, h.kth)
}

func interpolate(n int64, p float64, kth func(int64) int64) float64 {
	h := float64(n-1) * p / 100
	lo := int64(math.Floor(h))
	x := float64(kth(lo))
	if frac := h - float64(lo); frac > 0 && lo+1 < n {
		x += frac * (float64(kth(lo+1)) - x)
	}
	return x
}
