package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/store"
)

// Charter versions. A new version is published from a YAML file (charter
// load) or from a draft revision (review.go); either way a commitment's
// key is its identity, the new version is compared with the current one
// commitment by commitment, and publishing lists what a person should
// check: measures linked to commitments removed, reworded or renumbered,
// glossary terms nothing uses any more, and benefit stages whose
// commitment numbers changed.

// Publishing says who publishes a version and why.
type Publishing struct {
	Reason string // why, for the whole version: published on the history page
	By     string // who, for the record
	// Measures, if not nil, is a measures file published with the version,
	// checked against its charter (MeasuresName names it in problems).
	Measures     []byte
	MeasuresName string
}

// PublishReport says what publishing stored and what to check.
type PublishReport struct {
	Results []LoadResult
	Version string
	BasedOn string // the version it replaces; "" for the first or one already published
	// Diff is the change from BasedOn; nil when there is nothing to compare.
	Diff              *charter.CharterDiff
	MeasureWarnings   []charter.MeasureWarning
	TermsNoLongerUsed []string
	// Notes are other things to check: benefit stages whose commitment
	// numbers changed, terms a new text uses without listing them.
	Notes []string
}

// Warnings lists everything to check, one sentence each.
func (r *PublishReport) Warnings() []string {
	var out []string
	for _, w := range r.MeasureWarnings {
		out = append(out, upperFirst(w.Message)+".")
	}
	for _, t := range r.TermsNoLongerUsed {
		out = append(out, fmt.Sprintf("The glossary term %q is no longer used by any commitment or \"please help us by\" in version %s: take it out of the glossary, or use it.",
			t, r.Version))
	}
	for _, n := range r.Notes {
		out = append(out, upperFirst(n)+".")
	}
	return out
}

// VersionHistoryEntry is one published charter version and how it
// differs from the one before.
type VersionHistoryEntry struct {
	Version  string
	Charter  *charter.Charter
	LoadedAt time.Time
	Info     store.VersionInfo // zero (Known false) for a version published before versions were described
	Known    bool
	Previous string               // the version before it, "" for the first
	Diff     *charter.CharterDiff // nil for the first
	Current  bool
}

// LoadVersion validates a charter file and a benefits file together and
// publishes them. When the charter is a new version, it is compared with
// the current one: a commitment that keeps its words but not its key is
// refused (a key is what ties feedback, measures and review evidence to a
// commitment across versions), a version that changes anything needs a
// reason, and the report lists what to check. Nothing is stored if
// anything is wrong.
func (s *Service) LoadVersion(ctx context.Context, charterName string, charterYAML []byte, benefitsName string, benefitsYAML []byte, p Publishing) (*PublishReport, error) {
	ch, err := charter.ParseCharter(charterName, charterYAML)
	if err != nil {
		return nil, err
	}
	cat, err := charter.ParseCatalogue(benefitsName, benefitsYAML, ch)
	if err != nil {
		return nil, err
	}
	_, err = s.store.DocumentVersion(ctx, KindCharter, ch.Version)
	published := err == nil
	if err != nil && errs.KindOf(err) != errs.KindNotFound {
		return nil, err
	}
	report := &PublishReport{Version: ch.Version}
	cur, _ := s.Charter()
	if cur != nil && !published {
		d := charter.Diff(cur, ch)
		if probs := identityProblems(charterName, cur, ch, d); len(probs) > 0 {
			return nil, probs
		}
		if d.HasChanges() && strings.TrimSpace(p.Reason) == "" {
			return nil, errs.Invalid("reason", "say why version %s changes the charter: the reason is published with it on the charter's history page", ch.Version)
		}
		report.BasedOn, report.Diff = cur.Version, &d
		report.MeasureWarnings, report.Notes = s.measureWarnings(d)
		report.TermsNoLongerUsed = d.TermsNoLongerUsed
		report.Notes = append(report.Notes, stageNumberNotes(cur, ch, cat)...)
	}
	reason := strings.TrimSpace(p.Reason)
	if reason == "" && cur == nil {
		reason = "The first version of the charter."
	}
	on, err := calendar.ParseDate(ch.Published)
	if err != nil {
		on = s.Today()
	}
	// A benefits or measures file is versioned by the charter it was
	// checked against and its content.
	benefitsVersion := ch.Version + "+" + shortHash(benefitsYAML)
	docs := []store.Document{{Kind: KindCharter, Version: ch.Version, Body: charterYAML},
		{Kind: KindBenefits, Version: benefitsVersion, Body: benefitsYAML}}
	if p.Measures != nil {
		if _, err := measure.ParseSet(p.MeasuresName, p.Measures, ch); err != nil {
			return nil, err
		}
		docs = append(docs, store.Document{Kind: KindMeasures, Version: ch.Version + "+" + shortHash(p.Measures), Body: p.Measures})
	}
	created, err := s.store.PublishVersion(ctx, store.Publication{
		Documents: docs,
		Info: store.VersionInfo{Version: ch.Version, BasedOn: report.BasedOn, PublishedOn: on, PublishedAt: s.now(),
			How: store.VersionLoaded, Reason: reason, PublishedBy: p.By},
	})
	if err != nil {
		return nil, err
	}
	if err := s.Reload(ctx); err != nil {
		return nil, err
	}
	for i, d := range docs {
		report.Results = append(report.Results, LoadResult{d.Kind, d.Version, created[i]})
	}
	return report, nil
}

// identityProblems finds commitments whose key changed while their words
// did not: the new version would lose the commitment's history.
func identityProblems(file string, old, new *charter.Charter, d charter.CharterDiff) charter.Problems {
	removed := map[string]*charter.Commitment{}
	for _, c := range d.Commitments {
		if c.Removed {
			removed[normalWords(c.Old.Text)] = c.Old
		}
	}
	var probs charter.Problems
	for _, c := range d.Commitments {
		if !c.Added {
			continue
		}
		if was, ok := removed[normalWords(c.New.Text)]; ok {
			probs = append(probs, charter.Problem{File: file, Message: fmt.Sprintf(
				"commitment %s has the same words as commitment %s of version %s but a new key (%q, was %q): "+
					"a commitment keeps its key from version to version, so that its feedback, measures and review evidence follow it; use the key %q",
				c.New.ID, was.ID, old.Version, c.New.Key, was.Key, was.Key)})
		}
	}
	return probs
}

func normalWords(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// stageNumberNotes warns about benefit stages that name a commitment by a
// number that now belongs to another commitment.
func stageNumberNotes(old, new *charter.Charter, cat *charter.Catalogue) []string {
	keyOf := func(ch *charter.Charter, id string) string {
		c, _ := ch.Commitment(id)
		return c.Key
	}
	var notes []string
	for _, b := range cat.Benefits {
		for _, st := range b.Stages {
			for _, id := range st.Commitments {
				was, is := keyOf(old, id), keyOf(new, id)
				if was != "" && is != "" && was != is {
					notes = append(notes, fmt.Sprintf("%s, stage %q, names commitment %s, which was %q in version %s and is %q in version %s: check the stage names the commitment you mean",
						b.Name, st.Name, id, was, old.Version, is, new.Version))
				}
			}
		}
	}
	return notes
}

// measureWarnings lists the measures linked to commitments the diff
// removes, rewords or renumbers: from the stored measure set, or if none is
// stored, the one given in Options.
func (s *Service) measureWarnings(d charter.CharterDiff) ([]charter.MeasureWarning, []string) {
	s.mu.RLock()
	set := s.measures.set
	s.mu.RUnlock()
	if set == nil {
		if len(s.warnMeasures) == 0 {
			return nil, nil
		}
		var err error
		if set, err = measure.ParseSet(s.warnMeasuresName, s.warnMeasures, nil); err != nil {
			return nil, []string{"the measure set " + s.warnMeasuresName + " could not be read, so its links to commitments were not checked: " +
				strings.ReplaceAll(err.Error(), "\n", "; ")}
		}
	}
	return measureLinks(set, d), nil
}

// measuresToCheck is the stored measure set, or if none is stored the one
// given in Options checked against ch; nil if neither fits.
func (s *Service) measuresToCheck(ch *charter.Charter) *measure.Set {
	s.mu.RLock()
	set := s.measures.set
	s.mu.RUnlock()
	if set != nil || len(s.warnMeasures) == 0 {
		return set
	}
	set, err := measure.ParseSet(s.warnMeasuresName, s.warnMeasures, ch)
	if err != nil {
		s.log.Warn("the measure set does not check against the current charter: no feedback measures shown", "error", err)
		return nil
	}
	return set
}

// measureLinks lists the measures the diff touches.
func measureLinks(set *measure.Set, d charter.CharterDiff) []charter.MeasureWarning {
	var links []charter.MeasureLink
	for _, m := range set.Measures {
		links = append(links, charter.MeasureLink{MeasureID: m.ID, CommitmentIDs: slices.Clone(m.Commitments)})
	}
	return d.MeasureWarnings(links)
}

// CharterHistory lists every published charter version, newest first,
// each with what changed from the version before it.
func (s *Service) CharterHistory(ctx context.Context) ([]VersionHistoryEntry, error) {
	docs, err := s.store.Documents(ctx, KindCharter)
	if err != nil {
		return nil, err
	}
	infos, err := s.store.VersionInfos(ctx)
	if err != nil {
		return nil, err
	}
	cur, _ := s.Charter()
	var out []VersionHistoryEntry
	var prev *charter.Charter
	for _, d := range docs {
		ch, err := charter.ParseCharter("charter "+d.Version, d.Body)
		if err != nil {
			return nil, fmt.Errorf("stored charter %s: %w", d.Version, err)
		}
		e := VersionHistoryEntry{Version: d.Version, Charter: ch, LoadedAt: d.LoadedAt}
		e.Info, e.Known = infos[d.Version]
		if prev != nil {
			diff := charter.Diff(prev, ch)
			e.Previous, e.Diff = prev.Version, &diff
		}
		e.Current = cur != nil && cur.Version == d.Version
		out = append(out, e)
		prev = ch
	}
	slices.Reverse(out)
	return out, nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
