package charter

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// This file walks yaml.Node trees by hand rather than decoding into structs,
// so that every problem carries the line it is on, unknown fields are
// reported instead of dropped, and one pass finds every problem in a file.

// decoder collects problems for one file.
type decoder struct {
	file  string
	probs Problems
}

func (d *decoder) errorf(line int, format string, args ...any) {
	d.probs = append(d.probs, Problem{File: d.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// yamlErrLine matches the line number yaml.v3 puts in its syntax errors.
var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseDocument parses data as a single YAML document whose top level is a
// mapping, and returns that mapping. On failure it records a problem and
// returns nil.
func (d *decoder) parseDocument(data []byte) *yaml.Node {
	if len(bytes.TrimSpace(data)) == 0 {
		d.errorf(0, "the file is empty")
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := safeDecode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.errorf(0, "the file has no content, only comments")
		} else {
			d.yamlError(data, err)
		}
		return nil
	}
	var extra yaml.Node
	switch err := safeDecode(dec, &extra); {
	case err == nil:
		d.errorf(extra.Line, "a second YAML document starts here: put each document in its own file")
		return nil
	case !errors.Is(err, io.EOF):
		d.yamlError(data, err)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		d.errorf(0, "the file has no content")
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		d.errorf(root.Line, "the file must be a set of fields (\"name: value\" lines), not %s", describe(root))
		return nil
	}
	return root
}

// safeDecode decodes the next document, turning a panic inside the YAML
// library into an error so that a malformed file can never crash the caller.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the file could not be read as YAML (%v)", r)
		}
	}()
	return dec.Decode(n)
}

// parserProblems are the syntax errors that yaml.v3 (v3.0.1) raises in its
// parser rather than its scanner. For these it reports a line counted from 0
// instead of 1, so yamlError adds one. The line is that of the structure being
// read when the error was found (a list or mapping that is not closed, say),
// which may be above the line the mistake is on.
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// yamlError records a YAML syntax error, using its line number if it has one.
func (d *decoder) yamlError(data []byte, err error) {
	msg := err.Error()
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if parserProblems[m[2]] {
			line++
		}
		// An error found at the end of the file is reported on the line
		// after the last one; point at the last line instead.
		lines := bytes.Count(data, []byte("\n"))
		if !bytes.HasSuffix(data, []byte("\n")) {
			lines++
		}
		line = min(line, lines)
		d.errorf(line, "YAML syntax: %s", m[2])
		return
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	d.errorf(locate(data, msg), "YAML syntax: %s", msg)
}

// readerProblems are the errors yaml.v3 raises, without a line, when the
// bytes are not text it accepts.
var readerProblems = map[string]bool{
	"invalid leading UTF-8 octet":        true,
	"incomplete UTF-8 octet sequence":    true,
	"invalid trailing UTF-8 octet":       true,
	"invalid length of a UTF-8 sequence": true,
	"invalid Unicode character":          true,
	"control characters are not allowed": true,
}

// locate finds the line of an error that yaml.v3 reports without one, or
// returns 0.
func locate(data []byte, msg string) int {
	if readerProblems[msg] && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}) && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if (r == utf8.RuneError && size <= 1) || !allowedRune(r) {
				return 1 + bytes.Count(data[:i], []byte("\n"))
			}
			i += size
		}
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		at := regexp.MustCompile(`\*` + regexp.QuoteMeta(m[1]) + `(?:[\s,\]}]|$)`).FindIndex(data)
		if at != nil {
			return 1 + bytes.Count(data[:at[0]], []byte("\n"))
		}
	}
	return 0
}

var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// allowedRune reports whether YAML allows r in a document.
func allowedRune(r rune) bool {
	switch {
	case r == 0x09, r == 0x0A, r == 0x0D, r == 0x85:
	case r >= 0x20 && r <= 0x7E:
	case r >= 0xA0 && r <= 0xD7FF:
	case r >= 0xE000 && r <= 0xFFFD:
	case r >= 0x10000 && r <= 0x10FFFF:
	default:
		return false
	}
	return true
}

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
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null":
		return "empty"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

// fields is one YAML mapping, checked against the fields it may hold.
type fields struct {
	what string                // what the mapping describes, for messages ("commitment")
	node *yaml.Node            // the mapping itself
	keys map[string]*yaml.Node // key nodes, by name (first occurrence)
	vals map[string]*yaml.Node // value nodes, by name; nil if unusable (an alias)
}

// has reports whether the field is present.
func (f fields) has(key string) bool {
	_, ok := f.keys[key]
	return ok
}

// line returns the line of a field's key, or of the mapping if it is absent.
func (f fields) line(key string) int {
	if k, ok := f.keys[key]; ok {
		return k.Line
	}
	return f.node.Line
}

// mapping checks that n is a mapping holding only the known fields, each at
// most once. It reports unknown, repeated and aliased fields. ok is false if n
// is not a mapping at all.
func (d *decoder) mapping(n *yaml.Node, what string, known ...string) (f fields, ok bool) {
	f = fields{what: what, node: n, keys: map[string]*yaml.Node{}, vals: map[string]*yaml.Node{}}
	if n.Kind == yaml.AliasNode {
		d.aliasError(n)
		return f, false
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n.Line, "each %s must be a set of fields (\"name: value\" lines), not %s", what, describe(n))
		return f, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!null" {
			d.errorf(k.Line, "a field name in %s must be plain text, not %s", what, describe(k))
			continue
		}
		name := k.Value
		if first, dup := f.keys[name]; dup {
			d.errorf(k.Line, "field %q appears twice in this %s (first on line %d)", name, what, first.Line)
			continue
		}
		if !slices.Contains(known, name) {
			d.unknownField(k, what, known)
			continue
		}
		f.keys[name] = k
		if v.Kind == yaml.AliasNode {
			d.aliasError(v)
			v = nil
		}
		f.vals[name] = v
	}
	return f, true
}

func (d *decoder) aliasError(n *yaml.Node) {
	d.errorf(n.Line, "aliases (*%s) are not supported: write the value out in full", n.Value)
}

func (d *decoder) unknownField(k *yaml.Node, what string, known []string) {
	if k.Value == "<<" {
		d.errorf(k.Line, "merge keys (<<) are not supported: write the fields out in full")
		return
	}
	best, bestDist := "", 3
	for _, name := range known {
		if dist := editDistance(strings.ToLower(k.Value), name); dist < bestDist {
			best, bestDist = name, dist
		}
	}
	if best != "" {
		d.errorf(k.Line, "unknown field %q in %s (did you mean %q?)", k.Value, what, best)
		return
	}
	d.errorf(k.Line, "unknown field %q in %s: the fields are %s", k.Value, what, strings.Join(known, ", "))
}

// present returns a field's value, reporting it if it is required and absent.
// ok is false if the field is absent or unusable.
func (d *decoder) present(f fields, key string, required bool) (*yaml.Node, bool) {
	v, has := f.vals[key]
	if !has {
		if required {
			d.errorf(f.node.Line, "missing required field %q in %s", key, f.what)
		}
		return nil, false
	}
	return v, v != nil
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// text returns a text field, trimmed of surrounding space. A required field
// must be present and not empty.
func (d *decoder) text(f fields, key string, required bool) string {
	v, ok := d.present(f, key, required)
	if !ok {
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		d.errorf(v.Line, "%q must be text, not %s", key, describe(v))
		return ""
	}
	s := ""
	if !isNull(v) {
		s = strings.TrimSpace(v.Value)
	}
	if s == "" && required {
		d.errorf(f.line(key), "%q must not be empty", key)
	}
	return s
}

// integer returns a whole-number field and whether it was given.
func (d *decoder) integer(f fields, key string, required bool) (int, bool) {
	v, ok := d.present(f, key, required)
	if !ok {
		return 0, false
	}
	if isNull(v) {
		if required {
			d.errorf(f.line(key), "%q must not be empty", key)
		}
		return 0, false
	}
	var n int
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || v.Decode(&n) != nil {
		d.errorf(v.Line, "%q must be a whole number, not %s", key, describe(v))
		return 0, false
	}
	return n, true
}

// boolean returns a true/false field (false if absent).
func (d *decoder) boolean(f fields, key string) bool {
	v, ok := d.present(f, key, false)
	if !ok || isNull(v) {
		return false
	}
	var b bool
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
		d.errorf(v.Line, "%q must be true or false, not %s", key, describe(v))
		return false
	}
	return b
}

// item is one entry of a list of text, with its line.
type item struct {
	value string
	line  int
}

// textList returns a list of text entries. Empty and repeated entries are
// reported.
func (d *decoder) textList(f fields, key string) []item {
	v, ok := d.present(f, key, false)
	if !ok || isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		d.errorf(v.Line, "%q must be a list (like [a, b] or lines starting \"- \"), not %s", key, describe(v))
		return nil
	}
	var items []item
	seen := map[string]int{}
	for _, n := range v.Content {
		switch {
		case n.Kind == yaml.AliasNode:
			d.aliasError(n)
		case n.Kind != yaml.ScalarNode:
			d.errorf(n.Line, "each entry in %q must be text, not %s", key, describe(n))
		case isNull(n) || strings.TrimSpace(n.Value) == "":
			d.errorf(n.Line, "an entry in %q is empty", key)
		default:
			s := strings.TrimSpace(n.Value)
			if first, dup := seen[s]; dup {
				d.errorf(n.Line, "%q is listed twice in %q (first on line %d)", s, key, first)
				continue
			}
			seen[s] = n.Line
			items = append(items, item{value: s, line: n.Line})
		}
	}
	return items
}

// list returns the entries of a list field. A required list must be present
// and hold at least one entry, called noun in messages.
func (d *decoder) list(f fields, key, noun string, required bool) []*yaml.Node {
	v, ok := d.present(f, key, required)
	if !ok {
		return nil
	}
	if isNull(v) || (v.Kind == yaml.SequenceNode && len(v.Content) == 0) {
		if required {
			d.errorf(f.line(key), "%q must list at least one %s", key, noun)
		}
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		d.errorf(v.Line, "%q must be a list (lines starting \"- \"), not %s", key, describe(v))
		return nil
	}
	return v.Content
}

// submapping returns the fields of a nested mapping field.
func (d *decoder) submapping(f fields, key, what string, required bool, known ...string) (fields, bool) {
	v, ok := d.present(f, key, required)
	if !ok {
		return fields{}, false
	}
	if isNull(v) {
		if required {
			d.errorf(f.line(key), "%q must not be empty", key)
		}
		return fields{}, false
	}
	if v.Kind != yaml.MappingNode && v.Kind != yaml.AliasNode {
		d.errorf(v.Line, "%q must be a set of fields (\"name: value\" lines), not %s", key, describe(v))
		return fields{}, false
	}
	return d.mapping(v, what, known...)
}

// slug is the form of stable keys and ids: lowercase letters and digits in
// words joined by single hyphens.
var slug = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// checkSlug reports a value that is not a slug.
func (d *decoder) checkSlug(f fields, key, value, example string) {
	if value != "" && !slug.MatchString(value) {
		d.errorf(f.line(key), "%s %q must be a lowercase slug: letters a-z, digits and single hyphens, like %q",
			key, value, example)
	}
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
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
