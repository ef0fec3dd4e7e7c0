package review

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

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
)

// This file reads YAML the way internal/charter does: by walking yaml.Node
// trees, so that every problem carries its line, unknown fields are
// reported rather than dropped, and one pass finds every problem.

// reader collects the problems in one file.
type reader struct {
	file  string
	probs charter.Problems
}

func (r *reader) errorf(line int, format string, args ...any) {
	r.probs = append(r.probs, charter.Problem{File: r.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// result returns the problems found, sorted by line, or nil.
func (r *reader) result() error {
	if len(r.probs) == 0 {
		return nil
	}
	slices.SortStableFunc(r.probs, func(a, b charter.Problem) int { return cmp.Compare(a.Line, b.Line) })
	return r.probs
}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserProblems are the syntax errors yaml.v3 (v3.0.1) numbers from 0
// rather than 1 (see internal/charter for the full story).
var yamlParserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>", "found undefined tag handle",
	"did not find expected node content", "did not find expected '-' indicator", "did not find expected key",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "found duplicate %YAML directive",
	"found incompatible YAML document", "found duplicate %TAG directive",
}

// document parses one YAML document whose top level is a mapping.
func (r *reader) document(data []byte) *yaml.Node {
	if len(bytes.TrimSpace(data)) == 0 {
		r.errorf(0, "the file is empty")
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc, extra yaml.Node
	err := safeDecode(dec, &doc)
	if err == nil {
		if err2 := safeDecode(dec, &extra); err2 == nil {
			r.errorf(extra.Line, "a second YAML document starts here: put each document in its own file")
			return nil
		} else if !errors.Is(err2, io.EOF) {
			err = err2
		}
	}
	switch {
	case errors.Is(err, io.EOF):
		r.errorf(0, "the file has no content, only comments")
		return nil
	case err != nil:
		msg, line := strings.TrimPrefix(err.Error(), "yaml: "), 0
		if m := yamlErrLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
			if slices.Contains(yamlParserProblems, msg) {
				line++
			}
			lines := bytes.Count(data, []byte("\n"))
			if !bytes.HasSuffix(data, []byte("\n")) {
				lines++
			}
			line = min(line, lines)
		}
		r.errorf(line, "YAML syntax: %s", msg)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		r.errorf(0, "the file has no content")
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		r.errorf(root.Line, "the file must be a set of fields (\"name: value\" lines), not %s", describe(root))
		return nil
	}
	return root
}

// safeDecode turns a panic inside the YAML library into an error.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: the file could not be read as YAML (%v)", p)
		}
	}()
	return dec.Decode(n)
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
	case isNull(n):
		return "empty"
	}
	return strconv.Quote(clip(n.Value))
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// fields is one mapping, checked against the fields it may hold.
type fields struct {
	what string
	node *yaml.Node
	keys map[string]*yaml.Node
	vals map[string]*yaml.Node // nil when unusable (an alias)
}

// line returns the line of a field's key, or of the mapping if it is absent.
func (f fields) line(key string) int {
	if k, ok := f.keys[key]; ok {
		return k.Line
	}
	return f.node.Line
}

// mapping checks that n is a mapping of known fields, each given once.
func (r *reader) mapping(n *yaml.Node, what string, known ...string) (fields, bool) {
	f := fields{what: what, node: n, keys: map[string]*yaml.Node{}, vals: map[string]*yaml.Node{}}
	if n.Kind == yaml.AliasNode {
		r.errorf(n.Line, "aliases (*%s) are not supported: write the value out in full", n.Value)
		return f, false
	}
	if n.Kind != yaml.MappingNode {
		r.errorf(n.Line, "each %s must be a set of fields (\"name: value\" lines), not %s", what, describe(n))
		return f, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode || isNull(k):
			r.errorf(k.Line, "a field name in %s must be plain text, not %s", what, describe(k))
			continue
		case k.Value == "<<":
			r.errorf(k.Line, "merge keys (<<) are not supported: write the fields out in full")
			continue
		case f.keys[k.Value] != nil:
			r.errorf(k.Line, "field %q appears twice in this %s (first on line %d)", k.Value, what, f.keys[k.Value].Line)
			continue
		case !slices.Contains(known, k.Value):
			r.errorf(k.Line, "unknown field %q in %s: the fields are %s", clip(k.Value), what, strings.Join(known, ", "))
			continue
		}
		f.keys[k.Value] = k
		if v.Kind == yaml.AliasNode {
			r.errorf(v.Line, "aliases (*%s) are not supported: write the value out in full", v.Value)
			v = nil
		}
		f.vals[k.Value] = v
	}
	return f, true
}

// present returns a field's value; ok is false if it is absent or unusable.
func (r *reader) present(f fields, key string, required bool) (*yaml.Node, bool) {
	v, has := f.vals[key]
	if !has && required {
		r.errorf(f.node.Line, "missing required field %q in %s", key, f.what)
	}
	return v, has && v != nil
}

// text returns a text field, trimmed. A required one must not be empty.
func (r *reader) text(f fields, key string, required bool) string {
	v, ok := r.present(f, key, required)
	if !ok {
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		r.errorf(v.Line, "%q must be text, not %s", key, describe(v))
		return ""
	}
	s := ""
	if !isNull(v) {
		s = strings.TrimSpace(v.Value)
	}
	if s == "" && required {
		r.errorf(f.line(key), "%q must not be empty", key)
	}
	return s
}

// integer returns a whole-number field and whether it was given.
func (r *reader) integer(f fields, key string) (int, bool) {
	v, ok := r.present(f, key, false)
	if !ok || isNull(v) {
		return 0, false
	}
	var n int
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || v.Decode(&n) != nil {
		r.errorf(v.Line, "%q must be a whole number, not %s", key, describe(v))
		return 0, false
	}
	return n, true
}

// boolean returns a true/false field (false if absent).
func (r *reader) boolean(f fields, key string) bool {
	v, ok := r.present(f, key, false)
	if !ok || isNull(v) {
		return false
	}
	var b bool
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
		r.errorf(v.Line, "%q must be true or false, not %s", key, describe(v))
		return false
	}
	return b
}

// date returns a date field written YYYY-MM-DD, or the zero date.
func (r *reader) date(f fields, key string, required bool) calendar.Date {
	s := r.text(f, key, required)
	if s == "" {
		return 0
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		r.errorf(f.line(key), "%q must be a real date written YYYY-MM-DD, like 2026-05-11, not %q", key, clip(s))
		return 0
	}
	return d
}

// item is one entry of a list of text, with its line.
type item struct {
	value string
	line  int
}

// textList returns a list of text entries, reporting empty and repeated ones.
func (r *reader) textList(f fields, key string) []item {
	v, ok := r.present(f, key, false)
	if !ok || isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		r.errorf(v.Line, "%q must be a list (like [a, b] or lines starting \"- \"), not %s", key, describe(v))
		return nil
	}
	var items []item
	seen := map[string]int{}
	for _, n := range v.Content {
		switch {
		case n.Kind == yaml.AliasNode:
			r.errorf(n.Line, "aliases (*%s) are not supported: write the value out in full", n.Value)
		case n.Kind != yaml.ScalarNode:
			r.errorf(n.Line, "each entry in %q must be text, not %s", key, describe(n))
		case isNull(n) || strings.TrimSpace(n.Value) == "":
			r.errorf(n.Line, "an entry in %q is empty", key)
		default:
			s := strings.TrimSpace(n.Value)
			if first, dup := seen[s]; dup {
				r.errorf(n.Line, "%q is listed twice in %q (first on line %d)", clip(s), key, first)
				continue
			}
			seen[s] = n.Line
			items = append(items, item{s, n.Line})
		}
	}
	return items
}

// list returns the entries of a list field.
func (r *reader) list(f fields, key, noun string, required bool) []*yaml.Node {
	v, ok := r.present(f, key, required)
	if !ok {
		return nil
	}
	if isNull(v) || (v.Kind == yaml.SequenceNode && len(v.Content) == 0) {
		if required {
			r.errorf(f.line(key), "%q must list at least one %s", key, noun)
		}
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		r.errorf(v.Line, "%q must be a list (lines starting \"- \"), not %s", key, describe(v))
		return nil
	}
	return v.Content
}

// slug is the form of ids: lowercase letters and digits in words joined by
// single hyphens.
var slug = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// clip shortens a value repeated in a message.
func clip(s string) string {
	const most = 60
	if r := []rune(s); len(r) > most {
		return string(r[:most]) + "…"
	}
	return s
}
