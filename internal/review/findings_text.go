package review

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The sentences findings give, written the way research findings are:
// proportions in words for small groups, the balance of views, and the
// themes raised most.

// statementSummary says how people answered a statement: "Most agreed and a
// few disagreed that the charter is clear and easy to understand."
func statementSummary(sf StatementFinding) string {
	if sf.Respondents == 0 {
		return "Nobody answered this statement."
	}
	claim := lowerFirst(strings.TrimSuffix(strings.TrimSpace(sf.Text), "."))
	var b strings.Builder
	if sf.Agreed.Words == WordsNone && sf.Disagree.Words == WordsNone {
		b.WriteString("Nobody agreed or disagreed that " + claim)
	} else {
		b.WriteString(upperFirst(sf.Agreed.Show) + " agreed and " + sf.Disagree.Show + " disagreed that " + claim)
	}
	if !sf.InWords {
		b.WriteString(" (" + strconv.Itoa(sf.Respondents) + " people answered)")
	}
	b.WriteString(".")
	if sf.DontKnow.Words != WordsNone {
		b.WriteString(" " + upperFirst(sf.DontKnow.Show) + " did not know.")
	}
	if sf.Balance == BalanceMorePositive || sf.Balance == BalanceMoreNegative {
		b.WriteString(" Views were " + sf.Balance + ".")
	}
	return b.String()
}

// commitmentSummary says who commented on what and what they raised:
// "9 comments on this commitment, from client group participants and
// partner organisations. Most of those who commented raised clarity, and
// some raised updates. Comments were more negative than positive."
func commitmentSummary(cf CommitmentFinding, what string) string {
	if cf.Comments == 0 {
		return "Nobody commented on " + what + "."
	}
	var b strings.Builder
	b.WriteString(plural(cf.Comments, "comment") + " on " + what + ", from ")
	if cf.Participants == 1 && len(cf.Types) == 1 {
		b.WriteString(singular(cf.Types[0]))
	} else {
		var who []string
		for _, t := range cf.Types {
			who = append(who, t.Plural())
		}
		b.WriteString(joinAnd(who))
	}
	b.WriteString(".")

	var raised []string
	for i, t := range cf.Themes {
		if i == 3 {
			break
		}
		switch {
		case cf.Participants == 1:
			raised = append(raised, t.Name)
		case i == 0:
			raised = append(raised, t.RaisedBy.Show+" of those who commented raised "+t.Name)
		default:
			raised = append(raised, t.RaisedBy.Show+" raised "+t.Name)
		}
	}
	if len(raised) > 0 {
		if cf.Participants == 1 {
			b.WriteString(" They raised " + joinAnd(raised) + ".")
		} else {
			b.WriteString(" " + upperFirst(joinAnd(raised)) + ".")
		}
	}
	if cf.Sentiment.Balance != BalanceNoView {
		b.WriteString(" Comments were " + cf.Sentiment.Balance + ".")
	}
	return b.String()
}

// themeSummary says where a theme came up: "Clarity came up in 14 comments
// on 6 commitments, most often 1.4 (5 comments) and 2.12 (3), and in 2
// general comments. Comments were more negative than positive."
func themeSummary(tf ThemeFinding) string {
	name := upperFirst(tf.Name)
	if tf.Comments == 0 {
		return name + " did not come up."
	}
	var b strings.Builder
	b.WriteString(name + " came up in " + plural(tf.Comments, "comment"))
	var on []ThemeCommitment
	general := 0
	for _, c := range tf.Commitments {
		if c.Key == "" {
			general = c.Comments
		} else {
			on = append(on, c)
		}
	}
	if len(on) > 0 {
		b.WriteString(" on " + plural(len(on), "commitment"))
		// Name the one or two it came up on most, if more than once.
		var most []string
		for _, c := range on[:min(2, len(on))] {
			switch {
			case len(on) == 1:
				most = append(most, commitmentName(c))
			case c.Comments > 1 && len(most) == 0:
				most = append(most, commitmentName(c)+" ("+plural(c.Comments, "comment")+")")
			case c.Comments > 1:
				most = append(most, commitmentName(c)+" ("+strconv.Itoa(c.Comments)+")")
			}
		}
		switch {
		case len(on) == 1:
			b.WriteString(" (" + most[0] + ")")
		case len(most) > 0:
			b.WriteString(", most often " + joinAnd(most))
		}
	}
	if general > 0 {
		if len(on) > 0 {
			b.WriteString(", and in ")
		} else {
			b.WriteString(", all of them ")
		}
		b.WriteString(plural(general, "general comment"))
	}
	b.WriteString(".")
	if tf.Sentiment.Balance != BalanceNoView {
		b.WriteString(" Comments were " + tf.Sentiment.Balance + ".")
	}
	return b.String()
}

func commitmentName(c ThemeCommitment) string {
	if c.ID != "" {
		return c.ID
	}
	return c.Key
}

// singular names one participant of a type: "a partner organisation".
func singular(t ParticipantType) string {
	switch t {
	case PartnerOrganisation:
		return "a partner organisation"
	case ClientGroup:
		return "a client group participant"
	case Staff:
		return "a member of staff"
	}
	return "one participant"
}

// plural writes a count and a noun: "1 comment", "3 comments".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// joinAnd joins phrases as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// lowerFirst lowercases the first letter of a sentence so that it can follow
// "that", unless the first word is an acronym ("SPSO").
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[size:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}
