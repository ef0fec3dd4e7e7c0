package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/review"
	"github.com/charter-service/charter/internal/store"
)

// Review rounds: importing a round with its survey answers and coded
// comments, entering more of them on the staff pages, and the findings.
// Drafts and publishing them are in drafts.go.

// Types the pages see, named here so that web depends on this package alone.
type (
	// RoundRecord is a stored review round.
	RoundRecord = store.RoundRecord
	// DraftRecord is a stored draft revision.
	DraftRecord = store.DraftRecord
)

// File is a file given to an import: its name, for messages, and its bytes.
type File struct {
	Name string
	Data []byte
}

// ImportFailed is every problem found in the files of an import, each
// naming its file and line, or its file, row and column; nothing was
// imported. It unwraps to an invalid-input error on "file".
type ImportFailed struct {
	Problems []string
}

func (e *ImportFailed) Error() string { return strings.Join(e.Problems, "\n") }

func (e *ImportFailed) Unwrap() error {
	what := "a problem"
	if len(e.Problems) != 1 {
		what = strconv.Itoa(len(e.Problems)) + " problems"
	}
	return errs.Invalid("file", "the files have %s, so nothing was imported", what)
}

// add collects the problems of one file from a parser's error; other
// errors come back as they are.
func (e *ImportFailed) add(file string, err error) error {
	var probs charter.Problems
	var rows review.ImportProblems
	switch {
	case err == nil:
	case errors.As(err, &probs):
		for _, p := range probs {
			e.Problems = append(e.Problems, p.String())
		}
	case errors.As(err, &rows):
		for _, p := range rows {
			e.Problems = append(e.Problems, file+": "+p.String())
		}
	default:
		return err
	}
	return nil
}

// ReviewImport is what one import brings: a round file, and optionally the
// survey answers (a Likert CSV) and coded comments (a comments CSV).
type ReviewImport struct {
	Round     File
	Responses *File
	Comments  *File
}

// ReviewImportReport says what an import stored.
type ReviewImportReport struct {
	RoundID      string
	RoundName    string
	RoundCreated bool
	Participants int
	Answers      int
	Comments     int
}

// ImportReview checks a round file against the charter version it
// reviews, and the answers and comments against the round, and stores
// them all in one transaction. Every problem in every file is reported
// (ImportFailed), and then nothing is stored. A round already stored must
// be given in the same file; answers and comments add to it, and a
// participant who has already answered, or a comment id already used, is
// a problem on its row.
func (s *Service) ImportReview(ctx context.Context, in ReviewImport) (ReviewImportReport, error) {
	version := peek(in.Round.Data, "charter_version")
	ch, err := s.charterVersion(ctx, version)
	if err != nil {
		return ReviewImportReport{}, err
	}
	failed := &ImportFailed{}
	round, err := review.ParseRound(in.Round.Name, in.Round.Data, ch)
	if err := failed.add(in.Round.Name, err); err != nil {
		return ReviewImportReport{}, err
	}
	if round == nil {
		return ReviewImportReport{}, failed
	}
	var answers []review.Answer
	var comments []review.Comment
	if in.Responses != nil {
		answers, err = review.ParseLikertCSV(bytes.NewReader(in.Responses.Data), round)
		if err := failed.add(in.Responses.Name, err); err != nil {
			return ReviewImportReport{}, err
		}
	}
	if in.Comments != nil {
		comments, err = review.ParseCommentsCSV(bytes.NewReader(in.Comments.Data), round, ch)
		if err := failed.add(in.Comments.Name, err); err != nil {
			return ReviewImportReport{}, err
		}
	}
	if len(failed.Problems) > 0 {
		return ReviewImportReport{}, failed
	}
	// What is stored already: a participant answers once, and comment ids
	// are unique in a round. The store refuses both too; checking here
	// says which row.
	if stored, err := s.store.ReviewRound(ctx, round.ID); err == nil {
		if in.Responses != nil && stored.Answers > 0 {
			have, err := s.store.ReviewAnswers(ctx, round.ID)
			if err != nil {
				return ReviewImportReport{}, err
			}
			answered := map[string]bool{}
			for _, a := range have {
				answered[a.Participant] = true
			}
			rows, col := rowsByColumn(in.Responses.Data, review.ColParticipant)
			reported := map[string]bool{}
			for _, a := range answers {
				if answered[a.Participant] && !reported[a.Participant] {
					reported[a.Participant] = true
					failed.Problems = append(failed.Problems, fmt.Sprintf("%s: row %d, column %s (%s): %s's answers are already stored in round %s: a participant answers once",
						in.Responses.Name, rows[a.Participant], review.ColumnLetters(col), review.ColParticipant, a.Participant, round.ID))
				}
			}
		}
		if in.Comments != nil && stored.Comments > 0 {
			have, err := s.store.ReviewComments(ctx, round.ID)
			if err != nil {
				return ReviewImportReport{}, err
			}
			used := map[string]bool{}
			for _, c := range have {
				used[strings.ToUpper(c.ID)] = true
			}
			rows, col := rowsByColumn(in.Comments.Data, review.ColID)
			for _, c := range comments {
				if used[strings.ToUpper(c.ID)] {
					failed.Problems = append(failed.Problems, fmt.Sprintf("%s: row %d, column %s (%s): round %s already has a comment %s",
						in.Comments.Name, rows[c.ID], review.ColumnLetters(col), review.ColID, round.ID, c.ID))
				}
			}
		}
	} else if errs.KindOf(err) != errs.KindNotFound {
		return ReviewImportReport{}, err
	}
	if len(failed.Problems) > 0 {
		return ReviewImportReport{}, failed
	}
	created, err := s.store.ImportReview(ctx, store.ReviewImport{Round: *round, Answers: answers, Comments: comments}, s.now())
	if e, ok := errs.As(err); ok && e.Kind == errs.KindConflict && e.Field == "round" {
		return ReviewImportReport{}, &ImportFailed{Problems: []string{in.Round.Name + ": " + e.Message}}
	}
	if err != nil {
		return ReviewImportReport{}, err
	}
	return ReviewImportReport{RoundID: round.ID, RoundName: round.Name, RoundCreated: created, Participants: len(round.Participants),
		Answers: len(answers), Comments: len(comments)}, nil
}

// charterVersion returns a published charter version, or the current one
// when version is empty or not published here (the parser then says that
// the versions differ, on the line that names it).
func (s *Service) charterVersion(ctx context.Context, version string) (*charter.Charter, error) {
	cur, err := s.Charter()
	if err != nil {
		return nil, err
	}
	if version == "" || version == cur.Version {
		return cur, nil
	}
	doc, err := s.store.DocumentVersion(ctx, KindCharter, version)
	if errs.KindOf(err) == errs.KindNotFound {
		return cur, nil
	}
	if err != nil {
		return nil, err
	}
	ch, err := charter.ParseCharter("charter "+version, doc.Body)
	if err != nil {
		return nil, fmt.Errorf("stored charter %s: %w", version, err)
	}
	return ch, nil
}

// peek reads one top-level text field of a YAML file, or "".
func peek(data []byte, field string) string {
	var m map[string]any
	if yaml.Unmarshal(data, &m) != nil {
		return ""
	}
	switch v := m[field].(type) {
	case string:
		return v
	case int, float64:
		return fmt.Sprint(v)
	}
	return ""
}

// rowsByColumn finds, in a CSV file, the row each value of a column is on
// (rows counted from 1, the header row, as a spreadsheet shows them), and
// the column's number. The import has already checked the file.
func rowsByColumn(data []byte, column string) (map[string]int, int) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	rows := map[string]int{}
	col := -1
	for {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		if col < 0 {
			for i, h := range rec {
				if normalColumn(h) == normalColumn(column) {
					col = i
				}
			}
			if col < 0 {
				break
			}
			continue
		}
		if col < len(rec) {
			line, _ := cr.FieldPos(col)
			rows[strings.TrimSpace(rec[col])] = line
		}
	}
	return rows, col + 1
}

func normalColumn(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), "-")
}

// ReviewRounds lists the stored review rounds.
func (s *Service) ReviewRounds(ctx context.Context) ([]RoundRecord, error) {
	return s.store.ReviewRounds(ctx)
}

// RoundFindings is a round with what it found.
type RoundFindings struct {
	Round    RoundRecord
	Charter  *charter.Charter // the version under review
	Findings *review.Findings
	Answers  []review.Answer
	Comments []review.Comment
}

// ReviewFindings works out what a round found from everything stored for it.
func (s *Service) ReviewFindings(ctx context.Context, roundID string) (*RoundFindings, error) {
	r, err := s.store.ReviewRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	ch, err := s.charterVersion(ctx, r.CharterVersion)
	if err != nil {
		return nil, err
	}
	answers, err := s.store.ReviewAnswers(ctx, roundID)
	if err != nil {
		return nil, err
	}
	comments, err := s.store.ReviewComments(ctx, roundID)
	if err != nil {
		return nil, err
	}
	return &RoundFindings{Round: r, Charter: ch, Findings: review.BuildFindings(&r.Round, ch, answers, comments),
		Answers: answers, Comments: comments}, nil
}

// FieldErrors lists every field of a form that is wrong, in form order,
// each an *errs.Error naming its field.
type FieldErrors []*errs.Error

func (fe FieldErrors) Error() string {
	msgs := make([]string, len(fe))
	for i, e := range fe {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap gives each field's error, so errors.As finds the first.
func (fe FieldErrors) Unwrap() []error {
	out := make([]error, len(fe))
	for i, e := range fe {
		out[i] = e
	}
	return out
}

// DontKnow is the value a form sends for a "don't know" answer.
const DontKnow = "dont-know"

// AddReviewResponses records one participant's answers to a round's
// statements, as entered on a staff page: answers maps statement ids to
// "1" to "5", DontKnow, or "" for no answer. A participant answers once.
// Problems come back as FieldErrors on "participant" and "answer-ID", and
// nothing is stored.
func (s *Service) AddReviewResponses(ctx context.Context, roundID, participant string, answers map[string]string) (int, error) {
	r, err := s.store.ReviewRound(ctx, roundID)
	if err != nil {
		return 0, err
	}
	var fe FieldErrors
	p, ok := r.Participant(participant)
	switch {
	case participant == "":
		fe = append(fe, errs.Invalid("participant", "choose who answered"))
	case !ok:
		fe = append(fe, errs.Invalid("participant", "there is no participant %q in round %s", participant, r.ID))
	}
	var out []review.Answer
	for _, st := range r.Statements {
		v := strings.TrimSpace(answers[st.ID])
		if v == "" {
			continue
		}
		sc, okScale := review.ParseScale(v)
		if v == DontKnow {
			sc, okScale = review.DontKnow, true
		}
		if !okScale {
			fe = append(fe, errs.Invalid("answer-"+st.ID, "choose an answer from strongly disagree to strongly agree, or don't know"))
			continue
		}
		out = append(out, review.Answer{Participant: p.ID, Type: p.Type, Statement: st.ID, Scale: sc})
	}
	if len(out) == 0 && len(fe) == 0 && len(r.Statements) > 0 {
		fe = append(fe, errs.Invalid("answer-"+r.Statements[0].ID, "give at least one answer"))
	}
	if len(fe) > 0 {
		return 0, fe
	}
	if err := s.store.AddReviewAnswers(ctx, roundID, out, s.now()); err != nil {
		if e, ok := errs.As(err); ok && e.Kind == errs.KindConflict {
			return 0, FieldErrors{errs.New(errs.KindConflict, "participant", "%s's answers are already recorded: a participant answers once", p.ID)}
		}
		return 0, err
	}
	return len(out), nil
}

// CommentInput is a coded comment as entered on a staff page.
type CommentInput struct {
	ID          string // "" numbers it M-001, M-002…
	Participant string
	Commitment  string // a commitment id or key, or "general"
	Source      string
	Text        string
	Themes      []string // theme ids
	Sentiment   string
	Quotable    bool
}

// commentFields maps the comment file's columns to the form's fields.
var commentFields = map[string]string{
	review.ColID: "id", review.ColParticipant: "participant", review.ColCommitment: "commitment", review.ColSource: "source",
	review.ColText: "text", review.ColThemes: "themes", review.ColSentiment: "sentiment", review.ColQuotable: "quotable",
}

// AddReviewComment records a coded comment in a round, checked by the
// same rules as the comments file (it is read as a one-row file).
// Problems come back as FieldErrors naming the form's fields, and nothing
// is stored.
func (s *Service) AddReviewComment(ctx context.Context, roundID string, in CommentInput) (review.Comment, error) {
	r, err := s.store.ReviewRound(ctx, roundID)
	if err != nil {
		return review.Comment{}, err
	}
	ch, err := s.charterVersion(ctx, r.CharterVersion)
	if err != nil {
		return review.Comment{}, err
	}
	existing, err := s.store.ReviewComments(ctx, roundID)
	if err != nil {
		return review.Comment{}, err
	}
	used := map[string]bool{}
	for _, c := range existing {
		used[strings.ToUpper(c.ID)] = true
	}
	in.ID = strings.TrimSpace(in.ID)
	if in.ID == "" {
		for n := len(existing) + 1; ; n++ {
			if id := fmt.Sprintf("M-%03d", n); !used[id] {
				in.ID = id
				break
			}
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	quotable := "no"
	if in.Quotable {
		quotable = "yes"
	}
	w.Write(review.CommentColumns)
	w.Write([]string{in.ID, in.Participant, in.Commitment, in.Source, in.Text, strings.Join(in.Themes, ";"), in.Sentiment, quotable})
	w.Flush()
	cs, err := review.ParseCommentsCSV(&buf, &r.Round, ch)
	var probs review.ImportProblems
	if errors.As(err, &probs) {
		var fe FieldErrors
		for _, p := range probs {
			field := commentFields[p.Header]
			if field == "" {
				field = "text"
			}
			if fe.has(field) {
				continue
			}
			fe = append(fe, errs.Invalid(field, "%s", p.Message))
		}
		return review.Comment{}, fe
	}
	if err != nil {
		return review.Comment{}, err
	}
	if used[strings.ToUpper(in.ID)] {
		return review.Comment{}, FieldErrors{errs.New(errs.KindConflict, "id", "round %s already has a comment %s: give another id, or leave it empty", r.ID, in.ID)}
	}
	if err := s.store.AddReviewComment(ctx, roundID, cs[0], s.now()); err != nil {
		if e, ok := errs.As(err); ok && e.Kind == errs.KindConflict {
			return review.Comment{}, FieldErrors{errs.New(errs.KindConflict, "id", "%s", e.Message)}
		}
		return review.Comment{}, err
	}
	return cs[0], nil
}

func (fe FieldErrors) has(field string) bool {
	for _, e := range fe {
		if e.Field == field {
			return true
		}
	}
	return false
}

// FindingsCSV writes a round's findings as CSV.
func (s *Service) FindingsCSV(ctx context.Context, roundID string, w io.Writer) error {
	f, err := s.ReviewFindings(ctx, roundID)
	if err != nil {
		return err
	}
	return review.WriteFindingsCSV(w, f.Findings)
}
