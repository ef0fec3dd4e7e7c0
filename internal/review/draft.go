package review

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/yamlfile"
)

// ProposalChange is what a proposal does to a commitment.
type ProposalChange string

const (
	ProposeReword ProposalChange = "reword" // new text for a commitment
	ProposeAdd    ProposalChange = "add"    // a new commitment
	ProposeRemove ProposalChange = "remove" // take a commitment out
)

// Proposal is one proposed change to the charter, with the reason for it
// and the coded comments that motivate it.
type Proposal struct {
	Change ProposalChange `json:"change"`
	// Commitment is the key of the commitment to reword or remove (its id,
	// "1.4", is accepted too), or the key of the commitment to add.
	Commitment string `json:"commitment"`
	Section    int    `json:"section,omitempty"` // add: the section it goes in
	After      string `json:"after,omitempty"`   // add, with Draft.Renumber: the key it follows; otherwise it goes last
	Text       string `json:"text,omitempty"`    // reword and add
	// Terms are the glossary terms the text uses. For a rewording, nil keeps
	// the commitment's terms that the new text still uses.
	Terms    []string `json:"terms,omitempty"`
	Reason   string   `json:"reason"`
	Evidence []string `json:"evidence"` // comment ids; at least one
}

// Draft is a proposed new version of the charter: the version it revises
// and the proposals.
type Draft struct {
	BaseVersion string        `json:"base_version"`
	Version     string        `json:"version"`
	Published   calendar.Date `json:"published"`
	Round       string        `json:"round,omitempty"` // the review round behind it
	// Renumber numbers each section's commitments 1, 2, 3… again, closing
	// the gaps removals leave; without it, existing commitments keep their
	// numbers and new ones take the next free number in their section.
	Renumber  bool       `json:"renumber,omitempty"`
	Proposals []Proposal `json:"proposals"`
}

// DraftErrors lists everything wrong with a draft. Each is an *errs.Error
// of kind invalid naming its field: "version", "proposals[2].text",
// "proposals[0].evidence[1]".
type DraftErrors []*errs.Error

func (de DraftErrors) Error() string {
	msgs := make([]string, len(de))
	for i, e := range de {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap gives each error, so errors.As finds the first.
func (de DraftErrors) Unwrap() []error {
	out := make([]error, len(de))
	for i, e := range de {
		out[i] = e
	}
	return out
}

// Check checks a draft against the charter version it revises and the
// round's coded comments, and returns DraftErrors or nil. Every change needs
// evidence: a proposal citing no comment, or one that does not exist, is
// refused.
func (d *Draft) Check(base *charter.Charter, comments []Comment) error {
	ps := checkDraft(d, base, comments)
	if len(ps) == 0 {
		return nil
	}
	var de DraftErrors
	for _, p := range ps {
		field := p.field
		if p.proposal >= 0 {
			field = "proposals[" + strconv.Itoa(p.proposal) + "]." + field
		}
		if p.item >= 0 {
			field += "[" + strconv.Itoa(p.item) + "]"
		}
		de = append(de, errs.Invalid(field, "%s", p.msg))
	}
	return de
}

// draftProblem is a problem with a draft, located by proposal and field, so
// that Check can name the field and ParseDraft the line.
type draftProblem struct {
	proposal int // -1 for the draft itself
	field    string
	item     int // index in a list field, or -1
	msg      string
}

// checkDraft finds every problem with a draft.
func checkDraft(d *Draft, base *charter.Charter, comments []Comment) []draftProblem {
	var ps []draftProblem
	bad := func(proposal int, field string, item int, format string, args ...any) {
		ps = append(ps, draftProblem{proposal, field, item, fmt.Sprintf(format, args...)})
	}
	switch {
	case d.BaseVersion == "":
		bad(-1, "base_version", -1, "give the charter version this draft revises")
	case d.BaseVersion != base.Version:
		bad(-1, "base_version", -1, "this draft revises version %q, but the charter given is version %q", clip(d.BaseVersion), base.Version)
	}
	switch {
	case strings.TrimSpace(d.Version) == "":
		bad(-1, "version", -1, "give the new version's name, like \"2027.1\"")
	case d.Version == base.Version:
		bad(-1, "version", -1, "the new version needs a name other than %q, the version it revises", base.Version)
	case strings.ContainsAny(d.Version, "\n\r"):
		bad(-1, "version", -1, "the version must be one line")
	}
	if d.Published.IsZero() {
		bad(-1, "published", -1, "give the date the new version is published")
	}
	if len(d.Proposals) == 0 {
		bad(-1, "proposals", -1, "a draft needs at least one proposal")
	}

	byID := map[string]bool{}
	for _, c := range comments {
		byID[c.ID] = true
	}
	claimed := map[string]int{}  // commitment key -> the proposal about it
	removing := map[string]int{} // key -> proposal
	left := map[int]int{}        // section number -> commitments it would keep
	sectionOf := map[string]int{}
	for _, s := range base.Sections {
		left[s.Number] += len(s.Commitments)
		for _, cm := range s.Commitments {
			sectionOf[cm.Key] = s.Number
		}
	}
	for i, p := range d.Proposals {
		key := p.Commitment
		switch p.Change {
		case ProposeReword, ProposeRemove:
			k, ok := keyOf(base, p.Commitment)
			switch {
			case p.Commitment == "":
				bad(i, "commitment", -1, "name the commitment to %s, by key", p.Change)
			case !ok:
				bad(i, "commitment", -1, "version %s has no commitment %q", base.Version, clip(p.Commitment))
			}
			key = k
		case ProposeAdd:
			cm, exists := findCommitment(base, key)
			switch {
			case key == "":
				bad(i, "commitment", -1, "give the new commitment a key, like \"publish-a-timeline\"")
			case !yamlfile.IsSlug(key):
				bad(i, "commitment", -1, "the key %q must be a lowercase slug, like \"publish-a-timeline\"", clip(key))
			case exists:
				bad(i, "commitment", -1, "the key %q is already commitment %s: choose a new key", key, cm.ID)
			}
			if _, ok := left[p.Section]; ok {
				left[p.Section]++
			} else if p.Section == 0 {
				bad(i, "section", -1, "say which section the new commitment goes in, by number")
			} else {
				bad(i, "section", -1, "version %s has no section %d: a new commitment goes in one of its sections", base.Version, p.Section)
			}
			if p.After != "" {
				k, ok := keyOf(base, p.After)
				switch {
				case !d.Renumber:
					bad(i, "after", -1, "\"after\" needs the draft to renumber: without renumbering, a new commitment goes last in its section")
				case !ok || sectionOf[k] != p.Section:
					bad(i, "after", -1, "section %d has no commitment %q to follow", p.Section, clip(p.After))
				}
			}
		case "":
			bad(i, "change", -1, "say what the proposal does: reword, add or remove")
		default:
			bad(i, "change", -1, "%q is not a change: use reword, add or remove", clip(string(p.Change)))
		}
		if p.Change != ProposeAdd && (p.Section != 0 || p.After != "") {
			bad(i, "section", -1, "only a new commitment has a section or a commitment to follow")
		}
		if key != "" {
			if first, dup := claimed[key]; dup {
				bad(i, "commitment", -1, "proposal %d is already about %q: put both changes in one proposal", first+1, key)
			} else {
				claimed[key] = i
			}
		}

		text := strings.TrimSpace(p.Text)
		switch {
		case p.Change == ProposeRemove && (text != "" || len(p.Terms) > 0):
			bad(i, "text", -1, "a removal has no new text or terms")
		case p.Change == ProposeRemove:
			if _, ok := sectionOf[key]; ok {
				removing[key] = i
				left[sectionOf[key]]--
			}
		case text == "":
			bad(i, "text", -1, "give the commitment's new text")
		case p.Change == ProposeReword:
			if cm, ok := findCommitment(base, key); ok && normalSpace(cm.Text) == normalSpace(text) {
				bad(i, "text", -1, "the new text is the same as the current text of %s", cm.ID)
			}
		}
		for j, t := range p.Terms {
			if _, ok := base.Term(t); !ok {
				bad(i, "terms", j, "%q is not in the glossary: use a term as the glossary writes it", clip(t))
			} else if text != "" && !charter.Mentions(text, t) {
				bad(i, "terms", j, "the new text does not use %q: list only the terms it uses", t)
			}
		}
		if strings.TrimSpace(p.Reason) == "" {
			bad(i, "reason", -1, "say why: the reason is published with the change")
		}
		if len(p.Evidence) == 0 {
			bad(i, "evidence", -1, "every change needs evidence: cite the ids of the coded comments that motivate it")
		}
		seen := map[string]bool{}
		for j, id := range p.Evidence {
			switch {
			case seen[id]:
				bad(i, "evidence", j, "comment %s is cited twice", clip(id))
			case !byID[id]:
				bad(i, "evidence", j, "there is no coded comment %q in this round", clip(id))
			}
			seen[id] = true
		}
	}
	for i, p := range d.Proposals {
		if k, _ := keyOf(base, p.After); p.Change == ProposeAdd && p.After != "" && k != "" {
			if r, gone := removing[k]; gone {
				bad(i, "after", -1, "proposal %d removes %q: choose another commitment to follow", r+1, p.After)
			}
		}
	}
	emptied := map[int]bool{}
	for i := len(d.Proposals) - 1; i >= 0; i-- { // report each section once, on its last removal
		key, _ := keyOf(base, d.Proposals[i].Commitment)
		if r, ok := removing[key]; ok && r == i && left[sectionOf[key]] == 0 && !emptied[sectionOf[key]] {
			emptied[sectionOf[key]] = true
			bad(i, "commitment", -1, "removing %q would leave section %d with no commitments", key, sectionOf[key])
		}
	}
	return ps
}

func findCommitment(ch *charter.Charter, key string) (charter.Commitment, bool) {
	for _, s := range ch.Sections {
		for _, cm := range s.Commitments {
			if cm.Key == key {
				return cm, true
			}
		}
	}
	return charter.Commitment{}, false
}

func normalSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
