package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/review"
	"github.com/charter-service/charter/internal/store"
)

// Draft revisions: a proposed new version of the charter, each change with
// its reason and the coded comments behind it. Publishing one makes it the
// current charter version.

// DraftSaved says what SaveDraft stored.
type DraftSaved struct {
	Version  string
	Replaced bool // an unpublished draft for the same version was replaced
	Changes  int  // commitments the draft changes
}

// SaveDraft checks a draft file against the charter version it revises
// and the coded comments of its round, and stores it under the version it
// would publish, replacing an unpublished draft of that version. Every
// problem is a charter.Problem (FILE:LINE: message), and then nothing is
// stored.
func (s *Service) SaveDraft(ctx context.Context, f File) (DraftSaved, error) {
	base, err := s.charterVersion(ctx, peek(f.Data, "base_version"))
	if err != nil {
		return DraftSaved{}, err
	}
	var comments []review.Comment
	if roundID := peek(f.Data, "round"); roundID != "" {
		if _, err := s.store.ReviewRound(ctx, roundID); errs.KindOf(err) == errs.KindNotFound {
			return DraftSaved{}, charter.Problems{{File: f.Name, Message: fmt.Sprintf(
				"the draft names review round %q, which is not stored: import the round and its comments first (charter review import)", roundID)}}
		} else if err != nil {
			return DraftSaved{}, err
		}
		if comments, err = s.store.ReviewComments(ctx, roundID); err != nil {
			return DraftSaved{}, err
		}
	}
	d, err := review.ParseDraft(f.Name, f.Data, base, comments)
	if err != nil {
		return DraftSaved{}, err
	}
	rev, err := d.Apply(base, comments)
	if err != nil {
		return DraftSaved{}, draftProblems(f.Name, err)
	}
	replaced, err := s.store.SaveDraft(ctx, *d, s.now())
	if err != nil {
		return DraftSaved{}, err
	}
	return DraftSaved{Version: d.Version, Replaced: replaced, Changes: len(rev.Changes)}, nil
}

// draftProblems turns an error from applying a draft into problems with
// the draft file.
func draftProblems(file string, err error) error {
	var de review.DraftErrors
	if errors.As(err, &de) {
		var ps charter.Problems
		for _, e := range de {
			ps = append(ps, charter.Problem{File: file, Message: e.Field + ": " + e.Message})
		}
		return ps
	}
	var ps charter.Problems
	if errors.As(err, &ps) {
		out := charter.Problems{}
		for _, p := range ps {
			out = append(out, charter.Problem{File: file, Message: "the revised charter would not be valid: " + p.Message})
		}
		return out
	}
	return err
}

// Drafts lists the stored draft revisions.
func (s *Service) Drafts(ctx context.Context) ([]DraftRecord, error) { return s.store.Drafts(ctx) }

// DraftView is a draft revision as its page shows it: the changes with
// their evidence, what to check before publishing, and whether it can be
// published now.
type DraftView struct {
	Record   DraftRecord
	Round    *RoundRecord     // nil when the draft names no round
	Base     *charter.Charter // the version it revises
	Revision *review.Revision // nil when it no longer applies (Problems says why)
	Report   PublishReport    // what publishing it would ask a person to check
	// Problems say why it cannot be published as it is.
	Problems []string
	// PublishOn is the date publishing it now would give the new version:
	// today, whatever date the draft planned.
	PublishOn   calendar.Date
	Current     string // the current charter version
	CanPublish  bool
	PublishedOn calendar.Date // when published
}

// DraftPreview applies a stored draft to the version it revises and says
// what publishing it would do.
func (s *Service) DraftPreview(ctx context.Context, version string) (*DraftView, error) {
	rec, err := s.store.Draft(ctx, version)
	if err != nil {
		return nil, err
	}
	v := &DraftView{Record: rec, PublishOn: s.Today()}
	cur, err := s.Charter()
	if err != nil {
		return nil, err
	}
	v.Current = cur.Version
	var comments []review.Comment
	if rec.Round != "" {
		r, err := s.store.ReviewRound(ctx, rec.Round)
		if err != nil && errs.KindOf(err) != errs.KindNotFound {
			return nil, err
		}
		if err == nil {
			v.Round = &r
			if comments, err = s.store.ReviewComments(ctx, rec.Round); err != nil {
				return nil, err
			}
		}
	}
	base, err := s.store.DocumentVersion(ctx, KindCharter, rec.BaseVersion)
	if errs.KindOf(err) == errs.KindNotFound {
		v.Problems = append(v.Problems, fmt.Sprintf("It revises version %s, which has not been published here.", rec.BaseVersion))
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	if v.Base, err = charter.ParseCharter("charter "+rec.BaseVersion, base.Body); err != nil {
		return nil, fmt.Errorf("stored charter %s: %w", rec.BaseVersion, err)
	}
	d := rec.Draft
	if rec.Status == store.DraftPublished {
		infos, err := s.store.VersionInfos(ctx)
		if err != nil {
			return nil, err
		}
		v.PublishedOn = infos[rec.Version].PublishedOn
		d.Published = v.PublishedOn
	} else {
		d.Published = v.PublishOn
	}
	v.Revision, err = d.Apply(v.Base, comments)
	if err != nil {
		var ps charter.Problems
		if errors.As(draftProblems("the draft", err), &ps) {
			for _, p := range ps {
				v.Problems = append(v.Problems, upperFirst(p.Message)+".")
			}
			v.Revision = nil
			return v, nil
		}
		return nil, err
	}
	v.Report = PublishReport{Version: rec.Version, BasedOn: rec.BaseVersion, Diff: &v.Revision.Diff,
		TermsNoLongerUsed: v.Revision.Diff.TermsNoLongerUsed}
	var notes []string
	v.Report.MeasureWarnings, notes = s.measureWarnings(v.Revision.Diff)
	v.Report.Notes = append(notes, v.Revision.Notes...)
	if rec.Status != store.DraftPublished {
		if b, err := s.store.LatestDocument(ctx, KindBenefits); err == nil {
			if _, stageNotes, err := charter.RenumberCatalogue(b.Body, v.Revision.Diff); err == nil {
				v.Report.Notes = append(v.Report.Notes, stageNotes...)
			}
		}
		if rec.BaseVersion != cur.Version {
			v.Problems = append(v.Problems, fmt.Sprintf("It revises version %s, but the charter is now version %s: save the draft again as a revision of version %s.",
				rec.BaseVersion, cur.Version, cur.Version))
		}
		v.CanPublish = len(v.Problems) == 0
	}
	return v, nil
}

// PublishDraft publishes a stored draft as the new charter version, from
// today: the charter it makes, the benefits carried over to its numbering
// (a benefit stage names commitments by number), the reason for each
// change and the draft marked published, all in one transaction. The draft
// must revise the current version. The report lists what to check.
func (s *Service) PublishDraft(ctx context.Context, version, by string) (*PublishReport, error) {
	rec, err := s.store.Draft(ctx, version)
	if err != nil {
		return nil, err
	}
	if rec.Status == store.DraftPublished {
		return nil, errs.Conflict("draft %s is already published", version)
	}
	cur, err := s.Charter()
	if err != nil {
		return nil, err
	}
	if rec.BaseVersion != cur.Version {
		return nil, errs.Conflict("draft %s revises version %s, but the charter is now version %s: save the draft again as a revision of version %s",
			version, rec.BaseVersion, cur.Version, cur.Version)
	}
	var comments []review.Comment
	roundName := ""
	if rec.Round != "" {
		r, err := s.store.ReviewRound(ctx, rec.Round)
		if err != nil {
			return nil, err
		}
		roundName = r.Name
		if comments, err = s.store.ReviewComments(ctx, rec.Round); err != nil {
			return nil, err
		}
	}
	d := rec.Draft
	d.Published = s.Today()
	rev, err := d.Apply(cur, comments)
	if err != nil {
		return nil, draftProblems("draft "+version, err)
	}
	b, err := s.store.LatestDocument(ctx, KindBenefits)
	if err != nil {
		return nil, err
	}
	benefits, stageNotes, err := charter.RenumberCatalogue(b.Body, rev.Diff)
	if err != nil {
		return nil, err
	}
	if _, err := charter.ParseCatalogue("benefits", benefits, rev.Charter); err != nil {
		return nil, errs.Conflict("the benefits do not fit version %s: %s", version, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	report := &PublishReport{Version: version, BasedOn: cur.Version, Diff: &rev.Diff, TermsNoLongerUsed: rev.Diff.TermsNoLongerUsed}
	var notes []string
	report.MeasureWarnings, notes = s.measureWarnings(rev.Diff)
	report.Notes = append(append(notes, rev.Notes...), stageNotes...)

	reason := "Revised from version " + cur.Version + "."
	if roundName != "" {
		reason = "Revised after " + roundName + ", from version " + cur.Version + "."
	}
	changes := map[string]store.ChangeReason{}
	for _, p := range d.Proposals {
		key := p.Commitment
		if c, ok := cur.Commitment(key); ok { // named by id
			key = c.Key
		}
		changes[key] = store.ChangeReason{Reason: p.Reason, Evidence: p.Evidence}
	}
	benefitsVersion := version + "+" + shortHash(benefits)
	created, err := s.store.PublishVersion(ctx, store.Publication{
		Documents: []store.Document{{Kind: KindCharter, Version: version, Body: rev.YAML}, {Kind: KindBenefits, Version: benefitsVersion, Body: benefits}},
		Info: store.VersionInfo{Version: version, BasedOn: cur.Version, PublishedOn: d.Published, PublishedAt: s.now(), How: store.VersionFromDraft,
			Reason: reason, RoundID: rec.Round, PublishedBy: by, Changes: changes},
		Draft: version,
	})
	if err != nil {
		return nil, err
	}
	if err := s.Reload(ctx); err != nil {
		return nil, err
	}
	report.Results = []LoadResult{{KindCharter, version, created[0]}, {KindBenefits, benefitsVersion, created[1]}}
	return report, nil
}
