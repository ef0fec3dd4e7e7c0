package review

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// FindingsColumns are the columns WriteFindingsCSV writes.
var FindingsColumns = []string{
	"kind", "commitment_id", "commitment_key", "theme", "statement_id", "statement",
	"respondents", "comments", "agreed", "neither", "disagreed", "dont_know", "raised_by", "balance",
}

// Kinds of row in a findings CSV file.
const (
	RowStatement       = "statement"        // one agree/disagree statement
	RowCommitmentTheme = "commitment theme" // one theme on one commitment
	RowGeneralTheme    = "general theme"    // one theme in comments on the charter as a whole
)

// WriteFindingsCSV writes findings as CSV: a header row (FindingsColumns),
// then one row per statement, then one per commitment and theme, then one
// per theme of the general comments. A commitment with no comments gets one
// row with no theme.
//
// Shares are written as the findings show them: a percentage ("80%"), or
// words ("most") when fewer than the round's small-group threshold
// answered or commented, so that a small group's counts never leave the
// service. respondents is how many answered the statement, or commented on
// the commitment; comments how many comments on the commitment had the
// theme. Empty cells do not apply to the row's kind.
func WriteFindingsCSV(w io.Writer, f *Findings) error {
	cw := csv.NewWriter(w)
	rows := [][]string{FindingsColumns}
	row := func(kind string) []string {
		r := make([]string, len(FindingsColumns))
		r[0] = kind
		return r
	}
	for _, s := range f.Statements {
		r := row(RowStatement)
		r[4], r[5] = s.ID, cellText(s.Text)
		r[6] = strconv.Itoa(s.Respondents)
		r[8], r[9], r[10], r[11] = s.Agreed.Show, s.Neither.Show, s.Disagree.Show, s.DontKnow.Show
		r[13] = s.Balance
		rows = append(rows, r)
	}
	themeRows := func(kind, id, key string, cf CommitmentFinding) {
		if len(cf.Themes) == 0 {
			r := row(kind)
			r[1], r[2], r[6], r[7] = id, key, strconv.Itoa(cf.Participants), strconv.Itoa(cf.Comments)
			rows = append(rows, r)
			return
		}
		for _, t := range cf.Themes {
			r := row(kind)
			r[1], r[2], r[3] = id, key, cellText(t.Name)
			r[6], r[7] = strconv.Itoa(cf.Participants), strconv.Itoa(t.Comments)
			r[12], r[13] = t.RaisedBy.Show, t.Balance
			rows = append(rows, r)
		}
	}
	for _, cf := range f.Commitments {
		themeRows(RowCommitmentTheme, cf.ID, cf.Key, cf)
	}
	if f.General.Comments > 0 {
		themeRows(RowGeneralTheme, General, "", f.General)
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

// cellText keeps a spreadsheet from reading text as a formula.
func cellText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
