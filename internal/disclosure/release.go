package disclosure

import (
	"math"
	"slices"
	"strconv"

	"github.com/charter-service/charter/internal/errs"
)

// State says whether a figure is shown.
type State int

const (
	NoData     State = iota // nothing to show: no table, an empty denominator or group
	Shown                   // published
	Suppressed              // too few to report: shown as [c]
)

// SuppressedMark is how a suppressed figure is written.
const SuppressedMark = "[c]"

// Count is a count that may be published: rounded to the nearest 5, or
// suppressed. Only a Release makes one.
type Count struct {
	state   State
	rounded int64
}

// State says whether the count is shown.
func (c Count) State() State { return c.state }

// Value is the rounded count, and whether it is shown.
func (c Count) Value() (int64, bool) { return c.rounded, c.state == Shown }

// String writes the count with thousands separators ("1,235"), or [c]
// when suppressed, or "" when there is none.
func (c Count) String() string {
	switch c.state {
	case Shown:
		return thousands(c.rounded)
	case Suppressed:
		return SuppressedMark
	}
	return ""
}

// Ratio is a percentage or a rate per N that may be published, to one
// decimal place. Only a Release makes one.
type Ratio struct {
	state  State
	tenths int64
}

// State says whether the ratio is shown.
func (r Ratio) State() State { return r.state }

// Value is the ratio to one decimal place, and whether it is shown.
func (r Ratio) Value() (float64, bool) { return float64(r.tenths) / 10, r.state == Shown }

// String writes the ratio to one decimal place ("92.3"), or [c], or "".
func (r Ratio) String() string { return tenthsString(r.state, r.tenths) }

// Statistic is a median or percentile that may be published, to one
// decimal place. Only a Release makes one.
type Statistic struct {
	state  State
	tenths int64
}

// State says whether the statistic is shown.
func (s Statistic) State() State { return s.state }

// Value is the statistic to one decimal place, and whether it is shown.
func (s Statistic) Value() (float64, bool) { return float64(s.tenths) / 10, s.state == Shown }

// String writes the statistic to one decimal place, or [c], or "".
func (s Statistic) String() string { return tenthsString(s.state, s.tenths) }

func tenthsString(st State, tenths int64) string {
	switch st {
	case Shown:
		sign := ""
		if tenths < 0 {
			sign, tenths = "-", -tenths
		}
		return sign + thousands(tenths/10) + "." + strconv.FormatInt(tenths%10, 10)
	case Suppressed:
		return SuppressedMark
	}
	return ""
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// Release is the result of protecting a set of tables: what may be
// published of them, and nothing else.
type Release struct {
	tables map[string]*table
	pairs  map[[2]string]bool
	groups []*group
}

// Protect applies the rules to tables protected together (usually every
// table of one report year) and returns what may be published. pairs
// declare the tables whose ratios will be published. It refuses tables
// whose parts do not add up, negative counts, two tables with one id, and
// a share's numerator above its denominator.
func Protect(tables []Table, pairs []Pair) (*Release, error) {
	byID := map[string]int{}
	for i, t := range tables {
		if _, dup := byID[t.ID]; dup {
			return nil, errs.Invalid("tables", "two tables have the id %s", t.ID)
		}
		byID[t.ID] = i
	}
	// Tables linked as a share's parts are protected together.
	root := make([]int, len(tables))
	for i := range root {
		root[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for root[i] != i {
			root[i] = root[root[i]]
			i = root[i]
		}
		return i
	}
	r := &Release{tables: map[string]*table{}, pairs: map[[2]string]bool{}}
	for _, p := range pairs {
		n, okN := byID[p.Numerator]
		d, okD := byID[p.Denominator]
		if !okN || !okD {
			return nil, errs.Invalid("pairs", "a ratio names table %s over table %s, and there is no such table", p.Numerator, p.Denominator)
		}
		if p.Part && n == d {
			return nil, errs.Invalid("pairs", "table %s cannot be a part of itself", p.Numerator)
		}
		if p.Part {
			root[find(n)] = find(d)
		}
		r.pairs[[2]string{p.Numerator, p.Denominator}] = true
	}
	members := map[int][]int{}
	for i := range tables {
		members[find(i)] = append(members[find(i)], i)
	}
	for _, rootIdx := range slices.Sorted(mapKeys(members)) {
		idx := members[rootIdx]
		ts := make([]Table, len(idx))
		for k, i := range idx {
			ts[k] = tables[i]
		}
		lay, err := newLayout(ts)
		if err != nil {
			return nil, err
		}
		g := &group{lay: lay}
		local := map[string]int{}
		for _, t := range ts {
			tb, err := newTable(t, lay)
			if err != nil {
				return nil, err
			}
			local[t.ID] = len(g.tables)
			g.tables = append(g.tables, tb)
			r.tables[t.ID] = tb
		}
		for _, p := range pairs {
			n, okN := local[p.Numerator]
			d, okD := local[p.Denominator]
			if !p.Part || !okN || !okD {
				continue
			}
			for i, key := range lay.keys {
				if nv, dv := g.tables[n].cells[i].value, g.tables[d].cells[i].value; nv > dv {
					return nil, errs.Invalid("pairs", "table %s counts %d for %s, more than the %d of table %s, of which it is a part", p.Numerator, nv, key, dv, p.Denominator)
				}
			}
			g.parts = append(g.parts, [2]int{n, d})
		}
		g.suppress()
		r.groups = append(r.groups, g)
	}
	return r, nil
}

func (r *Release) cell(table string, c Cell) (*cell, bool) {
	t, ok := r.tables[table]
	if !ok {
		return nil, false
	}
	i, ok := t.lay.index[c]
	if !ok {
		return &cell{sup: t.withheld}, true // a cell the table never saw: 0
	}
	return &t.cells[i], true
}

// Count is the published count of a cell of a table; NoData when there is
// no such table.
func (r *Release) Count(table string, c Cell) Count {
	x, ok := r.cell(table, c)
	switch {
	case !ok:
		return Count{}
	case x.sup:
		return Count{state: Suppressed}
	}
	return Count{state: Shown, rounded: Round(x.value)}
}

// Round rounds a count to the nearest RoundTo, halves up (never reached
// for a base of 5).
func Round(n int64) int64 { return (n + RoundTo/2) / RoundTo * RoundTo }

// Ratio is per × numerator ÷ denominator for a cell, worked out from the
// unrounded counts of a declared ratio: suppressed when either count is,
// NoData when the denominator is 0 or the ratio was not declared to
// Protect. A percentage has per 100.
func (r *Release) Ratio(numerator, denominator string, c Cell, per int64) Ratio {
	if !r.pairs[[2]string{numerator, denominator}] || per <= 0 {
		return Ratio{}
	}
	n, _ := r.cell(numerator, c)
	d, _ := r.cell(denominator, c)
	switch {
	case n.sup || d.sup:
		return Ratio{state: Suppressed}
	case d.value == 0:
		return Ratio{}
	}
	// Half up, in whole numbers: round(10 × per × n / d).
	return Ratio{state: Shown, tenths: (20*per*n.value + d.value) / (2 * d.value)}
}

// Statistic publishes a statistic of the group a cell of a table counts:
// suppressed when the count is, NoData when the group is empty (or the
// value is not a number).
func (r *Release) Statistic(table string, c Cell, value float64) Statistic {
	x, ok := r.cell(table, c)
	switch {
	case !ok || math.IsNaN(value) || math.IsInf(value, 0):
		return Statistic{}
	case x.sup:
		return Statistic{state: Suppressed}
	case x.value == 0:
		return Statistic{}
	}
	return Statistic{state: Shown, tenths: int64(math.Round(value * 10))}
}

// Suppressed lists the suppressed cells of a table, for a report's notes.
func (r *Release) Suppressed(table string) []Cell {
	t, ok := r.tables[table]
	if !ok {
		return nil
	}
	var out []Cell
	for _, i := range t.lay.order {
		if t.cells[i].sup {
			out = append(out, t.lay.keys[i])
		}
	}
	return out
}

// jsonOf writes a published figure as JSON: a number when shown, "[c]"
// when suppressed, null when there is none.
func jsonOf(st State, number string) []byte {
	switch st {
	case Shown:
		return []byte(number)
	case Suppressed:
		return []byte(`"` + SuppressedMark + `"`)
	}
	return []byte("null")
}

// MarshalJSON writes the count as a number, "[c]" or null.
func (c Count) MarshalJSON() ([]byte, error) {
	return jsonOf(c.state, strconv.FormatInt(c.rounded, 10)), nil
}

// MarshalJSON writes the ratio as a number to one decimal place, "[c]" or null.
func (r Ratio) MarshalJSON() ([]byte, error) {
	return jsonOf(r.state, strconv.FormatFloat(float64(r.tenths)/10, 'f', 1, 64)), nil
}

// MarshalJSON writes the statistic as a number to one decimal place, "[c]" or null.
func (s Statistic) MarshalJSON() ([]byte, error) {
	return jsonOf(s.state, strconv.FormatFloat(float64(s.tenths)/10, 'f', 1, 64)), nil
}

// String names the state: "shown", "suppressed" or "no data".
func (s State) String() string {
	switch s {
	case Shown:
		return "shown"
	case Suppressed:
		return "suppressed"
	}
	return "no data"
}
