package charter

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Limits on timescales. They are far beyond any real service standard and
// stop a typing mistake (or a hostile file) from handing calendar arithmetic
// a number of days it would take hours to count.
const (
	maxDays  = 3660     // about ten years
	maxHours = 366 * 24 // a year
)

// kinds lists the valid values of Benefit.Kind, in the order messages give them.
var kinds = []string{KindDisability, KindCarer, KindGrant}

// ParseCatalogue parses and validates a benefit catalogue. file names the
// source in problems; data is its YAML. Stage commitments are checked against
// ch; when ch is nil only their form is checked. When anything is wrong it
// returns a nil catalogue and a Problems error listing every problem in line
// order.
func ParseCatalogue(file string, data []byte, ch *Charter) (*Catalogue, error) {
	d := &decoder{file: file}
	var cat *Catalogue
	if root := d.parseDocument(data); root != nil {
		var refs []item
		cat, refs, _ = d.catalogue(root)
		if ch != nil {
			d.checkCommitments(refs, ch, "")
		}
	}
	if len(d.probs) > 0 {
		sortProblems(d.probs)
		return nil, d.probs
	}
	return cat, nil
}

// checkCommitments reports references to commitments that ch does not have.
// where, if not empty, names the charter in messages.
func (d *decoder) checkCommitments(refs []item, ch *Charter, where string) {
	for _, r := range refs {
		if _, ok := ch.Commitment(r.value); !ok {
			if where == "" {
				where = "the charter"
			}
			d.errorf(r.line, "unknown commitment %q: %s (version %s) has no commitment with that id", r.value, where, ch.Version)
		}
	}
}

// catalogue decodes and validates a benefit catalogue from its root mapping.
// It returns the commitment references to check against a charter, and the
// line of each benefit's id.
func (d *decoder) catalogue(root *yaml.Node) (*Catalogue, []item, map[string]int) {
	f, _ := d.mapping(root, "benefit catalogue", "benefits")
	cat := &Catalogue{}
	var refs []item
	benefitLines := map[string]int{}
	for _, bn := range d.list(f, "benefits", "benefit", true) {
		bf, ok := d.mapping(bn, "benefit", "id", "name", "kind", "description",
			"stages", "standards", "challenge", "evidence", "criteria")
		if !ok {
			continue
		}
		b := Benefit{
			ID:          d.text(bf, "id", true),
			Name:        d.text(bf, "name", true),
			Kind:        d.text(bf, "kind", true),
			Description: d.text(bf, "description", false),
		}
		if b.ID != "" {
			d.checkSlug(bf, "id", b.ID, "adult-disability-payment")
			if first, dup := benefitLines[b.ID]; dup {
				d.errorf(bf.line("id"), "benefit %q is listed twice (first on line %d)", b.ID, first)
			} else {
				benefitLines[b.ID] = bf.line("id")
			}
		}
		if b.Kind != "" && !slices.Contains(kinds, b.Kind) {
			d.errorf(bf.line("kind"), "unknown kind %q: the kinds are %s and %s", b.Kind,
				strings.Join(kinds[:len(kinds)-1], ", "), kinds[len(kinds)-1])
		}
		var stageRefs []item
		b.Stages, stageRefs = d.stages(bf)
		refs = append(refs, stageRefs...)
		b.Standards = d.standards(bf)
		b.Challenge = d.challenge(bf)
		b.Evidence = d.evidence(bf, b.Stages)
		b.Criteria = d.criteria(bf)
		cat.Benefits = append(cat.Benefits, b)
	}
	return cat, refs, benefitLines
}

// stages decodes a benefit's stages and returns the commitments they name.
func (d *decoder) stages(bf fields) ([]Stage, []item) {
	var (
		stages []Stage
		refs   []item
		lines  = map[string]int{}
		nodes  = d.list(bf, "stages", "stage", true)
	)
	for i, sn := range nodes {
		sf, ok := d.mapping(sn, "stage", "id", "name", "client_text", "commitments", "optional")
		if !ok {
			continue
		}
		s := Stage{
			ID:         d.text(sf, "id", true),
			Name:       d.text(sf, "name", true),
			ClientText: d.text(sf, "client_text", true),
			Optional:   d.boolean(sf, "optional"),
		}
		if s.ID != "" {
			d.checkSlug(sf, "id", s.ID, "gathering-information")
			if first, dup := lines[s.ID]; dup {
				d.errorf(sf.line("id"), "stage %q is listed twice in this benefit (first on line %d)", s.ID, first)
			} else {
				lines[s.ID] = sf.line("id")
			}
			if i == 0 && s.ID != StageReceived {
				d.errorf(sf.line("id"), "the first stage must be %q (casework starts every application there), not %q", StageReceived, s.ID)
			}
			if s.Optional && (s.ID == StageReceived || s.ID == StageDecision) {
				d.errorf(sf.line("optional"), "the %q stage cannot be optional", s.ID)
			}
		}
		for _, c := range d.textList(sf, "commitments") {
			s.Commitments = append(s.Commitments, c.value)
			if !commitmentID.MatchString(c.value) {
				d.errorf(c.line, "%q is not a commitment id: write it like \"1.4\"", c.value)
				continue
			}
			refs = append(refs, c)
		}
		stages = append(stages, s)
	}
	if len(nodes) > 0 && lines[StageDecision] == 0 {
		d.errorf(bf.line("stages"), "there is no %q stage: every benefit needs one (casework moves an application there when a decision is recorded)", StageDecision)
	}
	return stages, refs
}

// days checks an optional or required count of days.
func (d *decoder) days(f fields, key string, required bool) int {
	n, ok := d.integer(f, key, required)
	switch {
	case !ok:
	case n <= 0:
		d.errorf(f.line(key), "%q must be more than 0, not %d", key, n)
	case n > maxDays:
		d.errorf(f.line(key), "%q must be at most %d, not %d", key, maxDays, n)
	}
	return n
}

func (d *decoder) standards(bf fields) Standards {
	f, ok := d.submapping(bf, "standards", "standards", true,
		"acknowledge_working_days", "decide_working_days", "max_working_days_without_update",
		"at_risk_percent", "pause_while_waiting_on_client", "information_request_working_days")
	if !ok {
		return Standards{}
	}
	s := Standards{
		AcknowledgeWorkingDays:        d.days(f, "acknowledge_working_days", true),
		DecideWorkingDays:             d.days(f, "decide_working_days", true),
		MaxWorkingDaysWithoutUpdate:   d.days(f, "max_working_days_without_update", true),
		PauseWhileWaitingOnClient:     d.boolean(f, "pause_while_waiting_on_client"),
		InformationRequestWorkingDays: d.days(f, "information_request_working_days", false),
	}
	if p, ok := d.integer(f, "at_risk_percent", false); ok {
		if p < 1 || p > 99 {
			d.errorf(f.line("at_risk_percent"), "\"at_risk_percent\" must be between 1 and 99, not %d", p)
		}
		s.AtRiskPercent = p
	}
	if s.AcknowledgeWorkingDays > s.DecideWorkingDays && s.DecideWorkingDays > 0 {
		d.errorf(f.line("acknowledge_working_days"), "\"acknowledge_working_days\" (%d) is longer than \"decide_working_days\" (%d)",
			s.AcknowledgeWorkingDays, s.DecideWorkingDays)
	}
	return s
}

func (d *decoder) challenge(bf fields) ChallengeRules {
	f, ok := d.submapping(bf, "challenge", "challenge rules", false,
		"redetermination_window_days", "window_starts_after_hours", "late_request_limit_days",
		"redetermination_deadline_days", "appeal_window_days")
	if !ok {
		return ChallengeRules{}
	}
	c := ChallengeRules{
		RedeterminationWindowDays:   d.days(f, "redetermination_window_days", false),
		LateRequestLimitDays:        d.days(f, "late_request_limit_days", false),
		RedeterminationDeadlineDays: d.days(f, "redetermination_deadline_days", false),
		AppealWindowDays:            d.days(f, "appeal_window_days", false),
	}
	if h, ok := d.integer(f, "window_starts_after_hours", false); ok {
		switch {
		case h < 0:
			d.errorf(f.line("window_starts_after_hours"), "\"window_starts_after_hours\" must not be negative, not %d", h)
		case h > maxHours:
			d.errorf(f.line("window_starts_after_hours"), "\"window_starts_after_hours\" must be at most %d, not %d", maxHours, h)
		}
		c.WindowStartsAfterHours = h
	}
	if c.LateRequestLimitDays > 0 && c.LateRequestLimitDays < c.RedeterminationWindowDays {
		d.errorf(f.line("late_request_limit_days"), "\"late_request_limit_days\" (%d) is shorter than \"redetermination_window_days\" (%d): a late request is one made after the window closes",
			c.LateRequestLimitDays, c.RedeterminationWindowDays)
	}
	return c
}

// evidence decodes what a benefit usually needs; a stage it names must be
// one of the benefit's stages.
func (d *decoder) evidence(bf fields, stages []Stage) []Evidence {
	var out []Evidence
	lines := map[string]int{}
	for _, en := range d.list(bf, "evidence", "piece of evidence", false) {
		ef, ok := d.mapping(en, "piece of evidence", "id", "name", "description", "from", "stage")
		if !ok {
			continue
		}
		e := Evidence{
			ID:          d.text(ef, "id", true),
			Name:        d.text(ef, "name", true),
			Description: d.text(ef, "description", false),
			From:        d.text(ef, "from", false),
			Stage:       d.text(ef, "stage", false),
		}
		if e.Stage != "" && len(stages) > 0 && !hasStage(stages, e.Stage) {
			ids := make([]string, len(stages))
			for i, st := range stages {
				ids[i] = st.ID
			}
			d.errorf(ef.line("stage"), "unknown stage %q: this benefit's stages are %s", e.Stage, strings.Join(ids, ", "))
		}
		if e.ID != "" {
			d.checkSlug(ef, "id", e.ID, "gp-letter")
			if first, dup := lines[e.ID]; dup {
				d.errorf(ef.line("id"), "evidence %q is listed twice in this benefit (first on line %d)", e.ID, first)
			} else {
				lines[e.ID] = ef.line("id")
			}
		}
		out = append(out, e)
	}
	return out
}

func (d *decoder) criteria(bf fields) []Criterion {
	var out []Criterion
	lines := map[string]int{}
	for _, cn := range d.list(bf, "criteria", "criterion", true) {
		cf, ok := d.mapping(cn, "criterion", "id", "question")
		if !ok {
			continue
		}
		c := Criterion{
			ID:       d.text(cf, "id", true),
			Question: d.text(cf, "question", true),
		}
		if c.ID != "" {
			d.checkSlug(cf, "id", c.ID, "residence")
			if first, dup := lines[c.ID]; dup {
				d.errorf(cf.line("id"), "criterion %q is listed twice in this benefit (first on line %d)", c.ID, first)
			} else {
				lines[c.ID] = cf.line("id")
			}
		}
		out = append(out, c)
	}
	return out
}

func hasStage(stages []Stage, id string) bool {
	for _, st := range stages {
		if st.ID == id {
			return true
		}
	}
	return false
}
