package charter

// Support for publishing a revised charter: writing a version out as YAML
// that ParseCharter reads back, and the term rule a new text must meet.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/charter-service/charter/internal/yamlfile"
)

// encodeWidth is the line length EncodeCharter wraps long text at.
const encodeWidth = 80

// EncodeCharter writes a charter as YAML in the layout of the example
// charter: long text folded over several lines, lists of terms on one line,
// a blank line between the top-level parts. comment, if not empty, goes at
// the top, each line starting "# ".
//
// ParseCharter reads the result back to an equal charter (the same values,
// with nil for empty lists) whenever c is one ParseCharter could have
// returned: text fields trimmed, every rule met. EncodeCharter does not
// check the rules itself; parse what it writes to do that.
func EncodeCharter(c *Charter, comment string) []byte {
	var e encoder
	if comment != "" {
		for _, line := range strings.Split(strings.TrimRight(comment, "\n"), "\n") {
			e.line(0, strings.TrimRight("# "+line, " "))
		}
		e.blank()
	}
	e.field(0, "version", c.Version)
	e.field(0, "title", c.Title)
	if c.Summary != "" {
		e.field(0, "summary", c.Summary)
	}
	if c.Published != "" {
		e.field(0, "published", c.Published)
	}
	e.blank()
	e.line(0, "sections:")
	for _, s := range c.Sections {
		e.line(2, "- number: "+strconv.Itoa(s.Number))
		e.field(4, "title", s.Title)
		e.field(4, "descriptor", s.Descriptor)
		e.line(4, "commitments:")
		for _, cm := range s.Commitments {
			e.field(6, "- id", cm.ID)
			e.field(8, "key", cm.Key)
			e.field(8, "text", cm.Text)
			e.list(8, "terms", cm.Terms)
			e.list(8, "related", cm.Related)
		}
		if len(s.Responsibilities) > 0 {
			e.line(4, "responsibilities:")
			for _, r := range s.Responsibilities {
				e.field(6, "- id", r.ID)
				e.field(8, "text", r.Text)
				e.list(8, "terms", r.Terms)
			}
		}
	}
	if len(c.Glossary) > 0 {
		e.blank()
		e.line(0, "glossary:")
		for _, t := range c.Glossary {
			e.field(2, "- term", t.Term)
			e.field(4, "definition", t.Definition)
			e.list(4, "see_also", t.SeeAlso)
		}
	}
	return e.buf.Bytes()
}

type encoder struct{ buf bytes.Buffer }

func (e *encoder) line(indent int, s string) {
	e.buf.WriteString(strings.Repeat(" ", indent))
	e.buf.WriteString(s)
	e.buf.WriteByte('\n')
}

func (e *encoder) blank() { e.buf.WriteByte('\n') }

// field writes "key: value". A key may start "- " to open a list entry; the
// entry's other fields then go two spaces further in. Text too long for one
// line is folded (">-") when that reads back exactly.
func (e *encoder) field(indent int, key, value string) {
	inline := inlineScalar(value)
	if indent+len(key)+2+len(inline) <= encodeWidth || !foldable(value) {
		e.line(indent, key+": "+inline)
		return
	}
	e.line(indent, key+": >-")
	in := indent + 2
	if strings.HasPrefix(key, "- ") {
		in += 2
	}
	var cur strings.Builder
	for _, w := range strings.Split(value, " ") {
		if cur.Len() > 0 && in+cur.Len()+1+len(w) > encodeWidth {
			e.line(in, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	e.line(in, cur.String())
}

// list writes a list of text on one line, like [a, b], or nothing if it is
// empty.
func (e *encoder) list(indent int, key string, items []string) {
	if len(items) == 0 {
		return
	}
	// Lines after the first go further in than the key, as YAML requires
	// of a list that continues over several lines.
	cur := key + ": ["
	for i, it := range items {
		part := flowScalar(it)
		if i < len(items)-1 {
			part += ","
		} else {
			part += "]"
		}
		if i > 0 && indent+len(cur)+1+len(part) > encodeWidth {
			e.line(indent, cur)
			indent, cur = indent+2, part
			continue
		}
		if i > 0 {
			cur += " "
		}
		cur += part
	}
	e.line(indent, cur)
}

// inlineScalar writes text as a one-line YAML value that reads back as the
// same text: as yaml.v3 writes it when that is one line (it quotes what
// would read as a number, a date or a boolean), otherwise double-quoted.
func inlineScalar(s string) string {
	if !utf8.ValidString(s) || strings.IndexFunc(s, needsEscape) >= 0 {
		return doubleQuoted(s) // never binary, which yaml.v3 would choose
	}
	out, err := yaml.Marshal(s)
	if v := strings.TrimSuffix(string(out), "\n"); err == nil && !strings.Contains(v, "\n") && v != "" {
		return v
	}
	return doubleQuoted(s)
}

// plainFlow is text that may be written unquoted inside [ ].
var plainFlow = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} '’-]*$`)

// flowScalar writes text as an entry of a one-line list.
func flowScalar(s string) string {
	if v := inlineScalar(s); v == s && plainFlow.MatchString(s) && !strings.HasSuffix(s, " ") {
		return s
	}
	return doubleQuoted(s)
}

// doubleQuoted writes text in double quotes. A JSON string is a valid YAML
// double-quoted scalar with the same value; characters YAML reads as line
// breaks or does not allow are escaped too, which JSON leaves as they are.
func doubleQuoted(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	q := strings.TrimSuffix(b.String(), "\n")
	if strings.IndexFunc(q, needsEscape) < 0 {
		return q
	}
	var out strings.Builder
	for _, r := range q {
		switch {
		case needsEscape(r) && r > 0xFFFF:
			fmt.Fprintf(&out, "\\U%08X", r)
		case needsEscape(r):
			fmt.Fprintf(&out, "\\u%04X", r)
		default:
			out.WriteRune(r)
		}
	}
	return out.String()
}

// needsEscape reports whether a character must be escaped in YAML: one it
// does not allow in a file, or one it reads as a line break or a
// byte-order mark.
func needsEscape(r rune) bool {
	return r == '\u0085' || r == '\u2028' || r == '\u2029' || r == '\uFEFF' || !yamlfile.AllowedRune(r)
}

// foldable reports whether text survives being folded over several lines:
// one line of printable characters, words separated by single spaces.
func foldable(s string) bool {
	if s == "" || s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		return false
	}
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' || needsEscape(r) {
			return false
		}
	}
	return true
}

// Mentions reports whether a glossary term appears in a text as a whole
// word or phrase, ignoring case and line breaks and allowing a plural or
// possessive ending: the rule ParseCharter applies to the terms each
// commitment lists. "support" appears in "we support you" and "supports",
// not in "supporter".
func Mentions(text, term string) bool { return mentions(text, term) }
