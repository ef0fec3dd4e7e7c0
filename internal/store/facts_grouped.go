package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/charter-service/charter/internal/measure"
)

// groupedAtMost is how many of the rows the groups may be, as the server
// expects them, for grouping to pay: below it, sending one row a group
// costs far less than sending every row; near it, the server would spend
// on grouping what it saves on sending.
const groupedAtMost = 0.1

// EachFactsGrouped is EachFactsParts for an engine that counts a row with
// how many rows it stands for (measure.Engine.AddN): fn(part, f, n).
//
// On PostgreSQL the server sends every value it reads over the socket,
// which costs it more than reading it, so when the groups of g are few
// the server groups the rows (by the facts asked for, g's dates read as
// g.Bucket gives them) and sends each group once with its count. Few: the
// planner's estimate of the groups of the other facts, times the runs a
// date can fall in, is at most a tenth of the rows it expects to read; a
// table never analysed estimates many groups, and is read row by row.
//
// On SQLite, which reads rows in the service's own process, grouping would
// only add a sort: each row is given with n = 1.
//
// Asked to (q.Mark), it says what the rows reflect, for FactsSince.
func (s *Store) EachFactsGrouped(ctx context.Context, q FactsQuery, g measure.Grouping, parts int,
	fn func(part int, f *measure.Facts, n int64) error) (FactsMark, error) {
	var mark FactsMark
	cols, where, args, err := factsQuery(q)
	if err != nil {
		return mark, err
	}
	pays := false
	if s.dialect == Postgres && len(g.Dates) > 0 && len(g.Runs) > 0 {
		if pays, err = s.groupingPays(ctx, cols, g, where, args); err != nil {
			return mark, fmt.Errorf("case facts: %w", err)
		}
	}
	if !pays {
		var marking *FactsMark
		if q.Mark {
			marking = &mark
		}
		err := s.eachFactsParts(ctx, cols, where, args, parts, marking, func(part int, f *measure.Facts) error { return fn(part, f, 1) })
		return mark, err
	}
	exprs := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = c.Name
		if slices.Contains(g.Dates, c.Name) {
			exprs[i] = bucketExpr(c.Name, g) + ` AS ` + c.Name
		}
	}
	by := make([]string, len(cols))
	for i := range cols {
		by[i] = fmt.Sprint(i + 1)
	}
	var marking *FactsMark
	if q.Mark {
		marking = &mark
	}
	return mark, s.eachFactsPartsPostgres(ctx, cols, strings.Join(exprs, ", ")+", count(*)", where, ` GROUP BY `+strings.Join(by, ", "), args, max(parts, 1), marking, fn)
}

// bucketExpr reads date column c as g.Bucket does: the first day of its
// run, 0 if 0, and measure.OutsidePlan if in no run. The days are whole
// numbers the service worked out, written into the statement as such.
func bucketExpr(c string, g measure.Grouping) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CASE WHEN %s = 0 THEN 0", c)
	for _, r := range g.Runs {
		fmt.Fprintf(&b, " WHEN %s BETWEEN %d AND %d THEN %d", c, int64(r.First), int64(r.Last), int64(r.First))
	}
	fmt.Fprintf(&b, " ELSE %d END", int64(measure.OutsidePlan))
	return b.String()
}

// groupingPays asks the planner how many rows the query reads and how many
// groups the facts other than g's dates make among them.
func (s *Store) groupingPays(ctx context.Context, cols []measure.FactField, g measure.Grouping, where string, args []any) (bool, error) {
	rows, err := s.planRows(ctx, selectFacts("1", where), args)
	if err != nil {
		return false, err
	}
	groups := 1.0
	var others []string
	for _, c := range cols {
		if slices.Contains(g.Dates, c.Name) {
			groups *= float64(len(g.Runs) + 2)
		} else {
			others = append(others, c.Name)
		}
	}
	if len(others) > 0 {
		list := strings.Join(others, ", ")
		n, err := s.planRows(ctx, selectFacts(list, where)+` GROUP BY `+list, args)
		if err != nil {
			return false, err
		}
		groups *= n
	}
	return groups <= groupedAtMost*rows, nil
}

// planRows is the planner's estimate of the rows a query returns.
func (s *Store) planRows(ctx context.Context, query string, args []any) (float64, error) {
	var out string
	if err := s.read.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) `+query, args...).Scan(&out); err != nil {
		return 0, err
	}
	var plan []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil || len(plan) != 1 {
		return 0, fmt.Errorf("reading the plan of %q: %v", query, err)
	}
	return plan[0].Plan.Rows, nil
}
