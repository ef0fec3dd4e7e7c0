package review

import (
	"github.com/charter-service/charter/internal/charter"
)

// ParseDraft reads and checks a draft revision file against the charter
// version it revises and the round's coded comments. The file has the
// fields base_version, version, published (YYYY-MM-DD), round (optional),
// renumber (optional, true or false) and proposals: a list, each with
// change (reword, add or remove), commitment (a key; for reword and remove
// an id such as "1.4" works too), section and after (for add), text, terms,
// reason and evidence (a list of comment ids). Commitments named by id come
// back named by key. When anything is wrong it returns a nil draft and
// charter.Problems, each FILE:LINE: message.
func ParseDraft(file string, data []byte, base *charter.Charter, comments []Comment) (*Draft, error) {
	r := &reader{file: file}
	root := r.document(data)
	if root == nil {
		return nil, r.result()
	}
	f, _ := r.mapping(root, "draft", "base_version", "version", "published", "round", "renumber", "proposals")
	d := &Draft{
		BaseVersion: r.text(f, "base_version", true),
		Version:     r.text(f, "version", true),
		Published:   r.date(f, "published", true),
		Round:       r.text(f, "round", false),
		Renumber:    r.boolean(f, "renumber"),
	}
	type located struct {
		f               fields
		terms, evidence []item
	}
	var where []located
	for _, n := range r.list(f, "proposals", "proposal", true) {
		pf, ok := r.mapping(n, "proposal", "change", "commitment", "section", "after", "text", "terms", "reason", "evidence")
		if !ok {
			continue
		}
		p := Proposal{
			Change:     ProposalChange(r.text(pf, "change", true)),
			Commitment: r.text(pf, "commitment", true),
			After:      r.text(pf, "after", false),
			Text:       r.text(pf, "text", false),
			Reason:     r.text(pf, "reason", false), // checkDraft says why it is needed
		}
		p.Section, _ = r.integer(pf, "section")
		if p.Change == ProposeReword || p.Change == ProposeRemove {
			if key, ok := keyOf(base, p.Commitment); ok {
				p.Commitment = key
			}
		}
		loc := located{f: pf}
		for _, t := range r.textList(pf, "terms") {
			p.Terms = append(p.Terms, t.value)
			loc.terms = append(loc.terms, t)
		}
		if _, given := pf.keys["terms"]; given && p.Terms == nil {
			p.Terms = []string{} // listed as empty: no terms, rather than "keep them"
		}
		for _, e := range r.textList(pf, "evidence") {
			p.Evidence = append(p.Evidence, e.value)
			loc.evidence = append(loc.evidence, e)
		}
		d.Proposals = append(d.Proposals, p)
		where = append(where, loc)
	}
	if len(r.probs) > 0 {
		return nil, r.result() // the draft is not read well enough to check
	}
	for _, p := range checkDraft(d, base, comments) {
		line := f.line(p.field)
		if p.proposal >= 0 {
			loc := where[p.proposal]
			line = loc.f.line(p.field)
			switch {
			case p.field == "terms" && p.item >= 0:
				line = loc.terms[p.item].line
			case p.field == "evidence" && p.item >= 0:
				line = loc.evidence[p.item].line
			}
		}
		r.errorf(line, "%s", p.msg)
	}
	if err := r.result(); err != nil {
		return nil, err
	}
	return d, nil
}
