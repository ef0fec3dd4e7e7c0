package measure

import (
	"fmt"
	"slices"
	"strings"
)

// countDef is a compiled Count: the same definition compiles to the same
// key, so measures that count the same thing share one frame of figures
// (and one pattern of suppressed cells when they are published).
type countDef struct {
	key       string
	countedOn FactField
	where     []condition
	sum       *FactField // nil: count applications
}

// measureCounts is a measure's compiled computation.
type measureCounts struct {
	base  *countDef  // count: what is counted; share, rate: the denominator; median: the group
	num   *countDef  // share, rate: the numerator
	value *FactField // median, percentile
}

// exact lists the facts a count reads as they are: every fact its
// conditions test and the fact it adds up. (Its date it reads only to
// find the periods an application counts in.)
func (c *countDef) exact() []string {
	var out []string
	for _, cond := range c.where {
		for _, t := range cond {
			out = append(out, t.field.Name)
			if t.other != nil {
				out = append(out, t.other.Name)
			}
		}
	}
	if c.sum != nil {
		out = append(out, c.sum.Name)
	}
	return out
}

func compileCount(c Count) (*countDef, error) {
	on, err := fact(c.CountedOn)
	if err != nil {
		return nil, err
	}
	def := &countDef{countedOn: on}
	var keys []string
	for _, w := range c.Where {
		cond, err := parseCondition(w)
		if err != nil {
			return nil, err
		}
		def.where = append(def.where, cond)
		keys = append(keys, cond.String())
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	sum := "applications"
	if c.Sum != "" {
		f, err := fact(c.Sum)
		if err != nil {
			return nil, err
		}
		def.sum, sum = &f, "sum "+f.Name
	}
	def.key = "events: " + sum + " counted on " + on.Name
	if len(keys) > 0 {
		def.key += " where " + strings.Join(keys, " and ")
	}
	return def, nil
}

// compile turns an events measure's computation into count definitions.
func (m *Measure) compile() error {
	c := m.Computation
	base, err := compileCount(c.Count)
	if err != nil {
		return fmt.Errorf("%s: %w", m, err)
	}
	mc := measureCounts{base: base}
	switch c.Kind {
	case KindShare:
		num := Count{CountedOn: c.Count.CountedOn, Where: append(slices.Clone(c.Count.Where), c.Numerator.Where...), Sum: c.Count.Sum}
		if c.Numerator.Sum != "" {
			num.Sum = c.Numerator.Sum
		}
		if mc.num, err = compileCount(num); err != nil {
			return err
		}
	case KindRate:
		if mc.num, err = compileCount(*c.Numerator); err != nil {
			return err
		}
	case KindMedian, KindPercentile:
		v, err := fact(c.Value)
		if err != nil {
			return err
		}
		mc.value = &v
	}
	m.counts = mc
	return nil
}
