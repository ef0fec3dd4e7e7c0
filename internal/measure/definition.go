package measure

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/yamlfile"
)

// Source is where a measure's figures come from.
type Source string

const (
	SourceEvents   Source = "events"   // the event log, through Facts
	SourceSurvey   Source = "survey"   // imported survey responses
	SourceFeedback Source = "feedback" // feedback and complaints about commitments
	SourceEvidence Source = "evidence" // qualitative entries only: no number
)

var sources = []Source{SourceEvents, SourceSurvey, SourceFeedback, SourceEvidence}

// Kind is how a measure's number is computed.
type Kind string

const (
	KindCount      Kind = "count"      // events: applications (or a sum of a count fact)
	KindShare      Kind = "share"      // events: a numerator as a percentage of a denominator
	KindMedian     Kind = "median"     // events: the median of a number fact
	KindPercentile Kind = "percentile" // events: a percentile of a number fact
	KindRate       Kind = "rate"       // events: one count per N of another
	KindAgree      Kind = "agree"      // survey: the share agreeing (4 or 5 of 5)
	KindFeedback   Kind = "feedback"   // feedback: all feedback about the commitments, complaints included
	KindComplaints Kind = "complaints" // feedback: complaints about the commitments
)

// kindsBySource are the kinds each source allows, in the order messages give them.
var kindsBySource = map[Source][]Kind{
	SourceEvents:   {KindCount, KindShare, KindMedian, KindPercentile, KindRate},
	SourceSurvey:   {KindAgree},
	SourceFeedback: {KindFeedback, KindComplaints},
}

// Breakdowns a measure may be shown by.
const (
	ByBenefit    = "benefit"
	ByArea       = "area" // local authority
	ByAgeBand    = "age_band"
	ByChannel    = "channel"
	ByRespondent = "respondent" // survey: client, partner organisation or staff
	ByPeriod     = "period"     // by quarter within the year
)

// breakdownsBySource are the breakdowns each source allows.
var breakdownsBySource = map[Source][]string{
	SourceEvents:   {ByBenefit, ByArea, ByAgeBand, ByChannel, ByPeriod},
	SourceSurvey:   {ByRespondent},
	SourceFeedback: {ByPeriod},
}

// Better says which way a measure should move.
type Better string

const (
	HigherIsBetter Better = "higher"
	LowerIsBetter  Better = "lower"
)

// Set is a file of measure definitions, validated.
type Set struct {
	Questions []SurveyQuestion
	Measures  []*Measure
}

// SurveyQuestion is one Likert statement people are asked to agree or
// disagree with, from 1 (strongly disagree) to 5 (strongly agree).
type SurveyQuestion struct {
	ID        string
	Statement string
}

// Measure is one measure: what it evidences, the question it answers, and
// how its number is worked out.
type Measure struct {
	ID          string
	Commitments []string
	Question    string // plain: "How long did people wait for a decision?"
	Why         string // optional: why this matters, in one line
	Source      Source
	Computation Computation
	// Breakdowns besides the whole: any of ByBenefit, ByArea, ByAgeBand,
	// ByChannel and ByPeriod for events; ByRespondent for a survey;
	// ByPeriod for feedback.
	Breakdowns []string
	Unit       string // "percent", "working days", …
	Target     float64
	Better     Better
	Line       int // where it starts in its file

	counts measureCounts // compiled (engine.go)
}

// HasTarget reports whether the measure has a number to meet: every
// measure but an evidence one.
func (m *Measure) HasTarget() bool { return m.Source != SourceEvidence }

// Quarterly reports whether the measure is shown by quarter.
func (m *Measure) Quarterly() bool { return slices.Contains(m.Breakdowns, ByPeriod) }

// Dimensions are the measure's breakdowns other than by period.
func (m *Measure) Dimensions() []string {
	return slices.DeleteFunc(slices.Clone(m.Breakdowns), func(b string) bool { return b == ByPeriod })
}

// Computation is how a measure's number is worked out. Which fields are
// used depends on the kind; ParseSet checks that only those are given.
type Computation struct {
	Kind Kind
	// Count is what is counted (events): for count, the applications; for
	// share and rate, the denominator; for median and percentile, the
	// group whose values are taken.
	Count Count
	// Numerator is a share's numerator (Where and Sum, counted on the
	// denominator's date, among the denominator's applications) or a
	// rate's numerator (a Count of its own).
	Numerator  *Count
	Value      string // median, percentile: the number fact
	Percentile int    // percentile: 1 to 99
	Per        int    // rate: per how many (100)
	Question   string // agree: the survey question's id
	// Respondents limits an agree measure to some kinds of respondent; empty
	// means all.
	Respondents []string
}

// Count is a count of applications in a period, or a sum of a number fact
// over them.
type Count struct {
	CountedOn string   // the date fact that puts an application in a period
	Where     []string // conditions, all of which must hold
	Sum       string   // a number fact to add up; "" counts applications
}

// Respondent types a survey response may give.
var RespondentTypes = []string{"client", "partner organisation", "staff"}

// ParseSet parses and validates measure definitions. file names the source
// in problems. Commitments are checked against ch; when ch is nil only their
// form is. On any problem it returns a nil set and charter.Problems listing
// every problem in line order.
func ParseSet(file string, data []byte, ch *charter.Charter) (*Set, error) {
	d := &decoder{yamlfile.Reader{File: file}}
	var set *Set
	if root := d.Document(data); root != nil {
		set = d.set(root, ch)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return set, nil
}

// decoder reads one measures file, collecting its problems.
type decoder struct{ yamlfile.Reader }

// Unmeasured lists the commitments of ch that no measure evidences, in the
// charter's order: `charter check` prints them as a note.
func (s *Set) Unmeasured(ch *charter.Charter) []charter.Commitment {
	has := map[string]bool{}
	for _, m := range s.Measures {
		for _, c := range m.Commitments {
			has[c] = true
		}
	}
	var out []charter.Commitment
	for _, sec := range ch.Sections {
		for _, c := range sec.Commitments {
			if !has[c.ID] {
				out = append(out, c)
			}
		}
	}
	return out
}

// Measure returns the measure with the given id.
func (s *Set) Measure(id string) (*Measure, bool) {
	for _, m := range s.Measures {
		if m.ID == id {
			return m, true
		}
	}
	return nil, false
}

// Question returns the survey question with the given id.
func (s *Set) Question(id string) (SurveyQuestion, bool) {
	for _, q := range s.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return SurveyQuestion{}, false
}

// CountedOn lists the date facts events measures count by, so that a
// store streaming facts for a plan can skip rows none of them falls in:
// a row counts only if one of these dates is within Plan.Dates.
func (s *Set) CountedOn() []string {
	var out []string
	for _, m := range s.Measures {
		if m.Source != SourceEvents {
			continue
		}
		for _, c := range []*Count{&m.Computation.Count, m.Computation.Numerator} {
			if c != nil && c.CountedOn != "" && !slices.Contains(out, c.CountedOn) {
				out = append(out, c.CountedOn)
			}
		}
	}
	slices.Sort(out)
	return out
}

// ForCommitment returns the measures that evidence a commitment, in file order.
func (s *Set) ForCommitment(id string) []*Measure {
	var out []*Measure
	for _, m := range s.Measures {
		if slices.Contains(m.Commitments, id) {
			out = append(out, m)
		}
	}
	return out
}

func (d *decoder) set(root *yaml.Node, ch *charter.Charter) *Set {
	f, _ := d.Mapping(root, "measures file", "survey_questions", "measures")
	s := &Set{}
	qLines := map[string]int{}
	for _, n := range d.List(f, "survey_questions", "survey question", false) {
		qf, ok := d.Mapping(n, "survey question", "id", "statement")
		if !ok {
			continue
		}
		q := SurveyQuestion{ID: d.Text(qf, "id", true), Statement: d.Text(qf, "statement", true)}
		if q.ID != "" {
			switch first, dup := qLines[q.ID]; {
			case !yamlfile.IsSlug(q.ID):
				d.Errorf(qf.Line("id"), "survey question id %q must be a lowercase slug: letters a-z, digits and single hyphens, like \"charter-is-clear\"", q.ID)
			case dup:
				d.Errorf(qf.Line("id"), "survey question %q is listed twice (first on line %d)", q.ID, first)
			default:
				qLines[q.ID] = qf.Line("id")
			}
		}
		s.Questions = append(s.Questions, q)
	}
	if !f.Has("measures") {
		d.Errorf(f.Line(""), "missing required field \"measures\" in measures file")
	}
	ids := map[string]int{}
	for _, n := range d.List(f, "measures", "measure", false) {
		if m := d.measure(n, ch, qLines); m != nil {
			if first, dup := ids[m.ID]; dup && m.ID != "" {
				d.Errorf(m.Line, "measure %q is listed twice (first on line %d)", m.ID, first)
			} else {
				ids[m.ID] = m.Line
			}
			s.Measures = append(s.Measures, m)
		}
	}
	if f.Has("measures") && len(s.Measures) == 0 && len(d.Problems()) == 0 {
		d.Errorf(f.Line("measures"), "\"measures\" must list at least one measure")
	}
	return s
}

func (d *decoder) measure(n *yaml.Node, ch *charter.Charter, questions map[string]int) *Measure {
	mf, ok := d.Mapping(n, "measure", "id", "commitments", "question", "why", "source",
		"computation", "breakdowns", "unit", "target", "better")
	if !ok {
		return nil
	}
	m := &Measure{Line: mf.Line(""), ID: d.Text(mf, "id", true), Question: d.Text(mf, "question", true),
		Why: d.Text(mf, "why", false), Unit: d.Text(mf, "unit", false)}
	if m.ID != "" && !yamlfile.IsSlug(m.ID) {
		d.Errorf(mf.Line("id"), "measure id %q must be a lowercase slug: letters a-z, digits and single hyphens, like \"decided-in-time\"", m.ID)
	}
	if strings.Contains(m.Question, "\n") || strings.Contains(m.Why, "\n") {
		d.Errorf(mf.Line("question"), "the question and \"why\" must each be one line")
	}
	for _, c := range d.TextList(mf, "commitments", true) {
		m.Commitments = append(m.Commitments, c.Value)
		if ch == nil {
			if !commitmentID(c.Value) {
				d.Errorf(c.Line, "commitment %q must be a section number, a dot and a number, like \"1.4\"", c.Value)
			}
		} else if _, ok := ch.Commitment(c.Value); !ok {
			d.Errorf(c.Line, "unknown commitment %q: the charter (version %s) has no commitment with that id", c.Value, ch.Version)
		}
	}
	src := Source(d.Text(mf, "source", true))
	if src != "" && !slices.Contains(sources, src) {
		d.Errorf(mf.Line("source"), "source %q is not one we know: choose events, survey, feedback or evidence", src)
		src = ""
	}
	m.Source = src
	for _, b := range d.TextList(mf, "breakdowns", false) {
		allowed := breakdownsBySource[src]
		if src != "" && !slices.Contains(allowed, b.Value) {
			if len(allowed) == 0 {
				d.Errorf(b.Line, "a measure from %s has no breakdowns", src)
			} else {
				d.Errorf(b.Line, "%q is not a breakdown a measure from %s can have: choose from %s", b.Value, src, strings.Join(allowed, ", "))
			}
			continue
		}
		m.Breakdowns = append(m.Breakdowns, b.Value)
	}
	if src == SourceEvidence {
		for _, key := range []string{"computation", "unit", "target", "better"} {
			if mf.Has(key) {
				d.Errorf(mf.Line(key), "an evidence measure is words, not a number, so it has no %q", key)
			}
		}
		return m
	}
	if src != "" {
		d.computation(mf, m, questions)
	}
	d.target(mf, m)
	return m
}

func (d *decoder) target(mf yamlfile.Fields, m *Measure) {
	if m.Unit == "" && m.Source != "" {
		d.Errorf(mf.Line(""), "missing required field \"unit\" in measure: say what the number counts, such as percent or working days")
	}
	pct := m.Computation.Kind == KindShare || m.Computation.Kind == KindAgree
	if pct && m.Unit != "" && m.Unit != "percent" {
		d.Errorf(mf.Line("unit"), "a %s is a percentage, so its unit must be \"percent\", not %q", m.Computation.Kind, m.Unit)
	}
	t, hasTarget := d.Number(mf, "target", true)
	switch {
	case !hasTarget:
	case t < 0:
		d.Errorf(mf.Line("target"), "the target must not be below 0")
	case pct && t > 100:
		d.Errorf(mf.Line("target"), "the target is a percentage, so it must be from 0 to 100, not %g", t)
	}
	m.Target = t
	better := Better(d.Text(mf, "better", true))
	if better != "" && better != HigherIsBetter && better != LowerIsBetter {
		d.Errorf(mf.Line("better"), "\"better\" must be higher or lower, not %q", better)
	}
	m.Better = better
}

// computation reads and checks a measure's computation, then compiles it.
func (d *decoder) computation(mf yamlfile.Fields, m *Measure, questions map[string]int) {
	cf, ok := d.Submapping(mf, "computation", "computation", true,
		"kind", "counted_on", "where", "sum", "numerator", "value", "percentile", "per", "question", "respondents")
	if !ok {
		return
	}
	c := &m.Computation
	c.Kind = Kind(d.Text(cf, "kind", true))
	allowed := kindsBySource[m.Source]
	if c.Kind == "" {
		return
	}
	if !slices.Contains(allowed, c.Kind) {
		names := make([]string, len(allowed))
		for i, k := range allowed {
			names[i] = string(k)
		}
		d.Errorf(cf.Line("kind"), "kind %q is not one a measure from %s can have: choose from %s", c.Kind, m.Source, strings.Join(names, ", "))
		return
	}
	// Which fields each kind uses; any other is a mistake worth reporting.
	uses := map[Kind][]string{
		KindCount:      {"kind", "counted_on", "where", "sum"},
		KindShare:      {"kind", "counted_on", "where", "sum", "numerator"},
		KindMedian:     {"kind", "counted_on", "where", "value"},
		KindPercentile: {"kind", "counted_on", "where", "value", "percentile"},
		KindRate:       {"kind", "counted_on", "where", "sum", "numerator", "per"},
		KindAgree:      {"kind", "question", "respondents"},
		KindFeedback:   {"kind"},
		KindComplaints: {"kind"},
	}[c.Kind]
	for _, key := range cf.Keys() {
		if !slices.Contains(uses, key) {
			d.Errorf(cf.Line(key), "a %s computation has no %q: it uses %s", c.Kind, key, strings.Join(uses[1:], ", "))
		}
	}
	switch m.Source {
	case SourceEvents:
		c.Count = d.count(cf, true)
		switch c.Kind {
		case KindShare:
			if nf, ok := d.Submapping(cf, "numerator", "numerator", true, "where", "sum"); ok {
				num := d.count(nf, false)
				if len(num.Where) == 0 && (num.Sum == "" || num.Sum == c.Count.Sum) {
					d.Errorf(cf.Line("numerator"), "the numerator must count a part of what the share counts: say which applications are in it with \"where\", or add up another fact with \"sum\"")
				}
				c.Numerator = &num
			}
		case KindRate:
			if nf, ok := d.Submapping(cf, "numerator", "numerator", true, "counted_on", "where", "sum"); ok {
				num := d.count(nf, true)
				c.Numerator = &num
			}
			c.Per, _ = d.Integer(cf, "per", true)
			if cf.Has("per") && (c.Per < 1 || c.Per > 1_000_000) {
				d.Errorf(cf.Line("per"), "\"per\" must be a whole number from 1 to 1,000,000, such as 100")
			}
		case KindMedian, KindPercentile:
			c.Value = d.factName(cf, "value", FactNumber, true)
			if c.Kind == KindPercentile {
				p, ok := d.Integer(cf, "percentile", true)
				if ok && (p < 1 || p > 99) {
					d.Errorf(cf.Line("percentile"), "the percentile must be from 1 to 99, such as 90")
				}
				c.Percentile = p
			}
		}
		if len(d.Problems()) == 0 {
			if err := m.compile(); err != nil {
				d.Errorf(cf.Line(""), "%v", err)
			}
		}
	case SourceSurvey:
		c.Question = d.Text(cf, "question", true)
		if c.Question != "" {
			if _, ok := questions[c.Question]; !ok {
				d.Errorf(cf.Line("question"), "there is no survey question %q: declare it under survey_questions", c.Question)
			}
		}
		for _, r := range d.TextList(cf, "respondents", false) {
			if !slices.Contains(RespondentTypes, r.Value) {
				d.Errorf(r.Line, "%q is not a kind of respondent: choose from %s", r.Value, strings.Join(RespondentTypes, ", "))
				continue
			}
			c.Respondents = append(c.Respondents, r.Value)
		}
	}
}

// count reads a count's fields: counted_on (required when needDate),
// where and sum.
func (d *decoder) count(f yamlfile.Fields, needDate bool) Count {
	var c Count
	if needDate {
		c.CountedOn = d.factName(f, "counted_on", FactDate, true)
	}
	for _, w := range d.TextList(f, "where", false) {
		if _, err := parseCondition(w.Value); err != nil {
			d.Errorf(w.Line, "%v", err)
			continue
		}
		c.Where = append(c.Where, w.Value)
	}
	c.Sum = d.factName(f, "sum", FactNumber, false)
	return c
}

// factName reads a field naming a fact of the given kind.
func (d *decoder) factName(f yamlfile.Fields, key string, kind FactKind, required bool) string {
	name := d.Text(f, key, required)
	if name == "" {
		return ""
	}
	ff, err := fact(name)
	switch {
	case err != nil:
		d.Errorf(f.Line(key), "%q: %v", key, err)
		return ""
	case ff.Kind != kind:
		d.Errorf(f.Line(key), "%q must name a %s fact, and %s is %s", key, kind, name, ff.Kind)
		return ""
	}
	return name
}

func commitmentID(s string) bool {
	a, b, ok := strings.Cut(s, ".")
	return ok && a != "" && b != "" && strings.Trim(a, "0123456789") == "" && strings.Trim(b, "0123456789") == "" &&
		a[0] != '0' && b[0] != '0'
}

// String is the measure's id, for messages.
func (m *Measure) String() string { return fmt.Sprintf("measure %s", m.ID) }
