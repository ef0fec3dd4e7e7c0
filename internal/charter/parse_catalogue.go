package charter

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/charter-service/charter/internal/yamlfile"
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
	d := newDecoder(file)
	var cat *Catalogue
	if root := d.Document(data); root != nil {
		var refs []yamlfile.Item
		cat, refs, _ = d.catalogue(root)
		if ch != nil {
			d.checkCommitments(refs, ch, "")
		}
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return cat, nil
}

// checkCommitments reports references to commitments that ch does not have.
// where, if not empty, names the charter in messages.
func (d *decoder) checkCommitments(refs []yamlfile.Item, ch *Charter, where string) {
	for _, r := range refs {
		if _, ok := ch.Commitment(r.Value); !ok {
			if where == "" {
				where = "the charter"
			}
			d.Errorf(r.Line, "unknown commitment %q: %s (version %s) has no commitment with that id", r.Value, where, ch.Version)
		}
	}
}

// catalogue decodes and validates a benefit catalogue from its root mapping.
// It returns the commitment references to check against a charter, and the
// line of each benefit's id.
func (d *decoder) catalogue(root *yaml.Node) (*Catalogue, []yamlfile.Item, map[string]int) {
	f, _ := d.Mapping(root, "benefit catalogue", "benefits")
	cat := &Catalogue{}
	var refs []yamlfile.Item
	benefitLines := map[string]int{}
	for _, bn := range d.List(f, "benefits", "benefit", true) {
		bf, ok := d.Mapping(bn, "benefit", "id", "name", "kind", "description",
			"stages", "standards", "challenge", "evidence", "criteria")
		if !ok {
			continue
		}
		b := Benefit{
			ID:          d.Text(bf, "id", true),
			Name:        d.Text(bf, "name", true),
			Kind:        d.Text(bf, "kind", true),
			Description: d.Text(bf, "description", false),
		}
		if b.ID != "" {
			d.CheckSlug(bf, "id", b.ID, "adult-disability-payment")
			if first, dup := benefitLines[b.ID]; dup {
				d.Errorf(bf.Line("id"), "benefit %q is listed twice (first on line %d)", b.ID, first)
			} else {
				benefitLines[b.ID] = bf.Line("id")
			}
		}
		if b.Kind != "" && !slices.Contains(kinds, b.Kind) {
			d.Errorf(bf.Line("kind"), "unknown kind %q: the kinds are %s and %s", b.Kind,
				strings.Join(kinds[:len(kinds)-1], ", "), kinds[len(kinds)-1])
		}
		var stageRefs []yamlfile.Item
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
func (d *decoder) stages(bf yamlfile.Fields) ([]Stage, []yamlfile.Item) {
	var (
		stages []Stage
		refs   []yamlfile.Item
		lines  = map[string]int{}
		nodes  = d.List(bf, "stages", "stage", true)
	)
	for i, sn := range nodes {
		sf, ok := d.Mapping(sn, "stage", "id", "name", "client_text", "commitments", "optional")
		if !ok {
			continue
		}
		s := Stage{
			ID:         d.Text(sf, "id", true),
			Name:       d.Text(sf, "name", true),
			ClientText: d.Text(sf, "client_text", true),
			Optional:   d.Boolean(sf, "optional"),
		}
		if s.ID != "" {
			d.CheckSlug(sf, "id", s.ID, "gathering-information")
			if first, dup := lines[s.ID]; dup {
				d.Errorf(sf.Line("id"), "stage %q is listed twice in this benefit (first on line %d)", s.ID, first)
			} else {
				lines[s.ID] = sf.Line("id")
			}
			if i == 0 && s.ID != StageReceived {
				d.Errorf(sf.Line("id"), "the first stage must be %q (casework starts every application there), not %q", StageReceived, s.ID)
			}
			if s.Optional && (s.ID == StageReceived || s.ID == StageDecision) {
				d.Errorf(sf.Line("optional"), "the %q stage cannot be optional", s.ID)
			}
		}
		for _, c := range d.TextList(sf, "commitments", false) {
			s.Commitments = append(s.Commitments, c.Value)
			if !commitmentID.MatchString(c.Value) {
				d.Errorf(c.Line, "%q is not a commitment id: write it like \"1.4\"", c.Value)
				continue
			}
			refs = append(refs, c)
		}
		stages = append(stages, s)
	}
	if len(nodes) > 0 && lines[StageDecision] == 0 {
		d.Errorf(bf.Line("stages"), "there is no %q stage: every benefit needs one (casework moves an application there when a decision is recorded)", StageDecision)
	}
	return stages, refs
}

// days checks an optional or required count of days.
func (d *decoder) days(f yamlfile.Fields, key string, required bool) int {
	n, ok := d.Integer(f, key, required)
	switch {
	case !ok:
	case n <= 0:
		d.Errorf(f.Line(key), "%q must be more than 0, not %d", key, n)
	case n > maxDays:
		d.Errorf(f.Line(key), "%q must be at most %d, not %d", key, maxDays, n)
	}
	return n
}

func (d *decoder) standards(bf yamlfile.Fields) Standards {
	f, ok := d.Submapping(bf, "standards", "standards", true,
		"acknowledge_working_days", "decide_working_days", "max_working_days_without_update",
		"at_risk_percent", "pause_while_waiting_on_client", "information_request_working_days")
	if !ok {
		return Standards{}
	}
	s := Standards{
		AcknowledgeWorkingDays:        d.days(f, "acknowledge_working_days", true),
		DecideWorkingDays:             d.days(f, "decide_working_days", true),
		MaxWorkingDaysWithoutUpdate:   d.days(f, "max_working_days_without_update", true),
		PauseWhileWaitingOnClient:     d.Boolean(f, "pause_while_waiting_on_client"),
		InformationRequestWorkingDays: d.days(f, "information_request_working_days", false),
	}
	if p, ok := d.Integer(f, "at_risk_percent", false); ok {
		if p < 1 || p > 99 {
			d.Errorf(f.Line("at_risk_percent"), "\"at_risk_percent\" must be between 1 and 99, not %d", p)
		}
		s.AtRiskPercent = p
	}
	if s.AcknowledgeWorkingDays > s.DecideWorkingDays && s.DecideWorkingDays > 0 {
		d.Errorf(f.Line("acknowledge_working_days"), "\"acknowledge_working_days\" (%d) is longer than \"decide_working_days\" (%d)",
			s.AcknowledgeWorkingDays, s.DecideWorkingDays)
	}
	return s
}

func (d *decoder) challenge(bf yamlfile.Fields) ChallengeRules {
	f, ok := d.Submapping(bf, "challenge", "challenge rules", false,
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
	if h, ok := d.Integer(f, "window_starts_after_hours", false); ok {
		switch {
		case h < 0:
			d.Errorf(f.Line("window_starts_after_hours"), "\"window_starts_after_hours\" must not be negative, not %d", h)
		case h > maxHours:
			d.Errorf(f.Line("window_starts_after_hours"), "\"window_starts_after_hours\" must be at most %d, not %d", maxHours, h)
		}
		c.WindowStartsAfterHours = h
	}
	if c.LateRequestLimitDays > 0 && c.LateRequestLimitDays < c.RedeterminationWindowDays {
		d.Errorf(f.Line("late_request_limit_days"), "\"late_request_limit_days\" (%d) is shorter than \"redetermination_window_days\" (%d): a late request is one made after the window closes",
			c.LateRequestLimitDays, c.RedeterminationWindowDays)
	}
	return c
}

// evidence decodes what a benefit usually needs; a stage it names must be
// one of the benefit's stages.
func (d *decoder) evidence(bf yamlfile.Fields, stages []Stage) []Evidence {
	var out []Evidence
	lines := map[string]int{}
	for _, en := range d.List(bf, "evidence", "piece of evidence", false) {
		ef, ok := d.Mapping(en, "piece of evidence", "id", "name", "description", "from", "stage")
		if !ok {
			continue
		}
		e := Evidence{
			ID:          d.Text(ef, "id", true),
			Name:        d.Text(ef, "name", true),
			Description: d.Text(ef, "description", false),
			From:        d.Text(ef, "from", false),
			Stage:       d.Text(ef, "stage", false),
		}
		if e.Stage != "" && len(stages) > 0 && !hasStage(stages, e.Stage) {
			ids := make([]string, len(stages))
			for i, st := range stages {
				ids[i] = st.ID
			}
			d.Errorf(ef.Line("stage"), "unknown stage %q: this benefit's stages are %s", e.Stage, strings.Join(ids, ", "))
		}
		if e.ID != "" {
			d.CheckSlug(ef, "id", e.ID, "gp-letter")
			if first, dup := lines[e.ID]; dup {
				d.Errorf(ef.Line("id"), "evidence %q is listed twice in this benefit (first on line %d)", e.ID, first)
			} else {
				lines[e.ID] = ef.Line("id")
			}
		}
		out = append(out, e)
	}
	return out
}

func (d *decoder) criteria(bf yamlfile.Fields) []Criterion {
	var out []Criterion
	lines := map[string]int{}
	for _, cn := range d.List(bf, "criteria", "criterion", true) {
		cf, ok := d.Mapping(cn, "criterion", "id", "question")
		if !ok {
			continue
		}
		c := Criterion{
			ID:       d.Text(cf, "id", true),
			Question: d.Text(cf, "question", true),
		}
		if c.ID != "" {
			d.CheckSlug(cf, "id", c.ID, "residence")
			if first, dup := lines[c.ID]; dup {
				d.Errorf(cf.Line("id"), "criterion %q is listed twice in this benefit (first on line %d)", c.ID, first)
			} else {
				lines[c.ID] = cf.Line("id")
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
