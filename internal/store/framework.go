package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
)

// The measurement framework's other sources and its improvement plan:
// survey responses, narratives, qualitative evidence, improvement actions
// with their progress notes, and "you said, we did" entries. The store
// keeps them as given; callers validate them first (report's Validate
// methods, measure.ParseSurveyCSV).

// joinIDs keeps a list of ids in one column; ids never hold a '|'.
func joinIDs(ids []string) string { return strings.Join(ids, "|") }

func splitIDs(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

// ---- Survey responses ----

// ImportSurvey stores the responses of one survey file, imported for a
// period, all or none: if any response id was already imported for the
// same financial year, nothing is stored and the error is a conflict
// naming them. It returns the import's id.
func (s *Store) ImportSurvey(ctx context.Context, period measure.Period, source string, rs []measure.Response) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO survey_imports (period, source, responses, imported_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, period.String(), source, len(rs), micros(s.now())).Scan(&id); err != nil {
			return fmt.Errorf("import survey: %w", err)
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO survey_responses (import_id, response_id, year, period, answered_on, respondent, answers)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`)
		if err != nil {
			return fmt.Errorf("import survey: %w", err)
		}
		defer stmt.Close()
		for _, r := range rs {
			answers, err := json.Marshal(r.Answers)
			if err != nil {
				return fmt.Errorf("import survey: %w", err)
			}
			_, err = stmt.ExecContext(ctx, id, r.ID, r.Year().Year, r.Period.String(), int64(r.Date), r.Respondent, string(answers))
			if isUniqueViolation(err) {
				return errs.New(errs.KindConflict, "response_id",
					"response %s is already imported for %s; nothing was imported", r.ID, r.Year())
			}
			if err != nil {
				return fmt.Errorf("import survey: %w", err)
			}
		}
		return nil
	})
	return id, err
}

// SurveyResponseIDs returns which of ids were already imported for the
// financial year starting in year, so an import can name the rows that
// repeat them before it writes anything.
func (s *Store) SurveyResponseIDs(ctx context.Context, year int, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for chunk := range slices.Chunk(ids, 500) {
		args := []any{year}
		marks := make([]string, len(chunk))
		for i, id := range chunk {
			args = append(args, id)
			marks[i] = "$" + strconv.Itoa(i+2)
		}
		rows, err := s.read.QueryContext(ctx, `SELECT response_id FROM survey_responses WHERE year = $1 AND response_id IN (`+
			strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("survey responses: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("survey responses: %w", err)
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("survey responses: %w", err)
		}
	}
	return out, nil
}

// SurveyResponses returns the responses counted in the financial years
// from first to last (both included), in the order they were imported.
func (s *Store) SurveyResponses(ctx context.Context, first, last measure.Period) ([]measure.Response, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT response_id, period, answered_on, respondent, answers FROM survey_responses
		WHERE year >= $1 AND year <= $2 ORDER BY import_id, response_id`, first.Year, last.Year)
	if err != nil {
		return nil, fmt.Errorf("survey responses: %w", err)
	}
	defer rows.Close()
	var out []measure.Response
	for rows.Next() {
		var (
			r              measure.Response
			period, answer string
			on             int64
		)
		if err := rows.Scan(&r.ID, &period, &on, &r.Respondent, &answer); err != nil {
			return nil, fmt.Errorf("survey responses: %w", err)
		}
		if r.Period, err = measure.ParsePeriod(period); err != nil {
			return nil, fmt.Errorf("survey response %s: %w", r.ID, err)
		}
		r.Date = calendar.Date(on)
		if err := json.Unmarshal([]byte(answer), &r.Answers); err != nil {
			return nil, fmt.Errorf("survey response %s: %w", r.ID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ---- Narratives ----

// SetNarrative keeps what a measure's figures for a year mean, in words;
// empty text removes it.
func (s *Store) SetNarrative(ctx context.Context, measureID string, year measure.Period, text, by string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM measure_narratives WHERE measure = $1 AND period = $2`, measureID, year.String()); err != nil {
			return fmt.Errorf("narrative: %w", err)
		}
		if strings.TrimSpace(text) == "" {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO measure_narratives (measure, period, text, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5)`, measureID, year.String(), text, by, micros(s.now()))
		if err != nil {
			return fmt.Errorf("narrative: %w", err)
		}
		return nil
	})
}

// Narratives returns the narratives of a year, by measure id.
func (s *Store) Narratives(ctx context.Context, year measure.Period) (map[string]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT measure, text FROM measure_narratives WHERE period = $1`, year.String())
	if err != nil {
		return nil, fmt.Errorf("narratives: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var m, t string
		if err := rows.Scan(&m, &t); err != nil {
			return nil, fmt.Errorf("narratives: %w", err)
		}
		out[m] = t
	}
	return out, rows.Err()
}

// ---- Qualitative evidence ----

// AddEvidence stores an evidence entry and returns it with its id.
func (s *Store) AddEvidence(ctx context.Context, e report.Evidence, by string) (report.Evidence, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO measure_evidence (commitment, text, source, on_date, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, e.Commitment, e.Text, e.Source, int64(e.On), by, micros(s.now())).Scan(&id)
	})
	if err != nil {
		return e, fmt.Errorf("add evidence: %w", err)
	}
	e.ID = strconv.FormatInt(id, 10)
	return e, nil
}

// Evidence lists the evidence entries dated from first to last, oldest first.
func (s *Store) Evidence(ctx context.Context, first, last calendar.Date) ([]report.Evidence, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, commitment, text, source, on_date FROM measure_evidence
		WHERE on_date >= $1 AND on_date <= $2 ORDER BY on_date, id`, int64(first), int64(last))
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	defer rows.Close()
	var out []report.Evidence
	for rows.Next() {
		var (
			e  report.Evidence
			id int64
			on int64
		)
		if err := rows.Scan(&id, &e.Commitment, &e.Text, &e.Source, &on); err != nil {
			return nil, fmt.Errorf("evidence: %w", err)
		}
		e.ID, e.On = strconv.FormatInt(id, 10), calendar.Date(on)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ---- You said, we did ----

// AddYouSaid stores a "you said, we did" entry and returns it with its id.
func (s *Store) AddYouSaid(ctx context.Context, y report.YouSaidWeDid, by string) (report.YouSaidWeDid, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO you_said_we_did (said, did, on_date, measures, commitments, actions, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, y.Said, y.Did, int64(y.On), joinIDs(y.Measures),
			joinIDs(y.Commitments), joinIDs(y.Actions), by, micros(s.now())).Scan(&id)
	})
	if err != nil {
		return y, fmt.Errorf("add you said, we did: %w", err)
	}
	y.ID = strconv.FormatInt(id, 10)
	return y, nil
}

// YouSaid lists the "you said, we did" entries dated from first to last,
// oldest first.
func (s *Store) YouSaid(ctx context.Context, first, last calendar.Date) ([]report.YouSaidWeDid, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, said, did, on_date, measures, commitments, actions FROM you_said_we_did
		WHERE on_date >= $1 AND on_date <= $2 ORDER BY on_date, id`, int64(first), int64(last))
	if err != nil {
		return nil, fmt.Errorf("you said, we did: %w", err)
	}
	defer rows.Close()
	var out []report.YouSaidWeDid
	for rows.Next() {
		var (
			y             report.YouSaidWeDid
			id, on        int64
			ms, cs, links string
		)
		if err := rows.Scan(&id, &y.Said, &y.Did, &on, &ms, &cs, &links); err != nil {
			return nil, fmt.Errorf("you said, we did: %w", err)
		}
		y.ID, y.On = strconv.FormatInt(id, 10), calendar.Date(on)
		y.Measures, y.Commitments, y.Actions = splitIDs(ms), splitIDs(cs), splitIDs(links)
		out = append(out, y)
	}
	return out, rows.Err()
}

// ---- Improvement actions ----

// ActionRecord is an improvement action as stored, with the version each
// change moves on, so two people editing at once cannot overwrite each
// other unseen.
type ActionRecord struct {
	report.Action
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AddAction stores a new improvement action, with any progress notes it
// has, at version 1, and returns its id.
func (s *Store) AddAction(ctx context.Context, a report.Action, by string) (string, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := micros(s.now())
		if err := tx.QueryRowContext(ctx, `INSERT INTO improvement_actions (what, owner, due_on, status, measures, commitments, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id`, a.What, a.Owner, int64(a.Due), string(a.Status),
			joinIDs(a.Measures), joinIDs(a.Commitments), now).Scan(&id); err != nil {
			return err
		}
		for i, n := range a.Progress {
			if err := insertProgress(ctx, tx, id, i+1, n, by, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("add improvement action: %w", err)
	}
	return strconv.FormatInt(id, 10), nil
}

func insertProgress(ctx context.Context, tx *sql.Tx, id int64, position int, n report.ProgressNote, by string, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO action_progress (action_id, position, on_date, text, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, position, int64(n.On), n.Text, by, now)
	return err
}

// actionID reads an action's id as the store numbers them.
func actionID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n < 1 {
		return 0, errs.NotFound("there is no improvement action %q", id)
	}
	return n, nil
}

// UpdateAction changes an action's details (what, owner, due, status and
// links) if it is still at expectedVersion, adds the progress notes it has
// beyond those stored, and moves the version on. Notes already stored are
// kept as they were: progress is a record, not a draft.
func (s *Store) UpdateAction(ctx context.Context, a report.Action, expectedVersion int, by string) error {
	id, err := actionID(a.ID)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := micros(s.now())
		res, err := tx.ExecContext(ctx, `UPDATE improvement_actions SET what = $1, owner = $2, due_on = $3, status = $4,
			measures = $5, commitments = $6, version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9`,
			a.What, a.Owner, int64(a.Due), string(a.Status), joinIDs(a.Measures), joinIDs(a.Commitments), now, id, expectedVersion)
		if err != nil {
			return fmt.Errorf("update improvement action: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var v int
			err := tx.QueryRowContext(ctx, `SELECT version FROM improvement_actions WHERE id = $1`, id).Scan(&v)
			if errors.Is(err, sql.ErrNoRows) {
				return errs.NotFound("there is no improvement action %s", a.ID)
			}
			if err != nil {
				return fmt.Errorf("update improvement action: %w", err)
			}
			return errs.Conflict("someone else changed this improvement action at the same moment; reload it and try again")
		}
		var stored int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM action_progress WHERE action_id = $1`, id).Scan(&stored); err != nil {
			return fmt.Errorf("update improvement action: %w", err)
		}
		for i := stored; i < len(a.Progress); i++ {
			if err := insertProgress(ctx, tx, id, i+1, a.Progress[i], by, now); err != nil {
				return fmt.Errorf("update improvement action: %w", err)
			}
		}
		return nil
	})
}

// Action returns one improvement action with its progress notes.
func (s *Store) Action(ctx context.Context, id string) (ActionRecord, error) {
	n, err := actionID(id)
	if err != nil {
		return ActionRecord{}, err
	}
	as, err := s.actions(ctx, `a.id = $1`, n)
	if err != nil {
		return ActionRecord{}, err
	}
	if len(as) == 0 {
		return ActionRecord{}, errs.NotFound("there is no improvement action %s", id)
	}
	return as[0], nil
}

// Actions lists every improvement action, by due date.
func (s *Store) Actions(ctx context.Context) ([]ActionRecord, error) {
	return s.actions(ctx, `a.id > $1`, 0)
}

// actions reads the actions a condition picks with their notes, in one
// statement so that both come from one snapshot.
func (s *Store) actions(ctx context.Context, cond string, arg any) ([]ActionRecord, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT a.id, 0, a.what, a.owner, a.due_on, a.status, a.measures, a.commitments, a.version, a.created_at, a.updated_at
			FROM improvement_actions a WHERE `+cond+`
		UNION ALL
		SELECT a.id, p.position, p.text, '', p.on_date, '', '', '', 0, 0, 0
			FROM action_progress p JOIN improvement_actions a ON a.id = p.action_id WHERE `+cond+`
		ORDER BY 1, 2`, arg)
	if err != nil {
		return nil, fmt.Errorf("improvement actions: %w", err)
	}
	defer rows.Close()
	var out []ActionRecord
	for rows.Next() {
		var (
			id, due, created, updated int64
			position, version         int
			what, owner, status       string
			ms, cs                    string
		)
		if err := rows.Scan(&id, &position, &what, &owner, &due, &status, &ms, &cs, &version, &created, &updated); err != nil {
			return nil, fmt.Errorf("improvement actions: %w", err)
		}
		if position == 0 {
			out = append(out, ActionRecord{Action: report.Action{ID: strconv.FormatInt(id, 10), What: what, Owner: owner,
				Due: calendar.Date(due), Status: report.ActionStatus(status), Measures: splitIDs(ms), Commitments: splitIDs(cs)},
				Version: version, CreatedAt: fromMicros(created), UpdatedAt: fromMicros(updated)})
			continue
		}
		a := &out[len(out)-1]
		a.Progress = append(a.Progress, report.ProgressNote{On: calendar.Date(due), Text: what})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("improvement actions: %w", err)
	}
	slices.SortStableFunc(out, func(a, b ActionRecord) int {
		if a.Due != b.Due {
			return int(a.Due - b.Due)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}
