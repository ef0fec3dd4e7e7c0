package review

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/errs"
)

func TestImportProblemString(t *testing.T) {
	tests := []struct {
		p    ImportProblem
		want string
	}{
		{ImportProblem{Row: 4, Column: 3, Header: "clear", Message: "bad"}, "row 4, column C (clear): bad"},
		{ImportProblem{Row: 4, Column: 28, Message: "bad"}, "row 4, column AB: bad"},
		{ImportProblem{Row: 4, Message: "bad"}, "row 4: bad"},
		{ImportProblem{Message: "bad"}, "bad"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.p, got, tt.want)
		}
	}
	for n, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA", 0: ""} {
		if got := ColumnLetters(n); got != want {
			t.Errorf("ColumnLetters(%d) = %q, want %q", n, got, want)
		}
	}
	err := error(ImportProblems{{Row: 2, Message: "x"}, {Row: 3, Message: "y"}})
	if e, ok := errs.As(err); !ok || e.Kind != errs.KindInvalid || e.Field != "file" || !strings.Contains(e.Message, "2 problems") {
		t.Errorf("errs.As = %+v", e)
	}
}

// importLines runs a parser and returns its problems as strings.
func importLines(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ps ImportProblems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T, want ImportProblems: %v", err, err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestParseLikertCSV(t *testing.T) {
	ex := loadExample(t)
	// Columns in another order, words written loosely, a byte-order mark,
	// blank lines and CRLF line ends are all fine.
	data := "\ufeffParticipant Type,know-how-to-challenge,Participant,clear-and-easy\r\n" +
		"Partner organisation,strongly  AGREE,P1,4\r\n\r\nclient,Don\u2019t know,C1,\r\n"
	answers, err := ParseLikertCSV(strings.NewReader(data), ex.round)
	if err != nil {
		t.Fatal(err)
	}
	want := []Answer{
		{"P1", PartnerOrganisation, "know-how-to-challenge", StronglyAgree},
		{"P1", PartnerOrganisation, "clear-and-easy", Agree},
		{"C1", ClientGroup, "know-how-to-challenge", DontKnow},
	}
	if len(answers) != len(want) {
		t.Fatalf("answers %+v", answers)
	}
	for i := range want {
		if answers[i] != want[i] {
			t.Errorf("answer %d = %+v, want %+v", i, answers[i], want[i])
		}
	}
	// The example file: 6 partners answer 7 statements, 14 client group
	// participants answer 2.
	if n := len(ex.answers); n != 6*7+14*2 {
		t.Errorf("%d example answers", n)
	}
}

func TestParseLikertCSVProblems(t *testing.T) {
	ex := loadExample(t)
	header := "participant,participant_type,clear-and-easy,right-length\n"
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"empty file", "", []string{"the file is empty: its first row must name the columns (participant, participant_type), then one response a row"}},
		{"header only", header, []string{"the file has a header row but no responses"}},
		{"no statement columns", "participant,participant_type\nP1,partner\n",
			[]string{"row 1: the header row names no statement: add a column for each statement answered"}},
		{"unknown and missing columns", "participant,clarity\nP1,agree\n", []string{
			`row 1, column B (clarity): "clarity" is not a column of this file: the columns are participant, participant_type, and one column for each statement of the round: clear-and-easy`,
			`row 1: the header row has no column "participant_type"`}},
		{"a column twice", "participant,participant_type,clear-and-easy,Clear and easy\n",
			[]string{"row 1, column D (Clear and easy): column D has the same name as column C"}},
		{"bad cells, each named", header +
			"P1,partner,agree,agree\n" +
			"P9,partner,agree,\n" +
			"p2,partner,agree,\n" +
			"P2,client-group,agree strongly,7\n" +
			"P1,partner,agree,\n" +
			"C1,,,\n" +
			"C2,visitor,,\n" +
			"C3,client,a,b,c\n", []string{
			`row 3, column A (participant): there is no participant "P9" in round review-2026: add them to the round file first`,
			`row 4, column A (participant): there is no participant "p2" in round review-2026: did you mean P2?`,
			"row 5, column B (participant_type): the round lists P2 as partner-organisation, not client-group",
			`row 5, column C (clear-and-easy): "agree strongly" is not an answer`,
			`row 5, column D (right-length): "7" is not an answer`,
			"row 6, column A (participant): P1 already answered on row 2: give each participant one row",
			"row 7, column B (participant_type): give the participant's type",
			`row 8, column B (participant_type): "visitor" is not a type of participant`,
			"row 9: this row has 5 cells, but the header row has 4 columns",
		}},
		{"rows counted as a spreadsheet counts them", header + "P1,partner,agree,\n\n\"C1\nstill C1\",client,agree,\nC2,client,x,\n", []string{
			`row 4, column A (participant): there is no participant "C1\nstill C1"`,
			`row 6, column C (clear-and-easy): "x" is not an answer`,
		}},
		{"broken quotes", header + "P1,partner,\"agree,\n", []string{`row 2: this is not a well-formed CSV row`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answers, err := ParseLikertCSV(strings.NewReader(tt.data), ex.round)
			if answers != nil {
				t.Errorf("answers came back with problems: %+v", answers)
			}
			matchProblems(t, importLines(t, err), tt.want)
		})
	}
}

func TestParseCommentsCSVProblems(t *testing.T) {
	ex := loadExample(t)
	header := "id,participant,commitment,source,text,themes,sentiment,quotable\n"
	good := "X1,C1,1.4,workshop,Fine.,clarity,positive,yes\n"
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"a missing column", "id,participant,commitment,source,text,themes\nX1,C1,1.4,workshop,Fine.,clarity\n",
			[]string{`row 1: the header row has no column "sentiment"`}},
		{"every cell wrong", header + good +
			",C1,general,survey,x,clarity,positive,\n" +
			"x 1,C1,general,survey,x,clarity,positive,\n" +
			"x1,Z9,1.99,chat,,clarity; jargon,angry,maybe\n" +
			"X3,C1,,workshop,x,,positive,no\n", []string{
			"row 3, column A (id): give the comment an id",
			`row 4, column A (id): "x 1" cannot be a comment id`,
			"row 5, column A (id): the id x1 is already used on row 2",
			`row 5, column B (participant): there is no participant "Z9"`,
			`row 5, column C (commitment): charter version 2026.1 has no commitment "1.99"`,
			`row 5, column D (source): "chat" is not a source`,
			"row 5, column E (text): the comment has no text",
			`row 5, column F (themes): "jargon" is not a theme of the codebook`,
			`row 5, column G (sentiment): "angry" is not a sentiment`,
			`row 5, column H (quotable): "maybe" is not yes or no`,
			"row 6, column C (commitment): give the commitment the comment is about",
			"row 6, column F (themes): code the comment with at least one theme",
		}},
		{"too long", header + "X1,C1,1.4,workshop," + strings.Repeat("a", MaxCommentRunes+1) + ",clarity,positive,no\n",
			[]string{"row 2, column E (text): the comment is 5001 characters long: the most is 5000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := ParseCommentsCSV(strings.NewReader(tt.data), ex.round, ex.charter)
			if cs != nil {
				t.Errorf("comments came back with problems: %+v", cs)
			}
			matchProblems(t, importLines(t, err), tt.want)
		})
	}
}

func TestParseCommentsCSVReadsKeysNamesAndGeneral(t *testing.T) {
	ex := loadExample(t)
	data := "text,themes,id,participant,commitment,source,sentiment\n" + // no quotable column: nothing is quotable
		"One.,Delivery Gap; staff_knowledge; delivery-gap,A,C1,support-through-application,Workshop,Mixed\n" +
		"Two.,awareness,B,P1,General,survey,negative\n"
	cs, err := ParseCommentsCSV(strings.NewReader(data), ex.round, ex.charter)
	if err != nil {
		t.Fatal(err)
	}
	a, b := cs[0], cs[1]
	if a.CommitmentKey != "support-through-application" || a.CommitmentID != "1.4" || a.Source != SourceWorkshop ||
		a.Sentiment != Mixed || a.Quotable || strings.Join(a.Themes, ",") != "delivery-gap,staff-knowledge" ||
		a.ParticipantType != ClientGroup || a.Attribution() != "Client group participant" {
		t.Errorf("first comment %+v", a)
	}
	if b.CommitmentKey != "" || b.CommitmentID != "" || b.Attribution() != "Partner survey respondent" {
		t.Errorf("second comment %+v", b)
	}
}

// Past the limit, an import stops listing problems and says there are more.
func TestImportProblemLimit(t *testing.T) {
	ex := loadExample(t)
	var b strings.Builder
	b.WriteString("participant,participant_type,clear-and-easy\n")
	for range 200 {
		b.WriteString("P1,partner,nonsense\n")
	}
	_, err := ParseLikertCSV(strings.NewReader(b.String()), ex.round)
	lines := importLines(t, err)
	if len(lines) != MaxImportProblems || !strings.HasPrefix(lines[len(lines)-1], "there are more than 49 problems") {
		t.Errorf("%d problems, ending %q", len(lines), lines[len(lines)-1])
	}
}

func TestAttribution(t *testing.T) {
	tests := []struct {
		t    ParticipantType
		s    Source
		want string
	}{
		{ClientGroup, SourceWorkshop, "Client group participant"},
		{PartnerOrganisation, SourceSurvey, "Partner survey respondent"},
		{PartnerOrganisation, SourceInterview, "Partner interview participant"},
		{Staff, SourceInterview, "Staff interview participant"},
		{ClientGroup, SourceSurvey, "Client survey respondent"},
		{PartnerOrganisation, SourceWorkshop, "Partner workshop participant"},
	}
	for _, tt := range tests {
		if got := Attribution(tt.t, tt.s); got != tt.want {
			t.Errorf("Attribution(%s, %s) = %q, want %q", tt.t, tt.s, got, tt.want)
		}
	}
}

// checkImport asserts what every import must satisfy: rows or problems,
// never both, and problems that name real rows and columns.
func checkImport[T any](t *testing.T, rows []T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if rows != nil {
		t.Fatal("rows came back with problems")
	}
	var ps ImportProblems
	if !errors.As(err, &ps) || len(ps) == 0 || len(ps) > MaxImportProblems {
		t.Fatalf("error %T %v", err, err)
	}
	for _, p := range ps {
		if p.Message == "" || p.Row < 0 || p.Column < 0 || (p.Column > 0 && p.Row == 0) {
			t.Fatalf("bad problem %+v", p)
		}
	}
}

func FuzzParseLikertCSV(f *testing.F) {
	ex := loadExample(f)
	f.Add(readExample(f, "review-responses.csv"))
	f.Add([]byte("participant,participant_type,clear-and-easy\nP1,partner,5\n"))
	f.Add([]byte("\"a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		answers, err := ParseLikertCSV(bytes.NewReader(data), ex.round)
		checkImport(t, answers, err)
		for _, a := range answers {
			if _, ok := ex.round.Participant(a.Participant); !ok || a.Scale < StronglyDisagree || a.Scale > DontKnow {
				t.Fatalf("accepted %+v", a)
			}
		}
	})
}

func FuzzParseCommentsCSV(f *testing.F) {
	ex := loadExample(f)
	f.Add(readExample(f, "review-comments.csv"))
	f.Add([]byte("id,participant,commitment,source,text,themes,sentiment\nA,C1,general,survey,x,clarity,mixed\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, err := ParseCommentsCSV(bytes.NewReader(data), ex.round, ex.charter)
		checkImport(t, cs, err)
		for _, c := range cs {
			if c.ID == "" || c.Text == "" || len(c.Themes) == 0 || c.Sentiment == "" || c.Source == "" {
				t.Fatalf("accepted %+v", c)
			}
		}
	})
}
