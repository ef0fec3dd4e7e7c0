package review

import (
	"regexp"
	"slices"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/yamlfile"
)

// ParticipantType is the kind of person or organisation that took part.
type ParticipantType string

const (
	PartnerOrganisation ParticipantType = "partner-organisation"
	ClientGroup         ParticipantType = "client-group"
	Staff               ParticipantType = "staff"
)

// ParticipantTypes lists the participant types in the order findings give them.
var ParticipantTypes = []ParticipantType{ClientGroup, PartnerOrganisation, Staff}

// ParseParticipantType reads a participant type as people write it:
// "partner-organisation", "Partner organisation" or "partner";
// "client-group", "client group" or "client"; "staff".
func ParseParticipantType(s string) (ParticipantType, bool) {
	switch normalName(s) {
	case "partner-organisation", "partner", "partner-organisations":
		return PartnerOrganisation, true
	case "client-group", "client", "clients", "client-group-participant":
		return ClientGroup, true
	case "staff", "staff-member":
		return Staff, true
	}
	return "", false
}

// Plural names the type for sentences: "partner organisations".
func (t ParticipantType) Plural() string {
	switch t {
	case PartnerOrganisation:
		return "partner organisations"
	case ClientGroup:
		return "client group participants"
	case Staff:
		return "staff"
	}
	return string(t)
}

// Source is how a comment was collected.
type Source string

const (
	SourceSurvey    Source = "survey"
	SourceInterview Source = "interview"
	SourceWorkshop  Source = "workshop"
)

// Attribution is how a quote is credited, as research reports do: "Partner
// survey respondent", "Client group participant".
func Attribution(t ParticipantType, s Source) string {
	who := map[ParticipantType]string{PartnerOrganisation: "Partner", ClientGroup: "Client", Staff: "Staff"}[t]
	switch {
	case t == ClientGroup && s == SourceWorkshop:
		return "Client group participant"
	case s == SourceSurvey:
		return who + " survey respondent"
	case s == SourceInterview:
		return who + " interview participant"
	}
	return who + " workshop participant"
}

// Participant is one anonymous participant ("P3", "C12").
type Participant struct {
	ID   string          `json:"id"`
	Type ParticipantType `json:"type"`
}

// Statement is an agree/disagree statement of a survey.
type Statement struct {
	ID          string   `json:"id"`
	Text        string   `json:"text"`
	Commitments []string `json:"commitments,omitempty"` // keys of the commitments it is about
	Themes      []string `json:"themes,omitempty"`      // theme ids
}

// Theme is one code of the codebook.
type Theme struct {
	ID         string `json:"id"`         // "delivery-gap"
	Name       string `json:"name"`       // "delivery gap"
	Definition string `json:"definition"` // one plain line
}

// Codebook is the themes comments are coded with.
type Codebook []Theme

// DefaultCodebook is the codebook a round uses when its file gives none.
func DefaultCodebook() Codebook {
	return Codebook{
		{"clarity", "clarity", "What a commitment means, or what it would look like in practice, is not clear."},
		{"timescales", "timescales", "How long things take, and whether people know when they will happen."},
		{"language", "language", "The words used: vague, unfamiliar, or not the words the service itself uses."},
		{"delivery-gap", "delivery gap", "What people experience does not match what the commitment says."},
		{"awareness", "awareness", "Whether people know about the charter, their rights, or how to use them."},
		{"staff-knowledge", "staff knowledge", "Whether staff know enough to answer questions and help people."},
		{"updates", "updates", "Being kept told about progress without having to chase."},
		{"independence", "independence", "Whether advice or a review is independent of the service."},
		{"eligibility", "eligibility", "Who can get a payment or other help, and promises about it."},
		{"wellbeing", "wellbeing", "People's health, stress and comfort when dealing with the service."},
	}
}

// Theme finds a theme by id or by name, ignoring case and whether words are
// joined by spaces, hyphens or underscores.
func (cb Codebook) Theme(s string) (Theme, bool) {
	n := normalName(s)
	for _, t := range cb {
		if t.ID == n || normalName(t.Name) == n {
			return t, true
		}
	}
	return Theme{}, false
}

// IDs lists the theme ids in codebook order.
func (cb Codebook) IDs() []string {
	ids := make([]string, len(cb))
	for i, t := range cb {
		ids[i] = t.ID
	}
	return ids
}

// Round is one review of the charter: who took part, the statements they
// were asked to agree or disagree with, and the codebook for their comments.
type Round struct {
	ID             string        `json:"id"`
	Name           string        `json:"name"`
	Starts         calendar.Date `json:"starts"`
	Ends           calendar.Date `json:"ends"`
	CharterVersion string        `json:"charter_version"`
	// SmallGroup is the fewest respondents whose answers findings give as
	// numbers: below it, in words.
	SmallGroup          int           `json:"small_group"`
	QuotesPerCommitment int           `json:"quotes_per_commitment"`
	Commitments         []string      `json:"commitments,omitempty"` // keys gone through line by line; empty for all
	Participants        []Participant `json:"participants"`
	Statements          []Statement   `json:"statements"`
	Codebook            Codebook      `json:"codebook"`
}

// Defaults for a round.
const (
	DefaultSmallGroup          = 10
	DefaultQuotesPerCommitment = 3
)

// Participant returns the participant with the given id.
func (r *Round) Participant(id string) (Participant, bool) {
	for _, p := range r.Participants {
		if p.ID == id {
			return p, true
		}
	}
	return Participant{}, false
}

// Statement returns the statement with the given id.
func (r *Round) Statement(id string) (Statement, bool) {
	for _, s := range r.Statements {
		if s.ID == id {
			return s, true
		}
	}
	return Statement{}, false
}

// participantID is the form of an anonymous participant id: a letter, then
// letters, digits or hyphens ("P3", "C12", "W2-07").
var participantID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,19}$`)

// reader reads one round or draft file, collecting its problems.
type reader struct{ yamlfile.Reader }

// clip shortens a value repeated in a message, as the reader does.
func clip(s string) string { return yamlfile.Clip(s) }

// ParseRound reads and checks a round file against the charter version it
// reviews. When anything is wrong it returns a nil round and
// charter.Problems listing every problem as FILE:LINE: message.
func ParseRound(file string, data []byte, ch *charter.Charter) (*Round, error) {
	r := &reader{yamlfile.Reader{File: file}}
	root := r.Document(data)
	if root == nil {
		return nil, r.Err()
	}
	f, _ := r.Mapping(root, "round", "id", "name", "starts", "ends", "charter_version", "small_group",
		"quotes_per_commitment", "commitments", "participants", "statements", "codebook")
	rd := &Round{
		ID:                  r.Text(f, "id", true),
		Name:                r.Text(f, "name", true),
		Starts:              r.Date(f, "starts", true),
		Ends:                r.Date(f, "ends", true),
		CharterVersion:      r.Text(f, "charter_version", true),
		SmallGroup:          DefaultSmallGroup,
		QuotesPerCommitment: DefaultQuotesPerCommitment,
	}
	if rd.ID != "" && !yamlfile.IsSlug(rd.ID) {
		r.Errorf(f.Line("id"), "the round id %q must be a lowercase slug, like \"review-2026\"", clip(rd.ID))
	}
	if rd.Starts != 0 && rd.Ends != 0 && rd.Ends < rd.Starts {
		r.Errorf(f.Line("ends"), "the round ends on %s, before it starts on %s", rd.Ends, rd.Starts)
	}
	if rd.CharterVersion != "" && rd.CharterVersion != ch.Version {
		r.Errorf(f.Line("charter_version"), "the round reviews charter version %q, but the charter given is version %q",
			clip(rd.CharterVersion), ch.Version)
	}
	if n, ok := r.Integer(f, "small_group", false); ok {
		if n < 1 || n > 1000 {
			r.Errorf(f.Line("small_group"), "\"small_group\" must be 1 to 1000, not %d", n)
		} else {
			rd.SmallGroup = n
		}
	}
	if n, ok := r.Integer(f, "quotes_per_commitment", false); ok {
		if n < 0 || n > 20 {
			r.Errorf(f.Line("quotes_per_commitment"), "\"quotes_per_commitment\" must be 0 to 20, not %d", n)
		} else {
			rd.QuotesPerCommitment = n
		}
	}
	rd.Codebook = r.codebook(f)
	for _, k := range r.TextList(f, "commitments", false) {
		if key, ok := r.commitmentKey(ch, k); ok {
			rd.Commitments = append(rd.Commitments, key)
		}
	}
	rd.Participants = r.participants(f)
	rd.Statements = r.statements(f, ch, rd.Codebook)
	if err := r.Err(); err != nil {
		return nil, err
	}
	return rd, nil
}

// commitmentKey resolves a commitment named by key (or by id) in the charter.
func (r *reader) commitmentKey(ch *charter.Charter, it yamlfile.Item) (string, bool) {
	if key, ok := keyOf(ch, it.Value); ok {
		return key, true
	}
	r.Errorf(it.Line, "charter version %s has no commitment %q: name commitments by key, like \"support-through-application\"",
		ch.Version, clip(it.Value))
	return "", false
}

// keyOf finds a commitment by key or by id and returns its key.
func keyOf(ch *charter.Charter, s string) (string, bool) {
	for _, sec := range ch.Sections {
		for _, cm := range sec.Commitments {
			if cm.Key == s || cm.ID == s {
				return cm.Key, true
			}
		}
	}
	return "", false
}

func (r *reader) codebook(f yamlfile.Fields) Codebook {
	nodes := r.List(f, "codebook", "theme", false)
	if nodes == nil {
		if f.Has("codebook") {
			r.Errorf(f.Line("codebook"), "\"codebook\" lists no themes: list them, or leave the field out to use the default codebook")
		}
		return DefaultCodebook()
	}
	var cb Codebook
	seen := map[string]int{}
	for _, n := range nodes {
		tf, ok := r.Mapping(n, "theme", "id", "name", "definition")
		if !ok {
			continue
		}
		t := Theme{ID: r.Text(tf, "id", true), Name: r.Text(tf, "name", false), Definition: r.Text(tf, "definition", true)}
		if t.Name == "" {
			t.Name = strings.ReplaceAll(t.ID, "-", " ")
		}
		if strings.Contains(t.Definition, "\n") {
			r.Errorf(tf.Line("definition"), "a theme's definition must be one line")
		}
		if t.ID == "" {
			continue
		}
		if !yamlfile.IsSlug(t.ID) {
			r.Errorf(tf.Line("id"), "theme id %q must be a lowercase slug, like \"delivery-gap\"", clip(t.ID))
			continue
		}
		if first, dup := seen[t.ID]; dup {
			r.Errorf(tf.Line("id"), "theme %q is defined twice (first on line %d)", t.ID, first)
			continue
		}
		if first, dup := seen[normalName(t.Name)]; dup {
			r.Errorf(tf.Line("name"), "another theme is already called %q (on line %d)", t.Name, first)
			continue
		}
		seen[t.ID], seen[normalName(t.Name)] = tf.Line("id"), tf.Line("id")
		cb = append(cb, t)
	}
	return cb
}

func (r *reader) participants(f yamlfile.Fields) []Participant {
	v, ok := r.Present(f, "participants", true)
	if !ok {
		return nil
	}
	pf, ok := r.Mapping(v, "participants", string(ClientGroup), string(PartnerOrganisation), string(Staff))
	if !ok {
		return nil
	}
	var out []Participant
	seen := map[string]int{}
	for _, key := range pf.Keys() { // in file order; unknown and repeated ones are already reported
		t := ParticipantType(key)
		for _, it := range r.TextList(pf, key, false) {
			if !participantID.MatchString(it.Value) {
				r.Errorf(it.Line, "participant id %q must be a letter then letters or digits, like \"P3\" or \"C12\"", clip(it.Value))
				continue
			}
			if first, dup := seen[strings.ToUpper(it.Value)]; dup {
				r.Errorf(it.Line, "participant %s is listed twice (first on line %d)", it.Value, first)
				continue
			}
			seen[strings.ToUpper(it.Value)] = it.Line
			out = append(out, Participant{ID: it.Value, Type: t})
		}
	}
	if len(out) == 0 && len(pf.Keys()) > 0 {
		r.Errorf(pf.Line(""), "\"participants\" lists nobody: give each type's anonymous ids, like client-group: [C1, C2]")
	}
	return out
}

func (r *reader) statements(f yamlfile.Fields, ch *charter.Charter, cb Codebook) []Statement {
	var out []Statement
	seen := map[string]int{}
	for _, n := range r.List(f, "statements", "statement", false) {
		sf, ok := r.Mapping(n, "statement", "id", "text", "commitments", "themes")
		if !ok {
			continue
		}
		s := Statement{ID: r.Text(sf, "id", true), Text: r.Text(sf, "text", true)}
		if s.ID != "" {
			switch first, dup := seen[s.ID]; {
			case !yamlfile.IsSlug(s.ID):
				r.Errorf(sf.Line("id"), "statement id %q must be a lowercase slug, like \"clear-and-easy\"", clip(s.ID))
			case dup:
				r.Errorf(sf.Line("id"), "statement %q is listed twice (first on line %d)", s.ID, first)
			case slices.Contains([]string{"participant", "participant-type"}, s.ID):
				r.Errorf(sf.Line("id"), "statement id %q is a column of the responses file: choose another", s.ID)
			default:
				seen[s.ID] = sf.Line("id")
			}
		}
		for _, k := range r.TextList(sf, "commitments", false) {
			if key, ok := r.commitmentKey(ch, k); ok {
				s.Commitments = append(s.Commitments, key)
			}
		}
		for _, t := range r.TextList(sf, "themes", false) {
			if th, ok := cb.Theme(t.Value); ok {
				s.Themes = append(s.Themes, th.ID)
			} else {
				r.Errorf(t.Line, "unknown theme %q: the codebook's themes are %s", clip(t.Value), strings.Join(cb.IDs(), ", "))
			}
		}
		out = append(out, s)
	}
	return out
}

// normalName lowercases a name and joins its words with hyphens, so that
// "Delivery gap", "delivery_gap" and "delivery-gap" are one name.
func normalName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '\t' }), "-")
}
