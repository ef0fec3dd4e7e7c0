package feedback

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

// Kind says whether an item is feedback or a complaint.
type Kind string

const (
	KindFeedback  Kind = "feedback"
	KindComplaint Kind = "complaint"
)

// Verdict is what the person said about the commitments they chose.
type Verdict string

const (
	VerdictMet    Verdict = "met"     // we did what the commitment says
	VerdictNotMet Verdict = "not-met" // we did not
)

// SomethingElse is the value a form sends for "something else", instead of
// a commitment id.
const SomethingElse = "something-else"

// Limits on what a form may send.
const (
	MaxTextRunes    = 5000
	MaxNameRunes    = 200
	MaxEmailRunes   = 254
	MaxCommitments  = 10
	minPhoneDigits  = 7
	maxPhoneDigits  = 15
	maxPhoneRunes   = 30
	maxFieldRunesUI = 40 // how much of a bad value an error message repeats
)

// Form is what the public feedback form sends, before it is checked. The
// web layer fills it from the request; every field may be anything.
type Form struct {
	Kind        Kind     `json:"kind"`
	Commitments []string `json:"commitments"` // commitment ids ("1.4") from the current charter, or SomethingElse
	Verdict     Verdict  `json:"verdict"`     // needed for feedback about a commitment; a complaint is always "not met"
	Reference   string   `json:"reference"`   // an application reference, optional
	Text        string   `json:"text"`        // what happened, in their words
	Name        string   `json:"name"`
	Email       string   `json:"email"`
	Phone       string   `json:"phone"`
}

// CommitmentRef names a commitment by the id people quote and its stable key.
type CommitmentRef struct {
	ID  string `json:"id"`
	Key string `json:"key"`
}

// Contact is how to reply, if the person gave it. Personal data: never logged.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Item is one piece of feedback or one complaint, checked. ID is the store's
// to give.
type Item struct {
	ID             string             `json:"id,omitempty"`
	Kind           Kind               `json:"kind"`
	Received       calendar.Date      `json:"received"`
	CharterVersion string             `json:"charter_version"`
	Commitments    []CommitmentRef    `json:"commitments,omitempty"`
	SomethingElse  bool               `json:"something_else,omitempty"`
	Verdict        Verdict            `json:"verdict,omitempty"` // empty only for feedback about something else
	Reference      casework.Reference `json:"reference,omitempty"`
	Text           string             `json:"text,omitempty"`
	Contact        Contact            `json:"contact"`
}

// FormErrors lists every field of a form that is wrong, in form order. Each
// is an *errs.Error naming its field, so errs.KindOf and errs.As see the
// first.
type FormErrors []*errs.Error

func (fe FormErrors) Error() string {
	msgs := make([]string, len(fe))
	for i, e := range fe {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap gives each field's error, so errors.As finds the first.
func (fe FormErrors) Unwrap() []error {
	out := make([]error, len(fe))
	for i, e := range fe {
		out[i] = e
	}
	return out
}

// Message returns the message for a field, or "" if the field is fine.
func (fe FormErrors) Message(field string) string {
	for _, e := range fe {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// NewItem checks a form against the current charter and returns the item it
// describes, received on the given date. When anything is wrong it returns
// FormErrors naming every field at fault, and no item.
func NewItem(f Form, ch *charter.Charter, received calendar.Date) (Item, error) {
	var fe FormErrors
	bad := func(field, format string, args ...any) { fe = append(fe, errs.Invalid(field, format, args...)) }

	it := Item{Kind: f.Kind, Received: received, CharterVersion: ch.Version}
	switch f.Kind {
	case KindFeedback, KindComplaint:
	case "":
		bad("kind", "choose whether this is feedback or a complaint")
	default:
		bad("kind", "choose whether this is feedback or a complaint, not %q", clip(string(f.Kind)))
	}

	seen := map[string]bool{}
	for _, raw := range f.Commitments {
		id := strings.TrimSpace(raw)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		switch {
		case id == SomethingElse:
			it.SomethingElse = true
		default:
			cm, ok := ch.Commitment(id)
			if !ok {
				bad("commitments", "%q is not one of our commitments: choose from the list, or choose \"something else\"", clip(id))
				continue
			}
			it.Commitments = append(it.Commitments, CommitmentRef{ID: cm.ID, Key: cm.Key})
		}
	}
	switch {
	case len(seen) == 0:
		bad("commitments", "choose the commitment this is about, or choose \"something else\"")
	case len(seen) > MaxCommitments:
		bad("commitments", "choose at most %d commitments; if it is about more, choose \"something else\" and tell us", MaxCommitments)
	}

	switch f.Verdict {
	case VerdictMet, VerdictNotMet:
		it.Verdict = f.Verdict
	case "":
		if f.Kind == KindFeedback && len(it.Commitments) > 0 {
			bad("verdict", "say whether we did what the commitment says")
		}
	default:
		bad("verdict", "say whether we did what the commitment says: %q is not an answer", clip(string(f.Verdict)))
	}
	if f.Kind == KindComplaint {
		if it.Verdict == VerdictMet {
			bad("verdict", "a complaint says we did not do what we should have; if we did, send feedback instead")
		}
		it.Verdict = VerdictNotMet
	}

	if s := strings.TrimSpace(f.Reference); s != "" {
		ref, err := casework.ParseReference(s)
		if err != nil {
			e, _ := errs.As(err)
			fe = append(fe, &errs.Error{Kind: e.Kind, Field: "reference", Message: e.Message})
		}
		it.Reference = ref
	}

	it.Text = strings.TrimSpace(f.Text)
	switch n := utf8.RuneCountInString(it.Text); {
	case n > MaxTextRunes:
		bad("text", "tell us in %d characters or fewer (this is %d)", MaxTextRunes, n)
	case n == 0 && f.Kind == KindComplaint:
		bad("text", "tell us what went wrong, so that we can look into it")
	case n == 0 && it.SomethingElse:
		bad("text", "tell us what your feedback is about")
	}

	it.Contact = Contact{Name: oneLine(f.Name), Email: strings.TrimSpace(f.Email), Phone: strings.TrimSpace(f.Phone)}
	if n := utf8.RuneCountInString(it.Contact.Name); n > MaxNameRunes {
		bad("name", "give a name of %d characters or fewer", MaxNameRunes)
	}
	if e := it.Contact.Email; e != "" && !validEmail(e) {
		bad("email", "enter an email address like name@example.com")
	}
	if p := it.Contact.Phone; p != "" && !validPhone(p) {
		bad("phone", "enter a phone number like 01234 567890 or +44 1234 567890")
	}
	if f.Kind == KindComplaint && it.Contact.Email == "" && it.Contact.Phone == "" && it.Reference == "" {
		bad("contact", "tell us how to reply: give an email address or a phone number, or your application reference so that we can use the contact details we hold")
	}

	if len(fe) > 0 {
		return Item{}, fe
	}
	return it, nil
}

// validEmail is a light check: something@something.something, no spaces.
// Whether the address works is found out by writing to it.
func validEmail(s string) bool {
	if utf8.RuneCountInString(s) > MaxEmailRunes || strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.Contains(domain, "@") {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.Contains(domain, "..")
}

// validPhone allows digits, spaces, brackets, hyphens and a leading plus,
// with 7 to 15 digits.
func validPhone(s string) bool {
	if utf8.RuneCountInString(s) > maxPhoneRunes {
		return false
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= minPhoneDigits && digits <= maxPhoneDigits
}

// oneLine trims a value and reads any run of white space as one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip shortens a value repeated in an error message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxFieldRunesUI {
		return s
	}
	r := []rune(s)
	return string(r[:maxFieldRunesUI]) + "…"
}

// Choice is one option of the form's commitment question.
type Choice struct {
	Value string `json:"value"` // a commitment id, or SomethingElse
	Label string `json:"label"` // the commitment's words
	Hint  string `json:"hint"`  // "Commitment 1.4"
}

// ChoiceGroup is a section of the charter and its commitments, as the form
// offers them.
type ChoiceGroup struct {
	Heading string   `json:"heading"`
	Choices []Choice `json:"choices"`
}

// Choices lists the commitments of the charter by section, in the charter's
// own words, then "something else" in a group of its own.
func Choices(ch *charter.Charter) []ChoiceGroup {
	var out []ChoiceGroup
	for _, s := range ch.Sections {
		g := ChoiceGroup{Heading: s.Title}
		for _, cm := range s.Commitments {
			g.Choices = append(g.Choices, Choice{Value: cm.ID, Label: cm.Text, Hint: "Commitment " + cm.ID})
		}
		out = append(out, g)
	}
	return append(out, ChoiceGroup{Heading: "Something else", Choices: []Choice{{
		Value: SomethingElse, Label: "Something else", Hint: "Tell us about anything the charter does not cover",
	}}})
}
