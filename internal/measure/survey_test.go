package measure

import (
	"errors"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

var surveyQuestions = []SurveyQuestion{{ID: "clear", Statement: "The charter is clear."}, {ID: "challenge", Statement: "I knew how to challenge."}}

func TestParseSurveyCSV(t *testing.T) {
	file := "\ufeffresponse_id,period,respondent type,clear,challenge\r\n" +
		"r1,2025-26,client,5,\r\n" +
		"r2,2025-11-03,Partner organisation, 2 ,4\r\n" +
		"\r\n" +
		"r3,2025-26 Q4,,,1\r\n"
	got, err := ParseSurveyCSV([]byte(file), surveyQuestions, Period{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d responses, want 3", len(got))
	}
	r2 := got[1]
	if r2.ID != "r2" || r2.Date != calendar.NewDate(2025, 11, 3) || r2.Period != (Period{2025, 3}) ||
		r2.Respondent != "partner organisation" || r2.Answers["clear"] != 2 || r2.Answers["challenge"] != 4 {
		t.Errorf("row 3: %+v", r2)
	}
	if _, answered := got[0].Answers["challenge"]; answered || got[2].Respondent != "" || got[2].Period != (Period{2025, 4}) {
		t.Errorf("blank cells: %+v, %+v", got[0], got[2])
	}
	// With the file's period given at import, the period column may go.
	got, err = ParseSurveyCSV([]byte("response_id,clear\n1,4\n"), surveyQuestions, Period{2025, 0})
	if err != nil || got[0].Period != (Period{2025, 0}) {
		t.Errorf("no period column: %+v, %v", got, err)
	}
}

func TestParseSurveyCSVProblems(t *testing.T) {
	cases := []struct {
		name   string
		file   string
		period Period
		want   []string
	}{
		{"unknown question", "response_id,period,clear,clearr\n1,2025-26,4,4\n", Period{},
			[]string{`row 1, column 4 (clearr): there is no survey question with the id "clearr"`}},
		{"first column", "period,response_id,clear\n2025-26,1,4\n", Period{},
			[]string{"row 1, column 1 (period): the first column must be response_id"}},
		{"no period", "response_id,clear\n1,4\n", Period{}, []string{"row 1: the file has no period or date column"}},
		{"repeated column", "response_id,period,clear,clear\n1,2025-26,4,4\n", Period{}, []string{"row 1, column 4 (clear): question clear already has column 3"}},
		{"bad answers", "response_id,period,clear,challenge\n1,2025-26,6,\n2,2025-26,yes,3.0\n", Period{}, []string{
			`row 2, column 3 (clear): "6" is not an answer: write a whole number from 1 (strongly disagree) to 5`,
			`row 3, column 3 (clear): "yes" is not an answer`, `row 3, column 4 (challenge): "3.0" is not an answer`}},
		{"bad period", "response_id,period,clear\n1,2025,4\n2,,4\n", Period{}, []string{
			`row 2, column 2 (period): "2025" is not a period or a date`, `row 3, column 2 (period): give the period (such as 2025-26) or the date`}},
		{"outside the file's period", "response_id,date,clear\n1,2026-04-01,4\n", Period{2025, 0},
			[]string{"row 2, column 2 (date): 2026-04-01 is not in 2025-26, the period this file is for"}},
		{"bad respondent", "response_id,period,respondent,clear\n1,2025-26,member of the public,4\n", Period{},
			[]string{`row 2, column 3 (respondent): "member of the public" is not a kind of respondent`}},
		{"repeated id", "response_id,period,clear\n7,2025-26,4\n7,2025-26,5\n", Period{}, []string{"row 3, column 1 (response_id): the response id 7 is already used on row 2"}},
		{"short row", "response_id,period,clear\n1,2025-26\n", Period{}, []string{"row 2: this row has 2 columns, but the header row has 3"}},
		{"bad quotes", "response_id,period,clear\n\"1,2025-26,4\n", Period{}, []string{"row 2: this is not a well-formed CSV row"}},
		{"empty", "response_id,period,clear\n", Period{}, []string{"row 2: the file has no responses in it"}},
		{"no questions", "response_id,period\n1,2025-26\n", Period{}, []string{"row 1: the header row names no survey questions"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseSurveyCSV([]byte(c.file), surveyQuestions, c.period)
			var ps SurveyProblems
			if got != nil || !errors.As(err, &ps) || errs.KindOf(err) != errs.KindInvalid {
				t.Fatalf("got %v, %v; want problems and nothing else", got, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("no problem %q in:\n%v", w, err)
				}
			}
		})
	}
}

func TestParseSurveyCSVReportsEveryProblemUpToALimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("response_id,period,clear\n")
	for i := range 80 {
		b.WriteString(strings.Repeat("x", i%2) + "r" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ",2025-26,9\n")
	}
	_, err := ParseSurveyCSV([]byte(b.String()), surveyQuestions, Period{})
	var ps SurveyProblems
	if !errors.As(err, &ps) || len(ps) != maxSurveyProblems+1 || !strings.Contains(ps[len(ps)-1].Message, "there may be more problems") {
		t.Fatalf("got %d problems, want %d and a note: %v", len(ps), maxSurveyProblems+1, err)
	}
	if ps[0].Row != 2 || ps[49].Row != 51 {
		t.Errorf("rows %d and %d, want 2 and 51", ps[0].Row, ps[49].Row)
	}
}

func FuzzParseSurveyCSV(f *testing.F) {
	f.Add([]byte("response_id,period,respondent,clear,challenge\n1,2025-26,client,5,\n2,2025-11-03,staff,1,2\n"), "")
	f.Add([]byte("response_id,clear\n1,4\n"), "2025-26")
	f.Add([]byte("response_id,date,clear\n\"a\nb\",2025-01-01,3\n"), "2024-25 Q4")
	f.Fuzz(func(t *testing.T, data []byte, period string) {
		p, _ := ParsePeriod(period)
		rs, err := ParseSurveyCSV(data, surveyQuestions, p)
		if err != nil {
			var ps SurveyProblems
			if rs != nil || !errors.As(err, &ps) || len(ps) == 0 || len(ps) > maxSurveyProblems+1 {
				t.Fatalf("bad error: %v", err)
			}
			for _, pr := range ps {
				if pr.Row < 1 || pr.Message == "" || pr.Column < 0 {
					t.Fatalf("bad problem %+v", pr)
				}
			}
			return
		}
		if len(rs) == 0 {
			t.Fatal("no responses and no error")
		}
		seen := map[string]bool{}
		for _, r := range rs {
			if r.ID == "" || seen[r.ID] || r.Period.IsZero() {
				t.Fatalf("bad response %+v", r)
			}
			seen[r.ID] = true
			if !p.IsZero() && (r.Period.First() < p.First() || r.Period.Last() > p.Last()) {
				t.Fatalf("response %+v outside %v", r, p)
			}
			for q, a := range r.Answers {
				if a < 1 || a > 5 || (q != "clear" && q != "challenge") {
					t.Fatalf("bad answer %s=%d", q, a)
				}
			}
		}
	})
}
