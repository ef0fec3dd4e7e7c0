package review

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/charter"
)

// Revision is a draft applied to the version it revises: the new charter,
// its YAML (which ParseCharter reads back to the same charter), the
// difference from the old version, and beside each change the proposal and
// evidence behind it.
type Revision struct {
	Charter *charter.Charter    `json:"charter"`
	YAML    []byte              `json:"-"`
	Diff    charter.CharterDiff `json:"diff"`
	// Changes are the commitments the diff shows added, removed, reworded or
	// moved, in the diff's order.
	Changes []EvidencedChange `json:"changes"`
	// Notes are things a person publishing the draft should know, such as
	// a glossary term a new text uses but does not list.
	Notes []string `json:"notes,omitempty"`
}

// EvidencedChange is one changed commitment with its reason and evidence.
// Proposal is nil for a change that only follows from others, such as a
// commitment renumbered because one before it was removed.
type EvidencedChange struct {
	Change   charter.CommitmentChange `json:"change"`
	Proposal *Proposal                `json:"proposal,omitempty"`
	Evidence []Evidence               `json:"evidence"`
}

// Evidence is a coded comment cited by a proposal.
type Evidence struct {
	CommentID    string    `json:"comment_id"`
	Text         string    `json:"text"`
	Attribution  string    `json:"attribution"`
	Quotable     bool      `json:"quotable"` // if not, show it to staff only
	CommitmentID string    `json:"commitment_id,omitempty"`
	Themes       []string  `json:"themes"`
	Sentiment    Sentiment `json:"sentiment"`
}

// Apply makes the new version of the charter a draft describes. It checks
// the draft first (see Check) and returns DraftErrors if anything is wrong.
// The new charter keeps the base's title, summary, responsibilities and
// glossary; related-commitment lists follow renumbering and drop removed
// commitments. The result has been through ParseCharter: an error from that
// (which checking should make impossible) is returned as it is.
func (d *Draft) Apply(base *charter.Charter, comments []Comment) (*Revision, error) {
	if err := d.Check(base, comments); err != nil {
		return nil, err
	}
	rev := &Revision{}
	proposals := map[string]*Proposal{} // by commitment key
	adds := map[int][]*Proposal{}       // by section number
	for i := range d.Proposals {
		p := &d.Proposals[i]
		key := p.Commitment
		if p.Change != ProposeAdd {
			key, _ = keyOf(base, p.Commitment)
		} else {
			adds[p.Section] = append(adds[p.Section], p)
		}
		proposals[key] = p
	}

	ch := &charter.Charter{Version: d.Version, Title: base.Title, Summary: base.Summary, Published: d.Published.String()}
	for _, s := range base.Sections {
		ns := charter.Section{Number: s.Number, Title: s.Title, Descriptor: s.Descriptor}
		top := 0 // the highest number used in the section
		for _, r := range s.Responsibilities {
			ns.Responsibilities = append(ns.Responsibilities, charter.Responsibility{ID: r.ID, Text: r.Text, Terms: clone(r.Terms)})
		}
		placed := map[*Proposal]bool{}
		addAfter := func(key string) {
			for _, p := range adds[s.Number] {
				if p.After == key && !placed[p] {
					placed[p] = true
					ns.Commitments = append(ns.Commitments, charter.Commitment{Key: p.Commitment, Text: strings.TrimSpace(p.Text), Terms: clone(p.Terms)})
					rev.Notes = append(rev.Notes, unlistedTerms(base, p.Commitment, p.Text, p.Terms)...)
				}
			}
		}
		for _, cm := range s.Commitments {
			top = max(top, number(cm.ID))
			p := proposals[cm.Key]
			if p != nil && p.Change == ProposeRemove {
				continue
			}
			c := charter.Commitment{ID: cm.ID, Key: cm.Key, Text: cm.Text, Terms: clone(cm.Terms), Related: clone(cm.Related)}
			if p != nil && p.Change == ProposeReword {
				c.Text = strings.TrimSpace(p.Text)
				c.Terms = clone(p.Terms)
				if p.Terms == nil {
					c.Terms = nil
					for _, t := range cm.Terms {
						if charter.Mentions(c.Text, t) {
							c.Terms = append(c.Terms, t)
						} else {
							rev.Notes = append(rev.Notes, fmt.Sprintf("%s no longer lists the term %q: its new text does not use it", cm.ID, t))
						}
					}
				}
				rev.Notes = append(rev.Notes, unlistedTerms(base, cm.ID, c.Text, c.Terms)...)
			}
			ns.Commitments = append(ns.Commitments, c)
			addAfter(cm.Key)
		}
		addAfter("")
		for i := range ns.Commitments {
			c := &ns.Commitments[i]
			switch {
			case d.Renumber:
				c.ID = strconv.Itoa(s.Number) + "." + strconv.Itoa(i+1)
			case c.ID == "":
				top++
				c.ID = strconv.Itoa(s.Number) + "." + strconv.Itoa(top)
			}
		}
		ch.Sections = append(ch.Sections, ns)
	}
	remapRelated(base, ch)
	for _, t := range base.Glossary {
		ch.Glossary = append(ch.Glossary, charter.Term{Term: t.Term, Definition: t.Definition, SeeAlso: clone(t.SeeAlso)})
	}

	comment := fmt.Sprintf("Charter version %s, revised from version %s", d.Version, base.Version)
	if d.Round != "" {
		comment += " after review round " + d.Round
	}
	rev.YAML = charter.EncodeCharter(ch, comment+".\nThe reason and the evidence for each change are kept with the revision.")
	parsed, err := charter.ParseCharter("charter-"+d.Version+".yaml", rev.YAML)
	if err != nil {
		return nil, fmt.Errorf("review: the revised charter fails the charter's own checks: %w", err)
	}
	rev.Charter = parsed
	rev.Diff = charter.Diff(base, parsed)

	byID := map[string]Comment{}
	for _, c := range comments {
		byID[c.ID] = c
	}
	for _, change := range rev.Diff.Changed() {
		ec := EvidencedChange{Change: change, Proposal: proposals[change.Key], Evidence: []Evidence{}}
		if ec.Proposal != nil {
			for _, id := range ec.Proposal.Evidence {
				c := byID[id]
				ec.Evidence = append(ec.Evidence, Evidence{CommentID: c.ID, Text: c.Text, Attribution: c.Attribution(),
					Quotable: c.Quotable, CommitmentID: c.CommitmentID, Themes: clone(c.Themes), Sentiment: c.Sentiment})
			}
		}
		rev.Changes = append(rev.Changes, ec)
	}
	return rev, nil
}

// remapRelated rewrites each commitment's related ids from the base
// version's numbers to the new ones, by key, dropping removed commitments.
func remapRelated(base, ch *charter.Charter) {
	keyOfOld := map[string]string{}
	for _, s := range base.Sections {
		for _, cm := range s.Commitments {
			keyOfOld[cm.ID] = cm.Key
		}
	}
	idOfNew := map[string]string{}
	for _, s := range ch.Sections {
		for _, cm := range s.Commitments {
			idOfNew[cm.Key] = cm.ID
		}
	}
	for si := range ch.Sections {
		for ci := range ch.Sections[si].Commitments {
			c := &ch.Sections[si].Commitments[ci]
			var related []string
			for _, id := range c.Related {
				if nid, ok := idOfNew[keyOfOld[id]]; ok && nid != c.ID {
					related = append(related, nid)
				}
			}
			c.Related = related
		}
	}
}

// unlistedTerms notes glossary terms a new text uses but does not list.
func unlistedTerms(base *charter.Charter, who, text string, listed []string) []string {
	var notes []string
	inListed := func(term string) bool { // "decision" within "expected decision date"
		for _, l := range listed {
			if charter.Mentions(l, term) {
				return true
			}
		}
		return false
	}
	for _, t := range base.Glossary {
		if !inListed(t.Term) && charter.Mentions(text, t.Term) {
			notes = append(notes, fmt.Sprintf("the new text of %s uses the glossary term %q but does not list it in its terms", who, t.Term))
		}
	}
	return notes
}

// number is the number of a commitment within its section ("2.10" gives 10).
func number(id string) int {
	_, n, _ := strings.Cut(id, ".")
	v, _ := strconv.Atoi(n)
	return v
}

func clone(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	return slices.Clone(xs)
}
