package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// PractitionerRecord is a practitioner as stored: their details, and the
// version each edit moves on, so that two people editing at once cannot
// overwrite each other unseen.
type PractitionerRecord struct {
	casework.Practitioner
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CreatePractitioner adds a practitioner at version 1. The id must be new;
// the details are the caller's to have checked.
func (s *Store) CreatePractitioner(ctx context.Context, p casework.Practitioner, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO practitioners (id, name, role, active, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 1, $5, $5)`, p.ID, p.Name, p.Role, p.Active, micros(at))
		if isUniqueViolation(err) {
			return errs.New(errs.KindConflict, "id", "there is already a practitioner with the id %s", p.ID)
		}
		if err != nil {
			return fmt.Errorf("create practitioner: %w", err)
		}
		return writePractitionerLists(ctx, tx, p)
	})
}

// UpdatePractitioner replaces a practitioner's details if they are still at
// expectedVersion, and moves the version on. Nothing is written otherwise.
func (s *Store) UpdatePractitioner(ctx context.Context, p casework.Practitioner, expectedVersion int, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE practitioners SET name = $1, role = $2, active = $3, version = version + 1, updated_at = $4
			WHERE id = $5 AND version = $6`, p.Name, p.Role, p.Active, micros(at), p.ID, expectedVersion)
		if err != nil {
			return fmt.Errorf("update practitioner: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var version int
			err := tx.QueryRowContext(ctx, `SELECT version FROM practitioners WHERE id = $1`, p.ID).Scan(&version)
			if errors.Is(err, sql.ErrNoRows) {
				return errs.NotFound("there is no practitioner with the id %s", p.ID)
			}
			if err != nil {
				return fmt.Errorf("update practitioner: %w", err)
			}
			return errs.Conflict("someone else changed this practitioner's details at the same moment; reload them and try again")
		}
		for _, q := range []string{
			`DELETE FROM practitioner_qualifications WHERE practitioner_id = $1`,
			`DELETE FROM practitioner_specialisms WHERE practitioner_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, p.ID); err != nil {
				return fmt.Errorf("update practitioner: %w", err)
			}
		}
		return writePractitionerLists(ctx, tx, p)
	})
}

func writePractitionerLists(ctx context.Context, tx *sql.Tx, p casework.Practitioner) error {
	for i, q := range p.Qualifications {
		if _, err := tx.ExecContext(ctx, `INSERT INTO practitioner_qualifications (practitioner_id, position, qualification)
			VALUES ($1, $2, $3)`, p.ID, i, q); err != nil {
			return fmt.Errorf("practitioner qualifications: %w", err)
		}
	}
	for _, c := range p.Specialisms {
		_, err := tx.ExecContext(ctx, `INSERT INTO practitioner_specialisms (practitioner_id, specialism) VALUES ($1, $2)`, p.ID, c)
		if isUniqueViolation(err) {
			return errs.Invalid("specialisms", "%q is in the list twice", c)
		}
		if err != nil {
			return fmt.Errorf("practitioner specialisms: %w", err)
		}
	}
	return nil
}

// Practitioner returns one practitioner, active or not.
func (s *Store) Practitioner(ctx context.Context, id string) (PractitionerRecord, error) {
	ps, err := s.practitioners(ctx, `p.id = $1`, id)
	if err != nil {
		return PractitionerRecord{}, err
	}
	if len(ps) == 0 {
		return PractitionerRecord{}, errs.NotFound("there is no practitioner with the id %s", id)
	}
	return ps[0], nil
}

// Practitioners lists practitioners by name, only the active ones if
// activeOnly.
func (s *Store) Practitioners(ctx context.Context, activeOnly bool) ([]PractitionerRecord, error) {
	return s.practitioners(ctx, `(p.active OR $1)`, !activeOnly) // $1: every one, active or not
}

// practitioners reads the practitioners a condition on p picks, with their
// qualifications and specialisms, in one statement: so one consistent
// snapshot on both databases, however many there are.
func (s *Store) practitioners(ctx context.Context, cond string, arg any) ([]PractitionerRecord, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT 0, p.id, p.name, p.role, p.active, p.version, p.created_at, p.updated_at, 0
			FROM practitioners p WHERE `+cond+`
		UNION ALL
		SELECT 1, q.practitioner_id, q.qualification, '', FALSE, 0, 0, 0, q.position
			FROM practitioner_qualifications q JOIN practitioners p ON p.id = q.practitioner_id WHERE `+cond+`
		UNION ALL
		SELECT 2, c.practitioner_id, c.specialism, '', FALSE, 0, 0, 0, 0
			FROM practitioner_specialisms c JOIN practitioners p ON p.id = c.practitioner_id WHERE `+cond, arg)
	if err != nil {
		return nil, fmt.Errorf("practitioners: %w", err)
	}
	defer rows.Close()
	type qualification struct {
		id, text string
		position int
	}
	var (
		out   []PractitionerRecord
		quals []qualification
		specs = map[string][]string{}
	)
	for rows.Next() {
		var (
			part, version, position int
			id, text, role          string
			active                  bool
			created, updated        int64
		)
		if err := rows.Scan(&part, &id, &text, &role, &active, &version, &created, &updated, &position); err != nil {
			return nil, fmt.Errorf("practitioners: %w", err)
		}
		switch part {
		case 0:
			out = append(out, PractitionerRecord{
				Practitioner: casework.Practitioner{ID: id, Name: text, Role: role, Active: active},
				Version:      version, CreatedAt: fromMicros(created), UpdatedAt: fromMicros(updated)})
		case 1:
			quals = append(quals, qualification{id, text, position})
		case 2:
			specs[id] = append(specs[id], text)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("practitioners: %w", err)
	}
	slices.SortFunc(out, func(a, b PractitionerRecord) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	slices.SortFunc(quals, func(a, b qualification) int { return cmp.Compare(a.position, b.position) })
	index := map[string]int{}
	for i := range out {
		index[out[i].ID] = i
		out[i].Qualifications = []string{}
		out[i].Specialisms = vocabularyOrder(specs[out[i].ID])
	}
	for _, q := range quals {
		if i, ok := index[q.id]; ok {
			out[i].Qualifications = append(out[i].Qualifications, q.text)
		}
	}
	return out, nil
}

// vocabularyOrder sorts condition categories as casework.Conditions lists
// them; any not in the vocabulary go last.
func vocabularyOrder(ids []string) []string {
	out := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, c := range casework.Conditions {
		for _, id := range ids {
			if id == c.ID && !seen[id] {
				out = append(out, id)
				seen[id] = true
			}
		}
	}
	for _, id := range ids {
		if !seen[id] {
			out = append(out, id)
		}
	}
	return out
}
