package measure

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// Response is one person's answers to a survey.
type Response struct {
	ID string
	// Period is when the response was given: the period the file names, or
	// the quarter of its date. Survey measures count it in its financial year.
	Period     Period
	Date       calendar.Date // zero unless the file gives a date
	Respondent string        // one of RespondentTypes, or "" when not given
	// Answers holds each question answered, from 1 (strongly disagree) to
	// 5 (strongly agree). A question left blank is not in the map.
	Answers map[string]int
}

// Year is the financial year the response counts in.
func (r Response) Year() Period { return r.Period.FinancialYear() }

// Limits of a survey file.
const (
	MaxSurveyRows     = 200_000
	maxSurveyProblems = 50
)

// SurveyProblem is one thing wrong with a survey file. Rows count from 1,
// the header row, as a spreadsheet shows them; columns count from 1, and
// Name is the column's header. Column is 0 when the whole row is wrong.
type SurveyProblem struct {
	Row     int
	Column  int
	Name    string
	Message string
}

func (p SurveyProblem) String() string {
	if p.Column == 0 {
		return fmt.Sprintf("row %d: %s", p.Row, p.Message)
	}
	return fmt.Sprintf("row %d, column %d (%s): %s", p.Row, p.Column, p.Name, p.Message)
}

// SurveyProblems is every problem found in a survey file (up to a limit);
// when there are any, nothing may be imported. It is an invalid-input error.
type SurveyProblems []SurveyProblem

func (ps SurveyProblems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func (ps SurveyProblems) Unwrap() error {
	what := "a problem"
	if len(ps) != 1 {
		what = strconv.Itoa(len(ps)) + " problems"
	}
	return errs.Invalid("file", "the survey file has %s, so nothing was imported", what)
}

// column roles in a survey file.
const (
	colID = iota
	colPeriod
	colDate
	colRespondent
	colQuestion
)

// ParseSurveyCSV reads a survey file: a header row, then one response a
// row. The header names the columns: "response_id" first; then, in any
// order, "period" (a period such as 2025-26 or 2025-26 Q3, or a date),
// "date" (a date written YYYY-MM-DD) and "respondent" (client, partner
// organisation or staff), each optional; and one column per question, by
// its id. An answer is a whole number from 1 to 5, or blank when the
// person did not answer.
//
// period, if not zero, is the period the whole file is for (given when it
// is imported): rows with no period column take it, and a row whose period
// or date falls outside it is a problem. Without it every row needs a
// period or a date.
//
// It checks every cell and returns either every response or SurveyProblems
// listing every problem (up to a limit), never both.
func ParseSurveyCSV(data []byte, questions []SurveyQuestion, period Period) ([]Response, error) {
	p := &surveyParser{questions: map[string]bool{}, period: period}
	for _, q := range questions {
		p.questions[q.ID] = true
	}
	out := p.parse(data)
	if len(p.probs) > 0 {
		return nil, p.probs
	}
	return out, nil
}

type surveyParser struct {
	questions map[string]bool
	period    Period
	header    []string
	roles     []int
	probs     SurveyProblems
	full      bool
}

func (p *surveyParser) add(row, col int, format string, args ...any) {
	if p.full {
		return
	}
	if len(p.probs) == maxSurveyProblems {
		p.probs = append(p.probs, SurveyProblem{Row: row, Message: "there may be more problems from this row on: fix these and check the file again"})
		p.full = true
		return
	}
	name := ""
	if col > 0 && col <= len(p.header) {
		name = p.header[col-1]
	}
	p.probs = append(p.probs, SurveyProblem{Row: row, Column: col, Name: name, Message: fmt.Sprintf(format, args...)})
}

func (p *surveyParser) parse(data []byte) []Response {
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a byte-order mark from a spreadsheet
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	var out []Response
	seen := map[string]int{}
	n, row := 0, 0
	for !p.full {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		n++
		row = n
		if err == nil {
			row, _ = cr.FieldPos(0)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			p.add(max(pe.StartLine, 1), 0, "this is not a well-formed CSV row (%s); check its quotes", pe.Err)
			break // the reader cannot be trusted to find the next row
		}
		if err != nil {
			p.add(row, 0, "the file could not be read: %v", err)
			break
		}
		if n == 1 {
			if !p.readHeader(rec) {
				break
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(out) >= MaxSurveyRows {
			p.add(row, 0, "the file has more than %d responses; split it into smaller files", MaxSurveyRows)
			break
		}
		if len(rec) != len(p.header) {
			p.add(row, 0, "this row has %d columns, but the header row has %d; put any commas inside a value in double quotes", len(rec), len(p.header))
			continue
		}
		r, ok := p.readRow(row, rec)
		if !ok {
			continue
		}
		if first, dup := seen[r.ID]; dup {
			p.add(row, 1, "the response id %s is already used on row %d", r.ID, first)
			continue
		}
		seen[r.ID] = row
		out = append(out, r)
	}
	if len(p.probs) == 0 && len(out) == 0 {
		p.add(max(row, 1)+1, 0, "the file has no responses in it: put the header row first, then one response a row")
	}
	return out
}

// normal is a header or respondent name, lower case with single spaces.
func normal(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer("_", " ", "-", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

func (p *surveyParser) readHeader(rec []string) bool {
	p.header = make([]string, len(rec))
	for i, h := range rec {
		p.header[i] = strings.TrimSpace(h)
	}
	p.roles = make([]int, len(rec))
	first := map[int]int{} // role → column, for the columns that may appear once
	questions := 0
	seenQ := map[string]int{}
	for i, h := range p.header {
		col := i + 1
		role := colQuestion
		switch normal(h) {
		case "response id", "response":
			role = colID
		case "period":
			role = colPeriod
		case "date":
			role = colDate
		case "respondent", "respondent type":
			role = colRespondent
		}
		p.roles[i] = role
		if role != colQuestion {
			if c, dup := first[role]; dup {
				p.add(1, col, "this column is already given as column %d", c)
			}
			first[role] = col
			continue
		}
		switch c, dup := seenQ[h]; {
		case h == "":
			p.add(1, col, "this column has no name: give the id of the survey question it answers")
		case !p.questions[h]:
			p.add(1, col, "there is no survey question with the id %q; declare it in the measures file, or check the spelling", h)
		case dup:
			p.add(1, col, "question %s already has column %d", h, c)
		default:
			seenQ[h] = col
			questions++
		}
	}
	if c, ok := first[colID]; !ok || c != 1 {
		p.add(1, 1, "the first column must be response_id, a name or number for each response")
	}
	_, hasPeriod := first[colPeriod]
	_, hasDate := first[colDate]
	switch {
	case hasPeriod && hasDate:
		p.add(1, first[colDate], "give a period column or a date column, not both")
	case !hasPeriod && !hasDate && p.period.IsZero():
		p.add(1, 0, "the file has no period or date column: add one, or say which period the whole file is for when you import it")
	}
	if questions == 0 && len(p.probs) == 0 {
		p.add(1, 0, "the header row names no survey questions: give one column for each question, headed by its id")
	}
	return len(p.probs) == 0
}

func (p *surveyParser) readRow(row int, rec []string) (Response, bool) {
	r := Response{Answers: map[string]int{}, Period: p.period}
	before := len(p.probs)
	for i, raw := range rec {
		col, v := i+1, strings.TrimSpace(raw)
		switch p.roles[i] {
		case colID:
			switch {
			case v == "":
				p.add(row, col, "give the response an id, such as its number in the survey")
			case len(v) > 100:
				p.add(row, col, "the response id is longer than 100 characters")
			}
			r.ID = v
		case colPeriod, colDate:
			p.readWhen(row, col, v, p.roles[i] == colDate, &r)
		case colRespondent:
			if v == "" {
				continue
			}
			who, ok := respondentType(v)
			if !ok {
				p.add(row, col, "%q is not a kind of respondent: write client, partner organisation or staff, or leave it blank", v)
			}
			r.Respondent = who
		case colQuestion:
			if v == "" {
				continue // did not answer
			}
			a, err := strconv.Atoi(v)
			if err != nil || a < 1 || a > 5 {
				p.add(row, col, "%q is not an answer: write a whole number from 1 (strongly disagree) to 5 (strongly agree), or leave it blank if the person did not answer", v)
				continue
			}
			r.Answers[p.header[i]] = a
		}
	}
	if r.Period.IsZero() && len(p.probs) == before {
		p.add(row, 0, "give the period or date of the response")
	}
	return r, len(p.probs) == before
}

// readWhen reads a period or date cell into r.
func (p *surveyParser) readWhen(row, col int, v string, dateOnly bool, r *Response) {
	if v == "" {
		if p.period.IsZero() {
			p.add(row, col, "give the period (such as 2025-26) or the date (such as 2025-11-03) of the response")
		}
		return
	}
	var when Period
	if d, err := calendar.ParseDate(v); err == nil {
		r.Date, when = d, QuarterOf(d)
	} else if dateOnly {
		p.add(row, col, "%q is not a date: write it as YYYY-MM-DD, such as 2025-11-03", v)
		return
	} else if when, err = ParsePeriod(v); err != nil {
		p.add(row, col, "%q is not a period or a date: write a period such as 2025-26 or 2025-26 Q3, or a date such as 2025-11-03", v)
		return
	}
	if !p.period.IsZero() && (when.First().Before(p.period.First()) || when.Last().After(p.period.Last())) {
		p.add(row, col, "%s is not in %s, the period this file is for", v, p.period)
		return
	}
	r.Period = when
}

// respondentType reads a kind of respondent, allowing common spellings.
func respondentType(s string) (string, bool) {
	switch normal(s) {
	case "client", "clients":
		return "client", true
	case "partner organisation", "partner organization", "partner", "partner organisations", "partner organizations":
		return "partner organisation", true
	case "staff", "member of staff":
		return "staff", true
	}
	return "", false
}
