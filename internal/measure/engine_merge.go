package measure

import (
	"slices"

	"github.com/charter-service/charter/internal/errs"
)

// Merge adds what o has counted to e, so that the rows of facts can be
// counted by several engines at once (one for each part of the rows, each
// on its own core) and their counts put together: the figures are the same
// as one engine counting every row. Both must be engines of the same set
// and plan; add the survey and feedback to the merged engine only. o is
// not changed.
func (e *Engine) Merge(o *Engine) error {
	if e.set != o.set || !slices.Equal(e.plan.Periods, o.plan.Periods) || e.plan.AsOf != o.plan.AsOf ||
		len(e.frames) != len(o.frames) || len(e.stats) != len(o.stats) {
		return errs.Invalid("engine", "only engines of the same measures and plan can be merged")
	}
	// o numbers breakdown values in the order it met them: find e's number
	// for each.
	remap := make([][]int, len(dims))
	for d := range dims {
		remap[d] = make([]int, len(o.values[d].names))
		for i, name := range o.values[d].names {
			remap[d][i] = int(e.values[d].id(name))
		}
	}
	for i, of := range o.frames {
		ef := e.frames[i]
		for p, byDim := range of.cells {
			if byDim == nil {
				continue
			}
			cells := ef.period(e, p)
			cells[0][0] += byDim[0][0]
			for k, d := range ef.dims {
				for v, n := range byDim[1+k] {
					if n == 0 {
						continue
					}
					at := remap[d][v]
					if at >= len(cells[1+k]) {
						cells[1+k] = append(cells[1+k], make([]int64, at+1-len(cells[1+k]))...)
					}
					cells[1+k][at] += n
				}
			}
		}
	}
	for i, os := range o.stats {
		es := e.stats[i]
		for p, byDim := range os.hists {
			for k, hs := range byDim {
				for v, h := range hs {
					if h == nil {
						continue
					}
					at := v
					if k > 0 {
						at = remap[es.group.dims[k-1]][v]
					}
					if at >= len(es.hists[p][k]) {
						es.hists[p][k] = append(es.hists[p][k], make([]*histogram, at+1-len(es.hists[p][k]))...)
					}
					if es.hists[p][k][at] == nil {
						es.hists[p][k][at] = &histogram{}
					}
					es.hists[p][k][at].merge(h)
				}
			}
		}
	}
	return nil
}

// period returns the cells of period p, made on first use.
func (fa *frameAcc) period(e *Engine, p int) [][]int64 {
	if fa.cells == nil {
		fa.cells = make([][][]int64, len(e.plan.Periods))
	}
	if fa.cells[p] == nil {
		fa.cells[p] = make([][]int64, 1+len(fa.dims))
		fa.cells[p][0] = make([]int64, 1)
	}
	return fa.cells[p]
}

// merge adds o's values to h.
func (h *histogram) merge(o *histogram) {
	h.n += o.n
	if len(o.dense) > len(h.dense) {
		h.dense = append(h.dense, make([]int64, len(o.dense)-len(h.dense))...)
	}
	for v, c := range o.dense {
		h.dense[v] += c
	}
	for v, c := range o.sparse {
		if h.sparse == nil {
			h.sparse = map[int64]int64{}
		}
		h.sparse[v] += c
	}
}
