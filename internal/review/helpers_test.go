package review

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/charter"
)

func readExample(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile("../../examples/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func exampleCharter(tb testing.TB) *charter.Charter {
	tb.Helper()
	ch, err := charter.ParseCharter("charter.yaml", readExample(tb, "charter.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	return ch
}

// example is the example round with its evidence.
type example struct {
	charter  *charter.Charter
	round    *Round
	answers  []Answer
	comments []Comment
}

func loadExample(tb testing.TB) example {
	tb.Helper()
	ch := exampleCharter(tb)
	round, err := ParseRound("review-round.yaml", readExample(tb, "review-round.yaml"), ch)
	if err != nil {
		tb.Fatalf("the example round is invalid:\n%v", err)
	}
	answers, err := ParseLikertCSV(bytes.NewReader(readExample(tb, "review-responses.csv")), round)
	if err != nil {
		tb.Fatalf("the example responses are invalid:\n%v", err)
	}
	comments, err := ParseCommentsCSV(bytes.NewReader(readExample(tb, "review-comments.csv")), round, ch)
	if err != nil {
		tb.Fatalf("the example comments are invalid:\n%v", err)
	}
	return example{ch, round, answers, comments}
}

// doc trims the leading newline of a raw string so that line 1 is the first
// line after the backquote.
func doc(s string) []byte { return []byte(strings.TrimPrefix(s, "\n")) }
