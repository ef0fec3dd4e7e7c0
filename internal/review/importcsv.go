package review

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/errs"
)

// Limits on an import file.
const (
	MaxImportProblems = 50    // problems listed before an import stops looking
	MaxImportRows     = 20000 // data rows in one file
	MaxCommentRunes   = 5000  // characters in one comment
)

// ImportProblem is one thing wrong with a CSV file. Rows count from 1, the
// header row, as a spreadsheet shows them; columns from 1, column A.
type ImportProblem struct {
	Row     int    `json:"row"`              // 0 when the problem is about the whole file
	Column  int    `json:"column,omitempty"` // 0 when the whole row is wrong
	Header  string `json:"header,omitempty"` // the column's name in the header row
	Message string `json:"message"`
}

// String gives the problem as "row 4, column C (participant_type): message",
// "row 4: message" or just the message.
func (p ImportProblem) String() string {
	switch {
	case p.Row <= 0:
		return p.Message
	case p.Column <= 0:
		return fmt.Sprintf("row %d: %s", p.Row, p.Message)
	case p.Header == "":
		return fmt.Sprintf("row %d, column %s: %s", p.Row, ColumnLetters(p.Column), p.Message)
	}
	return fmt.Sprintf("row %d, column %s (%s): %s", p.Row, ColumnLetters(p.Column), p.Header, p.Message)
}

// ColumnLetters names a column as a spreadsheet does: 1 is A, 27 is AA.
func ColumnLetters(n int) string {
	if n <= 0 {
		return ""
	}
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('A' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

// ImportProblems is every problem found in a file (up to
// MaxImportProblems). When there are any, nothing is imported. It unwraps
// to an errs.KindInvalid error on the field "file".
type ImportProblems []ImportProblem

func (ps ImportProblems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func (ps ImportProblems) Unwrap() error {
	what := "a problem"
	if len(ps) != 1 {
		what = strconv.Itoa(len(ps)) + " problems"
	}
	return errs.Invalid("file", "the file has %s, so nothing was imported", what)
}

// problemList collects problems up to the limit.
type problemList struct{ ps ImportProblems }

func (l *problemList) full() bool { return len(l.ps) >= MaxImportProblems }

func (l *problemList) add(row, col int, header, format string, args ...any) {
	switch {
	case len(l.ps) < MaxImportProblems-1:
		l.ps = append(l.ps, ImportProblem{row, col, header, fmt.Sprintf(format, args...)})
	case len(l.ps) == MaxImportProblems-1:
		l.ps = append(l.ps, ImportProblem{Message: fmt.Sprintf(
			"there are more than %d problems, so the rest are not listed: fix these and import the file again", MaxImportProblems-1)})
	}
}

// sorted returns the problems in row order (the reader finds a row's shape
// before its cells are checked), with those about the whole file last.
func (l *problemList) sorted() ImportProblems {
	rank := func(p ImportProblem) int {
		if p.Row <= 0 {
			return math.MaxInt
		}
		return p.Row
	}
	slices.SortStableFunc(l.ps, func(a, b ImportProblem) int { return cmp.Compare(rank(a), rank(b)) })
	return l.ps
}

// csvSpec describes the columns of one kind of file.
type csvSpec struct {
	noun     string   // what each row is, for messages: "response", "comment"
	required []string // columns that must be present, in the order messages list them
	optional []string
	// extra accepts other columns by name (statement ids), and extraHint
	// says what they may be.
	extra     func(name string) bool
	extraHint string
}

// csvTable is a file read against a spec: the columns found and the rows.
type csvTable struct {
	header []string       // as written
	index  map[string]int // column name (normalised) -> index
	rows   []csvRow
}

type csvRow struct {
	line  int // the spreadsheet row
	cells []string
}

// cell returns a row's value in a column, trimmed, or "" if there is none.
func (t *csvTable) cell(r csvRow, name string) string {
	i, ok := t.index[normalName(name)]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// col returns the 1-based column number of a name and its header as written.
func (t *csvTable) col(name string) (int, string) {
	i, ok := t.index[normalName(name)]
	if !ok {
		return 0, name
	}
	return i + 1, t.header[i]
}

// read reads a whole CSV file against a spec, checking its header and
// that each row has as many cells as the header. Blank lines are skipped
// (but counted, as a spreadsheet counts them).
func (spec csvSpec) read(r io.Reader, probs *problemList) *csvTable {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted here, to say which row
	t := &csvTable{index: map[string]int{}}
	for n := 0; !probs.full(); n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			probs.add(max(pe.StartLine, 1), 0, "", "this is not a well-formed CSV row (%s): check its quotes", pe.Err)
			return t // the reader cannot be trusted to find the next row
		}
		if err != nil {
			probs.add(0, 0, "", "the file could not be read: %v", err)
			return t
		}
		line, _ := cr.FieldPos(0)
		if n == 0 {
			if !spec.header(t, rec, probs) {
				return t
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(t.rows) == MaxImportRows {
			probs.add(line, 0, "", "the file has more than %d rows: split it into smaller files", MaxImportRows)
			return t
		}
		if len(rec) != len(t.header) {
			probs.add(line, 0, "", "this row has %d cells, but the header row has %d columns: put any commas inside a value in double quotes",
				len(rec), len(t.header))
			continue
		}
		t.rows = append(t.rows, csvRow{line, rec})
	}
	switch {
	case len(probs.ps) > 0:
	case len(t.header) == 0:
		probs.add(0, 0, "", "the file is empty: its first row must name the columns (%s), then one %s a row",
			strings.Join(spec.required, ", "), spec.noun)
	case len(t.rows) == 0:
		probs.add(0, 0, "", "the file has a header row but no %ss", spec.noun)
	}
	return t
}

// header reads the header row. Columns may come in any order and are
// matched ignoring case and whether words are joined by spaces, hyphens
// or underscores. It reports false when the rows cannot be read.
func (spec csvSpec) header(t *csvTable, rec []string, probs *problemList) bool {
	if len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // a byte-order mark from a spreadsheet
	}
	t.header = rec
	known := map[string]bool{}
	for _, c := range append(append([]string(nil), spec.required...), spec.optional...) {
		known[normalName(c)] = true
	}
	ok := true
	for i, h := range rec {
		name := normalName(h)
		switch first, dup := t.index[name]; {
		case name == "":
			probs.add(1, i+1, "", "this column has no name: the header row must name every column")
			ok = false
		case dup:
			probs.add(1, i+1, strings.TrimSpace(h), "column %s has the same name as column %s", ColumnLetters(i+1), ColumnLetters(first+1))
			ok = false
		case known[name] || (spec.extra != nil && spec.extra(name)):
			t.index[name] = i
		default:
			hint := "the columns are " + strings.Join(append(append([]string(nil), spec.required...), spec.optional...), ", ")
			if spec.extraHint != "" {
				hint += ", and " + spec.extraHint
			}
			probs.add(1, i+1, strings.TrimSpace(h), "%q is not a column of this file: %s", clip(strings.TrimSpace(h)), hint)
			ok = false
		}
	}
	for _, c := range spec.required {
		if _, has := t.index[normalName(c)]; !has {
			probs.add(1, 0, "", "the header row has no column %q: it needs %s", c, strings.Join(spec.required, ", "))
			ok = false
		}
	}
	return ok
}

// splitList reads a cell holding several values separated by semicolons.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ";") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
