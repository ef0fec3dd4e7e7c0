package casework

import (
	"net/mail"
	"slices"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// Supporters (charter commitment 1.6): a client may name a person they know
// or an advocate to help them, with a scope (see only, or act for them), and
// may stop it at any time. A supporter signs in as themselves with a code
// sent to their own email address.

// The event types of supporters.
const (
	TypeSupporterAuthorised EventType = "supporter_authorised"
	TypeSupporterRevoked    EventType = "supporter_revoked"
)

// How a supporter knows the client.
const (
	RelationshipPersonTheyKnow = "person-they-know"
	RelationshipAdvocate       = "advocate"
)

// What a supporter may do.
const (
	ScopeView = "view" // see the application only
	ScopeAct  = "act"  // see it and act for the client (ask for a re-determination)
)

// Who authorised a supporter.
const (
	AuthorisedByClient = "client"
	AuthorisedByStaff  = "staff" // a member of staff, on the client's behalf
)

func init() {
	register(func() Body { return &SupporterAuthorised{} })
	register(func() Body { return &SupporterRevoked{} })
}

// Supporter is a person the client has authorised to help them.
type Supporter struct {
	ID           string        `json:"id"`
	Name         string        `json:"name"`
	Relationship string        `json:"relationship"`
	Organisation string        `json:"organisation,omitempty"`
	Email        string        `json:"email"`
	Scope        string        `json:"scope"`
	AuthorisedBy string        `json:"authorised_by"`
	AuthorisedOn calendar.Date `json:"authorised_on"`
	RevokedOn    calendar.Date `json:"revoked_on,omitzero"`
}

// Active reports whether the supporter may still sign in.
func (s Supporter) Active() bool { return s.RevokedOn.IsZero() }

// CanAct reports whether the supporter may act for the client.
func (s Supporter) CanAct() bool { return s.Active() && s.Scope == ScopeAct }

// Supporter returns the supporter with an id, if there is one (revoked or not).
func (a *Application) Supporter(id string) (Supporter, bool) {
	for _, s := range a.Supporters {
		if s.ID == id {
			return s, true
		}
	}
	return Supporter{}, false
}

// ActiveSupporterByEmail returns the active supporter with an email address.
func (a *Application) ActiveSupporterByEmail(email string) (Supporter, bool) {
	email = strings.ToLower(strings.TrimSpace(email))
	for _, s := range a.Supporters {
		if s.Active() && strings.ToLower(s.Email) == email {
			return s, true
		}
	}
	return Supporter{}, false
}

// SupporterAuthorised records that the client named a supporter. The id is
// the service's to give.
type SupporterAuthorised struct {
	SupporterID  string `json:"supporter_id"`
	Name         string `json:"name"`
	Relationship string `json:"relationship"`           // person-they-know | advocate
	Organisation string `json:"organisation,omitempty"` // required for an advocate
	Email        string `json:"email"`                  // the supporter signs in with a code sent here
	Scope        string `json:"scope"`                  // view | act
	AuthorisedBy string `json:"authorised_by"`          // client | staff
}

func (*SupporterAuthorised) Type() EventType { return TypeSupporterAuthorised }

func (b *SupporterAuthorised) apply(a *Application, e Event, _ Rules) error {
	id := strings.TrimSpace(b.SupporterID)
	name, org, email := strings.TrimSpace(b.Name), strings.TrimSpace(b.Organisation), strings.TrimSpace(b.Email)
	switch {
	case id == "" || strings.ContainsAny(id, "| \t\n"):
		return errs.Invalid("body.supporter_id", "give the supporter an id with no spaces or bars")
	case name == "":
		return errs.Invalid("body.name", "give the supporter's name")
	case b.Relationship != RelationshipPersonTheyKnow && b.Relationship != RelationshipAdvocate:
		return errs.Invalid("body.relationship", "say whether the supporter is a person the client knows (person-they-know) or an advocate (advocate)")
	case b.Relationship == RelationshipAdvocate && org == "":
		return errs.Invalid("body.organisation", "give the organisation the advocate works for")
	case email == "":
		return errs.Invalid("body.email", "give the supporter's email address: they sign in with a code we send there")
	}
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return errs.Invalid("body.email", "enter an email address like name@example.org")
	}
	switch {
	case b.Scope != ScopeView && b.Scope != ScopeAct:
		return errs.Invalid("body.scope", "choose view (see the application only) or act (act for the client)")
	case b.AuthorisedBy != AuthorisedByClient && b.AuthorisedBy != AuthorisedByStaff:
		return errs.Invalid("body.authorised_by", "say who authorised the supporter: client or staff")
	}
	if _, ok := a.Supporter(id); ok {
		return errs.Invalid("body.supporter_id", "there is already a supporter with id %q", id)
	}
	if _, ok := a.ActiveSupporterByEmail(email); ok {
		return errs.Invalid("body.email", "someone with that email address is already a supporter on this application")
	}
	a.Supporters = append(slices.Clone(a.Supporters), Supporter{ID: id, Name: name, Relationship: b.Relationship,
		Organisation: org, Email: email, Scope: b.Scope, AuthorisedBy: b.AuthorisedBy, AuthorisedOn: LocalDate(e.At)})
	return nil
}

// SupporterRevoked records that a supporter may no longer see or act on the
// application.
type SupporterRevoked struct {
	SupporterID string `json:"supporter_id"`
}

func (*SupporterRevoked) Type() EventType { return TypeSupporterRevoked }

func (b *SupporterRevoked) apply(a *Application, e Event, _ Rules) error {
	if strings.TrimSpace(b.SupporterID) == "" {
		return errs.Invalid("body.supporter_id", "say which supporter to remove")
	}
	i := slices.IndexFunc(a.Supporters, func(s Supporter) bool { return s.ID == b.SupporterID })
	if i < 0 {
		return errs.Invalid("body.supporter_id", "there is no supporter with id %q on this application", b.SupporterID)
	}
	if !a.Supporters[i].Active() {
		return errs.Invalid("body.supporter_id", "that supporter was already removed on %s", a.Supporters[i].RevokedOn)
	}
	next := slices.Clone(a.Supporters)
	next[i].RevokedOn = LocalDate(e.At)
	a.Supporters = next
	return nil
}
