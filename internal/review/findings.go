package review

import (
	"cmp"
	"slices"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
)

// Findings is what a round found, ready for a page or an export to show.
// Build it with BuildFindings.
type Findings struct {
	RoundID        string        `json:"round_id"`
	RoundName      string        `json:"round_name"`
	Starts         calendar.Date `json:"starts"`
	Ends           calendar.Date `json:"ends"`
	CharterVersion string        `json:"charter_version"`
	SmallGroup     int           `json:"small_group"`
	// Groups says who took part, by participant type, in ParticipantTypes
	// order; types with nobody in the round are left out.
	Groups      []GroupFinding      `json:"groups"`
	Statements  []StatementFinding  `json:"statements"`
	Commitments []CommitmentFinding `json:"commitments"` // in charter order
	General     CommitmentFinding   `json:"general"`     // comments about the charter as a whole
	Themes      []ThemeFinding      `json:"themes"`      // most comments first
}

// GroupFinding is how many of one type of participant took part.
type GroupFinding struct {
	Type     ParticipantType `json:"type"`
	Label    string          `json:"label"`     // "partner organisations"
	InRound  int             `json:"in_round"`  // listed in the round
	TookPart int             `json:"took_part"` // answered a statement or made a comment
}

// StatementFinding is how people answered one agree/disagree statement.
type StatementFinding struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	Respondents int    `json:"respondents"` // everyone who answered, including "don't know"
	// InWords is true when fewer than the round's SmallGroup answered: the
	// shares are then words ("most"), not numbers.
	InWords  bool   `json:"in_words"`
	Agreed   Share  `json:"agreed"` // agree or strongly agree
	Neither  Share  `json:"neither"`
	Disagree Share  `json:"disagreed"` // disagree or strongly disagree
	DontKnow Share  `json:"dont_know"`
	Balance  string `json:"balance"`
	Summary  string `json:"summary"` // "Most agreed and a few disagreed that …"
}

// CommitmentFinding is what comments said about one commitment (or, for
// Findings.General, about the charter as a whole).
type CommitmentFinding struct {
	Key          string            `json:"key,omitempty"`
	ID           string            `json:"id,omitempty"`
	Text         string            `json:"text,omitempty"`
	Section      int               `json:"section,omitempty"`
	Comments     int               `json:"comments"`
	Participants int               `json:"participants"` // who commented
	InWords      bool              `json:"in_words"`     // fewer commented than SmallGroup
	Types        []ParticipantType `json:"types,omitempty"`
	Themes       []ThemeCount      `json:"themes"` // most raised first
	Sentiment    SentimentCount    `json:"sentiment"`
	Quotes       []Quote           `json:"quotes"`
	Summary      string            `json:"summary"`
}

// ThemeCount is how often a theme came up in the comments on one commitment.
// How many people raised it is given only as a share, in words when the
// group is small.
type ThemeCount struct {
	Theme    string `json:"theme"` // id
	Name     string `json:"name"`
	Comments int    `json:"comments"`
	RaisedBy Share  `json:"raised_by"` // of those who commented on the commitment
	Balance  string `json:"balance"`   // of the comments with this theme
}

// SentimentCount counts comments by sentiment.
type SentimentCount struct {
	Positive int    `json:"positive"`
	Negative int    `json:"negative"`
	Mixed    int    `json:"mixed"`
	Balance  string `json:"balance"`
}

// Quote is a comment findings may quote.
type Quote struct {
	CommentID   string          `json:"comment_id"`
	Text        string          `json:"text"`
	Attribution string          `json:"attribution"` // "Client group participant"
	Type        ParticipantType `json:"participant_type"`
	Source      Source          `json:"source"`
	Sentiment   Sentiment       `json:"sentiment"`
}

// ThemeFinding is one theme across every commitment.
type ThemeFinding struct {
	Theme       string            `json:"theme"`
	Name        string            `json:"name"`
	Definition  string            `json:"definition"`
	Comments    int               `json:"comments"`
	RaisedBy    Share             `json:"raised_by"`   // of everyone who commented in the round
	Commitments []ThemeCommitment `json:"commitments"` // most comments first; general comments last
	Sentiment   SentimentCount    `json:"sentiment"`
	Summary     string            `json:"summary"`
}

// ThemeCommitment is how often a theme came up on one commitment.
type ThemeCommitment struct {
	Key      string `json:"key,omitempty"` // "" for general comments
	ID       string `json:"id,omitempty"`
	Comments int    `json:"comments"`
}

// BuildFindings works out a round's findings from its answers and coded
// comments, reading commitment numbers and words from the charter version
// under review. Commitments appear when they have comments, or when the
// round goes through them line by line (Round.Commitments). It is
// tolerant of evidence the round or charter no longer knows (a statement
// or commitment since removed): such answers and comments still count,
// under the id or key they give.
func BuildFindings(round *Round, ch *charter.Charter, answers []Answer, comments []Comment) *Findings {
	small := round.SmallGroup
	if small <= 0 {
		small = DefaultSmallGroup
	}
	f := &Findings{RoundID: round.ID, RoundName: round.Name, Starts: round.Starts, Ends: round.Ends,
		CharterVersion: round.CharterVersion, SmallGroup: small}

	tookPart := map[string]bool{}
	for _, a := range answers {
		tookPart[a.Participant] = true
	}
	for _, c := range comments {
		tookPart[c.Participant] = true
	}
	for _, t := range ParticipantTypes {
		g := GroupFinding{Type: t, Label: t.Plural()}
		for _, p := range round.Participants {
			if p.Type == t {
				g.InRound++
				if tookPart[p.ID] {
					g.TookPart++
				}
			}
		}
		if g.InRound > 0 {
			f.Groups = append(f.Groups, g)
		}
	}

	f.Statements = statementFindings(round, answers, small)

	byKey := map[string][]Comment{}
	var general []Comment
	for _, c := range comments {
		if c.CommitmentKey == "" {
			general = append(general, c)
		} else {
			byKey[c.CommitmentKey] = append(byKey[c.CommitmentKey], c)
		}
	}
	done := map[string]bool{}
	for _, s := range ch.Sections {
		for _, cm := range s.Commitments {
			if len(byKey[cm.Key]) == 0 && !slices.Contains(round.Commitments, cm.Key) {
				continue
			}
			done[cm.Key] = true
			cf := commentFinding(round, byKey[cm.Key], small)
			cf.Key, cf.ID, cf.Text, cf.Section = cm.Key, cm.ID, cm.Text, s.Number
			cf.Summary = commitmentSummary(cf, "this commitment")
			f.Commitments = append(f.Commitments, cf)
		}
	}
	var unknown []string // keys the charter no longer has, in comment order
	for _, c := range comments {
		if c.CommitmentKey != "" && !done[c.CommitmentKey] {
			done[c.CommitmentKey] = true
			unknown = append(unknown, c.CommitmentKey)
		}
	}
	for _, key := range unknown {
		cf := commentFinding(round, byKey[key], small)
		cf.Key, cf.ID = key, byKey[key][0].CommitmentID
		cf.Summary = commitmentSummary(cf, "this commitment")
		f.Commitments = append(f.Commitments, cf)
	}
	f.General = commentFinding(round, general, small)
	f.General.Summary = commitmentSummary(f.General, "the charter as a whole")

	f.Themes = themeFindings(round.Codebook, f.Commitments, comments, small)
	return f
}

func statementFindings(round *Round, answers []Answer, small int) []StatementFinding {
	byStatement := map[string][]Answer{}
	var order []string
	for _, s := range round.Statements {
		order = append(order, s.ID)
	}
	for _, a := range answers {
		if _, known := byStatement[a.Statement]; !known && !slices.Contains(order, a.Statement) {
			order = append(order, a.Statement)
		}
		byStatement[a.Statement] = append(byStatement[a.Statement], a)
	}
	var out []StatementFinding
	for _, id := range order {
		s, _ := round.Statement(id)
		sf := StatementFinding{ID: id, Text: s.Text}
		if sf.Text == "" {
			sf.Text = id
		}
		var agree, neither, disagree, dontKnow int
		for _, a := range byStatement[id] {
			switch a.Scale {
			case StronglyAgree, Agree:
				agree++
			case Neither:
				neither++
			case Disagree, StronglyDisagree:
				disagree++
			case DontKnow:
				dontKnow++
			default:
				continue
			}
			sf.Respondents++
		}
		n := sf.Respondents
		sf.InWords = n < small
		sf.Agreed, sf.Neither = share(agree, n, sf.InWords), share(neither, n, sf.InWords)
		sf.Disagree, sf.DontKnow = share(disagree, n, sf.InWords), share(dontKnow, n, sf.InWords)
		sf.Balance = Balance(agree, disagree, 0)
		sf.Summary = statementSummary(sf)
		out = append(out, sf)
	}
	return out
}

// commentFinding counts comments (all about one commitment, or general).
func commentFinding(round *Round, cs []Comment, small int) CommitmentFinding {
	cf := CommitmentFinding{Comments: len(cs), Themes: []ThemeCount{}, Quotes: []Quote{}}
	who := map[string]bool{}
	types := map[ParticipantType]bool{}
	themeComments := map[string]int{}
	themeWho := map[string]map[string]bool{}
	themeSentiment := map[string]*SentimentCount{}
	for _, c := range cs {
		who[c.Participant] = true
		types[c.ParticipantType] = true
		cf.Sentiment.add(c.Sentiment)
		for _, th := range c.Themes {
			themeComments[th]++
			if themeWho[th] == nil {
				themeWho[th], themeSentiment[th] = map[string]bool{}, &SentimentCount{}
			}
			themeWho[th][c.Participant] = true
			themeSentiment[th].add(c.Sentiment)
		}
	}
	cf.Participants = len(who)
	cf.InWords = cf.Participants < small
	cf.Sentiment.Balance = Balance(cf.Sentiment.Positive, cf.Sentiment.Negative, cf.Sentiment.Mixed)
	for _, t := range ParticipantTypes {
		if types[t] {
			cf.Types = append(cf.Types, t)
		}
	}
	order := themeOrder(round.Codebook, themeComments)
	// Most people first, then most comments, then codebook order.
	slices.SortStableFunc(order, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(themeWho[b]), len(themeWho[a])), cmp.Compare(themeComments[b], themeComments[a]))
	})
	for _, th := range order {
		name := th
		if t, ok := round.Codebook.Theme(th); ok {
			name = t.Name
		}
		s := themeSentiment[th]
		cf.Themes = append(cf.Themes, ThemeCount{Theme: th, Name: name, Comments: themeComments[th],
			RaisedBy: share(len(themeWho[th]), cf.Participants, cf.InWords), Balance: Balance(s.Positive, s.Negative, s.Mixed)})
	}
	cf.Quotes = pickQuotes(cs, round.QuotesPerCommitment)
	return cf
}

func (s *SentimentCount) add(v Sentiment) {
	switch v {
	case Positive:
		s.Positive++
	case Negative:
		s.Negative++
	case Mixed:
		s.Mixed++
	}
}

// themeOrder lists the themes counted, in codebook order, then any the
// codebook does not have, by name.
func themeOrder(cb Codebook, counted map[string]int) []string {
	var out, other []string
	for _, t := range cb {
		if counted[t.ID] > 0 {
			out = append(out, t.ID)
		}
	}
	for th := range counted {
		if _, ok := cb.Theme(th); !ok {
			other = append(other, th)
		}
	}
	slices.Sort(other)
	return append(out, other...)
}

// pickQuotes chooses up to n quotable comments, taking participant types in
// turn (client group, partner organisations, staff) so that every voice is
// heard, preferring participants not yet quoted and a sentiment not yet
// shown, and otherwise keeping the comments' order.
func pickQuotes(cs []Comment, n int) []Quote {
	out := []Quote{}
	picked := map[int]bool{}
	quoted := map[string]bool{}
	shown := map[Sentiment]bool{}
	for len(out) < n {
		before := len(out)
		for _, t := range ParticipantTypes {
			if len(out) == n {
				break
			}
			best := -1
			for pass := 0; pass < 3 && best < 0; pass++ {
				for i, c := range cs {
					if picked[i] || !c.Quotable || c.ParticipantType != t {
						continue
					}
					if (pass == 0 && (quoted[c.Participant] || shown[c.Sentiment])) || (pass == 1 && quoted[c.Participant]) {
						continue
					}
					best = i
					break
				}
			}
			if best < 0 {
				continue
			}
			c := cs[best]
			picked[best], quoted[c.Participant], shown[c.Sentiment] = true, true, true
			out = append(out, Quote{CommentID: c.ID, Text: c.Text, Attribution: c.Attribution(),
				Type: c.ParticipantType, Source: c.Source, Sentiment: c.Sentiment})
		}
		if len(out) == before {
			break // no quotable comment left
		}
	}
	return out
}

func themeFindings(cb Codebook, commitments []CommitmentFinding, comments []Comment, small int) []ThemeFinding {
	everyone := map[string]bool{}
	for _, c := range comments {
		everyone[c.Participant] = true
	}
	var out []ThemeFinding
	for _, t := range cb {
		tf := ThemeFinding{Theme: t.ID, Name: t.Name, Definition: t.Definition, Commitments: []ThemeCommitment{}}
		who := map[string]bool{}
		perKey := map[string]int{}
		for _, c := range comments {
			if !slices.Contains(c.Themes, t.ID) {
				continue
			}
			tf.Comments++
			who[c.Participant] = true
			tf.Sentiment.add(c.Sentiment)
			perKey[c.CommitmentKey]++
		}
		tf.RaisedBy = share(len(who), len(everyone), len(everyone) < small)
		tf.Sentiment.Balance = Balance(tf.Sentiment.Positive, tf.Sentiment.Negative, tf.Sentiment.Mixed)
		for _, cf := range commitments {
			if perKey[cf.Key] > 0 {
				tf.Commitments = append(tf.Commitments, ThemeCommitment{Key: cf.Key, ID: cf.ID, Comments: perKey[cf.Key]})
			}
		}
		slices.SortStableFunc(tf.Commitments, func(a, b ThemeCommitment) int { return cmp.Compare(b.Comments, a.Comments) })
		if perKey[""] > 0 {
			tf.Commitments = append(tf.Commitments, ThemeCommitment{Comments: perKey[""]})
		}
		tf.Summary = themeSummary(tf)
		out = append(out, tf)
	}
	slices.SortStableFunc(out, func(a, b ThemeFinding) int { return cmp.Compare(b.Comments, a.Comments) })
	return out
}
