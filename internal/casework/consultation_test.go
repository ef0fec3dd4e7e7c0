package casework_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

const adpID = "adult-disability-payment"

func nurse() *casework.Practitioner {
	return &casework.Practitioner{ID: "pr-nurse", Name: "Ann Nurse", Role: "Nurse",
		Qualifications: []string{"Registered nurse (NMC)"}, Specialisms: []string{"mental-health", "musculoskeletal"}, Active: true}
}

func physio() *casework.Practitioner {
	return &casework.Practitioner{ID: "pr-physio", Name: "Pat Physio", Role: "Physiotherapist",
		Qualifications: []string{"Physiotherapist (HCPC)"}, Specialisms: []string{"musculoskeletal"}, Active: true}
}

var (
	details = &casework.ClientDetailsUpdated{Conditions: []string{"musculoskeletal", "mental-health"},
		ConditionNotes: "Arthritis in both knees; anxiety",
		Preferences: casework.ConsultationPreferences{How: casework.HowInPerson, Place: casework.PlaceHome,
			Companion: true, Breaks: true, Adjustments: "A quiet room, please"}}
	justified = &casework.ConsultationProposed{
		MissingInformation: "How far you can walk on a bad day, and how often bad days happen.",
		WhyNotEnough:       "Your GP's letter and your form describe different distances, so we cannot tell which is right."}
)

// scheduled is a booking with the nurse, at home, a week after at(3, 2).
func scheduled(p *casework.Practitioner) *casework.ConsultationScheduled {
	return &casework.ConsultationScheduled{Practitioner: p.ID, PractitionerSnapshot: p,
		StartsAt: at(3, 9).Add(4 * time.Hour), How: casework.HowInPerson, Place: casework.PlaceHome}
}

// consultationLog is an acknowledged disability application with the
// client's details, a proposal and, if book, a booking with the nurse.
func consultationLog(book bool) *log {
	l := received(adpID, at(2, 2)).
		add(casework.TypeAcknowledged, at(2, 3), &casework.Acknowledged{}).
		add(casework.TypeStageChanged, at(2, 4), &casework.StageChanged{Stage: "gathering-information"}).
		add(casework.TypeClientDetailsUpdated, at(2, 5), details).
		add(casework.TypeConsultationProposed, at(2, 20), justified)
	if book {
		l.add(casework.TypeConsultationScheduled, at(3, 2), scheduled(nurse()))
	}
	return l
}

func TestConsultationLifecycle(t *testing.T) {
	r := rules(t)
	a, err := casework.Fold(r, consultationLog(false).events)
	if err != nil {
		t.Fatal(err)
	}
	if n := a.Needs; n == nil || !slices.Equal(n.Conditions, []string{"mental-health", "musculoskeletal"}) ||
		!n.Preferences.Breaks || !n.Preferences.Companion || n.RecordedOn != casework.LocalDate(at(2, 5)) {
		t.Fatalf("client needs: %+v (conditions in the vocabulary's order)", a.Needs)
	}
	c := a.Consultation
	if c == nil || c.Status != casework.ConsultationProposedStatus || c.Number != 1 || c.ClientAsked ||
		!strings.Contains(c.MissingInformation, "walk on a bad day") || c.ProposedOn != casework.LocalDate(at(2, 20)) {
		t.Fatalf("proposed: %+v", c)
	}
	if a.LastUpdateOn != casework.LocalDate(at(2, 20)) || a.Stage != "gathering-information" {
		t.Errorf("proposing tells the client (last update %s) and keeps the stage (%s)", a.LastUpdateOn, a.Stage)
	}

	// Scheduling enters the consultation stage and keeps the practitioner as checked.
	apply := func(typ casework.EventType, when time.Time, b casework.Body) {
		t.Helper()
		if err := a.Apply(r, casework.Event{Seq: a.Version + 1, Type: typ, At: when, Body: b}); err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
	}
	apply(casework.TypeConsultationScheduled, at(3, 2), scheduled(nurse()))
	c = a.Consultation
	if c.Status != casework.ConsultationScheduledStatus || c.Practitioner.Name != "Ann Nurse" || len(c.Uncovered) != 0 ||
		c.How != casework.HowInPerson || c.Place != casework.PlaceHome || !c.StartsAt.Equal(at(3, 9).Add(4*time.Hour)) {
		t.Fatalf("scheduled: %+v", c)
	}
	if a.Stage != casework.StageConsultation || a.LastUpdateOn != casework.LocalDate(at(3, 2)) {
		t.Errorf("stage %s, last update %s: want the consultation stage, entered on 2 March", a.Stage, a.LastUpdateOn)
	}
	tl := a.Timeline(r.Calendar, casework.LocalDate(at(3, 3)))
	for _, st := range tl.Stages {
		if st.ID == casework.StageConsultation && (st.Status != casework.StageCurrent || st.Started != casework.LocalDate(at(3, 2))) {
			t.Errorf("the timeline's consultation stage: %+v", st)
		}
	}

	// A changed booking counts as rescheduled and stays in the stage.
	moved := scheduled(nurse())
	moved.StartsAt, moved.How, moved.Place = at(3, 12), casework.HowPhone, ""
	apply(casework.TypeConsultationScheduled, at(3, 4), moved)
	if c = a.Consultation; c.Rescheduled != 1 || c.How != casework.HowPhone || len(a.Stages) != 3 {
		t.Errorf("rescheduled: %+v, %d stage visits", c, len(a.Stages))
	}

	apply(casework.TypeConsultationHeld, at(3, 12).Add(2*time.Hour), &casework.ConsultationHeld{
		Report:   "We talked for an hour about walking and daily routines; the client walks about 20 metres.",
		Findings: []casework.ConsultationFinding{{Criterion: "mobility", Note: "About 20 metres with a stick."}}})
	if c = a.Consultation; c.Status != casework.ConsultationHeldStatus || c.HeldOn != casework.LocalDate(at(3, 12)) || len(c.Findings) != 1 {
		t.Errorf("held: %+v", c)
	}

	// After a consultation was held another may be proposed: the client asked.
	apply(casework.TypeConsultationProposed, at(3, 13), &casework.ConsultationProposed{ClientAsked: true})
	if c = a.Consultation; c.Number != 2 || !c.ClientAsked || c.Status != casework.ConsultationProposedStatus || c.MissingInformation != "" {
		t.Errorf("second, asked for by the client: %+v", c)
	}

	// The whole log round-trips through JSON, as the store keeps it.
	raw, err := json.Marshal(consultationLog(true).events)
	if err != nil {
		t.Fatal(err)
	}
	var back []casework.Event
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	again, err := casework.Fold(r, back)
	if err != nil || again.Consultation.Practitioner.Specialisms[0] != "mental-health" || again.Needs.ConditionNotes == "" {
		t.Fatalf("folded back: %v %+v", err, again)
	}
}

func TestConsultationCancelledGoesBackAStage(t *testing.T) {
	r := rules(t)
	a, err := casework.Fold(r, consultationLog(true).add(casework.TypeConsultationCancelled, at(3, 5),
		&casework.ConsultationCancelled{By: casework.CancelledByClient, Reason: "The client is in hospital that week."}).events)
	if err != nil {
		t.Fatal(err)
	}
	c := a.Consultation
	if c.Status != casework.ConsultationCancelledStatus || c.CancelledBy != "client" || c.CancelledOn != casework.LocalDate(at(3, 5)) {
		t.Errorf("cancelled: %+v", c)
	}
	if a.Stage != "gathering-information" || a.LastUpdateOn != casework.LocalDate(at(3, 5)) {
		t.Errorf("after cancelling: stage %s, last update %s; want back at gathering-information", a.Stage, a.LastUpdateOn)
	}
	// A new proposal may follow.
	if err := a.Apply(r, casework.Event{Seq: a.Version + 1, Type: casework.TypeConsultationProposed, At: at(3, 6), Body: justified}); err != nil {
		t.Errorf("propose after a cancellation: %v", err)
	}
}

func TestConsultationOverrideAndBenefitsWithoutTheStage(t *testing.T) {
	r := rules(t)
	b := scheduled(physio())
	b.OverrideReason = "No mental health practitioner can visit before the decision date; the client agreed."
	a, err := casework.Fold(r, consultationLog(false).add(casework.TypeConsultationScheduled, at(3, 2), b).events)
	if err != nil {
		t.Fatal(err)
	}
	if c := a.Consultation; !slices.Equal(c.Uncovered, []string{"mental-health"}) || !strings.Contains(c.OverrideReason, "client agreed") {
		t.Errorf("an override records what was not covered and why: %+v", c)
	}

	// A benefit without a consultation stage books one without changing stage.
	l := received("carer-support-payment", at(2, 2)).
		add(casework.TypeClientDetailsUpdated, at(2, 3), &casework.ClientDetailsUpdated{Conditions: []string{"other"}}).
		add(casework.TypeConsultationProposed, at(2, 4), justified).
		add(casework.TypeConsultationScheduled, at(2, 5), &casework.ConsultationScheduled{Practitioner: "pr-gp",
			PractitionerSnapshot: &casework.Practitioner{ID: "pr-gp", Name: "Dr Gee", Role: "GP", Specialisms: []string{"other"}, Active: true},
			StartsAt:             at(2, 10), How: casework.HowVideo})
	a, err = casework.Fold(r, l.events)
	if err != nil {
		t.Fatal(err)
	}
	if a.Stage != "received" || a.Consultation.Status != casework.ConsultationScheduledStatus {
		t.Errorf("carer: stage %s, consultation %+v", a.Stage, a.Consultation)
	}
}

func TestConsultationRulesRefuse(t *testing.T) {
	r := rules(t)
	adp, _ := r.Benefits.Benefit(adpID)
	noDetails := func() *log {
		return received(adpID, at(2, 2)).add(casework.TypeConsultationProposed, at(2, 20), justified)
	}
	decided := func() *log {
		return consultationLog(false).add(casework.TypeDecisionMade, at(2, 25),
			&casework.DecisionMade{Outcome: "award", DecisionMaker: "case manager", Reasons: reasonsFor(adp)})
	}
	withdrawn := func() *log {
		return received(adpID, at(2, 2)).add(casework.TypeWithdrawn, at(2, 3), &casework.Withdrawn{})
	}
	cancelled := func() *log {
		return consultationLog(true).add(casework.TypeConsultationCancelled, at(3, 5),
			&casework.ConsultationCancelled{By: "service", Reason: "The practitioner is ill."})
	}
	held := func() *log {
		return consultationLog(true).add(casework.TypeConsultationHeld, at(3, 10),
			&casework.ConsultationHeld{Report: "We talked about the client's day and the walking distances."})
	}
	withScheduled := func(f func(b *casework.ConsultationScheduled)) *casework.ConsultationScheduled {
		b := scheduled(nurse())
		f(b)
		return b
	}
	inactive := nurse()
	inactive.Active = false
	mentalOnly := &casework.Practitioner{ID: "pr-mh", Name: "Mo Mind", Role: "Mental health nurse",
		Qualifications: []string{"Registered nurse (NMC)"}, Specialisms: []string{"mental-health"}, Active: true}
	neither := &casework.Practitioner{ID: "pr-eye", Name: "Iris Eye", Role: "Optometrist",
		Qualifications: []string{"Optometrist (GOC)"}, Specialisms: []string{"sensory"}, Active: true}

	cases := []struct {
		name  string
		base  *log
		typ   casework.EventType
		when  time.Time
		body  casework.Body
		kind  errs.Kind
		field string
		says  string
	}{
		// The client's details.
		{"details without conditions", received(adpID, at(2, 2)), casework.TypeClientDetailsUpdated, at(2, 3),
			&casework.ClientDetailsUpdated{}, errs.KindInvalid, "body.conditions", "choose at least one kind of condition"},
		{"details with an unknown condition", received(adpID, at(2, 2)), casework.TypeClientDetailsUpdated, at(2, 3),
			&casework.ClientDetailsUpdated{Conditions: []string{"sensory", "gout"}}, errs.KindInvalid, "body.conditions[1]", `"gout" is not a kind of condition`},
		{"details with a condition twice", received(adpID, at(2, 2)), casework.TypeClientDetailsUpdated, at(2, 3),
			&casework.ClientDetailsUpdated{Conditions: []string{"sensory", "sensory"}}, errs.KindInvalid, "body.conditions[1]", "twice"},
		{"details with an unknown way", received(adpID, at(2, 2)), casework.TypeClientDetailsUpdated, at(2, 3),
			&casework.ClientDetailsUpdated{Conditions: []string{"other"}, Preferences: casework.ConsultationPreferences{How: "carrier pigeon"}},
			errs.KindInvalid, "body.consultation_preferences.how", "phone, video or in-person"},
		{"details with an unknown place", received(adpID, at(2, 2)), casework.TypeClientDetailsUpdated, at(2, 3),
			&casework.ClientDetailsUpdated{Conditions: []string{"other"}, Preferences: casework.ConsultationPreferences{Place: "moon"}},
			errs.KindInvalid, "body.consultation_preferences.place", "home, local-office or other"},
		{"details with an other place not said", received(adpID, at(2, 2)), casework.TypeClientDetailsUpdated, at(2, 3),
			&casework.ClientDetailsUpdated{Conditions: []string{"other"}, Preferences: casework.ConsultationPreferences{Place: "other"}},
			errs.KindInvalid, "body.consultation_preferences.place_detail", "where"},
		{"details on a withdrawn application", withdrawn(), casework.TypeClientDetailsUpdated, at(2, 4),
			details, errs.KindConflict, "", "withdrawn"},

		// Proposing: a justification of real sentences, unless the client asked.
		{"proposal with no justification", received(adpID, at(2, 2)), casework.TypeConsultationProposed, at(2, 3),
			&casework.ConsultationProposed{}, errs.KindInvalid, "body.missing_information", "what information is missing"},
		{"proposal with a short missing information", received(adpID, at(2, 2)), casework.TypeConsultationProposed, at(2, 3),
			&casework.ConsultationProposed{MissingInformation: "mobility", WhyNotEnough: justified.WhyNotEnough},
			errs.KindInvalid, "body.missing_information", "at least 5 words"},
		{"proposal with a short why", received(adpID, at(2, 2)), casework.TypeConsultationProposed, at(2, 3),
			&casework.ConsultationProposed{MissingInformation: justified.MissingInformation, WhyNotEnough: "not enough - - - ."},
			errs.KindInvalid, "body.why_not_enough", "why the information we already have is not enough"},
		{"proposal on a decided application", decided(), casework.TypeConsultationProposed, at(2, 26),
			&casework.ConsultationProposed{ClientAsked: true}, errs.KindConflict, "", "decided"},
		{"proposal on a withdrawn application", withdrawn(), casework.TypeConsultationProposed, at(2, 4),
			justified, errs.KindConflict, "", "withdrawn"},
		{"a second proposal while one is proposed", consultationLog(false), casework.TypeConsultationProposed, at(2, 21),
			justified, errs.KindConflict, "", "already proposed"},
		{"a second proposal while one is booked", consultationLog(true), casework.TypeConsultationProposed, at(3, 3),
			&casework.ConsultationProposed{ClientAsked: true}, errs.KindConflict, "", "already scheduled"},

		// Scheduling.
		{"schedule with nothing proposed", received(adpID, at(2, 2)), casework.TypeConsultationScheduled, at(2, 3),
			scheduled(nurse()), errs.KindConflict, "", "propose a consultation first"},
		{"schedule after a cancellation", cancelled(), casework.TypeConsultationScheduled, at(3, 6),
			scheduled(nurse()), errs.KindConflict, "", "propose a consultation first"},
		{"schedule after it was held", held(), casework.TypeConsultationScheduled, at(3, 11),
			scheduled(nurse()), errs.KindConflict, "", "was held on"},
		{"schedule with no conditions recorded", noDetails(), casework.TypeConsultationScheduled, at(3, 2),
			scheduled(nurse()), errs.KindConflict, "", "record the client's health conditions first"},
		{"schedule with no practitioner", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			withScheduled(func(b *casework.ConsultationScheduled) { b.Practitioner, b.PractitionerSnapshot = "", nil }),
			errs.KindInvalid, "body.practitioner", "choose the practitioner"},
		{"schedule without the register's details", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			withScheduled(func(b *casework.ConsultationScheduled) { b.PractitionerSnapshot = nil }),
			errs.KindInvalid, "body.practitioner_snapshot", "fills them in"},
		{"schedule with another practitioner's details", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			withScheduled(func(b *casework.ConsultationScheduled) { b.Practitioner = "pr-someone-else" }),
			errs.KindInvalid, "body.practitioner_snapshot", ""},
		{"schedule an inactive practitioner", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			withScheduled(func(b *casework.ConsultationScheduled) { b.PractitionerSnapshot = inactive }),
			errs.KindInvalid, "body.practitioner", "Ann Nurse is not holding consultations"},
		{"schedule a practitioner who does not cover a condition", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			scheduled(mentalOnly), errs.KindInvalid, "body.practitioner",
			"Mo Mind's specialisms do not cover the client's musculoskeletal condition; choose a practitioner who understands it"},
		{"schedule a practitioner who covers neither condition", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			scheduled(neither), errs.KindInvalid, "body.practitioner", "the client's mental health and musculoskeletal conditions"},
		{"override with a short reason", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			withScheduled(func(b *casework.ConsultationScheduled) {
				b.PractitionerSnapshot, b.Practitioner, b.OverrideReason = neither, neither.ID, "urgent"
			}),
			errs.KindInvalid, "body.override_reason", "why this practitioner"},
		{"schedule with no time", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			withScheduled(func(b *casework.ConsultationScheduled) { b.StartsAt = time.Time{} }),
			errs.KindInvalid, "body.starts_at", "say when"},
		{"schedule in the past", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			withScheduled(func(b *casework.ConsultationScheduled) { b.StartsAt = at(3, 1) }),
			errs.KindInvalid, "body.starts_at", "after the time it is arranged"},
		{"schedule with an unknown way", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			withScheduled(func(b *casework.ConsultationScheduled) { b.How = "letter" }),
			errs.KindInvalid, "body.how", "phone, video or in-person"},
		{"in person with no place", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			withScheduled(func(b *casework.ConsultationScheduled) { b.Place = "" }),
			errs.KindInvalid, "body.place", "where the client will meet"},
		{"by phone with a place", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			withScheduled(func(b *casework.ConsultationScheduled) { b.How = casework.HowPhone }),
			errs.KindInvalid, "body.place", "leave the place out"},
		{"at an office with no address", consultationLog(false), casework.TypeConsultationScheduled, at(3, 2),
			withScheduled(func(b *casework.ConsultationScheduled) { b.Place = casework.PlaceLocalOffice }),
			errs.KindInvalid, "body.place_detail", "give the address"},
		{"schedule on a decided application", decided(), casework.TypeConsultationScheduled, at(2, 26),
			scheduled(nurse()), errs.KindConflict, "", "decided"},

		// Holding.
		{"held with nothing booked", consultationLog(false), casework.TypeConsultationHeld, at(3, 2),
			&casework.ConsultationHeld{Report: "We talked about the client's day and walking."}, errs.KindConflict, "", "no scheduled consultation"},
		{"held before the booking", consultationLog(true), casework.TypeConsultationHeld, at(3, 5),
			&casework.ConsultationHeld{Report: "We talked about the client's day and walking."}, errs.KindInvalid, "at", "record it once it has taken place"},
		{"held without a report", consultationLog(true), casework.TypeConsultationHeld, at(3, 9),
			&casework.ConsultationHeld{Report: "ok"}, errs.KindInvalid, "body.report", "what the consultation told us"},
		{"held with a finding on an unknown criterion", consultationLog(true), casework.TypeConsultationHeld, at(3, 9),
			&casework.ConsultationHeld{Report: "We talked about the client's day and walking.",
				Findings: []casework.ConsultationFinding{{Criterion: "height", Note: "tall"}}}, errs.KindInvalid, "body.findings[0].criterion", `"height" is not a criterion`},
		{"held with two findings on one criterion", consultationLog(true), casework.TypeConsultationHeld, at(3, 9),
			&casework.ConsultationHeld{Report: "We talked about the client's day and walking.",
				Findings: []casework.ConsultationFinding{{Criterion: "mobility", Note: "a"}, {Criterion: "mobility", Note: "b"}}},
			errs.KindInvalid, "body.findings[1].criterion", "two findings"},
		{"held with an empty finding", consultationLog(true), casework.TypeConsultationHeld, at(3, 9),
			&casework.ConsultationHeld{Report: "We talked about the client's day and walking.",
				Findings: []casework.ConsultationFinding{{Criterion: "mobility"}}}, errs.KindInvalid, "body.findings[0].note", "what the consultation showed"},
		{"held twice", held(), casework.TypeConsultationHeld, at(3, 11),
			&casework.ConsultationHeld{Report: "We talked about the client's day and walking."}, errs.KindConflict, "", "no scheduled consultation"},

		// Cancelling.
		{"cancel with nothing proposed", received(adpID, at(2, 2)), casework.TypeConsultationCancelled, at(2, 3),
			&casework.ConsultationCancelled{By: "client", Reason: "Changed their mind."}, errs.KindConflict, "", "no proposed or booked consultation"},
		{"cancel twice", cancelled(), casework.TypeConsultationCancelled, at(3, 6),
			&casework.ConsultationCancelled{By: "client", Reason: "Changed their mind."}, errs.KindConflict, "", "no proposed or booked consultation"},
		{"cancel a held one", held(), casework.TypeConsultationCancelled, at(3, 11),
			&casework.ConsultationCancelled{By: "client", Reason: "Changed their mind."}, errs.KindConflict, "", "no proposed or booked consultation"},
		{"cancel by nobody", consultationLog(true), casework.TypeConsultationCancelled, at(3, 3),
			&casework.ConsultationCancelled{Reason: "Changed their mind."}, errs.KindInvalid, "body.by", "client or service"},
		{"cancel without a reason", consultationLog(true), casework.TypeConsultationCancelled, at(3, 3),
			&casework.ConsultationCancelled{By: "service", Reason: "  "}, errs.KindInvalid, "body.reason", "say why"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := casework.Fold(r, c.base.events)
			if err != nil {
				t.Fatal(err)
			}
			before, _ := json.Marshal(a)
			err = a.Apply(r, casework.Event{Seq: a.Version + 1, Type: c.typ, At: c.when, Body: c.body})
			e, ok := errs.As(err)
			if !ok || e.Kind != c.kind || e.Field != c.field || !strings.Contains(e.Error(), c.says) {
				t.Fatalf("got %v (%+v), want %s on %q saying %q", err, e, c.kind, c.field, c.says)
			}
			if strings.Contains(strings.ToLower(e.Message), "assessment") {
				t.Errorf("a person reads %q: say consultation", e.Message)
			}
			if after, _ := json.Marshal(a); string(after) != string(before) {
				t.Errorf("a refused event changed the application")
			}
		})
	}
}

func TestPractitionerValidate(t *testing.T) {
	for _, c := range []struct {
		name  string
		p     casework.Practitioner
		field string
	}{
		{"no name", casework.Practitioner{Role: "Nurse", Qualifications: []string{"RN"}, Specialisms: []string{"other"}}, "name"},
		{"no role", casework.Practitioner{Name: "Ann", Qualifications: []string{"RN"}, Specialisms: []string{"other"}}, "role"},
		{"no qualifications", casework.Practitioner{Name: "Ann", Role: "Nurse", Qualifications: []string{" "}, Specialisms: []string{"other"}}, "qualifications"},
		{"no specialisms", casework.Practitioner{Name: "Ann", Role: "Nurse", Qualifications: []string{"RN"}}, "specialisms"},
		{"an unknown specialism", casework.Practitioner{Name: "Ann", Role: "Nurse", Qualifications: []string{"RN"}, Specialisms: []string{"feet"}}, "specialisms[0]"},
	} {
		if err := c.p.Validate(); errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("%s: %v, want invalid", c.name, err)
		} else if e, _ := errs.As(err); e.Field != c.field {
			t.Errorf("%s: field %q, want %q", c.name, e.Field, c.field)
		}
	}
	p := casework.Practitioner{Name: " Ann Nurse ", Role: "Nurse", Qualifications: []string{"", "Registered nurse (NMC)"},
		Specialisms: []string{"respiratory", "mental-health"}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Name != "Ann Nurse" || len(p.Qualifications) != 1 || !slices.Equal(p.Specialisms, []string{"mental-health", "respiratory"}) {
		t.Errorf("validated: %+v", p)
	}
	if got := casework.UncoveredConditions([]string{"mental-health", "sensory"}, p.Specialisms); !slices.Equal(got, []string{"sensory"}) {
		t.Errorf("UncoveredConditions = %v", got)
	}
}
