package disclosure

import "slices"

// Thresholds of the rules.
const (
	// MinShown is the smallest count published: 1 to MinShown-1 are suppressed.
	MinShown = 5
	// RoundTo is the base counts are rounded to.
	RoundTo = 5
)

// Limits on the search for a safe pattern, so that a pathological table
// costs milliseconds, not minutes; when they are reached Protect suppresses
// more rather than less.
const (
	maxNewCells = 8      // further cells one fix may suppress
	maxNodes    = 20_000 // steps of one search
)

// group is tables protected together: one table, or tables linked as a
// share's parts, laid out alike.
type group struct {
	lay    *layout
	tables []*table
	parts  [][2]int // numerator, denominator: indices into tables
}

// suppress applies primary and secondary suppression to a group. A table
// with a cell that cannot be protected is withheld whole.
func (g *group) suppress() {
	for _, t := range g.tables {
		for i := range t.cells {
			if v := t.cells[i].value; v > 0 && v < MinShown {
				t.cells[i].sup, t.cells[i].primary = true, true
			}
		}
	}
	// A cell once protected stays protected: suppressing more only adds
	// ways for it to move.
	safe := map[[2]int]bool{}
	widened := map[[2]int]bool{}
	for changed := true; changed; {
		changed = false
		for ti, t := range g.tables {
			if t.withheld {
				continue
			}
			for _, i := range g.lay.order {
				if !t.cells[i].sup || safe[[2]int{ti, i}] {
					continue
				}
				changed = true
				if g.protected(ti, i, 0) != nil || g.fix(ti, i) {
					safe[[2]int{ti, i}] = true
					continue
				}
				if !widened[[2]int{ti, i}] {
					// Suppress the rows and columns the cell is in, and look again.
					widened[[2]int{ti, i}] = true
					for _, k := range g.lay.member[i] {
						for _, j := range append([]int{g.lay.cons[k].whole}, g.lay.cons[k].parts...) {
							t.secondary(j)
						}
					}
					continue
				}
				t.withhold()
				break
			}
		}
	}
}

func (t *table) secondary(i int) {
	if c := &t.cells[i]; c.value > 0 && !c.sup {
		c.sup = true
	}
}

func (t *table) withhold() {
	t.withheld = true
	for i := range t.cells {
		t.cells[i].sup = true
	}
}

// movers are the sets of tables that may change together to protect a
// cell of table ti: the table alone, with each table it is a share's part
// of or that is a part of it, and the whole group. Tables that change
// together change alike, so a share's numerator stays within its
// denominator.
func (g *group) movers(ti int) [][]int {
	out := [][]int{{ti}}
	for _, p := range g.parts {
		switch ti {
		case p[0]:
			out = append(out, []int{ti, p[1]})
		case p[1]:
			out = append(out, []int{ti, p[0]})
		}
	}
	if len(g.tables) > 2 {
		all := make([]int, len(g.tables))
		for i := range all {
			all[i] = i
		}
		out = append(out, all)
	}
	return out
}

// protected returns a search that moved cell i of table ti with at most
// budget cells not yet suppressed, or nil. keepTotals keeps the counts for
// everyone, the headline figures, out of the cells it may suppress.
func (g *group) protected(ti, i, budget int, keepTotals ...bool) *search {
	for _, m := range g.movers(ti) {
		s := g.search(m, budget)
		s.keepTotals = len(keepTotals) > 0 && keepTotals[0]
		if s.from(i) {
			return s
		}
	}
	return nil
}

// fix suppresses the fewest further cells that protect cell i of table ti,
// keeping the totals if it can, and reports whether it found them.
func (g *group) fix(ti, i int) bool {
	for _, keepTotals := range []bool{true, false} {
		for budget := 1; budget <= maxNewCells; budget++ {
			if s := g.protected(ti, i, budget, keepTotals); s != nil {
				for _, j := range s.assigned {
					for _, m := range s.movers {
						g.tables[m].secondary(j)
					}
				}
				return true
			}
		}
	}
	return false
}

// search looks for a change of +1 or -1 to some suppressed cells (and up
// to budget cells not suppressed yet), made alike to each of the moving
// tables, that moves a given cell, keeps every cell in the range the
// attacker allows it and cancels in every sum.
type search struct {
	g      *group
	movers []int
	moving []bool // by table
	budget int
	// keepTotals keeps the counts for everyone out of the cells to suppress.
	keepTotals bool
	delta      []int8
	imb        []int // each constraint's whole minus the sum of its parts, in the change
	assigned   []int
	nodes      int
}

func (g *group) search(movers []int, budget int) *search {
	s := &search{g: g, movers: movers, moving: make([]bool, len(g.tables)), budget: budget,
		delta: make([]int8, len(g.lay.keys)), imb: make([]int, len(g.lay.cons))}
	for _, m := range movers {
		s.moving[m] = true
	}
	return s
}

// from tries a change of +1, then -1, to cell i.
func (s *search) from(i int) bool {
	for _, d := range []int8{+1, -1} {
		if s.can(i, d) {
			s.assign(i, d)
			if s.solve() {
				return true
			}
			s.unassign(i)
		}
	}
	return false
}

// rangeOf is the range a cell may take in a table the attacker cannot
// rule out: 1 to 4 for a primary suppression, 5 up for a secondary one (or
// a cell that would become one), anything for a withheld table.
func rangeOf(c *cell, withheld bool) (lo, hi int64) {
	switch {
	case withheld:
		return 0, unbounded
	case c.primary:
		return 1, MinShown - 1
	}
	return MinShown, unbounded
}

// cost is how many cells not yet suppressed a change to cell i needs.
func (s *search) cost(i int) int {
	n := 0
	for _, m := range s.movers {
		if !s.g.tables[m].cells[i].sup {
			n++
		}
	}
	return n
}

// can reports whether cell i may change by d in every moving table.
func (s *search) can(i int, d int8) bool {
	if s.delta[i] != 0 {
		return false
	}
	for _, m := range s.movers {
		t := s.g.tables[m]
		c := &t.cells[i]
		if !c.sup && c.value == 0 {
			return false // zeros are published
		}
		lo, hi := rangeOf(c, t.withheld)
		if v := c.value + int64(d); v < lo || v > hi {
			return false
		}
	}
	// A share's numerator stays within its denominator.
	for _, p := range s.g.parts {
		n := s.g.tables[p[0]].cells[i].value
		den := s.g.tables[p[1]].cells[i].value
		if s.moving[p[0]] {
			n += int64(d)
		}
		if s.moving[p[1]] {
			den += int64(d)
		}
		if n > den {
			return false
		}
	}
	return true
}

func (s *search) assign(i int, d int8) {
	s.delta[i] = d
	s.assigned = append(s.assigned, i)
	s.shift(i, int(d))
	s.budget -= s.cost(i)
}

func (s *search) unassign(i int) {
	s.shift(i, -int(s.delta[i]))
	s.budget += s.cost(i)
	s.delta[i] = 0
	s.assigned = s.assigned[:len(s.assigned)-1]
}

// shift adds cell i's change d to the imbalance of its constraints.
func (s *search) shift(i, d int) {
	for _, k := range s.g.lay.member[i] {
		if s.g.lay.cons[k].whole == i {
			s.imb[k] += d
		} else {
			s.imb[k] -= d
		}
	}
}

// solve balances every constraint, depth first, fixing first the
// constraint with the fewest ways to balance it.
func (s *search) solve() bool {
	s.nodes++
	if s.nodes > maxNodes {
		return false
	}
	best := -1
	var bestMoves []move
	for _, i := range s.assigned {
		for _, k := range s.g.lay.member[i] {
			if s.imb[k] == 0 || k == best {
				continue
			}
			ms := s.moves(k)
			if best < 0 || len(ms) < len(bestMoves) {
				best, bestMoves = k, ms
			}
			if len(ms) == 0 {
				return false
			}
		}
	}
	if best < 0 {
		return true // every constraint balances
	}
	for _, m := range bestMoves {
		s.assign(m.cell, m.d)
		if s.solve() {
			return true
		}
		s.unassign(m.cell)
		if s.nodes > maxNodes {
			return false
		}
	}
	return false
}

type move struct {
	cell int
	d    int8
}

// moves lists the changes to one more cell that reduce constraint k's
// imbalance: suppressed cells first, then (while the budget lasts) cells
// to suppress, smallest first.
func (s *search) moves(k int) []move {
	con := s.g.lay.cons[k]
	need := int8(1) // the whole must go down, or a part up
	if s.imb[k] < 0 {
		need = -1
	}
	var free, costly []move
	try := func(i int, d int8) {
		if !s.can(i, d) {
			return
		}
		switch c := s.cost(i); {
		case c == 0:
			free = append(free, move{i, d})
		case c <= s.budget && !(s.keepTotals && s.g.lay.keys[i].Breakdown == ""):
			costly = append(costly, move{i, d})
		}
	}
	try(con.whole, -need)
	for _, p := range con.parts {
		try(p, need)
	}
	slices.SortStableFunc(costly, func(a, b move) int {
		return compare(s.size(a.cell), s.size(b.cell))
	})
	return append(free, costly...)
}

// size is what suppressing cell i would hide: its largest count.
func (s *search) size(i int) int64 {
	var n int64
	for _, m := range s.movers {
		n = max(n, s.g.tables[m].cells[i].value)
	}
	return n
}

func compare(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
