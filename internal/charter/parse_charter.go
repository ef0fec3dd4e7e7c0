package charter

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/charter-service/charter/internal/yamlfile"
)

// ParseCharter parses and validates a charter. file names the source in
// problems; data is its YAML. When anything is wrong it returns a nil charter
// and a Problems error listing every problem in line order.
func ParseCharter(file string, data []byte) (*Charter, error) {
	d := newDecoder(file)
	var c *Charter
	if root := d.Document(data); root != nil {
		c = d.charter(root)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// commitmentID is the form of a commitment id: section number, a dot, and the
// commitment's number within the section ("1.4", "2.10").
var commitmentID = regexp.MustCompile(`^[1-9][0-9]*\.[1-9][0-9]*$`)

// termUse is a glossary term named in a commitment or responsibility.
type termUse struct {
	yamlfile.Item
	text string // the text the term should appear in
}

// ownedItem is a reference together with the id of what holds it.
type ownedItem struct {
	yamlfile.Item
	owner string
}

// charter decodes and validates a charter from its root mapping.
func (d *decoder) charter(root *yaml.Node) *Charter {
	f, _ := d.Mapping(root, "charter", "version", "title", "summary", "published", "sections", "glossary")
	c := &Charter{
		Version:   d.Text(f, "version", true),
		Title:     d.Text(f, "title", true),
		Summary:   d.Text(f, "summary", false),
		Published: d.Text(f, "published", false),
	}
	if c.Published != "" && !validDate(c.Published) {
		d.Errorf(f.Line("published"), "published date %q must be a real date written YYYY-MM-DD, like \"2026-04-01\"", c.Published)
	}

	var (
		sectionLines     = map[int]int{}              // section number -> line
		commitmentLines  = map[string]int{}           // commitment id -> line
		keyOwners        = map[string]yamlfile.Item{} // commitment key -> commitment id and line
		responsibilities = map[string]int{}           // responsibility id -> line
		terms            []termUse
		related          []ownedItem
	)
	for _, sn := range d.List(f, "sections", "section", true) {
		sf, ok := d.Mapping(sn, "section", "number", "title", "descriptor", "commitments", "responsibilities")
		if !ok {
			continue
		}
		var s Section
		number, hasNumber := d.Integer(sf, "number", true)
		switch {
		case !hasNumber:
		case number < 1:
			d.Errorf(sf.Line("number"), "section number must be 1 or more, not %d", number)
			hasNumber = false
		default:
			if first, dup := sectionLines[number]; dup {
				d.Errorf(sf.Line("number"), "section %d is listed twice (first on line %d)", number, first)
			} else {
				sectionLines[number] = sf.Line("number")
			}
		}
		s.Number = number
		s.Title = d.Text(sf, "title", true)
		s.Descriptor = d.Text(sf, "descriptor", true)
		if strings.Contains(s.Descriptor, "\n") {
			d.Errorf(sf.Line("descriptor"), "the descriptor must be one line")
		}

		for _, cn := range d.List(sf, "commitments", "commitment", true) {
			cf, ok := d.Mapping(cn, "commitment", "id", "key", "text", "terms", "related")
			if !ok {
				continue
			}
			cm := Commitment{
				ID:   d.Text(cf, "id", true),
				Key:  d.Text(cf, "key", true),
				Text: d.Text(cf, "text", true),
			}
			if cm.ID != "" {
				idLine := cf.Line("id")
				switch {
				case !commitmentID.MatchString(cm.ID):
					d.Errorf(idLine, "commitment id %q must be the section number, a dot and a number, like \"%d.1\"", cm.ID, max(number, 1))
				case hasNumber && !strings.HasPrefix(cm.ID, strconv.Itoa(number)+"."):
					d.Errorf(idLine, "commitment %s is in section %d, so its id must start \"%d.\"", cm.ID, number, number)
				}
				if first, dup := commitmentLines[cm.ID]; dup {
					d.Errorf(idLine, "commitment %s is listed twice (first on line %d)", cm.ID, first)
				} else {
					commitmentLines[cm.ID] = idLine
				}
			}
			if cm.Key != "" {
				d.CheckSlug(cf, "key", cm.Key, "keep-you-updated")
				if first, dup := keyOwners[cm.Key]; dup {
					d.Errorf(cf.Line("key"), "key %q is already used by commitment %s on line %d: keys must be unique", cm.Key, first.Value, first.Line)
				} else {
					keyOwners[cm.Key] = yamlfile.Item{Value: cm.ID, Line: cf.Line("key")}
				}
			}
			for _, t := range d.TextList(cf, "terms", false) {
				cm.Terms = append(cm.Terms, t.Value)
				terms = append(terms, termUse{Item: t, text: cm.Text})
			}
			for _, r := range d.TextList(cf, "related", false) {
				cm.Related = append(cm.Related, r.Value)
				related = append(related, ownedItem{r, cm.ID})
			}
			s.Commitments = append(s.Commitments, cm)
		}

		for _, rn := range d.List(sf, "responsibilities", "responsibility", false) {
			rf, ok := d.Mapping(rn, "responsibility", "id", "text", "terms")
			if !ok {
				continue
			}
			r := Responsibility{
				ID:   d.Text(rf, "id", true),
				Text: d.Text(rf, "text", true),
			}
			if r.ID != "" {
				d.CheckSlug(rf, "id", r.ID, "tell-us-about-changes")
				if first, dup := responsibilities[r.ID]; dup {
					d.Errorf(rf.Line("id"), "responsibility %q is listed twice (first on line %d)", r.ID, first)
				} else {
					responsibilities[r.ID] = rf.Line("id")
				}
			}
			for _, t := range d.TextList(rf, "terms", false) {
				r.Terms = append(r.Terms, t.Value)
				terms = append(terms, termUse{Item: t, text: r.Text})
			}
			s.Responsibilities = append(s.Responsibilities, r)
		}
		c.Sections = append(c.Sections, s)
	}

	glossary := map[string]int{} // lower-cased term -> line
	var seeAlso []ownedItem
	for _, tn := range d.List(f, "glossary", "term", false) {
		tf, ok := d.Mapping(tn, "glossary term", "term", "definition", "see_also")
		if !ok {
			continue
		}
		t := Term{
			Term:       d.Text(tf, "term", true),
			Definition: d.Text(tf, "definition", true),
		}
		if t.Term != "" {
			if strings.Contains(t.Term, "\n") {
				d.Errorf(tf.Line("term"), "a glossary term must be one line")
			}
			lower := strings.ToLower(t.Term)
			if first, dup := glossary[lower]; dup {
				d.Errorf(tf.Line("term"), "glossary term %q is defined twice (first on line %d)", t.Term, first)
			} else {
				glossary[lower] = tf.Line("term")
			}
		}
		for _, s := range d.TextList(tf, "see_also", false) {
			t.SeeAlso = append(t.SeeAlso, s.Value)
			seeAlso = append(seeAlso, ownedItem{s, t.Term})
		}
		c.Glossary = append(c.Glossary, t)
	}

	// References, checked once everything they may point to is known.
	for _, r := range related {
		switch {
		case r.Value == r.owner:
			d.Errorf(r.Line, "commitment %s lists itself in \"related\"", r.owner)
		case commitmentLines[r.Value] == 0:
			d.Errorf(r.Line, "\"related\" names unknown commitment %q", r.Value)
		}
	}
	for _, t := range terms {
		if !d.knownTerm(c, t.Item, "terms") {
			continue
		}
		if t.text != "" && !mentions(t.text, t.Value) {
			d.Errorf(t.Line, "term %q is listed in \"terms\" but does not appear in the text", t.Value)
		}
	}
	for _, s := range seeAlso {
		if strings.EqualFold(s.Value, s.owner) {
			d.Errorf(s.Line, "glossary term %q lists itself in \"see_also\"", s.owner)
			continue
		}
		d.knownTerm(c, s.Item, "see_also")
	}
	return c
}

// knownTerm reports whether a referenced term is in the glossary, recording a
// problem if not. Terms must be written exactly as the glossary writes them,
// so that they can be looked up with Charter.Term.
func (d *decoder) knownTerm(c *Charter, ref yamlfile.Item, field string) bool {
	if _, ok := c.Term(ref.Value); ok {
		return true
	}
	for _, t := range c.Glossary {
		if strings.EqualFold(t.Term, ref.Value) {
			d.Errorf(ref.Line, "unknown glossary term %q in %q: the glossary writes it %q", ref.Value, field, t.Term)
			return false
		}
	}
	d.Errorf(ref.Line, "unknown glossary term %q in %q: define it in the glossary or remove it", ref.Value, field)
	return false
}

// validDate reports whether s is a real calendar date written YYYY-MM-DD.
func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == len(time.DateOnly)
}

// inflections are the endings a term may carry where it is used and still
// count as appearing: "consultation" appears in "consultations".
var inflections = []string{"", "s", "es", "'s", "\u2019s"}

// mentions reports whether term appears in text as a whole word or phrase,
// ignoring case and line breaks and allowing a plural or possessive ending.
// "support" appears in "we support you" and "supports", but not in
// "supporter".
func mentions(text, term string) bool {
	text = strings.ToLower(strings.Join(strings.Fields(text), " "))
	term = strings.ToLower(strings.Join(strings.Fields(term), " "))
	if term == "" {
		return false
	}
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], term)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(term)
		if boundaryBefore(text, start) {
			for _, suffix := range inflections {
				if strings.HasPrefix(text[end:], suffix) && boundaryAfter(text, end+len(suffix)) {
					return true
				}
			}
		}
		_, size := utf8.DecodeRuneInString(text[start:])
		from = start + size
	}
	return false
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func boundaryBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return i == 0 || !isWordRune(r)
}

func boundaryAfter(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i >= len(s) || !isWordRune(r)
}
