package charter

// Versions and what changed between them. A commitment's key is its
// identity across versions and its id is only its number, so Diff matches
// commitments by key: renumbering is a move, and a new key is a new
// commitment. Diff also compares responsibilities (by id), glossary terms
// (by term, ignoring case) and section titles, lists the glossary terms
// nothing uses any more, and gives word-by-word differences for reworded
// text (diff_words.go). CharterDiff.MeasureWarnings (diff_measures.go) lists
// the measures a new version affects, for publishing to warn about.

import (
	"slices"
	"strings"
)

// ChangeKind names one way a commitment, responsibility or glossary term
// changed between two versions. A commitment can be both reworded and moved.
type ChangeKind string

const (
	ChangeAdded     ChangeKind = "added"
	ChangeRemoved   ChangeKind = "removed"
	ChangeReworded  ChangeKind = "reworded"  // its text changed (for a term: its definition)
	ChangeMoved     ChangeKind = "moved"     // its number or section changed
	ChangeUnchanged ChangeKind = "unchanged" // nothing a reader sees changed
)

// CharterDiff is what changed between two charter versions. Commitments are
// matched by key, responsibilities by id and glossary terms by term
// (ignoring case), so renumbering is a move, not a removal and an addition.
type CharterDiff struct {
	OldVersion       string                 `json:"old_version"`
	NewVersion       string                 `json:"new_version"`
	Sections         []SectionChange        `json:"sections,omitempty"` // changed sections only
	Commitments      []CommitmentChange     `json:"commitments"`        // every commitment of either version
	Responsibilities []ResponsibilityChange `json:"responsibilities"`   // every responsibility of either version
	Glossary         []TermChange           `json:"glossary"`           // every term of either version
	// TermsNoLongerUsed are glossary terms of the new version that some
	// commitment or responsibility used in the old version and none uses in
	// the new one: publishing warns about them.
	TermsNoLongerUsed []string `json:"terms_no_longer_used,omitempty"`
	// UnusedTerms are all the glossary terms of the new version that no
	// commitment or responsibility uses (whether or not they were used before).
	UnusedTerms []string `json:"unused_terms,omitempty"`
}

// SectionChange is a section that was added, removed, or given a new title
// or descriptor. Sections are matched by number.
type SectionChange struct {
	Number        int    `json:"number"`
	Added         bool   `json:"added,omitempty"`
	Removed       bool   `json:"removed,omitempty"`
	OldTitle      string `json:"old_title,omitempty"`
	NewTitle      string `json:"new_title,omitempty"`
	OldDescriptor string `json:"old_descriptor,omitempty"`
	NewDescriptor string `json:"new_descriptor,omitempty"`
}

// CommitmentChange is one commitment compared across two versions. Old is
// nil when it was added and New is nil when it was removed.
type CommitmentChange struct {
	Key        string      `json:"key"`
	Old        *Commitment `json:"old,omitempty"`
	New        *Commitment `json:"new,omitempty"`
	OldSection int         `json:"old_section,omitempty"`
	NewSection int         `json:"new_section,omitempty"`
	Added      bool        `json:"added,omitempty"`
	Removed    bool        `json:"removed,omitempty"`
	Reworded   bool        `json:"reworded,omitempty"`
	Moved      bool        `json:"moved,omitempty"` // its id changed, within or across sections
	// TermsChanged and RelatedChanged say that the glossary terms or the
	// related commitments it lists changed. Related commitments are compared
	// by key, so renumbering them is not a change.
	TermsChanged   bool      `json:"terms_changed,omitempty"`
	RelatedChanged bool      `json:"related_changed,omitempty"`
	Words          []WordRun `json:"words,omitempty"` // when reworded: the text, word by word
}

// Kinds lists how the commitment changed, in the order added, removed,
// reworded, moved; or just ChangeUnchanged.
func (c CommitmentChange) Kinds() []ChangeKind {
	return changeKinds(c.Added, c.Removed, c.Reworded, c.Moved)
}

// Unchanged reports whether a reader would see no difference: same text,
// same number. (Its terms or related lists may still have changed.)
func (c CommitmentChange) Unchanged() bool {
	return !c.Added && !c.Removed && !c.Reworded && !c.Moved
}

// ID is the commitment's number in the new version, or in the old one if it
// was removed.
func (c CommitmentChange) ID() string {
	if c.New != nil {
		return c.New.ID
	}
	if c.Old != nil {
		return c.Old.ID
	}
	return ""
}

// Summary says in plain words what happened to the commitment:
// "new commitment 2.13", "removed (it was 2.11)", "reworded, and renumbered
// from 2.12 to 2.11", "moved from section 1 to section 2 (it was 1.6 and is
// now 2.13)", "unchanged".
func (c CommitmentChange) Summary() string {
	switch {
	case c.Added:
		return "new commitment " + c.New.ID
	case c.Removed:
		return "removed (it was " + c.Old.ID + ")"
	}
	var parts []string
	if c.Reworded {
		parts = append(parts, "reworded")
	}
	if c.Moved {
		if c.OldSection != c.NewSection {
			parts = append(parts, "moved from section "+itoa(c.OldSection)+" to section "+itoa(c.NewSection)+
				" (it was "+c.Old.ID+" and is now "+c.New.ID+")")
		} else {
			parts = append(parts, "renumbered from "+c.Old.ID+" to "+c.New.ID)
		}
	}
	if len(parts) == 0 {
		return "unchanged"
	}
	return strings.Join(parts, ", and ")
}

// ResponsibilityChange is one "please help us by" statement compared across
// two versions, matched by id.
type ResponsibilityChange struct {
	ID         string          `json:"id"`
	Old        *Responsibility `json:"old,omitempty"`
	New        *Responsibility `json:"new,omitempty"`
	OldSection int             `json:"old_section,omitempty"`
	NewSection int             `json:"new_section,omitempty"`
	Added      bool            `json:"added,omitempty"`
	Removed    bool            `json:"removed,omitempty"`
	Reworded   bool            `json:"reworded,omitempty"`
	Moved      bool            `json:"moved,omitempty"` // to another section
	Words      []WordRun       `json:"words,omitempty"`
}

// Kinds lists how the responsibility changed, or just ChangeUnchanged.
func (c ResponsibilityChange) Kinds() []ChangeKind {
	return changeKinds(c.Added, c.Removed, c.Reworded, c.Moved)
}

// TermChange is one glossary term compared across two versions. Reworded
// means its definition changed.
type TermChange struct {
	Term     string    `json:"term"`
	Old      *Term     `json:"old,omitempty"`
	New      *Term     `json:"new,omitempty"`
	Added    bool      `json:"added,omitempty"`
	Removed  bool      `json:"removed,omitempty"`
	Reworded bool      `json:"reworded,omitempty"`
	Words    []WordRun `json:"words,omitempty"`
}

// Kinds lists how the term changed, or just ChangeUnchanged.
func (c TermChange) Kinds() []ChangeKind { return changeKinds(c.Added, c.Removed, c.Reworded, false) }

func changeKinds(added, removed, reworded, moved bool) []ChangeKind {
	var ks []ChangeKind
	for _, k := range []struct {
		on   bool
		kind ChangeKind
	}{{added, ChangeAdded}, {removed, ChangeRemoved}, {reworded, ChangeReworded}, {moved, ChangeMoved}} {
		if k.on {
			ks = append(ks, k.kind)
		}
	}
	if len(ks) == 0 {
		return []ChangeKind{ChangeUnchanged}
	}
	return ks
}

// Changed returns the commitments that were added, removed, reworded or
// moved, in the order of Commitments.
func (d CharterDiff) Changed() []CommitmentChange {
	var out []CommitmentChange
	for _, c := range d.Commitments {
		if !c.Unchanged() {
			out = append(out, c)
		}
	}
	return out
}

// HasChanges reports whether anything a reader sees differs between the
// versions: a commitment, responsibility, term or section.
func (d CharterDiff) HasChanges() bool {
	if len(d.Sections) > 0 || len(d.Changed()) > 0 {
		return true
	}
	for _, r := range d.Responsibilities {
		if r.Added || r.Removed || r.Reworded || r.Moved {
			return true
		}
	}
	for _, t := range d.Glossary {
		if t.Added || t.Removed || t.Reworded {
			return true
		}
	}
	return false
}

// Commitment returns the change for the commitment with the given key.
func (d CharterDiff) Commitment(key string) (CommitmentChange, bool) {
	for _, c := range d.Commitments {
		if c.Key == key {
			return c, true
		}
	}
	return CommitmentChange{}, false
}

// located is an item together with the number of the section it is in.
type located[T any] struct {
	item    *T
	section int
}

// Diff compares two versions of the charter. Either may be nil (everything
// added, or everything removed). Both are expected to be valid, as
// ParseCharter returns them; if a key is repeated, the first one counts.
//
// Commitments are listed in the order of the new version; a removed
// commitment comes after the commitments of the section it was in (or at
// the end, if that section is gone). Responsibilities are ordered the same
// way; glossary terms in the new glossary's order, removed terms last.
func Diff(old, new *Charter) CharterDiff {
	if old == nil {
		old = &Charter{}
	}
	if new == nil {
		new = &Charter{}
	}
	d := CharterDiff{OldVersion: old.Version, NewVersion: new.Version}
	d.Sections = diffSections(old, new)

	oldCm := commitmentsByKey(old)
	newCm := commitmentsByKey(new)
	oldKeyOf, newKeyOf := keysByID(old), keysByID(new)
	d.Commitments = diffOrdered(old, new, oldCm, newCm,
		func(s *Section) []Commitment { return s.Commitments },
		func(c *Commitment) string { return c.Key },
		func(key string, o, n located[Commitment]) CommitmentChange {
			ch := CommitmentChange{Key: key, Old: o.item, New: n.item, OldSection: o.section, NewSection: n.section}
			switch {
			case o.item == nil:
				ch.Added = true
			case n.item == nil:
				ch.Removed = true
			default:
				ch.Reworded = normalText(o.item.Text) != normalText(n.item.Text)
				ch.Moved = o.item.ID != n.item.ID || o.section != n.section
				ch.TermsChanged = !sameSet(o.item.Terms, n.item.Terms, strings.ToLower)
				ch.RelatedChanged = !sameSet(mapIDs(o.item.Related, oldKeyOf), mapIDs(n.item.Related, newKeyOf), nil)
				if ch.Reworded {
					ch.Words = WordDiff(o.item.Text, n.item.Text)
				}
			}
			return ch
		})

	oldR := responsibilitiesByID(old)
	newR := responsibilitiesByID(new)
	d.Responsibilities = diffOrdered(old, new, oldR, newR,
		func(s *Section) []Responsibility { return s.Responsibilities },
		func(r *Responsibility) string { return r.ID },
		func(id string, o, n located[Responsibility]) ResponsibilityChange {
			ch := ResponsibilityChange{ID: id, Old: o.item, New: n.item, OldSection: o.section, NewSection: n.section}
			switch {
			case o.item == nil:
				ch.Added = true
			case n.item == nil:
				ch.Removed = true
			default:
				ch.Reworded = normalText(o.item.Text) != normalText(n.item.Text)
				ch.Moved = o.section != n.section
				if ch.Reworded {
					ch.Words = WordDiff(o.item.Text, n.item.Text)
				}
			}
			return ch
		})

	d.Glossary = diffGlossary(old, new)
	usedBefore, usedNow := usedTerms(old), usedTerms(new)
	for _, t := range new.Glossary {
		lower := strings.ToLower(t.Term)
		if usedNow[lower] {
			continue
		}
		d.UnusedTerms = append(d.UnusedTerms, t.Term)
		if usedBefore[lower] {
			d.TermsNoLongerUsed = append(d.TermsNoLongerUsed, t.Term)
		}
	}
	return d
}

// diffOrdered pairs the items of two versions by identity and lists the
// changes in new-version order, each removed item after the items of the
// section it was in.
func diffOrdered[T, C any](old, new *Charter, oldBy, newBy map[string]located[T],
	items func(*Section) []T, id func(*T) string, compare func(string, located[T], located[T]) C) []C {
	var out []C
	done := map[string]bool{}
	removedIn := func(number int) {
		for si := range old.Sections {
			s := &old.Sections[si]
			if s.Number != number {
				continue
			}
			list := items(s)
			for i := range list {
				k := id(&list[i])
				if _, still := newBy[k]; !still && !done[k] && oldBy[k].item == &list[i] {
					done[k] = true
					out = append(out, compare(k, oldBy[k], located[T]{}))
				}
			}
		}
	}
	newNumbers := map[int]bool{}
	for si := range new.Sections {
		s := &new.Sections[si]
		newNumbers[s.Number] = true
		list := items(s)
		for i := range list {
			k := id(&list[i])
			if done[k] || newBy[k].item != &list[i] {
				continue // a repeated identity: the first one counts
			}
			done[k] = true
			out = append(out, compare(k, oldBy[k], newBy[k]))
		}
		removedIn(s.Number)
	}
	for _, s := range old.Sections {
		if !newNumbers[s.Number] {
			removedIn(s.Number)
		}
	}
	return out
}

func commitmentsByKey(c *Charter) map[string]located[Commitment] {
	return locate(c, func(s *Section) []Commitment { return s.Commitments }, func(cm *Commitment) string { return cm.Key })
}

func responsibilitiesByID(c *Charter) map[string]located[Responsibility] {
	return locate(c, func(s *Section) []Responsibility { return s.Responsibilities }, func(r *Responsibility) string { return r.ID })
}

// locate maps the items of every section by their identity, with the
// number of the section each is in; the first of any repeated one wins.
func locate[T any](c *Charter, items func(*Section) []T, id func(*T) string) map[string]located[T] {
	m := map[string]located[T]{}
	for si := range c.Sections {
		s := &c.Sections[si]
		list := items(s)
		for i := range list {
			if _, dup := m[id(&list[i])]; !dup {
				m[id(&list[i])] = located[T]{&list[i], s.Number}
			}
		}
	}
	return m
}

// keysByID maps each commitment id to its key.
func keysByID(c *Charter) map[string]string {
	m := map[string]string{}
	for _, s := range c.Sections {
		for _, cm := range s.Commitments {
			if _, dup := m[cm.ID]; !dup {
				m[cm.ID] = cm.Key
			}
		}
	}
	return m
}

// mapIDs turns related commitment ids into keys; an id with no commitment
// keeps its id, marked so that it cannot equal a key.
func mapIDs(ids []string, keyOf map[string]string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if k, ok := keyOf[id]; ok {
			out[i] = k
		} else {
			out[i] = "#" + id
		}
	}
	return out
}

// sameSet reports whether two lists hold the same values, in any order,
// after norm (if any).
func sameSet(a, b []string, norm func(string) string) bool {
	set := func(xs []string) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			if norm != nil {
				x = norm(x)
			}
			out[i] = x
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(set(a), set(b))
}

func diffSections(old, new *Charter) []SectionChange {
	oldBy := map[int]*Section{}
	for i := range old.Sections {
		if _, dup := oldBy[old.Sections[i].Number]; !dup {
			oldBy[old.Sections[i].Number] = &old.Sections[i]
		}
	}
	var out []SectionChange
	seen := map[int]bool{}
	for _, s := range new.Sections {
		if seen[s.Number] {
			continue
		}
		seen[s.Number] = true
		o, ok := oldBy[s.Number]
		switch {
		case !ok:
			out = append(out, SectionChange{Number: s.Number, Added: true, NewTitle: s.Title, NewDescriptor: s.Descriptor})
		case normalText(o.Title) != normalText(s.Title) || normalText(o.Descriptor) != normalText(s.Descriptor):
			out = append(out, SectionChange{Number: s.Number, OldTitle: o.Title, NewTitle: s.Title,
				OldDescriptor: o.Descriptor, NewDescriptor: s.Descriptor})
		}
	}
	for _, s := range old.Sections {
		if !seen[s.Number] {
			seen[s.Number] = true
			out = append(out, SectionChange{Number: s.Number, Removed: true, OldTitle: s.Title, OldDescriptor: s.Descriptor})
		}
	}
	return out
}

func diffGlossary(old, new *Charter) []TermChange {
	oldBy := map[string]*Term{}
	for i := range old.Glossary {
		k := strings.ToLower(old.Glossary[i].Term)
		if _, dup := oldBy[k]; !dup {
			oldBy[k] = &old.Glossary[i]
		}
	}
	var out []TermChange
	seen := map[string]bool{}
	for i := range new.Glossary {
		n := &new.Glossary[i]
		k := strings.ToLower(n.Term)
		if seen[k] {
			continue
		}
		seen[k] = true
		ch := TermChange{Term: n.Term, Old: oldBy[k], New: n}
		if ch.Old == nil {
			ch.Added = true
		} else if normalText(ch.Old.Definition) != normalText(n.Definition) {
			ch.Reworded = true
			ch.Words = WordDiff(ch.Old.Definition, n.Definition)
		}
		out = append(out, ch)
	}
	for i := range old.Glossary {
		o := &old.Glossary[i]
		if k := strings.ToLower(o.Term); !seen[k] {
			seen[k] = true
			out = append(out, TermChange{Term: o.Term, Old: o, Removed: true})
		}
	}
	return out
}

// usedTerms returns the lower-cased glossary terms that some commitment or
// responsibility uses: lists in "terms", or mentions in its text.
func usedTerms(c *Charter) map[string]bool {
	used := map[string]bool{}
	var texts []string
	for _, s := range c.Sections {
		for _, cm := range s.Commitments {
			for _, t := range cm.Terms {
				used[strings.ToLower(t)] = true
			}
			texts = append(texts, cm.Text)
		}
		for _, r := range s.Responsibilities {
			for _, t := range r.Terms {
				used[strings.ToLower(t)] = true
			}
			texts = append(texts, r.Text)
		}
	}
	for _, t := range c.Glossary {
		lower := strings.ToLower(t.Term)
		if used[lower] {
			continue
		}
		for _, text := range texts {
			if mentions(text, t.Term) {
				used[lower] = true
				break
			}
		}
	}
	return used
}
