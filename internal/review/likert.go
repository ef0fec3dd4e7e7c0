package review

import (
	"io"
	"strings"
)

// Scale is an answer to an agree/disagree statement: 1 (strongly disagree)
// to 5 (strongly agree), or DontKnow.
type Scale int8

const (
	StronglyDisagree Scale = 1
	Disagree         Scale = 2
	Neither          Scale = 3
	Agree            Scale = 4
	StronglyAgree    Scale = 5
	DontKnow         Scale = 6
)

// String gives the answer in words: "strongly agree", "don't know".
func (s Scale) String() string {
	switch s {
	case StronglyDisagree:
		return "strongly disagree"
	case Disagree:
		return "disagree"
	case Neither:
		return "neither agree nor disagree"
	case Agree:
		return "agree"
	case StronglyAgree:
		return "strongly agree"
	case DontKnow:
		return "don't know"
	}
	return "no answer"
}

// ParseScale reads an answer as a survey tool or a person writes it: 1 to
// 5, or the words of the scale ("Strongly agree", "neutral", "Don't know",
// "DK"). The empty string is not an answer: ok is false.
func ParseScale(s string) (Scale, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "\u2019", "'")), " "))
	switch s {
	case "1", "strongly disagree":
		return StronglyDisagree, true
	case "2", "disagree", "tend to disagree":
		return Disagree, true
	case "3", "neither agree nor disagree", "neither", "neutral":
		return Neither, true
	case "4", "agree", "tend to agree":
		return Agree, true
	case "5", "strongly agree":
		return StronglyAgree, true
	case "don't know", "dont know", "do not know", "dk", "not sure":
		return DontKnow, true
	}
	return 0, false
}

// Answer is one participant's answer to one statement.
type Answer struct {
	Participant string          `json:"participant"`
	Type        ParticipantType `json:"participant_type"`
	Statement   string          `json:"statement"`
	Scale       Scale           `json:"scale"`
}

// Columns of a responses file besides one column per statement id.
const (
	ColParticipant     = "participant"
	ColParticipantType = "participant_type"
)

// ParseLikertCSV reads survey responses: a header row naming
// "participant", "participant_type" and one or more statement ids of the
// round, in any order; then one row per participant, each cell an answer
// (1 to 5, the scale's words, or "don't know") or empty for no answer.
// Participants must be listed in the round with the type given, and appear
// once. It returns every answer, or ImportProblems naming each row and
// column at fault and no answers at all.
func ParseLikertCSV(r io.Reader, round *Round) ([]Answer, error) {
	statements := map[string]string{} // normalised id -> id
	for _, s := range round.Statements {
		statements[normalName(s.ID)] = s.ID
	}
	ids := make([]string, len(round.Statements))
	for i, s := range round.Statements {
		ids[i] = s.ID
	}
	spec := csvSpec{
		noun:      "response",
		required:  []string{ColParticipant, ColParticipantType},
		extra:     func(name string) bool { return statements[name] != "" },
		extraHint: "one column for each statement of the round: " + strings.Join(ids, ", "),
	}
	if len(ids) == 0 {
		spec.extraHint = "the round has no statements: add them to the round file first"
	}
	var probs problemList
	t := spec.read(r, &probs)
	var cols []string // the statement ids the file has, in column order
	for i, h := range t.header {
		if id := statements[normalName(h)]; id != "" && t.index[normalName(h)] == i {
			cols = append(cols, id)
		}
	}
	if len(probs.ps) == 0 && len(cols) == 0 {
		probs.add(1, 0, "", "the header row names no statement: add a column for each statement answered, named by its id (%s)",
			strings.Join(ids, ", "))
	}

	var out []Answer
	seen := map[string]int{} // participant -> row
	for _, row := range t.rows {
		if probs.full() {
			break
		}
		id := t.cell(row, ColParticipant)
		p, ok := checkParticipant(t, row, round, id, &probs)
		pc, ph := t.col(ColParticipantType)
		typeText := t.cell(row, ColParticipantType)
		typ, typeOK := ParseParticipantType(typeText)
		switch {
		case typeText == "":
			probs.add(row.line, pc, ph, "give the participant's type: partner-organisation, client-group or staff")
		case !typeOK:
			probs.add(row.line, pc, ph, "%q is not a type of participant: use partner-organisation, client-group or staff", clip(typeText))
		case ok && typ != p.Type:
			probs.add(row.line, pc, ph, "the round lists %s as %s, not %s", p.ID, p.Type, typ)
		}
		if ok {
			if first, dup := seen[p.ID]; dup {
				c, h := t.col(ColParticipant)
				probs.add(row.line, c, h, "%s already answered on row %d: give each participant one row", p.ID, first)
				ok = false
			} else {
				seen[p.ID] = row.line
			}
		}
		for _, sid := range cols {
			v := t.cell(row, sid)
			if v == "" {
				continue
			}
			sc, okScale := ParseScale(v)
			if !okScale {
				c, h := t.col(sid)
				probs.add(row.line, c, h, "%q is not an answer: use 1 to 5, strongly disagree, disagree, neither agree nor disagree, agree, strongly agree or don't know, or leave it empty",
					clip(v))
				continue
			}
			if ok {
				out = append(out, Answer{Participant: p.ID, Type: p.Type, Statement: sid, Scale: sc})
			}
		}
	}
	if len(probs.ps) > 0 {
		return nil, probs.sorted()
	}
	return out, nil
}

// checkParticipant checks a row's participant against the round.
func checkParticipant(t *csvTable, row csvRow, round *Round, id string, probs *problemList) (Participant, bool) {
	c, h := t.col(ColParticipant)
	if id == "" {
		probs.add(row.line, c, h, "give the participant's anonymous id, like P3 or C12")
		return Participant{}, false
	}
	p, ok := round.Participant(id)
	if !ok {
		for _, q := range round.Participants {
			if strings.EqualFold(q.ID, id) {
				probs.add(row.line, c, h, "there is no participant %q in round %s: did you mean %s?", clip(id), round.ID, q.ID)
				return Participant{}, false
			}
		}
		probs.add(row.line, c, h, "there is no participant %q in round %s: add them to the round file first", clip(id), round.ID)
		return Participant{}, false
	}
	return p, true
}
