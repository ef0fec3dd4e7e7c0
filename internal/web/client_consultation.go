package web

import (
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
)

// clientConsultation is the consultation as the client reads it on their
// application page (commitments 2.10, 2.11 and 2.12): why we need it, and
// once booked when, how, where and with whom, what helps, and how to
// change it. It never shows the client's health conditions.
type clientConsultation struct {
	Status      string // proposed | scheduled | held | cancelled
	ClientAsked bool
	// Why we need it, in the words the caseworker wrote for the client.
	Missing, WhyNotEnough string

	When, How, Where string // "Monday 9 March 2026 at 2:00pm", "by phone", "at your home"
	Who, Role        string
	// Understands is set when the practitioner's specialisms cover every
	// condition we know the client has.
	Understands bool

	Companion, Breaks bool
	Adjustments       string

	HeldOn, CancelledOn calendar.Date
}

// newClientConsultation is the client's view of their consultation, or nil
// when there is none to show: none proposed, or the application closed
// before one was held.
func newClientConsultation(a *casework.Application) *clientConsultation {
	c := a.Consultation
	if c == nil || (a.Status != casework.StatusOpen && c.Status != casework.ConsultationHeldStatus) {
		return nil
	}
	v := &clientConsultation{Status: string(c.Status), ClientAsked: c.ClientAsked, Missing: c.MissingInformation,
		WhyNotEnough: c.WhyNotEnough, HeldOn: c.HeldOn, CancelledOn: c.CancelledOn}
	if n := a.Needs; n != nil {
		v.Companion, v.Breaks, v.Adjustments = n.Preferences.Companion, n.Preferences.Breaks, n.Preferences.Adjustments
	}
	if p := c.Practitioner; p != nil {
		v.When, v.Who, v.Role = whenText(c.StartsAt), p.Name, p.Role
		v.Understands = len(c.Uncovered) == 0
		switch c.How {
		case casework.HowPhone:
			v.How = "By phone: the practitioner will call you on the number we have for you."
		case casework.HowVideo:
			v.How = "By video call: we will send you a link to join."
		default:
			v.How = "In person."
		}
		switch c.Place {
		case casework.PlaceHome:
			v.Where = "At your home."
		case casework.PlaceLocalOffice:
			v.Where = "At our office: " + c.PlaceDetail
		case casework.PlaceOther:
			v.Where = c.PlaceDetail
		}
	}
	return v
}
