package yamlfile

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/charter-service/charter/internal/calendar"
)

// describe names the kind of a node for messages ("a list", "text").
func describe(n *yaml.Node) string {
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.MappingNode:
		return "a set of fields"
	case n.Kind == yaml.AliasNode:
		return "an alias"
	case isNull(n):
		return "empty"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("%q", Clip(n.Value))
	}
	return "something else"
}

// Clip shortens a value repeated in a message, so that a paragraph pasted
// into the wrong field does not swamp the message about it.
func Clip(s string) string {
	const most = 60
	if r := []rune(s); len(r) > most {
		return string(r[:most]) + "…"
	}
	return s
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// Fields is one YAML mapping, checked against the fields it may hold.
type Fields struct {
	what  string                // what the mapping describes, for messages ("commitment")
	node  *yaml.Node            // the mapping itself; nil if there is none
	keys  map[string]*yaml.Node // key nodes, by name (first occurrence)
	vals  map[string]*yaml.Node // value nodes, by name; nil if unusable (an alias)
	order []string              // the names in keys, in the order of the file
}

// Has reports whether the field is present.
func (f Fields) Has(key string) bool {
	_, ok := f.keys[key]
	return ok
}

// Line returns the line of a field's key, or of the mapping if it is absent
// (Line("") is always the mapping's line), or 0 if there is no mapping.
func (f Fields) Line(key string) int {
	if k, ok := f.keys[key]; ok {
		return k.Line
	}
	if f.node == nil {
		return 0
	}
	return f.node.Line
}

// Keys returns the known fields present, each once, in the order of the file.
func (f Fields) Keys() []string {
	return slices.Clone(f.order)
}

// Mapping checks that n is a mapping holding only the known fields, each at
// most once. It reports unknown, repeated and aliased fields. ok is false if n
// is not a mapping at all.
func (r *Reader) Mapping(n *yaml.Node, what string, known ...string) (f Fields, ok bool) {
	f = Fields{what: what, node: n, keys: map[string]*yaml.Node{}, vals: map[string]*yaml.Node{}}
	if n.Kind == yaml.AliasNode {
		r.aliasError(n)
		return f, false
	}
	if n.Kind != yaml.MappingNode {
		r.Errorf(n.Line, "each %s must be a set of fields (\"name: value\" lines), not %s", what, describe(n))
		return f, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || isNull(k) {
			r.Errorf(k.Line, "a field name in %s must be plain text, not %s", what, describe(k))
			continue
		}
		name := k.Value
		if first, dup := f.keys[name]; dup {
			r.Errorf(k.Line, "field %q appears twice in this %s (first on line %d)", name, what, first.Line)
			continue
		}
		if !slices.Contains(known, name) {
			r.unknownField(k, what, known)
			continue
		}
		f.keys[name] = k
		f.order = append(f.order, name)
		if v.Kind == yaml.AliasNode {
			r.aliasError(v)
			v = nil
		}
		f.vals[name] = v
	}
	return f, true
}

func (r *Reader) aliasError(n *yaml.Node) {
	r.Errorf(n.Line, "aliases (*%s) are not supported: write the value out in full", n.Value)
}

func (r *Reader) unknownField(k *yaml.Node, what string, known []string) {
	if k.Value == "<<" {
		r.Errorf(k.Line, "merge keys (<<) are not supported: write the fields out in full")
		return
	}
	best, bestDist := "", 3
	for _, name := range known {
		if dist := EditDistance(strings.ToLower(k.Value), name); dist < bestDist {
			best, bestDist = name, dist
		}
	}
	if best != "" {
		r.Errorf(k.Line, "unknown field %q in %s (did you mean %q?)", Clip(k.Value), what, best)
		return
	}
	r.Errorf(k.Line, "unknown field %q in %s: the fields are %s", Clip(k.Value), what, strings.Join(known, ", "))
}

// EditDistance is the Levenshtein distance between two short strings, for
// suggesting the name a misspelt one was meant to be.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Present returns a field's value, reporting it if it is required and absent.
// ok is false if the field is absent or unusable.
func (r *Reader) Present(f Fields, key string, required bool) (*yaml.Node, bool) {
	v, has := f.vals[key]
	if !has {
		if required {
			r.Errorf(f.Line(""), "missing required field %q in %s", key, f.what)
		}
		return nil, false
	}
	return v, v != nil
}

// Text returns a text field, trimmed of surrounding space. A required field
// must be present and not empty.
func (r *Reader) Text(f Fields, key string, required bool) string {
	v, ok := r.Present(f, key, required)
	if !ok {
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		r.Errorf(v.Line, "%q must be text, not %s", key, describe(v))
		return ""
	}
	s := ""
	if !isNull(v) {
		s = strings.TrimSpace(v.Value)
	}
	if s == "" && required {
		r.Errorf(f.Line(key), "%q must not be empty", key)
	}
	return s
}

// Integer returns a whole-number field and whether it was given. A required
// field must be present and not empty.
func (r *Reader) Integer(f Fields, key string, required bool) (int, bool) {
	v, ok := r.Present(f, key, required)
	if !ok {
		return 0, false
	}
	if isNull(v) {
		if required {
			r.Errorf(f.Line(key), "%q must not be empty", key)
		}
		return 0, false
	}
	var n int
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || v.Decode(&n) != nil {
		r.Errorf(v.Line, "%q must be a whole number, not %s", key, describe(v))
		return 0, false
	}
	return n, true
}

// Number returns a number field (whole or with a decimal point, at most a
// million million either side of 0) and whether it was given.
func (r *Reader) Number(f Fields, key string, required bool) (float64, bool) {
	v, ok := r.Present(f, key, required)
	if !ok {
		return 0, false
	}
	var x float64
	if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!int" && v.ShortTag() != "!!float") || v.Decode(&x) != nil ||
		x != x || x > 1e12 || x < -1e12 {
		r.Errorf(v.Line, "%q must be a number, like 90 or 2.5, not %s", key, describe(v))
		return 0, false
	}
	return x, true
}

// Boolean returns a true/false field (false if absent).
func (r *Reader) Boolean(f Fields, key string) bool {
	v, ok := r.Present(f, key, false)
	if !ok || isNull(v) {
		return false
	}
	var b bool
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
		r.Errorf(v.Line, "%q must be true or false, not %s", key, describe(v))
		return false
	}
	return b
}

// Date returns a date field written YYYY-MM-DD, or the zero date if it is
// absent or not a real date.
func (r *Reader) Date(f Fields, key string, required bool) calendar.Date {
	s := r.Text(f, key, required)
	if s == "" {
		return 0
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		r.Errorf(f.Line(key), "%q must be a real date written YYYY-MM-DD, like 2026-05-11, not %q", key, Clip(s))
		return 0
	}
	return d
}

// Item is one entry of a list of text, with its line.
type Item struct {
	Value string
	Line  int
}

// TextList returns a list of text entries. Empty and repeated entries are
// reported. A required list must be present and hold at least one entry.
func (r *Reader) TextList(f Fields, key string, required bool) []Item {
	v, ok := r.Present(f, key, required)
	if !ok {
		return nil
	}
	if isNull(v) || (v.Kind == yaml.SequenceNode && len(v.Content) == 0) {
		if required {
			r.Errorf(f.Line(key), "%q must list at least one entry", key)
		}
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		r.Errorf(v.Line, "%q must be a list (like [a, b] or lines starting \"- \"), not %s", key, describe(v))
		return nil
	}
	var items []Item
	seen := map[string]int{}
	for _, n := range v.Content {
		switch {
		case n.Kind == yaml.AliasNode:
			r.aliasError(n)
		case n.Kind != yaml.ScalarNode:
			r.Errorf(n.Line, "each entry in %q must be text, not %s", key, describe(n))
		case isNull(n) || strings.TrimSpace(n.Value) == "":
			r.Errorf(n.Line, "an entry in %q is empty", key)
		default:
			s := strings.TrimSpace(n.Value)
			if first, dup := seen[s]; dup {
				r.Errorf(n.Line, "%q is listed twice in %q (first on line %d)", Clip(s), key, first)
				continue
			}
			seen[s] = n.Line
			items = append(items, Item{Value: s, Line: n.Line})
		}
	}
	return items
}

// List returns the entries of a list field. A required list must be present
// and hold at least one entry, called noun in messages.
func (r *Reader) List(f Fields, key, noun string, required bool) []*yaml.Node {
	v, ok := r.Present(f, key, required)
	if !ok {
		return nil
	}
	if isNull(v) || (v.Kind == yaml.SequenceNode && len(v.Content) == 0) {
		if required {
			r.Errorf(f.Line(key), "%q must list at least one %s", key, noun)
		}
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		r.Errorf(v.Line, "%q must be a list (lines starting \"- \"), not %s", key, describe(v))
		return nil
	}
	return v.Content
}

// Submapping returns the fields of a nested mapping field, checked as Mapping
// checks them. ok is false if the field is absent, empty or not a mapping.
func (r *Reader) Submapping(f Fields, key, what string, required bool, known ...string) (Fields, bool) {
	v, ok := r.Present(f, key, required)
	if !ok {
		return Fields{what: what}, false
	}
	if isNull(v) {
		if required {
			r.Errorf(f.Line(key), "%q must not be empty", key)
		}
		return Fields{what: what}, false
	}
	if v.Kind != yaml.MappingNode && v.Kind != yaml.AliasNode {
		r.Errorf(v.Line, "%q must be a set of fields (\"name: value\" lines), not %s", key, describe(v))
		return Fields{what: what}, false
	}
	return r.Mapping(v, what, known...)
}

// slug is the form of stable keys and ids: lowercase letters and digits in
// words joined by single hyphens.
var slug = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// IsSlug reports whether s is a lowercase slug: letters a-z and digits in
// words joined by single hyphens, like "keep-you-updated".
func IsSlug(s string) bool { return slug.MatchString(s) }

// CheckSlug reports a field's value that is not a slug.
func (r *Reader) CheckSlug(f Fields, key, value, example string) {
	if value != "" && !IsSlug(value) {
		r.Errorf(f.Line(key), "%s %q must be a lowercase slug: letters a-z, digits and single hyphens, like %q",
			key, Clip(value), example)
	}
}
