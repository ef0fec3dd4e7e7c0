package disclosure

import (
	"cmp"
	"slices"
	"strings"

	"github.com/charter-service/charter/internal/errs"
)

// Cell names one cell of a table: a breakdown and one of its values ("" and
// "" for everyone) in a period.
type Cell struct {
	Breakdown string
	Value     string
	Period    string
}

// Total is the cell for everyone in a period.
func Total(period string) Cell { return Cell{Period: period} }

func (c Cell) String() string {
	if c.Breakdown == "" {
		return "everyone in " + c.Period
	}
	return c.Breakdown + " " + c.Value + " in " + c.Period
}

// Table is the raw counts of one quantity, usually for one financial year.
type Table struct {
	// ID names the quantity, such as a measure's definition of what it
	// counts and the year. It must be unique among the tables protected
	// together.
	ID string
	// Counts by cell. A cell left out counts 0. Every breakdown value seen
	// in any period has a cell in every period.
	Counts map[Cell]int64
	// Parts lists the periods that add up to a period: a year and its four
	// quarters. The counts of each row in the parts add up to its count in
	// the whole.
	Parts map[string][]string
}

// Pair names two tables whose ratio, per N of numerator over denominator,
// will be published.
type Pair struct {
	Numerator, Denominator string // table ids
	// Part says the numerator counts a part of the denominator, cell by
	// cell, as in a share: never more than it.
	Part bool
}

// layout is the cells and sums shared by the tables of a group: tables
// linked as a share's parts are laid out alike, so that a change to one
// can be made to the other cell by cell.
type layout struct {
	keys  []Cell
	index map[Cell]int
	cons  []constraint
	// member lists the constraints each cell is in.
	member [][]int
	order  []int // cells by period, breakdown and value
}

// constraint says the parts add up to the whole.
type constraint struct {
	whole int
	parts []int
	what  string // for messages
}

// table is a Table being protected.
type table struct {
	id       string
	lay      *layout
	cells    []cell
	withheld bool // nothing of it is published
}

type cell struct {
	value   int64
	sup     bool
	primary bool
}

const unbounded = int64(1) << 62

// newLayout lays out the cells and sums of tables that share it.
func newLayout(ts []Table) (*layout, error) {
	periods := map[string]bool{}
	values := map[string]map[string]bool{} // breakdown → values
	var parts map[string][]string
	for _, t := range ts {
		if t.ID == "" {
			return nil, errs.Invalid("id", "a table needs an id")
		}
		if parts != nil && !samePeriods(parts, t.Parts) {
			return nil, errs.Invalid("parts", "table %s has other periods than the tables it is a part of, or that are a part of it", t.ID)
		}
		parts = t.Parts
		if parts == nil {
			parts = map[string][]string{}
		}
		for c, n := range t.Counts {
			switch {
			case n < 0:
				return nil, errs.Invalid("counts", "table %s: the count for %s is %d, below 0", t.ID, c, n)
			case (c.Breakdown == "") != (c.Value == ""):
				return nil, errs.Invalid("counts", "table %s: a cell has a breakdown without a value, or a value without a breakdown (%q, %q)", t.ID, c.Breakdown, c.Value)
			case c.Period == "":
				return nil, errs.Invalid("counts", "table %s: a cell has no period", t.ID)
			}
			periods[c.Period] = true
			if c.Breakdown != "" {
				if values[c.Breakdown] == nil {
					values[c.Breakdown] = map[string]bool{}
				}
				values[c.Breakdown][c.Value] = true
			}
		}
	}
	for whole, ps := range parts {
		periods[whole] = true
		for _, p := range ps {
			periods[p] = true
		}
	}
	l := &layout{index: map[Cell]int{}}
	rows := []Cell{{}}
	bs := slices.Sorted(mapKeys(values))
	for _, b := range bs {
		for _, v := range slices.Sorted(mapKeys(values[b])) {
			rows = append(rows, Cell{Breakdown: b, Value: v})
		}
	}
	for _, p := range slices.Sorted(mapKeys(periods)) {
		for _, r := range rows {
			r.Period = p
			l.index[r] = len(l.keys)
			l.keys = append(l.keys, r)
		}
		for _, b := range bs {
			k := constraint{whole: l.index[Total(p)], what: "the breakdown by " + b + " in " + p}
			for _, v := range slices.Sorted(mapKeys(values[b])) {
				k.parts = append(k.parts, l.index[Cell{b, v, p}])
			}
			l.cons = append(l.cons, k)
		}
	}
	for _, whole := range slices.Sorted(mapKeys(parts)) {
		for _, r := range rows {
			w := Cell{r.Breakdown, r.Value, whole}
			k := constraint{whole: l.index[w], what: "the parts of " + whole + " for " + w.String()}
			for _, p := range parts[whole] {
				k.parts = append(k.parts, l.index[Cell{r.Breakdown, r.Value, p}])
			}
			l.cons = append(l.cons, k)
		}
	}
	l.member = make([][]int, len(l.keys))
	for ki, k := range l.cons {
		for _, p := range k.parts {
			l.member[p] = append(l.member[p], ki)
		}
		l.member[k.whole] = append(l.member[k.whole], ki)
	}
	l.order = make([]int, len(l.keys))
	for i := range l.order {
		l.order[i] = i
	}
	slices.SortFunc(l.order, func(a, b int) int {
		x, y := l.keys[a], l.keys[b]
		return cmp.Or(strings.Compare(x.Period, y.Period), strings.Compare(x.Breakdown, y.Breakdown), strings.Compare(x.Value, y.Value))
	})
	return l, nil
}

func samePeriods(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// newTable fills a layout with a Table's counts and checks they add up.
func newTable(t Table, l *layout) (*table, error) {
	tb := &table{id: t.ID, lay: l, cells: make([]cell, len(l.keys))}
	for c, n := range t.Counts {
		tb.cells[l.index[c]].value = n
	}
	for _, k := range l.cons {
		var sum int64
		for _, p := range k.parts {
			sum += tb.cells[p].value
		}
		if sum != tb.cells[k.whole].value {
			return nil, errs.Invalid("counts", "table %s: %s adds up to %d, not %d", t.ID, k.what, sum, tb.cells[k.whole].value)
		}
	}
	return tb, nil
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
