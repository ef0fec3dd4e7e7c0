package app

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
)

// The directory of organisations (charter commitments 1.10 and 1.11) and
// what referral events need from it.

// DirectoryColumns are the columns of a directory CSV file, in order, as
// its header row names them.
var DirectoryColumns = []string{"id", "name", "kind", "areas", "phone", "email", "website", "description"}

// MaxDirectoryRows is the most organisations one file may hold.
const MaxDirectoryRows = 5000

// maxImportProblems is how many problems an import reports before it
// stops listing them.
const maxImportProblems = 50

// ImportProblem is one thing wrong with a directory file. Rows count from
// 1, the header row, as a spreadsheet shows them; Column is a header name,
// or empty when the whole row is wrong.
type ImportProblem struct {
	Row     int
	Column  string
	Message string
}

func (p ImportProblem) String() string {
	if p.Column == "" {
		return fmt.Sprintf("row %d: %s", p.Row, p.Message)
	}
	return fmt.Sprintf("row %d, column %s: %s", p.Row, p.Column, p.Message)
}

// ImportProblems is every problem found in a directory file; when there are
// any, nothing is imported. It is an invalid-input error on "file".
type ImportProblems []ImportProblem

func (ps ImportProblems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "; ")
}

func (ps ImportProblems) Unwrap() error {
	what := "a problem"
	if len(ps) != 1 {
		what = strconv.Itoa(len(ps)) + " problems"
	}
	return errs.Invalid("file", "the file has %s, so nothing was imported", what)
}

// ParseDirectoryCSV reads a directory file: a header row naming
// DirectoryColumns, then one organisation a row, with its areas separated
// by semicolons. It checks every row and returns every problem it finds
// (up to a limit), each naming its row; it never returns both
// organisations and problems.
func ParseDirectoryCSV(r io.Reader) ([]casework.Organisation, ImportProblems) {
	os, _, problems := parseDirectory(r)
	return os, problems
}

// parseDirectory is ParseDirectoryCSV that also says which row each
// organisation is on.
func parseDirectory(r io.Reader) ([]casework.Organisation, []int, ImportProblems) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted here, to say which row
	var (
		out      []casework.Organisation
		rows     []int
		problems ImportProblems
		seen     = map[string]int{} // id → the row it is on
	)
	add := func(row int, col, format string, args ...any) {
		problems = append(problems, ImportProblem{row, col, fmt.Sprintf(format, args...)})
	}
	n, row := 0, 0 // records read; the row the last one starts on
	for len(problems) < maxImportProblems {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		n++
		row = n
		if err == nil {
			// Blank lines are skipped, but a spreadsheet counts them.
			row, _ = cr.FieldPos(0)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			row = max(pe.StartLine, 1)
			add(row, "", "this is not a well-formed CSV row (%s); check its quotes", pe.Err)
			break // the reader cannot be trusted to find the next row
		}
		if err != nil {
			add(row, "", "the file could not be read: %v", err)
			break
		}
		if n == 1 {
			if len(rec) > 0 {
				rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // a byte-order mark from a spreadsheet
			}
			for i, want := range DirectoryColumns {
				switch {
				case i >= len(rec):
					add(1, want, "the header row has no column %s; it must be %s", want, strings.Join(DirectoryColumns, ","))
				case !strings.EqualFold(strings.TrimSpace(rec[i]), want):
					add(1, want, "the header row has %q where %s should be; it must be %s", rec[i], want, strings.Join(DirectoryColumns, ","))
				}
			}
			if len(rec) > len(DirectoryColumns) {
				add(1, "", "the header row has %d columns, more than the %d it should have", len(rec), len(DirectoryColumns))
			}
			if len(problems) > 0 {
				break // the rows cannot be read without the right header
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if n-1 > MaxDirectoryRows {
			add(row, "", "the file has more than %d organisations; split it into smaller files", MaxDirectoryRows)
			break
		}
		if len(rec) != len(DirectoryColumns) {
			add(row, "", "this row has %d columns, not %d; put any commas inside a value in double quotes", len(rec), len(DirectoryColumns))
			continue
		}
		o := casework.Organisation{ID: rec[0], Name: rec[1], Kind: casework.OrganisationKind(strings.TrimSpace(rec[2])),
			Areas: splitAreas(rec[3]), Phone: rec[4], Email: rec[5], Website: rec[6], Description: rec[7], Active: true}
		if err := o.Validate(); err != nil {
			e, _ := errs.As(err)
			col := e.Field
			if !slices.Contains(DirectoryColumns, col) {
				col = ""
			}
			add(row, col, "%s", e.Message)
			continue
		}
		if first, dup := seen[o.ID]; dup {
			add(row, "id", "the id %s is already used on row %d of this file", o.ID, first)
			continue
		}
		seen[o.ID] = row
		out, rows = append(out, o), append(rows, row)
	}
	if len(problems) == 0 && len(out) == 0 {
		add(row+1, "", "the file has no organisations in it; put the header row %s first, then one organisation a row",
			strings.Join(DirectoryColumns, ","))
	}
	if len(problems) > 0 {
		return nil, nil, problems
	}
	return out, rows, nil
}

// splitAreas reads the areas column: names separated by semicolons.
func splitAreas(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' })
}

// ImportDirectory adds every organisation in a CSV file to the directory,
// or none: if any row is wrong, or any id is already in the directory, it
// returns ImportProblems and writes nothing. It returns how many it added.
func (s *Service) ImportDirectory(ctx context.Context, r io.Reader) (int, error) {
	os, rows, problems := parseDirectory(r)
	if len(problems) > 0 {
		return 0, problems
	}
	existing, err := s.store.Organisations(ctx, false)
	if err != nil {
		return 0, err
	}
	have := map[string]bool{}
	for _, o := range existing {
		have[o.ID] = true
	}
	for i, o := range os {
		if have[o.ID] && len(problems) < maxImportProblems {
			problems = append(problems, ImportProblem{Row: rows[i], Column: "id",
				Message: "there is already an organisation with the id " + o.ID + " in the directory"})
		}
	}
	if len(problems) > 0 {
		return 0, problems
	}
	if err := s.store.CreateOrganisations(ctx, os, s.now()); err != nil {
		return 0, err
	}
	return len(os), nil
}

// AddOrganisation checks an organisation's details and adds it to the
// directory, in use.
func (s *Service) AddOrganisation(ctx context.Context, o casework.Organisation) (casework.Organisation, error) {
	o.Active = true
	if err := o.Validate(); err != nil {
		return o, err
	}
	return o, s.store.CreateOrganisations(ctx, []casework.Organisation{o}, s.now())
}

// EnsureOrganisations adds those of os not in the directory yet (by id),
// and returns how many it added: for the demo's directory.
func (s *Service) EnsureOrganisations(ctx context.Context, os []casework.Organisation) (int, error) {
	added := 0
	for _, o := range os {
		_, err := s.store.Organisation(ctx, o.ID)
		if err == nil {
			continue
		}
		if errs.KindOf(err) != errs.KindNotFound {
			return added, err
		}
		if _, err := s.AddOrganisation(ctx, o); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}

// SetOrganisationActive marks an organisation as in use or not.
func (s *Service) SetOrganisationActive(ctx context.Context, id string, active bool) error {
	return s.store.SetOrganisationActive(ctx, id, active, s.now())
}

// Organisations lists the directory by name, only those in use if
// activeOnly.
func (s *Service) Organisations(ctx context.Context, activeOnly bool) ([]store.OrganisationRecord, error) {
	return s.store.Organisations(ctx, activeOnly)
}

// OrganisationsFor lists the organisations in use for a client in area:
// those serving the area itself first, then those for all of Scotland,
// then the rest, each by name. The bool says which serve the client.
func (s *Service) OrganisationsFor(ctx context.Context, area string) ([]store.OrganisationRecord, []bool, error) {
	os, err := s.store.Organisations(ctx, true)
	if err != nil {
		return nil, nil, err
	}
	rank := func(o store.OrganisationRecord) int {
		switch {
		case slices.Contains(o.Areas, casework.AllScotland):
			return 1
		case o.Serves(area):
			return 0
		}
		return 2
	}
	slices.SortStableFunc(os, func(a, b store.OrganisationRecord) int { return cmp.Compare(rank(a), rank(b)) })
	serves := make([]bool, len(os))
	for i, o := range os {
		serves[i] = rank(o) < 2
	}
	return os, serves, nil
}

// completeReferral adds to a referral the organisation as the directory
// holds it now, so the fold stays pure and the log shows who the client
// was referred to and how to reach them.
func (s *Service) completeReferral(ctx context.Context, body casework.Body) error {
	b, ok := body.(*casework.ReferralMade)
	if !ok {
		return nil
	}
	if b.OrganisationSnapshot != nil {
		return errs.Invalid("body.organisation_snapshot", "leave this out: the service fills it in from the directory")
	}
	if strings.TrimSpace(b.Organisation) == "" {
		return nil // the rules say what is missing
	}
	rec, err := s.store.Organisation(ctx, b.Organisation)
	if errs.KindOf(err) == errs.KindNotFound {
		return errs.Invalid("body.organisation", "there is no organisation with the id %q in the directory", b.Organisation)
	}
	if err != nil {
		return err
	}
	o := rec.Organisation
	b.OrganisationSnapshot = &o
	return nil
}
