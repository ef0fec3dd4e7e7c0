package measure

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/charter-service/charter/internal/charter"
)

// This file walks yaml.Node trees by hand, as internal/charter does, so that
// every problem carries its line, unknown fields are reported rather than
// dropped, and one pass finds every problem in a file. The problems are
// charter.Problem values, so `charter check` prints them like its own.

type decoder struct {
	file  string
	probs charter.Problems
}

func (d *decoder) errorf(line int, format string, args ...any) {
	d.probs = append(d.probs, charter.Problem{File: d.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// sorted returns the problems by line, keeping the order of those on one line.
func (d *decoder) sorted() charter.Problems {
	slices.SortStableFunc(d.probs, func(a, b charter.Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return d.probs
}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseDocument parses data as one YAML document whose top level is a
// mapping, and returns that mapping, or nil after recording a problem.
func (d *decoder) parseDocument(data []byte) *yaml.Node {
	if len(bytes.TrimSpace(data)) == 0 {
		d.errorf(0, "the file is empty")
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc, extra yaml.Node
	if err := safeDecode(dec, &doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.errorf(0, "the file has no content, only comments")
		} else {
			d.yamlError(data, err)
		}
		return nil
	}
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

// safeDecode turns a panic inside the YAML library into an error, so a
// malformed file can never crash the caller.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the file could not be read as YAML (%v)", r)
		}
	}()
	return dec.Decode(n)
}

// yamlError records a YAML syntax error, on its line when it names one
// (never past the end of the file).
func (d *decoder) yamlError(data []byte, err error) {
	msg := err.Error()
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		lines := bytes.Count(data, []byte("\n"))
		if !bytes.HasSuffix(data, []byte("\n")) {
			lines++
		}
		d.errorf(min(max(line, 1), lines), "YAML syntax: %s", m[2])
		return
	}
	d.errorf(0, "YAML syntax: %s", strings.TrimPrefix(msg, "yaml: "))
}

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
		return strconv.Quote(n.Value)
	}
	return "something else"
}

// fields is one mapping, checked against the fields it may hold.
type fields struct {
	what string
	node *yaml.Node
	keys map[string]*yaml.Node
	vals map[string]*yaml.Node
}

func (f fields) has(key string) bool { _, ok := f.keys[key]; return ok }

// line is the line of a field's key, or of the mapping when it is absent.
func (f fields) line(key string) int {
	if k, ok := f.keys[key]; ok {
		return k.Line
	}
	if f.node == nil {
		return 0
	}
	return f.node.Line
}

// mapping checks that n is a mapping of known fields, each given once.
func (d *decoder) mapping(n *yaml.Node, what string, known ...string) (fields, bool) {
	f := fields{what: what, node: n, keys: map[string]*yaml.Node{}, vals: map[string]*yaml.Node{}}
	if n.Kind == yaml.AliasNode {
		d.errorf(n.Line, "aliases (*%s) are not supported: write the value out in full", n.Value)
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
		if first, dup := f.keys[k.Value]; dup {
			d.errorf(k.Line, "field %q appears twice in this %s (first on line %d)", k.Value, what, first.Line)
			continue
		}
		if !slices.Contains(known, k.Value) {
			d.unknownField(k, what, known)
			continue
		}
		f.keys[k.Value] = k
		if v.Kind == yaml.AliasNode {
			d.errorf(v.Line, "aliases (*%s) are not supported: write the value out in full", v.Value)
			v = nil
		}
		f.vals[k.Value] = v
	}
	return f, true
}

func (d *decoder) unknownField(k *yaml.Node, what string, known []string) {
	if k.Value == "<<" {
		d.errorf(k.Line, "merge keys (<<) are not supported: write the fields out in full")
		return
	}
	best, dist := "", 3
	for _, name := range known {
		if n := editDistance(strings.ToLower(k.Value), name); n < dist {
			best, dist = name, n
		}
	}
	if best != "" {
		d.errorf(k.Line, "unknown field %q in %s (did you mean %q?)", k.Value, what, best)
		return
	}
	d.errorf(k.Line, "unknown field %q in %s: the fields are %s", k.Value, what, strings.Join(known, ", "))
}

// present returns a field's value; ok is false when it is absent or unusable.
func (d *decoder) present(f fields, key string, required bool) (*yaml.Node, bool) {
	v, has := f.vals[key]
	if !has {
		if required {
			d.errorf(f.line(""), "missing required field %q in %s", key, f.what)
		}
		return nil, false
	}
	return v, v != nil
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// text returns a text field, trimmed.
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
	var n int
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || v.Decode(&n) != nil {
		d.errorf(v.Line, "%q must be a whole number, not %s", key, describe(v))
		return 0, false
	}
	return n, true
}

// number returns a number field (whole or with a decimal point) and
// whether it was given.
func (d *decoder) number(f fields, key string, required bool) (float64, bool) {
	v, ok := d.present(f, key, required)
	if !ok {
		return 0, false
	}
	var x float64
	if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!int" && v.ShortTag() != "!!float") || v.Decode(&x) != nil ||
		x != x || x > 1e12 || x < -1e12 {
		d.errorf(v.Line, "%q must be a number, like 90 or 2.5, not %s", key, describe(v))
		return 0, false
	}
	return x, true
}

// item is one entry of a list of text, with its line.
type item struct {
	value string
	line  int
}

// textList returns a list of text entries, reporting empty and repeated ones.
func (d *decoder) textList(f fields, key string, required bool) []item {
	v, ok := d.present(f, key, required)
	if !ok {
		return nil
	}
	if isNull(v) || (v.Kind == yaml.SequenceNode && len(v.Content) == 0) {
		if required {
			d.errorf(f.line(key), "%q must list at least one entry", key)
		}
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
			d.errorf(n.Line, "aliases (*%s) are not supported: write the value out in full", n.Value)
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
			items = append(items, item{s, n.Line})
		}
	}
	return items
}

// list returns the entries of a list of mappings.
func (d *decoder) list(f fields, key string) []*yaml.Node {
	v, ok := d.present(f, key, false)
	if !ok || isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		d.errorf(v.Line, "%q must be a list (lines starting \"- \"), not %s", key, describe(v))
		return nil
	}
	return v.Content
}

// submapping returns the fields of a nested mapping.
func (d *decoder) submapping(f fields, key, what string, required bool, known ...string) (fields, bool) {
	v, ok := d.present(f, key, required)
	if !ok {
		return fields{what: what}, false
	}
	if isNull(v) {
		if required {
			d.errorf(f.line(key), "%q must not be empty", key)
		}
		return fields{what: what}, false
	}
	if v.Kind != yaml.MappingNode && v.Kind != yaml.AliasNode {
		d.errorf(v.Line, "%q must be a set of fields (\"name: value\" lines), not %s", key, describe(v))
		return fields{what: what}, false
	}
	return d.mapping(v, what, known...)
}

var slug = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
