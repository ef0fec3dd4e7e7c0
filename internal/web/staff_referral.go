package web

import (
	"net/http"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
)

// ---- Referrals and other help on the case page (commitments 1.10, 1.11) ----
//
// The case page's "Referrals and other help" section lists the referrals we
// made, with the client's consent, and the other help we told them about,
// with the forms that record them. The forms join the case page's list here.

func init() {
	caseForms = append(caseForms,
		caseForm{path: "referral", first: "referral-organisation", parse: parseReferral,
			fields: map[string]string{"body.organisation": "referral-organisation", "body.organisation_snapshot": "referral-organisation",
				"body.consent": "referral-consent", "body.shared": "referral-shared", "body.reason": "referral-reason"}},
		caseForm{path: "signpost", first: "signpost-help", parse: parseSignpost,
			fields: map[string]string{"body.help": "signpost-help", "body.from": "signpost-from", "body.details": "signpost-details"}},
	)
}

// referralSection is what the case page shows about referrals and other help.
type referralSection struct {
	Referrals []casework.Referral
	Signposts []casework.Signpost
	Area      string // the client's council area, as recorded
	// Organisations are the directory's entries in use, those serving the
	// client's area first.
	Organisations []organisationChoice
	// DirectoryUnavailable is set when the directory could not be read.
	DirectoryUnavailable bool
	Form                 referralFormValues
}

// organisationChoice is one organisation on the referral form.
type organisationChoice struct {
	FieldID, ID, Name, Kind, Areas, Contact string
	Serves                                  bool // works in the client's area
	Checked                                 bool
}

// referralFormValues are what was typed into the two forms.
type referralFormValues struct {
	Organisation, Shared, Reason string
	Consent                      bool
	Help, From, Details          string
}

func (s *Server) newReferralSection(r *http.Request, a *casework.Application) referralSection {
	v := referralSection{Referrals: a.Referrals, Signposts: a.Signposts, Area: a.Client.Area}
	if a.Status != casework.StatusOpen {
		return v
	}
	os, serves, err := s.svc.OrganisationsFor(r.Context(), a.Client.Area)
	if err != nil {
		// The case page still works; the form says the list is missing.
		s.log.Error("directory for the case page", "request_id", requestID(r.Context()), "error", err)
		v.DirectoryUnavailable = true
	}
	for i, o := range os {
		v.Organisations = append(v.Organisations, organisationChoice{FieldID: "referral-organisation" + suffix(o.ID, i == 0),
			ID: o.ID, Name: o.Name, Kind: casework.OrganisationKindLabel(o.Kind), Areas: areasText(o.Areas),
			Contact: contactText(o.Organisation), Serves: serves[i]})
	}
	return v
}

func areasText(areas []string) string {
	if len(areas) == 1 && areas[0] == casework.AllScotland {
		return "All of Scotland"
	}
	out := ""
	for i, a := range areas {
		if i > 0 {
			out += ", "
		}
		out += a
	}
	return out
}

// contactText is how to reach an organisation, in one line.
func contactText(o casework.Organisation) string {
	out := ""
	for _, c := range []string{o.Phone, o.Email, o.Website} {
		if c == "" {
			continue
		}
		if out != "" {
			out += ", "
		}
		out += c
	}
	return out
}

func parseReferral(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	c := &v.Referral
	f := &c.Form
	f.Organisation, f.Shared, f.Reason = postedValue(r, "referral_organisation"), postedValue(r, "referral_shared"), postedValue(r, "referral_reason")
	f.Consent = r.PostFormValue("referral_consent") == "yes"
	for i := range c.Organisations {
		c.Organisations[i].Checked = c.Organisations[i].ID == f.Organisation
	}
	var problems Errors
	if f.Organisation == "" {
		problems = append(problems, FieldError{"referral-organisation", "Choose the organisation to refer the client to"})
	}
	if !f.Consent {
		problems = append(problems, FieldError{"referral-consent", "A referral needs the client's consent; ask them first"})
	}
	if f.Shared == "" {
		problems = append(problems, FieldError{"referral-shared", "Say what we shared with the organisation, so the client knows"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.ReferralMade{Organisation: f.Organisation, Consent: f.Consent, Shared: f.Shared, Reason: f.Reason}, nil
}

func parseSignpost(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	f := &v.Referral.Form
	f.Help, f.From, f.Details = postedValue(r, "signpost_help"), postedValue(r, "signpost_from"), postedValue(r, "signpost_details")
	var problems Errors
	if f.Help == "" {
		problems = append(problems, FieldError{"signpost-help", "Say what help the client may be able to get"})
	}
	if f.From == "" {
		problems = append(problems, FieldError{"signpost-from", "Say who the client may be able to get it from"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.OtherHelpSignposted{Help: f.Help, From: f.From, Details: f.Details}, nil
}

// describeReferralEvent says in words what a referral or signpost event
// recorded, for the case history.
func describeReferralEvent(e casework.Event) (string, bool) {
	switch body := e.Body.(type) {
	case *casework.ReferralMade:
		who := body.Organisation
		if o := body.OrganisationSnapshot; o != nil {
			who = o.Name
		}
		return withNote("Referred to "+who+", with the client's consent. Shared: "+body.Shared, body.Reason), true
	case *casework.OtherHelpSignposted:
		return "Told the client they may be able to get " + body.Help + " from " + body.From, true
	}
	return "", false
}

// clientReferrals are the referrals and other help as the client reads
// them on their application page.
type clientReferrals struct {
	Referrals []casework.Referral
	Signposts []casework.Signpost
}

func newClientReferrals(a *casework.Application) *clientReferrals {
	if len(a.Referrals) == 0 && len(a.Signposts) == 0 {
		return nil
	}
	return &clientReferrals{Referrals: a.Referrals, Signposts: a.Signposts}
}
