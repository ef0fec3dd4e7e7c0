package review

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestFindingsExample(t *testing.T) {
	ex := loadExample(t)
	f := BuildFindings(ex.round, ex.charter, ex.answers, ex.comments)

	wantGroups := []GroupFinding{
		{ClientGroup, "client group participants", 14, 14},
		{PartnerOrganisation, "partner organisations", 6, 6},
		{Staff, "staff", 2, 2},
	}
	if !slices.Equal(f.Groups, wantGroups) {
		t.Errorf("groups %+v", f.Groups)
	}

	byID := map[string]StatementFinding{}
	for _, s := range f.Statements {
		byID[s.ID] = s
	}
	clear := byID["clear-and-easy"]
	if clear.Respondents != 20 || clear.InWords || clear.Agreed.Percent != 75 || clear.Agreed.N != 15 || clear.Disagree.Show != "10%" {
		t.Errorf("clear-and-easy %+v", clear)
	}
	for id, want := range map[string]string{
		"clear-and-easy": "75% agreed and 10% disagreed that the charter is clear and easy to understand (20 people answered). " +
			"Views were more positive than negative.",
		"know-how-to-challenge": "25% agreed and 55% disagreed that clients know how to challenge if commitments are not met " +
			"(20 people answered). 10% did not know. Views were more negative than positive.",
		"holds-to-account": "Most agreed and none disagreed that the charter helps hold the service to account.",
		"matches-experience": "A few agreed and most disagreed that what clients experience matches the commitments in the charter. " +
			"Views were more negative than positive.",
		"clients-aware": "A few agreed and half disagreed that clients are aware of the charter. A few did not know. " +
			"Views were more negative than positive.",
	} {
		if got := byID[id].Summary; got != want {
			t.Errorf("%s:\n got %q\nwant %q", id, got, want)
		}
	}
	if s := byID["clients-aware"]; !s.InWords || s.Respondents != 6 || s.Agreed.N != 0 || s.Agreed.Percent != 0 {
		t.Errorf("a statement six people answered must be in words, with no counts: %+v", s)
	}

	var support CommitmentFinding
	for _, c := range f.Commitments {
		if c.Key == "support-through-application" {
			support = c
		}
	}
	if support.ID != "1.4" || support.Comments != 6 || support.Participants != 6 || !support.InWords || support.Section != 1 {
		t.Fatalf("1.4: %+v", support)
	}
	if th := support.Themes[0]; th.Theme != "updates" || th.Comments != 4 || th.RaisedBy.Show != WordsMost || th.Balance != BalanceMoreNegative {
		t.Errorf("1.4 first theme %+v", th)
	}
	wantSummary := "6 comments on this commitment, from client group participants and partner organisations. " +
		"Most of those who commented raised updates, half raised delivery gap and some raised clarity. " +
		"Comments were more negative than positive."
	if support.Summary != wantSummary {
		t.Errorf("1.4 summary:\n got %q\nwant %q", support.Summary, wantSummary)
	}
	if len(support.Quotes) != 3 {
		t.Fatalf("1.4 quotes %+v", support.Quotes)
	}
	var who []string
	for _, q := range support.Quotes {
		who = append(who, q.Attribution)
		if q.Text == "" || q.CommentID == "W2-04" { // W2-04 is not quotable
			t.Errorf("quote %+v", q)
		}
	}
	if !slices.Contains(who, "Partner survey respondent") || !slices.Contains(who, "Client group participant") {
		t.Errorf("1.4 quotes should hear clients and partners: %v", who)
	}

	// Commitments are in charter order, and include those gone through line
	// by line even without comments.
	var ids []string
	for _, c := range f.Commitments {
		ids = append(ids, c.ID)
	}
	want := []string{"1.4", "1.5", "1.6", "1.8", "1.10", "1.11", "1.12", "1.13", "2.2", "2.3", "2.10", "2.11", "2.12", "3.1", "3.2"}
	if !slices.Equal(ids, want) {
		t.Errorf("commitments %v, want %v", ids, want)
	}
	if f.General.Comments != 8 || !strings.HasPrefix(f.General.Summary, "8 comments on the charter as a whole") {
		t.Errorf("general %+v", f.General)
	}
	if f.Themes[0].Theme != "delivery-gap" || f.Themes[0].Comments != 15 || f.Themes[0].RaisedBy.Show != "45%" {
		t.Errorf("first theme %+v", f.Themes[0])
	}
}

func TestFindingsSmallGroupBoundary(t *testing.T) {
	ex := loadExample(t)
	for _, tt := range []struct {
		small, respondents int
		inWords            bool
	}{
		{10, 9, true}, {10, 10, false}, {10, 11, false}, {3, 2, true}, {3, 3, false}, {1, 1, false},
	} {
		round := *ex.round
		round.SmallGroup = tt.small
		var answers []Answer
		for i := range tt.respondents {
			answers = append(answers, Answer{Participant: fmt.Sprintf("P%d", i), Statement: "clear-and-easy", Scale: Agree})
		}
		f := BuildFindings(&round, ex.charter, answers, nil)
		s := f.Statements[0]
		if s.InWords != tt.inWords || (tt.inWords && s.Agreed.Show != WordsAll) || (!tt.inWords && s.Agreed.Show != "100%") {
			t.Errorf("threshold %d, %d respondents: %+v", tt.small, tt.respondents, s)
		}
	}
}

// Whatever the evidence, a small group's counts never appear, shares of a
// large group add up, and summaries are always there.
func TestFindingsProperties(t *testing.T) {
	ex := loadExample(t)
	r := rand.New(rand.NewPCG(4, 12))
	themes := ex.round.Codebook.IDs()
	sentiments := []Sentiment{Positive, Negative, Mixed}
	keys := []string{"", "support-through-application", "referrals", "qualified-practitioners", "gone-from-the-charter"}
	for range 300 {
		var answers []Answer
		var comments []Comment
		for _, p := range ex.round.Participants[:r.IntN(len(ex.round.Participants)+1)] {
			for _, s := range ex.round.Statements {
				if r.IntN(3) > 0 {
					answers = append(answers, Answer{p.ID, p.Type, s.ID, Scale(1 + r.IntN(6))})
				}
			}
			for range r.IntN(4) {
				comments = append(comments, Comment{ID: fmt.Sprintf("X%d", len(comments)), Participant: p.ID, ParticipantType: p.Type,
					CommitmentKey: keys[r.IntN(len(keys))], Source: SourceWorkshop, Text: "x",
					Themes: []string{themes[r.IntN(len(themes))]}, Sentiment: sentiments[r.IntN(3)], Quotable: r.IntN(2) == 0})
			}
		}
		f := BuildFindings(ex.round, ex.charter, answers, comments)
		for _, s := range f.Statements {
			shares := []Share{s.Agreed, s.Neither, s.Disagree, s.DontKnow}
			total := 0
			for _, sh := range shares {
				if s.InWords && (sh.N != 0 || sh.Percent != 0 || sh.Show != sh.Words) {
					t.Fatalf("a small group's count shows: %+v", s)
				}
				total += sh.N
			}
			if !s.InWords && total != s.Respondents {
				t.Fatalf("shares add up to %d of %d", total, s.Respondents)
			}
			if s.Summary == "" || s.InWords != (s.Respondents < ex.round.SmallGroup) {
				t.Fatalf("statement %+v", s)
			}
		}
		for _, c := range append(slices.Clone(f.Commitments), f.General) {
			for _, th := range c.Themes {
				if c.InWords && (th.RaisedBy.N != 0 || th.RaisedBy.Percent != 0) {
					t.Fatalf("a small group's count shows: %+v", c)
				}
			}
			if len(c.Quotes) > ex.round.QuotesPerCommitment || c.Summary == "" {
				t.Fatalf("commitment %+v", c)
			}
		}
		var buf bytes.Buffer
		if err := WriteFindingsCSV(&buf, f); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil || !slices.Equal(rows[0], FindingsColumns) || len(rows) < 1+len(f.Statements) {
			t.Fatalf("CSV: %v, %d rows", err, len(rows))
		}
	}
}

func TestPickQuotes(t *testing.T) {
	c := func(id, who string, typ ParticipantType, s Sentiment, quotable bool) Comment {
		return Comment{ID: id, Participant: who, ParticipantType: typ, Sentiment: s, Quotable: quotable, Source: SourceWorkshop, Text: id}
	}
	cs := []Comment{
		c("a", "C1", ClientGroup, Negative, true),
		c("b", "C1", ClientGroup, Positive, true),  // same person as a
		c("c", "C2", ClientGroup, Negative, true),  // same sentiment as a
		c("d", "C3", ClientGroup, Positive, false), // not quotable
		c("e", "C4", ClientGroup, Positive, true),
		c("f", "P1", PartnerOrganisation, Negative, true),
	}
	ids := func(qs []Quote) string {
		var out []string
		for _, q := range qs {
			out = append(out, q.CommentID)
		}
		return strings.Join(out, ",")
	}
	for n, want := range map[int]string{0: "", 1: "a", 2: "a,f", 3: "a,f,e", 4: "a,f,e,c", 6: "a,f,e,c,b"} {
		if got := ids(pickQuotes(cs, n)); got != want {
			t.Errorf("pickQuotes(%d) = %s, want %s", n, got, want)
		}
	}
}

// Evidence the charter or round no longer knows still counts.
func TestFindingsTolerateRemovedStatementsAndCommitments(t *testing.T) {
	ex := loadExample(t)
	f := BuildFindings(ex.round, ex.charter,
		[]Answer{{"P1", PartnerOrganisation, "old-statement", Agree}},
		[]Comment{{ID: "Z", Participant: "P1", CommitmentKey: "old-key", CommitmentID: "9.1", Themes: []string{"clarity"}, Sentiment: Positive}})
	last := f.Statements[len(f.Statements)-1]
	if last.ID != "old-statement" || last.Respondents != 1 {
		t.Errorf("statement %+v", last)
	}
	lastC := f.Commitments[len(f.Commitments)-1]
	if lastC.Key != "old-key" || lastC.ID != "9.1" || lastC.Comments != 1 {
		t.Errorf("commitment %+v", lastC)
	}
}

func TestWriteFindingsCSVGolden(t *testing.T) {
	ex := loadExample(t)
	var buf bytes.Buffer
	if err := WriteFindingsCSV(&buf, BuildFindings(ex.round, ex.charter, ex.answers, ex.comments)); err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/example-findings.golden.csv"
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("the findings CSV differs from %s (run with -update if the change is intended):\n%s", golden, buf.String())
	}
	// Small groups are in words: no statement six partners answered shows a
	// percentage.
	rows, _ := csv.NewReader(bytes.NewReader(want)).ReadAll()
	for _, row := range rows[1:] {
		if row[0] == RowStatement && row[6] == "6" && strings.Contains(strings.Join(row[8:12], ""), "%") {
			t.Errorf("a small group's answers as numbers: %v", row)
		}
	}
	if got := cellText("=SUM(A1)"); got != "'=SUM(A1)" {
		t.Errorf("cellText = %q", got)
	}
}
