package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// The directory of organisations (charter commitments 1.10 and 1.11).

// OrganisationRecord is an organisation as stored.
type OrganisationRecord struct {
	casework.Organisation
	CreatedAt time.Time
	UpdatedAt time.Time
}

// areaSeparator joins an organisation's areas in one column; no council
// name contains it.
const areaSeparator = "|"

// CreateOrganisations adds organisations to the directory, all or none:
// if any id is already there (or twice in os), nothing is written and the
// error is a conflict on "id" naming it. The details are the caller's to
// have checked.
func (s *Store) CreateOrganisations(ctx context.Context, os []casework.Organisation, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, o := range os {
			_, err := tx.ExecContext(ctx, `INSERT INTO directory_organisations
				(id, name, kind, areas, phone, email, website, description, active, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
				o.ID, o.Name, string(o.Kind), strings.Join(o.Areas, areaSeparator), o.Phone, o.Email, o.Website,
				o.Description, o.Active, micros(at))
			if isUniqueViolation(err) {
				return errs.New(errs.KindConflict, "id", "there is already an organisation with the id %s in the directory", o.ID)
			}
			if err != nil {
				return fmt.Errorf("create organisation: %w", err)
			}
		}
		return nil
	})
}

// SetOrganisationActive marks an organisation as in use or not. Referrals
// already made keep the details they were made with.
func (s *Store) SetOrganisationActive(ctx context.Context, id string, active bool, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE directory_organisations SET active = $1, updated_at = $2 WHERE id = $3`,
			active, micros(at), id)
		if err != nil {
			return fmt.Errorf("organisation active: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errs.NotFound("there is no organisation with the id %s in the directory", id)
		}
		return nil
	})
}

// Organisation returns one organisation, in use or not.
func (s *Store) Organisation(ctx context.Context, id string) (OrganisationRecord, error) {
	os, err := s.organisations(ctx, `id = $1`, id)
	if err != nil {
		return OrganisationRecord{}, err
	}
	if len(os) == 0 {
		return OrganisationRecord{}, errs.NotFound("there is no organisation with the id %s in the directory", id)
	}
	return os[0], nil
}

// Organisations lists the directory by name, only those in use if
// activeOnly.
func (s *Store) Organisations(ctx context.Context, activeOnly bool) ([]OrganisationRecord, error) {
	return s.organisations(ctx, `(active OR $1)`, !activeOnly)
}

func (s *Store) organisations(ctx context.Context, cond string, arg any) ([]OrganisationRecord, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, kind, areas, phone, email, website, description, active,
		created_at, updated_at FROM directory_organisations WHERE `+cond, arg)
	if err != nil {
		return nil, fmt.Errorf("organisations: %w", err)
	}
	defer rows.Close()
	var out []OrganisationRecord
	for rows.Next() {
		var (
			o                OrganisationRecord
			kind, areas      string
			created, updated int64
		)
		if err := rows.Scan(&o.ID, &o.Name, &kind, &areas, &o.Phone, &o.Email, &o.Website, &o.Description, &o.Active,
			&created, &updated); err != nil {
			return nil, fmt.Errorf("organisations: %w", err)
		}
		o.Kind, o.Areas = casework.OrganisationKind(kind), strings.Split(areas, areaSeparator)
		o.CreatedAt, o.UpdatedAt = fromMicros(created), fromMicros(updated)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("organisations: %w", err)
	}
	slices.SortFunc(out, func(a, b OrganisationRecord) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}
