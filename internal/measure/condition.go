package measure

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/yamlfile"
)

// Conditions say which applications a measure counts. A condition is one
// or more tests joined by "or"; a list of conditions holds when every one
// of them does. A test is one of:
//
//	FIELD            a flag is yes, a date happened, a number is above 0, text is not empty
//	not FIELD        the opposite
//	FIELD = VALUE    equal (also !=); text, a number, or yes/no for a flag
//	FIELD < VALUE    for numbers and dates (also <=, >, >=)
//
// VALUE may be another field of the same kind ("longest_silence <=
// silence_limit"); text with spaces is written in double quotes. Comparing
// a date with a date that did not happen is false.

// test is one parsed test.
type test struct {
	neg   bool // "not FIELD"
	field FactField
	op    string // "" for a bare field
	other *FactField
	text  string // a text value
	num   int64  // a number or flag value
}

// condition is tests joined by "or".
type condition []test

// String writes the condition in its canonical form.
func (c condition) String() string {
	parts := make([]string, len(c))
	for i, t := range c {
		parts[i] = t.String()
	}
	return strings.Join(parts, " or ")
}

func (t test) String() string {
	switch {
	case t.op == "" && t.neg:
		return "not " + t.field.Name
	case t.op == "":
		return t.field.Name
	case t.other != nil:
		return t.field.Name + " " + t.op + " " + t.other.Name
	case t.field.Kind == FactText:
		return t.field.Name + " " + t.op + " " + strconv.Quote(t.text)
	case t.field.Kind == FactFlag:
		return t.field.Name + " " + t.op + " " + map[int64]string{0: "no", 1: "yes"}[t.num]
	}
	return t.field.Name + " " + t.op + " " + strconv.FormatInt(t.num, 10)
}

// parseCondition reads one condition. The error is a plain message.
func parseCondition(s string) (condition, error) {
	var c condition
	for _, part := range splitOr(s) {
		t, err := parseTest(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		c = append(c, t)
	}
	return c, nil
}

// splitOr splits s at each " or " outside double quotes.
func splitOr(s string) []string {
	var parts []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case !quoted && i+4 <= len(s) && strings.EqualFold(s[i:i+4], " or "):
			parts = append(parts, s[start:i])
			start = i + 4
			i += 3
		}
	}
	return append(parts, s[start:])
}

var operators = []string{"!=", "<=", ">=", "=", "<", ">"}

func parseTest(s string) (test, error) {
	if s == "" {
		return test{}, fmt.Errorf("a condition is empty (check for \"or\" at the start or end)")
	}
	var t test
	op, at := "", -1
	for i := 0; i < len(s) && at < 0; i++ {
		if s[i] == '"' {
			break
		}
		for _, o := range operators {
			if strings.HasPrefix(s[i:], o) {
				op, at = o, i
				break
			}
		}
	}
	name := s
	if at >= 0 {
		name = strings.TrimSpace(s[:at])
	} else if rest, ok := strings.CutPrefix(s, "not "); ok {
		t.neg = true
		name = strings.TrimSpace(rest)
	}
	f, err := fact(name)
	if err != nil {
		return test{}, err
	}
	t.field, t.op = f, op
	if at < 0 {
		return t, nil
	}
	value := strings.TrimSpace(s[at+len(op):])
	if value == "" {
		return test{}, fmt.Errorf("%q compares %s with nothing: give a value after %s", s, name, op)
	}
	ordered := op != "=" && op != "!="
	if ordered && (f.Kind == FactText || f.Kind == FactFlag) {
		return test{}, fmt.Errorf("%q: %s is %s, so it can only be compared with = or !=", s, name, f.Kind)
	}
	if o, ok := LookupFact(value); ok {
		if o.Kind != f.Kind {
			return test{}, fmt.Errorf("%q compares %s (%s) with %s (%s): compare facts of the same kind", s, name, f.Kind, o.Name, o.Kind)
		}
		t.other = &o
		return t, nil
	}
	switch f.Kind {
	case FactText:
		if unq, err := strconv.Unquote(value); err == nil && strings.HasPrefix(value, `"`) {
			value = unq
		}
		t.text = value
	case FactFlag:
		switch strings.ToLower(value) {
		case "yes", "true":
			t.num = 1
		case "no", "false":
		default:
			return test{}, fmt.Errorf("%q: %s is yes or no, not %q", s, name, value)
		}
	case FactNumber:
		n, err := strconv.ParseInt(value, 10, 32)
		if err != nil {
			return test{}, fmt.Errorf("%q: %s is a whole number, so compare it with a whole number or another number fact, not %q", s, name, value)
		}
		t.num = n
	case FactDate:
		return test{}, fmt.Errorf("%q: compare the date %s with another date fact, such as decision_due, not with %q", s, name, value)
	}
	return t, nil
}

// fact looks up a fact by name, with a suggestion for a near miss.
func fact(name string) (FactField, error) {
	if f, ok := LookupFact(name); ok {
		return f, nil
	}
	if name == "" {
		return FactField{}, fmt.Errorf("a condition names no fact")
	}
	best, dist := "", 4
	for _, f := range factFields {
		if d := yamlfile.EditDistance(name, f.Name); d < dist {
			best, dist = f.Name, d
		}
	}
	if best != "" {
		return FactField{}, fmt.Errorf("there is no fact called %q (did you mean %q?)", name, best)
	}
	return FactField{}, fmt.Errorf("there is no fact called %q; the facts are listed with FactFields", name)
}

// holds reports whether the condition holds for f.
func (c condition) holds(f *Facts) bool {
	for i := range c {
		if c[i].holds(f) {
			return true
		}
	}
	return false
}

func (t *test) holds(f *Facts) bool {
	if t.op == "" {
		var set bool
		if t.field.Kind == FactText {
			set = t.field.text(f) != ""
		} else {
			set = t.field.num(f) > 0
		}
		return set != t.neg
	}
	if t.field.Kind == FactText {
		v, w := t.field.text(f), t.text
		if t.other != nil {
			w = t.other.text(f)
		}
		return (v == w) == (t.op == "=")
	}
	v, w := t.field.num(f), t.num
	if t.other != nil {
		w = t.other.num(f)
	}
	if t.field.Kind == FactDate && (v == 0 || w == 0) && t.op != "=" && t.op != "!=" {
		return false // a date that did not happen is neither before nor after anything
	}
	switch t.op {
	case "=":
		return v == w
	case "!=":
		return v != w
	case "<":
		return v < w
	case "<=":
		return v <= w
	case ">":
		return v > w
	}
	return v >= w
}
