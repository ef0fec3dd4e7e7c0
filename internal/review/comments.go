package review

import (
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/charter-service/charter/internal/charter"
)

// Sentiment is how a coded comment feels about what it discusses.
type Sentiment string

const (
	Positive Sentiment = "positive"
	Negative Sentiment = "negative"
	Mixed    Sentiment = "mixed"
)

// General is what the commitment column holds for a comment about the
// charter as a whole rather than one commitment.
const General = "general"

// Comment is one coded comment from a survey, interview or workshop.
type Comment struct {
	ID              string          `json:"id"`
	Participant     string          `json:"participant"`
	ParticipantType ParticipantType `json:"participant_type"`
	CommitmentKey   string          `json:"commitment_key,omitempty"` // "" for a general comment
	CommitmentID    string          `json:"commitment_id,omitempty"`  // in the charter version under review
	Source          Source          `json:"source"`
	Text            string          `json:"text"`
	Themes          []string        `json:"themes"` // theme ids
	Sentiment       Sentiment       `json:"sentiment"`
	Quotable        bool            `json:"quotable"`
}

// Attribution credits the comment as a quote: "Client group participant".
func (c Comment) Attribution() string { return Attribution(c.ParticipantType, c.Source) }

// Columns of a comments file.
const (
	ColID         = "id"
	ColCommitment = "commitment"
	ColSource     = "source"
	ColText       = "text"
	ColThemes     = "themes"
	ColSentiment  = "sentiment"
	ColQuotable   = "quotable"
)

// CommentColumns are the columns of a comments file. All are required
// except quotable (empty or missing means no).
var CommentColumns = []string{ColID, ColParticipant, ColCommitment, ColSource, ColText, ColThemes, ColSentiment, ColQuotable}

// commentID is the form of a comment id: letters, digits and . _ -.
var commentID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// ParseCommentsCSV reads coded comments: a header row naming
// CommentColumns in any order, then one comment a row:
//
//   - id: unique, letters, digits, dots, hyphens, underscores ("W2-014");
//     revisions cite comments by it
//   - participant: an anonymous id listed in the round
//   - commitment: a commitment of the charter under review, by id ("1.4")
//     or key, or "general"
//   - source: survey, interview or workshop
//   - text: the comment, as written down
//   - themes: one or more themes of the round's codebook, by id or name,
//     separated by semicolons ("clarity; delivery gap")
//   - sentiment: positive, negative or mixed
//   - quotable: yes or no (empty is no): whether findings may quote it
//
// It returns every comment, or ImportProblems naming each row and column at
// fault and no comments at all.
func ParseCommentsCSV(r io.Reader, round *Round, ch *charter.Charter) ([]Comment, error) {
	spec := csvSpec{noun: "comment", required: CommentColumns[:len(CommentColumns)-1], optional: []string{ColQuotable}}
	var probs problemList
	t := spec.read(r, &probs)
	ids := map[string]int{}
	var out []Comment
	for _, row := range t.rows {
		if probs.full() {
			break
		}
		bad := func(col, format string, args ...any) {
			c, h := t.col(col)
			probs.add(row.line, c, h, format, args...)
		}
		c := Comment{ID: t.cell(row, ColID)}
		switch first, dup := ids[strings.ToUpper(c.ID)]; {
		case c.ID == "":
			bad(ColID, "give the comment an id, like W2-014, so that revisions can cite it")
		case !commentID.MatchString(c.ID):
			bad(ColID, "%q cannot be a comment id: use letters, digits, dots, hyphens or underscores, like W2-014", clip(c.ID))
		case dup:
			bad(ColID, "the id %s is already used on row %d", c.ID, first)
		default:
			ids[strings.ToUpper(c.ID)] = row.line
		}
		p, okP := checkParticipant(t, row, round, t.cell(row, ColParticipant), &probs)
		c.Participant, c.ParticipantType = p.ID, p.Type

		switch cm := t.cell(row, ColCommitment); {
		case cm == "":
			bad(ColCommitment, "give the commitment the comment is about, like 1.4, or write \"general\"")
		case strings.EqualFold(cm, General):
		default:
			key, ok := keyOf(ch, cm)
			if !ok {
				bad(ColCommitment, "charter version %s has no commitment %q: give its number, like 1.4, or write \"general\"", ch.Version, clip(cm))
				break
			}
			c.CommitmentKey = key
			for _, s := range ch.Sections {
				for _, x := range s.Commitments {
					if x.Key == key {
						c.CommitmentID = x.ID
					}
				}
			}
		}

		switch src := Source(strings.ToLower(t.cell(row, ColSource))); src {
		case SourceSurvey, SourceInterview, SourceWorkshop:
			c.Source = src
		case "":
			bad(ColSource, "say where the comment came from: survey, interview or workshop")
		default:
			bad(ColSource, "%q is not a source: use survey, interview or workshop", clip(string(src)))
		}

		c.Text = strings.TrimSpace(t.cell(row, ColText))
		switch n := utf8.RuneCountInString(c.Text); {
		case n == 0:
			bad(ColText, "the comment has no text")
		case n > MaxCommentRunes:
			bad(ColText, "the comment is %d characters long: the most is %d", n, MaxCommentRunes)
		}

		seenTheme := map[string]bool{}
		for _, th := range splitList(t.cell(row, ColThemes)) {
			theme, ok := round.Codebook.Theme(th)
			if !ok {
				bad(ColThemes, "%q is not a theme of the codebook: use %s", clip(th), strings.Join(round.Codebook.IDs(), ", "))
				continue
			}
			if !seenTheme[theme.ID] {
				seenTheme[theme.ID] = true
				c.Themes = append(c.Themes, theme.ID)
			}
		}
		if len(seenTheme) == 0 && t.cell(row, ColThemes) == "" {
			bad(ColThemes, "code the comment with at least one theme, separated by semicolons, like \"clarity; updates\"")
		}

		switch s := Sentiment(strings.ToLower(t.cell(row, ColSentiment))); s {
		case Positive, Negative, Mixed:
			c.Sentiment = s
		case "":
			bad(ColSentiment, "give the comment's sentiment: positive, negative or mixed")
		default:
			bad(ColSentiment, "%q is not a sentiment: use positive, negative or mixed", clip(string(s)))
		}

		switch q := strings.ToLower(t.cell(row, ColQuotable)); q {
		case "yes", "y", "true":
			c.Quotable = true
		case "no", "n", "false", "":
		default:
			bad(ColQuotable, "%q is not yes or no", clip(q))
		}
		if okP {
			out = append(out, c)
		}
	}
	if len(probs.ps) > 0 {
		return nil, probs.sorted()
	}
	return out, nil
}
