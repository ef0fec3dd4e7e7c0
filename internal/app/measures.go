package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
)

// measureSet is the measures file loaded with the charter, or why there is
// none.
type measureSet struct {
	set     *measure.Set
	version string
	err     error // why set is nil
}

// loadMeasures reads the latest measures file from the store and checks it
// against the charter. A file that no longer fits the charter (a newer
// charter dropped a commitment it names) leaves the service without
// measures, saying why, rather than stopping it.
func (s *Service) loadMeasures(ctx context.Context, ch *charter.Charter) measureSet {
	d, err := s.store.LatestDocument(ctx, KindMeasures)
	if errs.KindOf(err) == errs.KindNotFound {
		return measureSet{err: errs.NotFound("no measures have been loaded yet; load them with charter load CHARTER.yaml BENEFITS.yaml MEASURES.yaml")}
	}
	if err != nil {
		return measureSet{err: err}
	}
	set, err := measure.ParseSet("measures "+d.Version, d.Body, ch)
	if err != nil {
		s.log.Warn("the stored measures do not fit the current charter: load a measures file for it", "measures", d.Version, "charter", ch.Version, "error", err)
		return measureSet{err: errs.Conflict("the measures loaded (version %s) do not fit charter version %s; load a measures file for it with charter load", d.Version, ch.Version)}
	}
	return measureSet{set: set, version: d.Version}
}

// Measures returns the measures file loaded, or an error saying why there
// is none.
func (s *Service) Measures() (*measure.Set, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.measures.set == nil {
		if s.measures.err != nil {
			return nil, s.measures.err
		}
		return nil, errs.NotFound("no measures have been loaded yet; load them with charter load")
	}
	return s.measures.set, nil
}

// measuresVersion is the version of the measures loaded, "" for none.
func (s *Service) measuresVersion() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.measures.version
}

// ---- Survey responses ----

// ImportSurvey imports a survey file (one response a row: see
// measure.ParseSurveyCSV) for a period: every response or none. Every
// problem is reported, by row and column, as measure.SurveyProblems,
// including responses whose ids were already imported for the same year.
// It returns how many responses it imported.
func (s *Service) ImportSurvey(ctx context.Context, period measure.Period, source string, data []byte) (int, error) {
	set, err := s.Measures()
	if err != nil {
		return 0, err
	}
	if period.IsZero() {
		return 0, errs.Invalid("period", "say which period the survey is for, such as 2025-26 or 2025-26 Q3")
	}
	rs, err := measure.ParseSurveyCSV(data, set.Questions, period)
	if err != nil {
		return 0, err
	}
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	seen, err := s.store.SurveyResponseIDs(ctx, period.Year, ids)
	if err != nil {
		return 0, err
	}
	if len(seen) > 0 {
		rows := idRows(data)
		var probs measure.SurveyProblems
		for _, r := range rs {
			if seen[r.ID] {
				probs = append(probs, measure.SurveyProblem{Row: rows[r.ID], Column: 1, Name: "response_id",
					Message: fmt.Sprintf("response %s was already imported for %s: give each response its own id, or leave out the ones imported before", r.ID, period.FinancialYear())})
			}
		}
		return 0, probs
	}
	if _, err := s.store.ImportSurvey(ctx, period, source, rs); err != nil {
		return 0, err
	}
	s.forgetReports()
	return len(rs), nil
}

// idRows maps each response id of a survey file (its first column) to its
// row, counting rows as ParseSurveyCSV does.
func idRows(data []byte) map[string]int {
	out := map[string]int{}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	cr.FieldsPerRecord = -1
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) || (err != nil && !errors.As(err, new(*csv.ParseError))) {
			return out
		}
		if err != nil || n == 0 || len(rec) == 0 {
			continue
		}
		row, _ := cr.FieldPos(0)
		id := strings.TrimSpace(rec[0])
		if _, ok := out[id]; !ok {
			out[id] = row
		}
	}
}

// ---- The improvement plan, narratives and evidence ----

// checkInputs returns what validating the improvement plan needs.
func (s *Service) checkInputs() (*measure.Set, *charter.Charter, error) {
	set, err := s.Measures()
	if err != nil {
		return nil, nil, err
	}
	ch, err := s.Charter()
	if err != nil {
		return nil, nil, err
	}
	return set, ch, nil
}

// AddAction adds an improvement action after checking it against the
// measures and the charter; every problem is an errs.Invalid naming its
// field, joined. It returns the action with its id.
func (s *Service) AddAction(ctx context.Context, a report.Action, by string) (report.Action, error) {
	set, ch, err := s.checkInputs()
	if err != nil {
		return a, err
	}
	if err := a.Validate(set, ch); err != nil {
		return a, err
	}
	if a.ID, err = s.store.AddAction(ctx, a, by); err != nil {
		return a, err
	}
	return a, nil
}

// UpdateAction changes an improvement action that is still at version,
// after checking it. Progress notes already recorded cannot be changed or
// removed: the notes given must start with them; any after them are added.
func (s *Service) UpdateAction(ctx context.Context, a report.Action, version int, by string) error {
	set, ch, err := s.checkInputs()
	if err != nil {
		return err
	}
	old, err := s.store.Action(ctx, a.ID)
	if err != nil {
		return err
	}
	if len(a.Progress) < len(old.Progress) {
		return errs.Invalid("progress", "progress notes already recorded cannot be removed")
	}
	for i, n := range old.Progress {
		if a.Progress[i] != n {
			return errs.Invalid("progress", "progress note %d is already recorded and cannot be changed: add a new note instead", i+1)
		}
	}
	if err := a.Validate(set, ch); err != nil {
		return err
	}
	return s.store.UpdateAction(ctx, a, version, by)
}

// Action returns one improvement action.
func (s *Service) Action(ctx context.Context, id string) (ActionRecord, error) {
	return s.store.Action(ctx, id)
}

// Actions lists every improvement action, by due date.
func (s *Service) Actions(ctx context.Context) ([]ActionRecord, error) { return s.store.Actions(ctx) }

// AddEvidence adds a qualitative evidence entry after checking it.
func (s *Service) AddEvidence(ctx context.Context, e report.Evidence, by string) (report.Evidence, error) {
	ch, err := s.Charter()
	if err != nil {
		return e, err
	}
	if err := e.Validate(ch); err != nil {
		return e, err
	}
	if e.On.After(s.Today()) {
		return e, errs.Invalid("on", "the date it was said or found cannot be in the future")
	}
	return s.store.AddEvidence(ctx, e, by)
}

// AddYouSaid adds a "you said, we did" entry after checking it, including
// that the actions it names exist.
func (s *Service) AddYouSaid(ctx context.Context, y report.YouSaidWeDid, by string) (report.YouSaidWeDid, error) {
	set, ch, err := s.checkInputs()
	if err != nil {
		return y, err
	}
	recs, err := s.store.Actions(ctx)
	if err != nil {
		return y, err
	}
	actions := make([]report.Action, len(recs))
	for i, r := range recs {
		actions[i] = r.Action
	}
	var problems []error
	if err := y.Validate(set, ch, actions); err != nil {
		problems = append(problems, err)
	}
	if y.On.IsZero() {
		problems = append(problems, errs.Invalid("on", "give the date we did it"))
	} else if y.On.After(s.Today()) {
		problems = append(problems, errs.Invalid("on", "the date we did it cannot be in the future"))
	}
	if len(problems) > 0 {
		return y, errors.Join(problems...)
	}
	return s.store.AddYouSaid(ctx, y, by)
}

// SetNarrative keeps what a measure's figures for a financial year mean,
// in words a person can read; empty text removes it.
func (s *Service) SetNarrative(ctx context.Context, measureID string, year measure.Period, text, by string) error {
	set, err := s.Measures()
	if err != nil {
		return err
	}
	var problems []error
	if _, ok := set.Measure(measureID); !ok {
		problems = append(problems, errs.Invalid("measure", "choose the measure the words are about"))
	}
	if year.IsZero() || year.IsQuarter() {
		problems = append(problems, errs.Invalid("period", "choose a financial year, such as 2025-26"))
	}
	if t := strings.TrimSpace(text); t != "" && len(strings.Fields(t)) < 3 {
		problems = append(problems, errs.Invalid("text", "say in a sentence or more what the figures mean and why"))
	}
	if len(problems) > 0 {
		return errors.Join(problems...)
	}
	return s.store.SetNarrative(ctx, measureID, year, strings.TrimSpace(text), by)
}

// Narratives returns the narratives of a financial year, by measure id.
func (s *Service) Narratives(ctx context.Context, year measure.Period) (map[string]string, error) {
	return s.store.Narratives(ctx, year)
}
