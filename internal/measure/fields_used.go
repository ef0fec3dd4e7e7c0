package measure

import "slices"

// Fields lists the facts the set's events measures read, by name, in
// FactFields order: the breakdowns its measures are broken down by (the
// engine keeps no others: a count shared by measures keeps the breakdowns
// of those measures), every date a count is counted on, every fact a
// condition tests, every fact summed and every value of a median or
// percentile. The engine reads no others, so a store streaming rows for it
// may leave the rest out. The reference is not among them (one string a
// row, the costliest to read): the engine names the application in a
// message only when it has it.
func (s *Set) Fields() []string {
	used := map[string]bool{}
	addCount := func(c *countDef) {
		if c == nil {
			return
		}
		used[c.countedOn.Name] = true
		for _, name := range c.exact() {
			used[name] = true
		}
	}
	for _, m := range s.Measures {
		if m.Source != SourceEvents {
			continue
		}
		for _, d := range dimIndices(m.Dimensions()) {
			used[dims[d].name] = true
		}
		addCount(m.counts.base)
		addCount(m.counts.num)
		if m.counts.value != nil {
			used[m.counts.value.Name] = true
		}
	}
	var out []string
	for _, f := range factFields {
		if used[f.Name] {
			out = append(out, f.Name)
		}
	}
	return out
}

// Only is the set with just the measures named (in the set's order), for
// computing some measures on their own. It shares the set's compiled
// measures and survey questions.
func (s *Set) Only(ids ...string) *Set {
	out := &Set{Questions: s.Questions}
	for _, m := range s.Measures {
		if slices.Contains(ids, m.ID) {
			out.Measures = append(out.Measures, m)
		}
	}
	return out
}
