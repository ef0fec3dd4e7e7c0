package seed

import (
	"slices"
	"time"

	"github.com/charter-service/charter/internal/casework"
)

// Practitioners are the made-up practitioners the history books
// consultations with; `charter demo` and Seed add them to the register, so
// the demonstration can book more. One no longer holds consultations.
func Practitioners() []casework.Practitioner {
	return []casework.Practitioner{
		{ID: "pr-demo-isla-grant", Name: "Isla Grant", Role: "Mental health nurse", Active: true,
			Qualifications: []string{"Registered mental health nurse (NMC)", "Postgraduate certificate in cognitive behavioural therapy"},
			Specialisms:    []string{"mental-health", "learning-disability"}},
		{ID: "pr-demo-ruaridh-macleod", Name: "Ruaridh MacLeod", Role: "Physiotherapist", Active: true,
			Qualifications: []string{"Physiotherapist (HCPC)", "MSc Musculoskeletal Practice"},
			Specialisms:    []string{"musculoskeletal", "neurological"}},
		{ID: "pr-demo-aisha-rahman", Name: "Aisha Rahman", Role: "Occupational therapist", Active: true,
			Qualifications: []string{"Occupational therapist (HCPC)"},
			Specialisms:    []string{"mental-health", "musculoskeletal", "neurological", "sensory", "learning-disability"}},
		{ID: "pr-demo-fiona-stewart", Name: "Fiona Stewart", Role: "Nurse", Active: true,
			Qualifications: []string{"Registered general nurse (NMC)", "Certificate in respiratory nursing"},
			Specialisms:    []string{"respiratory", "cardiovascular", "other"}},
		{ID: "pr-demo-tomasz-nowak", Name: "Tomasz Nowak", Role: "Physiotherapist", Active: true,
			Qualifications: []string{"Physiotherapist (HCPC)"},
			Specialisms:    []string{"musculoskeletal", "respiratory", "cardiovascular"}},
		{ID: "pr-demo-morag-cameron", Name: "Morag Cameron", Role: "Occupational therapist", Active: false,
			Qualifications: []string{"Occupational therapist (HCPC)"},
			Specialisms:    []string{"mental-health"}},
	}
}

// conditionWeights say how often each kind of condition is a client's
// first, per mille.
var conditionWeights = []struct {
	id string
	pm int
}{
	{"mental-health", 350}, {"musculoskeletal", 300}, {"neurological", 100}, {"respiratory", 80},
	{"cardiovascular", 50}, {"sensory", 50}, {"learning-disability", 40}, {"other", 30},
}

func (s *story) condition() string {
	n := s.r.IntN(1000)
	for _, c := range conditionWeights {
		if n < c.pm {
			return c.id
		}
		n -= c.pm
	}
	return "other"
}

// consultationReasons are justifications as a caseworker writes them for
// the client: what is missing, and why what we have is not enough.
var consultationReasons = [][2]string{
	{"How your condition affects you on a bad day, and how often bad days happen.",
		"Your form and the letter from your GP practice describe your good days, so we cannot tell how your condition affects you on the others."},
	{"How far you can walk, and how you feel afterwards.",
		"Your form and the summary from your GP practice give different distances, and we cannot tell which is right."},
	{"What help you need with preparing food, washing and dressing.",
		"Nobody who knows you has been able to tell us about your daily routine, and your care plan is more than two years old."},
	{"How your mental health affects planning a journey and going out.",
		"There is no professional who knows how your mental health affects you day to day, and your form leaves these questions open."},
}

var consultationReports = []string{
	"We talked for an hour about the client's day. They described their bad days in detail and how often they happen; this fills the gap in what we had.",
	"The client walked us through their morning routine. They need help to wash and dress most days, and prompting to prepare food.",
	"The client explained how far they can walk before they have to stop, and how long it takes them to recover. Their account is consistent with their medication.",
	"We discussed planning and following journeys. The client cannot go somewhere unfamiliar without someone with them, because of severe anxiety.",
}

var cancelReasons = []string{
	"The client is in hospital that week and asked us to cancel; they sent a letter from their consultant instead.",
	"The client's GP practice sent a full report, which answers what we needed to know.",
}

// consultation tells a consultation (commitments 2.10 to 2.12): the
// client's conditions and wishes are recorded, a consultation is proposed
// with its reasons, booked with a practitioner who understands the
// conditions (or with a reason why not), and held; now and then it is
// cancelled instead. Booking enters the consultation stage. It reports
// whether the story goes on.
func (s *story) consultation() bool {
	conds := []string{s.condition()}
	if s.pm(350) {
		if c := s.condition(); c != conds[0] {
			conds = append(conds, c)
		}
	}
	prefs := casework.ConsultationPreferences{Companion: s.pm(450), Breaks: s.pm(400)}
	switch n := s.r.IntN(10); {
	case n < 4:
		prefs.How = casework.HowPhone
	case n < 6:
		prefs.How = casework.HowVideo
	case n < 9:
		prefs.How, prefs.Place = casework.HowInPerson, casework.PlaceHome
	}
	if !s.put(s.wd(s.day, s.between(1, 3)), time.Time{}, s.caseworker(), &casework.ClientDetailsUpdated{Conditions: conds, Preferences: prefs}) {
		return false
	}
	proposal := &casework.ConsultationProposed{ClientAsked: true}
	if !s.pm(100) {
		why := pick(s.r, consultationReasons)
		proposal = &casework.ConsultationProposed{MissingInformation: why[0], WhyNotEnough: why[1]}
	}
	if !s.put(s.wd(s.day, s.between(0, 2)), time.Time{}, s.caseworker(), proposal) {
		return false
	}

	p, override := s.practitionerFor(conds)
	bookedOn := s.wd(s.day, s.between(2, 6))
	day := s.wd(bookedOn, s.between(5, 12))
	y, m, d := day.Date()
	startsAt := time.Date(y, m, d, pick(s.r, []int{10, 11, 14, 15}), 0, 0, 0, london).UTC()
	booking := &casework.ConsultationScheduled{Practitioner: p.ID, PractitionerSnapshot: &p, StartsAt: startsAt,
		How: prefs.How, OverrideReason: override}
	if booking.How == "" {
		booking.How = casework.HowPhone
	}
	if booking.How == casework.HowInPerson {
		booking.Place = casework.PlaceHome
	}
	if !s.put(bookedOn, time.Time{}, s.caseworker(), booking) {
		return false
	}
	if s.pm(80) {
		return s.put(s.wd(s.day, s.between(1, 3)), time.Time{}, s.caseworker(),
			&casework.ConsultationCancelled{By: casework.CancelledByClient, Reason: pick(s.r, cancelReasons)})
	}
	held := startsAt.Add(time.Duration(s.between(50, 100)) * time.Minute)
	return s.put(day, held, "practitioner:"+p.Name, &casework.ConsultationHeld{Report: pick(s.r, consultationReports)})
}

// practitionerFor picks an active practitioner who understands every one
// of the conditions, or, when nobody does, the one who understands most,
// with the reason we went ahead.
func (s *story) practitionerFor(conds []string) (casework.Practitioner, string) {
	var fit, near []casework.Practitioner
	best := len(conds) + 1
	for _, p := range practitioners {
		if !p.Active {
			continue
		}
		switch n := len(casework.UncoveredConditions(conds, p.Specialisms)); {
		case n == 0:
			fit = append(fit, p)
		case n < best:
			best, near = n, []casework.Practitioner{p}
		case n == best:
			near = append(near, p)
		}
	}
	if len(fit) > 0 {
		return clonePractitioner(pick(s.r, fit)), ""
	}
	return clonePractitioner(pick(s.r, near)),
		"Nobody who understands all of the client's conditions could see them before the decision date; the client agreed to go ahead."
}

// practitioners is Practitioners, made once.
var practitioners = Practitioners()

func clonePractitioner(p casework.Practitioner) casework.Practitioner {
	p.Qualifications, p.Specialisms = slices.Clone(p.Qualifications), slices.Clone(p.Specialisms)
	return p
}
