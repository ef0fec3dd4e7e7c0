package measure

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"

	"github.com/charter-service/charter/internal/errs"
)

// day is a date in 2026.
func day(m time.Month, d int) calendar.Date { return calendar.NewDate(2026, m, d) }

// at is 10:00 in Scotland on a date.
func at(d calendar.Date) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 10, 0, 0, 0, casework.Zone)
}

// history builds a numbered event log.
type history struct{ events []casework.Event }

func (h *history) add(on calendar.Date, b casework.Body) *history {
	h.events = append(h.events, casework.Event{Seq: len(h.events) + 1, Type: b.Type(), At: at(on), Actor: "caseworker:test", Body: b})
	return h
}

func applied(benefit string, on calendar.Date) *history {
	return (&history{}).add(on, &casework.Received{Benefit: benefit, Channel: "phone",
		Client: casework.Client{Name: "Sam Example", DateOfBirth: calendar.NewDate(1990, 6, 15), Area: "fife"}})
}

func reasons(t testing.TB, benefit string) []casework.CriterionReason {
	t.Helper()
	b, _ := exampleRules(t).Benefits.Benefit(benefit)
	var rs []casework.CriterionReason
	for _, c := range b.Criteria {
		rs = append(rs, casework.CriterionReason{Criterion: c.ID, Met: true, Reason: "We checked the information you gave us."})
	}
	return rs
}

func decided(t testing.TB, benefit, outcome string) *casework.DecisionMade {
	return &casework.DecisionMade{Outcome: outcome, DecisionMaker: "case manager", Reasons: reasons(t, benefit)}
}

func facts(t *testing.T, h *history) Facts {
	t.Helper()
	f, err := FactsOf(exampleRules(t), h.events)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

const adp = "adult-disability-payment"

func TestFactsOfAPlainDecision(t *testing.T) {
	// Received Monday 2 February 2026; acknowledged on the Wednesday;
	// updates every two weeks; decided on Monday 2 March: 20 working days.
	h := applied(adp, day(2, 2)).
		add(day(2, 4), &casework.Acknowledged{}).
		add(day(2, 18), &casework.UpdateSent{Channel: "email", Summary: "We are reading your application."}).
		add(day(3, 2), decided(t, adp, casework.OutcomeAward))
	f := facts(t, h)
	cal := calendar.Scotland()
	want := Facts{
		Benefit: adp, Area: "Fife", AgeBand: "35 to 44", Channel: "phone", Status: "decided",
		ReceivedOn: day(2, 2), AcknowledgeDue: day(2, 9), AcknowledgedOn: day(2, 4), AcknowledgedInTime: true,
		DecisionDue: cal.AddWorkingDays(day(2, 2), 60), DecidedOn: day(3, 2), Outcome: "award",
		WorkingDaysToDecision: 20, DecidedInTime: true, ReasonsForEveryCriterion: true, ClosedOn: day(3, 2),
		// 4 Feb to 18 Feb is 10 working days; 18 Feb to 2 March is 8.
		LongestSilence: 10, SilenceLimit: 15, SilenceKept: true,
	}
	if f != want {
		t.Errorf("facts:\n got %+v\nwant %+v", f, want)
	}
}

func TestFactsOfAPausedClockAndAMissedDate(t *testing.T) {
	cal := calendar.Scotland()
	// Asked the client on Monday 9 February; answered Monday 16 February:
	// the clock stood still for 5 working days. A second request, to the GP,
	// does not pause it. Decided late, after a new date was given in time.
	h := applied(adp, day(2, 2)).
		add(day(2, 3), &casework.Acknowledged{}).
		add(day(2, 9), &casework.InformationRequested{What: "a letter about your condition", Why: "to see how it affects you", From: casework.FromClient}).
		add(day(2, 10), &casework.InformationRequested{What: "your medical record", Why: "to see your treatment", From: casework.FromGP, Due: day(2, 12)}).
		add(day(2, 16), &casework.InformationReceived{RequestID: "R1"}).
		add(day(2, 20), &casework.InformationReceived{RequestID: "R2"})
	due := cal.AddWorkingDays(day(2, 2), 60+5)
	revised := cal.AddWorkingDays(due, -2)
	h.add(revised, &casework.DecisionDateRevised{NewDate: due.AddDays(20), Reason: "we are waiting for a second opinion"})
	late := cal.AddWorkingDays(due, 3)
	h.add(late, decided(t, adp, casework.OutcomeRefuse))
	f := facts(t, h)
	checks := []struct {
		name      string
		got, want any
	}{
		{"paused working days", f.PausedWorkingDays, 5},
		{"pauses", f.Pauses, 1},
		{"decision due", f.DecisionDue, due},
		{"working days to decision", f.WorkingDaysToDecision, cal.WorkingDaysBetween(day(2, 2), late) - 5},
		{"decided in time", f.DecidedInTime, false},
		{"date revised on", f.DateRevisedOn, revised},
		{"date revised in time", f.DateRevisedInTime, true},
		{"information requests", f.InformationRequests, 2},
		{"client requests", f.ClientRequests, 1},
		{"answered", f.RequestsAnswered, 2},
		{"answered by due", f.RequestsAnsweredByDue, 1}, // the GP's answer came after 12 February
		{"outcome", f.Outcome, "refuse"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// The longest silence runs from the revised date's update back to the
	// GP request on 10 February, well over the 15-day standard.
	if gap := cal.WorkingDaysBetween(day(2, 10), revised); f.LongestSilence != gap || f.SilenceKept {
		t.Errorf("longest silence %d (kept %v), want %d and not kept", f.LongestSilence, f.SilenceKept, gap)
	}
}

func TestFactsOfARedetermination(t *testing.T) {
	// Decided Monday 2 March; asked to look again on 10 March; our deadline
	// is 56 days later, 5 May; we changed it up, a day late, and the client
	// appealed anyway.
	rd := &casework.RedeterminationDecided{Outcome: casework.RedeterminationChangedUp, DecisionMaker: "senior case manager", Reasons: reasons(t, adp)}
	h := applied(adp, day(2, 2)).
		add(day(3, 2), decided(t, adp, casework.OutcomePartial)).
		add(day(3, 10), &casework.RedeterminationRequested{How: "online", By: "client", Disagreement: "I cannot walk far."}).
		add(day(5, 6), rd).
		add(day(5, 20), &casework.AppealLodged{})
	f := facts(t, h)
	want := struct {
		requested, due, decidedOn, lodged calendar.Date
		requests                          int
		inTime, changed, late             bool
		outcome                           string
	}{day(3, 10), day(5, 5), day(5, 6), day(5, 20), 1, false, true, false, "changed_up"}
	got := struct {
		requested, due, decidedOn, lodged calendar.Date
		requests                          int
		inTime, changed, late             bool
		outcome                           string
	}{f.RedeterminationRequestedOn, f.RedeterminationDue, f.RedeterminationDecidedOn, f.AppealLodgedOn,
		f.RedeterminationRequests, f.RedeterminationInTime, f.RedeterminationChanged, f.LateRequest, f.RedeterminationOutcome}
	if got != want {
		t.Errorf("re-determination facts:\n got %+v\nwant %+v", got, want)
	}
}

func TestFactsOfALateRequestRefusedThenAccepted(t *testing.T) {
	// The window's last day is 15 April 2026 (decided 2 March); two late requests.
	late := &casework.RedeterminationRequested{How: "post", By: "client", Disagreement: "I was too ill to reply.", LateReason: "I was in hospital."}
	again := *late
	h := applied(adp, day(2, 2)).
		add(day(3, 2), decided(t, adp, casework.OutcomeRefuse)).
		add(day(4, 20), late).
		add(day(4, 21), &casework.LateRequestDecided{Outcome: casework.LateRefused, Reason: "You did not say why."}).
		add(day(4, 27), &again).
		add(day(4, 28), &casework.LateRequestDecided{Outcome: casework.LateAccepted, Reason: "You were in hospital."})
	f := facts(t, h)
	if f.RedeterminationRequests != 2 || f.LateRequestsRefused != 1 || !f.LateRequest ||
		f.RedeterminationRequestedOn != day(4, 20) || f.RedeterminationDue != day(4, 28).AddDays(56) || f.RedeterminationInTime {
		t.Errorf("late requests: %+v", f)
	}
}

func TestFactsOfAWithdrawal(t *testing.T) {
	// Never acknowledged; withdrawn on day 1: the withdrawal counts as
	// telling them in time. Withdrawn after 25 silent working days: the
	// silence counts up to the withdrawal.
	quick := facts(t, applied(adp, day(2, 2)).add(day(2, 3), &casework.Withdrawn{}))
	if quick.Status != "withdrawn" || quick.WithdrawnOn != day(2, 3) || !quick.AcknowledgedInTime || quick.DecidedOn != 0 {
		t.Errorf("quick withdrawal: %+v", quick)
	}
	slow := facts(t, applied(adp, day(2, 2)).add(day(2, 3), &casework.Acknowledged{}).add(day(3, 10), &casework.Withdrawn{}))
	if slow.LongestSilence != 25 || slow.SilenceKept {
		t.Errorf("slow withdrawal: silence %d kept %v, want 25 and not kept", slow.LongestSilence, slow.SilenceKept)
	}
	open := facts(t, applied(adp, day(2, 2)).add(day(2, 3), &casework.Acknowledged{}).
		add(day(3, 10), &casework.ClientDetailsUpdated{Conditions: []string{"sensory"}}))
	if open.Status != "open" || open.LongestSilence != 25 || open.ClosedOn != 0 {
		t.Errorf("open application: %+v", open)
	}
}

func practitioner(id string, specialisms ...string) *casework.Practitioner {
	return &casework.Practitioner{ID: id, Name: "Pat " + id, Role: "Nurse", Qualifications: []string{"Registered nurse"},
		Specialisms: specialisms, Active: true}
}

func TestFactsOfConsultations(t *testing.T) {
	because := &casework.ConsultationProposed{MissingInformation: "How your condition affects you on a bad day.",
		WhyNotEnough: "Your GP letter does not say how often bad days happen."}
	book := func(p *casework.Practitioner, starts calendar.Date, override string) *casework.ConsultationScheduled {
		return &casework.ConsultationScheduled{Practitioner: p.ID, PractitionerSnapshot: p, StartsAt: at(starts), How: casework.HowPhone, OverrideReason: override}
	}
	h := applied(adp, day(2, 2)).
		add(day(2, 3), &casework.ClientDetailsUpdated{Conditions: []string{"mental-health", "sensory"}}).
		add(day(2, 4), because).
		add(day(2, 5), book(practitioner("a", "mental-health", "sensory"), day(2, 20), "")).
		add(day(2, 9), &casework.ConsultationCancelled{By: casework.CancelledByClient, Reason: "I was unwell."}).
		add(day(2, 10), &casework.ConsultationProposed{ClientAsked: true}).
		add(day(2, 11), book(practitioner("b", "mental-health", "sensory"), day(2, 23), "")).
		// Rebooked with someone who does not cover sensory, with a reason.
		add(day(2, 12), book(practitioner("c", "mental-health"), day(2, 24), "No one who covers both can see you this month.")).
		add(day(2, 24), &casework.ConsultationHeld{Report: "We talked about how your condition affects your day."})
	f := facts(t, h)
	got := [7]int{f.ConsultationsProposed, f.ConsultationsWithReason, f.ConsultationsClientAsked, f.ConsultationsScheduled,
		f.ConsultationsMatched, f.ConsultationsHeld, f.ConsultationsCancelled}
	// Two proposed, both with a reason (one asked for); two booked, only the
	// first with a practitioner covering both conditions.
	if want := [7]int{2, 2, 1, 2, 1, 1, 1}; got != want || f.ConsultationProposedOn != day(2, 4) {
		t.Errorf("consultations %v (first proposed %s), want %v (2026-02-04)", got, f.ConsultationProposedOn, want)
	}
}

func TestFactsOfHelpFromOthers(t *testing.T) {
	org := &casework.Organisation{ID: "advice-fife", Name: "Advice Fife", Kind: casework.KindIndependentAdvice, Areas: []string{"Fife"}, Active: true}
	h := applied(adp, day(2, 2)).
		add(day(2, 3), &casework.SupporterAuthorised{SupporterID: "s1", Name: "Jo", Relationship: casework.RelationshipAdvocate,
			Organisation: "Advocacy Fife", Email: "jo@example.org", Scope: casework.ScopeAct, AuthorisedBy: "client"}).
		add(day(2, 4), &casework.SupporterAuthorised{SupporterID: "s2", Name: "Al", Relationship: casework.RelationshipPersonTheyKnow,
			Email: "al@example.org", Scope: casework.ScopeView, AuthorisedBy: "client"}).
		add(day(2, 5), &casework.ReferralMade{Organisation: org.ID, OrganisationSnapshot: org, Consent: true, Shared: "your name and phone number"}).
		add(day(2, 6), &casework.ReferralMade{Organisation: org.ID, OrganisationSnapshot: org, Consent: true, Shared: "your name"}).
		add(day(2, 9), &casework.OtherHelpSignposted{Help: "a Council Tax Reduction", From: "your local council"})
	f := facts(t, h)
	if f.Supporters != 2 || f.Advocates != 1 || f.Referrals != 2 || f.ReferralsWithConsent != 2 || f.FirstReferralOn != day(2, 5) || f.Signposts != 1 {
		t.Errorf("help from others: %+v", f)
	}
}

func TestFactsOfRefusesBadLogs(t *testing.T) {
	if _, err := FactsOf(exampleRules(t), nil); errs.KindOf(err) != errs.KindNotFound {
		t.Errorf("no events: %v, want not found", err)
	}
	h := applied(adp, day(2, 2)).add(day(2, 3), decided(t, adp, "maybe"))
	_, err := FactsOf(exampleRules(t), h.events)
	if err == nil || !strings.Contains(err.Error(), "event 2 (decision_made)") || errs.KindOf(err) != errs.KindInvalid {
		t.Errorf("bad decision: %v", err)
	}
}

func TestAgeBand(t *testing.T) {
	on := calendar.NewDate(2026, 4, 10)
	cases := []struct {
		dob  calendar.Date
		want string
	}{
		{0, ""},
		{calendar.NewDate(2010, 4, 11), "under 16"},
		{calendar.NewDate(2010, 4, 10), "16 to 24"}, // 16 today
		{calendar.NewDate(2001, 4, 11), "16 to 24"}, // 24 until tomorrow
		{calendar.NewDate(2001, 4, 10), "25 to 34"},
		{calendar.NewDate(1981, 4, 10), "45 to 54"},
		{calendar.NewDate(1961, 4, 11), "55 to 64"},
		{calendar.NewDate(1961, 4, 10), "65 and over"},
		{calendar.NewDate(2027, 1, 1), ""}, // born after the day: unknown
	}
	for _, c := range cases {
		if got := AgeBand(c.dob, on); got != c.want {
			t.Errorf("AgeBand(%s) = %q, want %q", c.dob, got, c.want)
		}
	}
}

// TestFactFieldsCoverFacts checks the registry names every field of Facts
// once, in order, with the right kind and a description.
func TestFactFieldsCoverFacts(t *testing.T) {
	typ := reflect.TypeFor[Facts]()
	fields := FactFields()
	if len(fields) != typ.NumField() {
		t.Fatalf("%d fact fields for %d struct fields", len(fields), typ.NumField())
	}
	var f Facts
	seen := map[string]bool{}
	for i, ff := range fields {
		sf := typ.Field(i)
		ptr := reflect.ValueOf(ff.Pointer(&f)).Pointer()
		if ptr != reflect.ValueOf(&f).Elem().Field(i).Addr().Pointer() {
			t.Errorf("fact %s does not point at field %s", ff.Name, sf.Name)
		}
		if seen[ff.Name] || ff.Description == "" || strings.ToLower(ff.Name) != ff.Name {
			t.Errorf("fact %s: repeated, undescribed or not lower case", ff.Name)
		}
		seen[ff.Name] = true
		wantKind := map[reflect.Type]FactKind{reflect.TypeFor[string](): FactText, reflect.TypeFor[calendar.Date](): FactDate,
			reflect.TypeFor[int](): FactNumber, reflect.TypeFor[bool](): FactFlag}[sf.Type]
		if ff.Kind != wantKind {
			t.Errorf("fact %s is %s, want %s", ff.Name, ff.Kind, wantKind)
		}
	}
	// Values and ScanTargets round-trip a row.
	f = Facts{Ref: "7KM-4QX-9DC", ReceivedOn: day(2, 2), Referrals: 3, SilenceKept: true}
	vals := f.Values()
	var back Facts
	for i, p := range back.ScanTargets() {
		switch p := p.(type) {
		case *string:
			*p = vals[i].(string)
		case *calendar.Date:
			*p = calendar.Date(vals[i].(int64))
		case *int:
			*p = int(vals[i].(int64))
		case *bool:
			*p = vals[i].(bool)
		}
	}
	if back != f {
		t.Errorf("round trip: %+v, want %+v", back, f)
	}
}
