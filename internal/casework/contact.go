package casework

import (
	"net/mail"
	"slices"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// How a client would like us to contact them.
const (
	ContactEmail  = "email"
	ContactSMS    = "sms"
	ContactLetter = "letter"
	ContactNone   = "none" // tell them nothing unless they sign in; letters the law requires still go
)

// Accessible formats a client may need what we send in. Large print we make
// ourselves (a letter in larger type); the others need a person.
const (
	FormatLargePrint    = "large-print"
	FormatBraille       = "braille"
	FormatBSL           = "bsl"
	FormatEasyRead      = "easy-read"
	FormatOtherLanguage = "other-language"
)

// AccessibleFormats lists the formats in the order forms offer them.
var AccessibleFormats = []string{FormatLargePrint, FormatBraille, FormatBSL, FormatEasyRead, FormatOtherLanguage}

// Address is a postal address for letters. Personal data: never logged.
type Address struct {
	Lines    []string `json:"lines"`
	Postcode string   `json:"postcode"`
}

// The events that a service's timers record (contact.go) and the change of
// contact details.
const (
	TypeContactDetailsUpdated   EventType = "contact_details_updated"
	TypeTimescaleAtRisk         EventType = "timescale_at_risk"
	TypeTimescaleMissed         EventType = "timescale_missed"
	TypeInformationReminderSent EventType = "information_reminder_sent"
	UpdateReasonNoSilence                 = "no_silence" // UpdateSent.Reason: the no-silence rule
	maxAddressLines                       = 6
)

func init() {
	register(func() Body { return &ContactDetailsUpdated{} })
	register(func() Body { return &TimescaleAtRisk{} })
	register(func() Body { return &TimescaleMissed{} })
	register(func() Body { return &InformationReminderSent{} })
}

// checkContact validates how to reach a client; prefix names the field
// ("body.client"). It tidies c in place.
func checkContact(prefix string, c *Client) error {
	c.Email, c.Phone = strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone)
	switch c.PreferredContact {
	case "", ContactEmail, ContactSMS, ContactLetter, ContactNone:
	default:
		return errs.Invalid(prefix+".preferred_contact", "choose email, sms, letter or none")
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			return errs.Invalid(prefix+".email", "this does not look like an email address: it should look like name@example.org")
		}
	}
	switch {
	case c.PreferredContact == ContactEmail && c.Email == "":
		return errs.Invalid(prefix+".email", "give an email address, or choose another way to contact the client")
	case c.PreferredContact == ContactSMS && c.Phone == "":
		return errs.Invalid(prefix+".phone", "give a mobile number, or choose another way to contact the client")
	case c.PreferredContact == ContactLetter && c.Address == nil:
		return errs.Invalid(prefix+".address", "give a postal address, or choose another way to contact the client")
	}
	if ad := c.Address; ad != nil {
		lines := ad.Lines[:0:0]
		for _, l := range ad.Lines {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		ad.Lines, ad.Postcode = lines, strings.ToUpper(strings.TrimSpace(ad.Postcode))
		switch {
		case len(lines) == 0:
			return errs.Invalid(prefix+".address.lines", "give the first line of the address")
		case len(lines) > maxAddressLines:
			return errs.Invalid(prefix+".address.lines", "an address has at most %d lines", maxAddressLines)
		case ad.Postcode == "":
			return errs.Invalid(prefix+".address.postcode", "give the postcode")
		}
	}
	switch {
	case c.AccessibleFormat != "" && !slices.Contains(AccessibleFormats, c.AccessibleFormat):
		return errs.Invalid(prefix+".accessible_format", "choose one of %s, or leave it out", strings.Join(AccessibleFormats, ", "))
	case c.AccessibleFormat == FormatOtherLanguage && strings.TrimSpace(c.Language) == "":
		return errs.Invalid(prefix+".language", "say which language the client needs")
	case c.AccessibleFormat != FormatOtherLanguage && c.Language != "":
		return errs.Invalid(prefix+".language", "give a language only with the accessible format other-language")
	}
	c.Language = strings.TrimSpace(c.Language)
	return nil
}

// ContactDetailsUpdated replaces how we reach the client: their preferred
// way, email, phone, address, any accessible format, and whether to keep
// enclosing the charter summary. It states the details in full.
type ContactDetailsUpdated struct {
	PreferredContact string   `json:"preferred_contact"`
	Email            string   `json:"email,omitempty"`
	Phone            string   `json:"phone,omitempty"`
	Address          *Address `json:"address,omitempty"`
	AccessibleFormat string   `json:"accessible_format,omitempty"`
	Language         string   `json:"language,omitempty"`
	NoCharterSummary bool     `json:"no_charter_summary,omitempty"`
}

func (*ContactDetailsUpdated) Type() EventType { return TypeContactDetailsUpdated }

func (b *ContactDetailsUpdated) apply(a *Application, _ Event, _ Rules) error {
	c := a.Client
	c.PreferredContact, c.Email, c.Phone, c.Address = b.PreferredContact, b.Email, b.Phone, b.Address
	c.AccessibleFormat, c.Language, c.NoCharterSummary = b.AccessibleFormat, b.Language, b.NoCharterSummary
	if c.Address != nil {
		ad := *c.Address
		ad.Lines = slices.Clone(ad.Lines)
		c.Address = &ad
	}
	if err := checkContact("body", &c); err != nil {
		return err
	}
	b.Email, b.Phone, b.Address, b.Language = c.Email, c.Phone, c.Address, c.Language
	a.Client = c
	return nil
}

// TimescaleAtRisk records that most of the time to decide has gone by: the
// service flags it to staff (commitment 2.2). Due is the decision date at
// risk. The service's timers record it; people do not.
type TimescaleAtRisk struct {
	Due calendar.Date `json:"due"`
}

func (*TimescaleAtRisk) Type() EventType { return TypeTimescaleAtRisk }

func (b *TimescaleAtRisk) apply(a *Application, _ Event, _ Rules) error {
	if err := a.requireOpen("flag it as at risk"); err != nil {
		return err
	}
	if b.Due.IsZero() {
		return errs.Invalid("body.due", "give the decision date that is at risk")
	}
	if a.AtRiskFlaggedFor == b.Due {
		return errs.Conflict("staff were already told the decision date %s is at risk", b.Due.Long())
	}
	a.AtRiskFlaggedFor = b.Due
	return nil
}

// TimescaleMissed records that we told the client we missed the date we
// gave them for a decision, with an apology (commitment 2.2).
type TimescaleMissed struct {
	Due calendar.Date `json:"due"`
}

func (*TimescaleMissed) Type() EventType { return TypeTimescaleMissed }

func (b *TimescaleMissed) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("say the date was missed"); err != nil {
		return err
	}
	on := LocalDate(e.At)
	switch {
	case b.Due.IsZero():
		return errs.Invalid("body.due", "give the decision date that was missed")
	case !on.After(b.Due):
		return errs.Invalid("body.due", "the date %s has not passed yet", b.Due.Long())
	case a.MissedNoticeFor == b.Due:
		return errs.Conflict("the client was already told we missed %s", b.Due.Long())
	}
	a.MissedNoticeFor = b.Due
	a.LastUpdateOn = on
	return nil
}

// InformationReminderSent records that we reminded the client of the date
// an information request is due.
type InformationReminderSent struct {
	RequestID string `json:"request_id"`
}

func (*InformationReminderSent) Type() EventType { return TypeInformationReminderSent }

func (b *InformationReminderSent) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("send a reminder"); err != nil {
		return err
	}
	i := slices.IndexFunc(a.Requests, func(r InformationRequest) bool { return r.ID == b.RequestID })
	switch {
	case i < 0:
		return errs.Invalid("body.request_id", "there is no information request %q", b.RequestID)
	case !a.Requests[i].Open:
		return errs.Conflict("the information request %q is already answered", b.RequestID)
	case !a.Requests[i].RemindedOn.IsZero():
		return errs.Conflict("the client was already reminded about %q on %s", b.RequestID, a.Requests[i].RemindedOn.Long())
	}
	on := LocalDate(e.At)
	a.Requests[i].RemindedOn = on
	a.LastUpdateOn = on
	return nil
}
