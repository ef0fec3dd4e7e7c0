package review

import (
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/yamlfile"
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
	r := &reader{yamlfile.Reader{File: file}}
	root := r.Document(data)
	if root == nil {
		return nil, r.Err()
	}
	f, _ := r.Mapping(root, "draft", "base_version", "version", "published", "round", "renumber", "proposals")
	d := &Draft{
		BaseVersion: r.Text(f, "base_version", true),
		Version:     r.Text(f, "version", true),
		Published:   r.Date(f, "published", true),
		Round:       r.Text(f, "round", false),
		Renumber:    r.Boolean(f, "renumber"),
	}
	type located struct {
		f               yamlfile.Fields
		terms, evidence []yamlfile.Item
	}
	var where []located
	for _, n := range r.List(f, "proposals", "proposal", true) {
		pf, ok := r.Mapping(n, "proposal", "change", "commitment", "section", "after", "text", "terms", "reason", "evidence")
		if !ok {
			continue
		}
		p := Proposal{
			Change:     ProposalChange(r.Text(pf, "change", true)),
			Commitment: r.Text(pf, "commitment", true),
			After:      r.Text(pf, "after", false),
			Text:       r.Text(pf, "text", false),
			Reason:     r.Text(pf, "reason", false), // checkDraft says why it is needed
		}
		p.Section, _ = r.Integer(pf, "section", false)
		if p.Change == ProposeReword || p.Change == ProposeRemove {
			if key, ok := keyOf(base, p.Commitment); ok {
				p.Commitment = key
			}
		}
		loc := located{f: pf}
		for _, t := range r.TextList(pf, "terms", false) {
			p.Terms = append(p.Terms, t.Value)
			loc.terms = append(loc.terms, t)
		}
		if pf.Has("terms") && p.Terms == nil {
			p.Terms = []string{} // listed as empty: no terms, rather than "keep them"
		}
		for _, e := range r.TextList(pf, "evidence", false) {
			p.Evidence = append(p.Evidence, e.Value)
			loc.evidence = append(loc.evidence, e)
		}
		d.Proposals = append(d.Proposals, p)
		where = append(where, loc)
	}
	if err := r.Err(); err != nil {
		return nil, err // the draft is not read well enough to check
	}
	for _, p := range checkDraft(d, base, comments) {
		line := f.Line(p.field)
		if p.proposal >= 0 {
			loc := where[p.proposal]
			line = loc.f.Line(p.field)
			switch {
			case p.field == "terms" && p.item >= 0:
				line = loc.terms[p.item].Line
			case p.field == "evidence" && p.item >= 0:
				line = loc.evidence[p.item].Line
			}
		}
		r.Errorf(line, "%s", p.msg)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return d, nil
}
