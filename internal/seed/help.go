package seed

import (
	"math/rand/v2"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
)

// Help from others in the history (commitments 1.6, 1.10, 1.11, 2.2): some
// clients name a supporter, some are referred (with their consent) to an
// organisation in the directory, some are told about other help they may
// be able to get, and some whose decision runs late are given a new date.
// These draw from their own random stream, seeded by the story's number.

// Organisations is the directory the history refers clients to. Every name
// is made up; the phone numbers are in a range set aside for drama.
func Organisations() []casework.Organisation {
	all := []string{casework.AllScotland}
	return []casework.Organisation{
		{ID: "demo-advice-scotland", Name: "Advice for All Scotland (example)", Kind: casework.KindIndependentAdvice, Areas: all,
			Phone: "0808 157 0110", Website: "https://advice.example.org", Description: "Free, independent advice on benefits and challenging a decision.", Active: true},
		{ID: "demo-independent-advocacy", Name: "Speak Up Advocacy (example)", Kind: casework.KindAdvocacy, Areas: all,
			Phone: "0808 157 0120", Email: "help@advocacy.example.org", Description: "Independent advocates who can help you deal with us.", Active: true},
		{ID: "demo-money-advice", Name: "Money Matters Example", Kind: casework.KindMoneyAdvice, Areas: all,
			Phone: "0808 157 0130", Description: "Help with debt, budgeting and bills.", Active: true},
		{ID: "demo-glasgow-welfare-rights", Name: "Glasgow Welfare Rights Example", Kind: casework.KindIndependentAdvice, Areas: []string{"Glasgow City"},
			Phone: "0808 157 0140", Description: "Welfare rights advice for people in Glasgow.", Active: true},
		{ID: "demo-fife-carers-centre", Name: "Fife Carers Example", Kind: casework.KindLocalService, Areas: []string{"Fife"},
			Phone: "0808 157 0150", Description: "Support and short breaks for unpaid carers in Fife.", Active: true},
	}
}

var (
	supporterNames = []string{"Jamie Example", "Morven Sample", "Chris Specimen", "Ailsa Placeholder", "Rab Template"}
	advocacyOrgs   = []string{"Speak Up Advocacy (example)", "Independent Voices Example"}
	signposts      = []struct{ help, from, details string }{
		{"a Council Tax Reduction", "your local council", "Ask your council, online or by phone."},
		{"help with heating costs", "your energy supplier", "Ask your supplier about schemes for people on a low income."},
		{"a Blue Badge for parking", "your local council", "Apply to your council; you may need to show how your condition affects walking."},
		{"free school meals for your children", "your local council", ""},
		{"Carer's Allowance Supplement", "us, paid automatically if you get Carer's Allowance", ""},
	}
)

// withHelpStream runs fn with the story drawing from its help stream, and
// returns that stream for fn's own draws.
func (s *story) withHelpStream(fn func(r *rand.Rand)) {
	main := s.r
	s.r = s.g.hr
	defer func() { s.r = main }()
	fn(s.r)
}

// help may name a supporter, make a referral and tell the client about
// other help, a few working days after the application was acknowledged.
func (s *story) help() { s.withHelpStream(s.helpWith) }

func (s *story) helpWith(r *rand.Rand) {
	if r.IntN(1000) < 60 {
		body := &casework.SupporterAuthorised{SupporterID: "sp-" + s.app.ReceivedOn.String() + "-" + string(rune('a'+r.IntN(26))),
			Name: supporterNames[r.IntN(len(supporterNames))], Relationship: casework.RelationshipPersonTheyKnow,
			Scope: casework.ScopeView, AuthorisedBy: casework.AuthorisedByClient}
		if r.IntN(3) == 0 {
			body.Relationship, body.Organisation = casework.RelationshipAdvocate, advocacyOrgs[r.IntN(len(advocacyOrgs))]
		}
		if r.IntN(2) == 0 {
			body.Scope = casework.ScopeAct
		}
		body.Email = "supporter" + body.SupporterID[3:13] + "@example.org"
		day := s.wd(s.day, 1+r.IntN(5))
		if !s.put(day, time.Time{}, "client", body) {
			return
		}
	}
	if r.IntN(1000) < 45 {
		var choices []casework.Organisation
		for _, o := range Organisations() {
			if o.Serves(s.app.Client.Area) {
				choices = append(choices, o)
			}
		}
		o := choices[r.IntN(len(choices))]
		day := s.wd(s.day, 1+r.IntN(8))
		if !s.put(day, time.Time{}, s.caseworker(), &casework.ReferralMade{Organisation: o.ID, OrganisationSnapshot: &o,
			Consent: true, Shared: "Your name, phone number and what you would like help with.",
			Reason: "You told us you would like help with " + pick(r, []string{"your money", "the application", "what to do next"}) + "."}) {
			return
		}
	}
	if r.IntN(1000) < 70 {
		sp := signposts[r.IntN(len(signposts))]
		day := s.wd(s.day, 1+r.IntN(8))
		s.put(day, time.Time{}, s.caseworker(), &casework.OtherHelpSignposted{Help: sp.help, From: sp.from, Details: sp.details})
	}
}

// reviseIfLate gives a new decision date, with the reason, the working day
// after a decision date is missed, for most late decisions: the decision
// is then on or before the new date.
func (s *story) reviseIfLate(decideOn calendar.Date) {
	s.withHelpStream(func(r *rand.Rand) { s.reviseWith(r, decideOn) })
}

func (s *story) reviseWith(r *rand.Rand, decideOn calendar.Date) {
	due := s.app.DecisionClock(s.g.cal, s.day).Due
	if !decideOn.After(s.wd(due, 1)) || r.IntN(1000) >= 650 {
		return
	}
	day := s.wd(due, 1)
	if day < s.day {
		day = s.day
	}
	newDate := s.wd(decideOn, r.IntN(3))
	if !newDate.After(day) {
		return
	}
	s.put(day, time.Time{}, s.caseworker(), &casework.DecisionDateRevised{NewDate: newDate,
		Reason: pick(r, []string{"We are waiting for a report from a health professional we asked.",
			"More applications came in than we planned for, and we are working through them in order.",
			"We need to check some of the information with another public body."})})
}
