package calendar

import (
	"bytes"
	_ "embed"
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

// defaultOneOffs is the one-off holiday file shipped with the service. An
// operator can supply a newer one to NewScotland without a release.
//
//go:embed oneoff.yaml
var defaultOneOffs []byte

// oneOff is one entry of the one-off holiday file.
type oneOff struct {
	Holiday
	replaces    Date // the rule holiday this one moves, if hasReplaces
	hasReplaces bool
	line        int // where the entry starts, for error messages
}

// The one-off file looks like this (see oneoff.yaml):
//
//	holidays:
//	  - name: Bank holiday for the coronation of King Charles III
//	    date: 2023-05-08
//	  - name: Spring bank holiday
//	    date: 2022-06-02
//	    replaces: 2022-05-30   # the rule date this one moves
//
// An empty file (or one holding only comments) means no one-off holidays.

// lineError is an error in the one-off file, naming the line.
func lineError(line int, format string, args ...any) error {
	return fmt.Errorf("calendar: one-off holiday file: line %d: %s", line, fmt.Sprintf(format, args...))
}

// parseOneOffs reads the one-off file. It checks the file's shape and each
// value; checks against the rules (is a replaced date a holiday?) are made
// by checkOneOffs.
func parseOneOffs(b []byte) ([]oneOff, error) {
	if err := checkCharacters(b); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil // empty file
		}
		return nil, yamlError(b, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, lineError(extra.Line, "only one YAML document is allowed")
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlError(b, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, lineError(doc.Line, "want a mapping with a \"holidays\" list")
	}
	root := doc.Content[0]
	if isNull(root) {
		return nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, lineError(root.Line, "want a mapping with a \"holidays\" list, found %s", kindName(root))
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value != "holidays" {
			return nil, lineError(k.Line, "unknown key %s (want \"holidays\")", keyName(k))
		}
		if list != nil {
			return nil, lineError(k.Line, "\"holidays\" given twice")
		}
		list = v
	}
	if list == nil || isNull(list) {
		return nil, nil
	}
	if list.Kind != yaml.SequenceNode {
		return nil, lineError(list.Line, "\"holidays\" must be a list, found %s", kindName(list))
	}
	out := make([]oneOff, 0, len(list.Content))
	for _, item := range list.Content {
		o, err := parseEntry(item)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// parseEntry reads one holiday: name, date and optionally replaces.
func parseEntry(item *yaml.Node) (oneOff, error) {
	o := oneOff{line: item.Line}
	if item.Kind != yaml.MappingNode {
		return o, lineError(item.Line, "each holiday must be a mapping with name and date, found %s", kindName(item))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return o, lineError(k.Line, "unknown key %s (want name, date or replaces)", keyName(k))
		}
		if seen[k.Value] {
			return o, lineError(k.Line, "%s given twice", keyName(k))
		}
		seen[k.Value] = true
		switch k.Value {
		case "name", "date", "replaces":
		default:
			return o, lineError(k.Line, "unknown key %s (want name, date or replaces)", keyName(k))
		}
		if v.Kind != yaml.ScalarNode || isNull(v) {
			return o, lineError(v.Line, "%s must be a single value, found %s", k.Value, kindName(v))
		}
		switch k.Value {
		case "name":
			name := strings.TrimSpace(v.Value)
			if name == "" {
				return o, lineError(v.Line, "name is empty")
			}
			if strings.ContainsAny(name, "\r\n") {
				return o, lineError(v.Line, "name must be one line")
			}
			o.Name = name
		case "date", "replaces":
			d, err := ParseDate(v.Value)
			if err != nil {
				return o, lineError(v.Line, "%s: %v", k.Value, err)
			}
			if k.Value == "date" {
				o.Date = d
			} else {
				o.replaces, o.hasReplaces = d, true
			}
		}
	}
	if !seen["name"] {
		return o, lineError(item.Line, "holiday has no name")
	}
	if !seen["date"] {
		return o, lineError(item.Line, "holiday %q has no date", o.Name)
	}
	return o, nil
}

// checkOneOffs checks the one-offs against the rules and each other:
//
//   - a one-off falls on a weekday (a bank holiday at a weekend changes no
//     working day, so it is almost certainly a typo);
//   - a replaced date is a holiday under the rules, and is replaced once;
//   - no two holidays share a date, once replaced dates are removed.
//
// ruleDates gives the rule holidays' observed dates for a year.
func checkOneOffs(oos []oneOff, ruleDates func(year int) []Date) error {
	replaced := make(map[Date]int, len(oos)) // replaced date -> line
	for _, o := range oos {
		if !o.hasReplaces {
			continue
		}
		if prev, ok := replaced[o.replaces]; ok {
			return lineError(o.line, "%s is already replaced by the holiday at line %d", o.replaces, prev)
		}
		if !slices.Contains(ruleDates(o.replaces.year()), o.replaces) {
			return lineError(o.line, "replaces %s (%s), which is not a bank holiday under the rules", o.replaces, o.replaces.Long())
		}
		replaced[o.replaces] = o.line
	}
	taken := make(map[Date]int, len(oos)) // one-off date -> line
	for _, o := range oos {
		if isWeekend(o.Date) {
			return lineError(o.line, "%s (%q) is a %s; a one-off bank holiday must be on a weekday", o.Date, o.Name, o.Date.Weekday())
		}
		if prev, ok := taken[o.Date]; ok {
			return lineError(o.line, "%s is already a one-off holiday at line %d", o.Date, prev)
		}
		if _, moved := replaced[o.Date]; !moved && slices.Contains(ruleDates(o.Date.year()), o.Date) {
			return lineError(o.line, "%s (%s) is already a bank holiday under the rules", o.Date, o.Date.Long())
		}
		taken[o.Date] = o.line
	}
	return nil
}

// checkCharacters rejects bytes the YAML parser would reject without saying
// where (invalid UTF-8, control characters), naming the line instead.
func checkCharacters(b []byte) error {
	line := 1
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return lineError(line, "not valid UTF-8")
		case r == '\n':
			line++
		case r == '\t' || r == '\r':
		case r < 0x20 || (r >= 0x7f && r <= 0x9f && r != 0x85) || r == 0xfffe || r == 0xffff:
			return lineError(line, "control character %U not allowed", r)
		case r == 0xfeff && i != 0:
			return lineError(line, "byte order mark only allowed at the start")
		}
		i += size
	}
	return nil
}

// yamlError turns a yaml.v3 syntax error in b into a line error.
//
// yaml.v3 does not say reliably where an error is: for most parser errors
// it gives the zero-based line where the enclosing block began, and for some
// no line at all. So find the line ourselves: the parser stops at the first
// problem in the text, so the shortest run of whole leading lines that fails
// with the same problem ends on the line at fault.
func yamlError(b []byte, err error) error {
	problem := yamlProblem(err)
	ends := lineEnds(b)
	fails := func(k int) bool { // do the first k lines fail with problem?
		e := firstYAMLError(b[:ends[k-1]])
		return e != nil && yamlProblem(e) == problem
	}
	lo, hi := 1, len(ends) // fails(len(ends)) holds: that is all of b
	for lo < hi {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lineError(lo, "%s", problem)
}

// yamlPosition matches the position yaml.v3 puts before its messages.
var yamlPosition = regexp.MustCompile(`^yaml: (?:line \d+: )?`)

// yamlProblem is a yaml.v3 error message without its position.
func yamlProblem(err error) string {
	msg := err.Error()
	return msg[len(yamlPosition.FindString(msg)):]
}

// lineEnds returns the offset just past each line of b (past its newline,
// or the end of b for a last line without one).
func lineEnds(b []byte) []int {
	var ends []int
	for i, c := range b {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(b) {
		ends = append(ends, len(b))
	}
	return ends
}

// firstYAMLError parses b as parseOneOffs does (the first document, then
// whether a second one follows) and returns the first error.
func firstYAMLError(b []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for range 2 {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
	return nil
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func keyName(k *yaml.Node) string {
	if k.Kind == yaml.ScalarNode {
		return strconv.Quote(k.Value)
	}
	return kindName(k)
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias (aliases are not supported)"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	default:
		return "something else"
	}
}
