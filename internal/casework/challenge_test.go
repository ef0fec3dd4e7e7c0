package casework_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// The example disability benefit's challenge rules: a window of 42 days
// from 48 hours after the decision, late requests up to 365 days after
// that, 56 days for us to decide and 31 days to appeal. Decided at 10:00 on
// Monday 2 March 2026, the window starts on Wednesday 4 March and its last
// day is Wednesday 15 April 2026.
var (
	adpDecided  = at(3, 2)
	adpLastDay  = calendar.NewDate(2026, 4, 15)
	adpLateTill = calendar.NewDate(2027, 4, 15)
)

// on is 10:00 in London on a date.
func on(d calendar.Date) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 10, 0, 0, 0, casework.Zone)
}

func decidedADP(t testing.TB) *log {
	t.Helper()
	adp, _ := rules(t).Benefits.Benefit("adult-disability-payment")
	return received("adult-disability-payment", at(2, 2)).
		add(casework.TypeDecisionMade, adpDecided, &casework.DecisionMade{Outcome: "refuse", DecisionMaker: "case manager", Reasons: reasonsFor(adp)})
}

func ask() *casework.RedeterminationRequested {
	return &casework.RedeterminationRequested{How: "online", By: "client", Disagreement: "I cannot walk far without pain."}
}

func TestChallengeRulesRejectImpossibleEvents(t *testing.T) {
	r := rules(t)
	adp, _ := r.Benefits.Benefit("adult-disability-payment")
	redetermine := func() *casework.RedeterminationDecided {
		return &casework.RedeterminationDecided{Outcome: "unchanged", DecisionMaker: "senior case manager", Reasons: reasonsFor(adp)}
	}
	requested := func() *log {
		return decidedADP(t).add(casework.TypeRedeterminationRequested, at(3, 10), ask())
	}
	lateWaiting := func() *log {
		b := ask()
		b.LateReason = "I was in hospital."
		return decidedADP(t).add(casework.TypeRedeterminationRequested, on(adpLastDay.AddDays(5)), b)
	}
	// Requested on 10 March: due Tuesday 5 May 2026; the client may appeal from 6 May.
	due := calendar.NewDate(2026, 3, 10).AddDays(56)
	missed := func() *log { return requested() }
	redetermined := func() *log { return requested().add(casework.TypeRedeterminationDecided, at(4, 1), redetermine()) }
	appealed := func() *log {
		return redetermined().add(casework.TypeAppealLodged, at(4, 10), &casework.AppealLodged{})
	}
	withdrawn := received("adult-disability-payment", at(2, 2)).add(casework.TypeWithdrawn, at(2, 3), &casework.Withdrawn{})
	twoReasons := append(reasonsFor(adp), reasonsFor(adp)[0])
	unknownReason := reasonsFor(adp)
	unknownReason[0].Criterion = "flying"
	emptyReason := reasonsFor(adp)
	emptyReason[1].Reason = " "

	cases := []struct {
		name  string
		base  *log
		typ   casework.EventType
		when  time.Time
		body  casework.Body
		field string
		says  string
	}{
		// Asking for a re-determination.
		{"request with no decision", received("adult-disability-payment", at(2, 2)), casework.TypeRedeterminationRequested, at(2, 5), ask(), "type", "no decision"},
		{"request on a withdrawn application", withdrawn, casework.TypeRedeterminationRequested, at(2, 5), ask(), "type", "no decision"},
		{"request without saying what is wrong", decidedADP(t), casework.TypeRedeterminationRequested, at(3, 5),
			&casework.RedeterminationRequested{How: "online", By: "client", Disagreement: "  "}, "body.disagreement", "disagrees"},
		{"request by carrier pigeon", decidedADP(t), casework.TypeRedeterminationRequested, at(3, 5),
			&casework.RedeterminationRequested{How: "pigeon", By: "client", Disagreement: "x"}, "body.how", "online, phone, post or in_person"},
		{"request by nobody", decidedADP(t), casework.TypeRedeterminationRequested, at(3, 5),
			&casework.RedeterminationRequested{How: "phone", Disagreement: "x"}, "body.by", "client, supporter or staff"},
		{"request naming a part the decision does not have", decidedADP(t), casework.TypeRedeterminationRequested, at(3, 5),
			&casework.RedeterminationRequested{How: "post", By: "supporter", Disagreement: "x", Criteria: []string{adp.Criteria[0].ID, "flying"}}, "body.criteria[1]", "flying"},
		{"request naming a part twice", decidedADP(t), casework.TypeRedeterminationRequested, at(3, 5),
			&casework.RedeterminationRequested{How: "post", By: "client", Disagreement: "x", Criteria: []string{adp.Criteria[0].ID, adp.Criteria[0].ID}}, "body.criteria[1]", "twice"},
		{"request received after it was recorded", decidedADP(t), casework.TypeRedeterminationRequested, at(3, 5),
			&casework.RedeterminationRequested{How: "post", By: "client", Disagreement: "x", ReceivedOn: calendar.NewDate(2026, 3, 6)}, "body.received_on", "after the day it is recorded"},
		{"request received before the decision", decidedADP(t), casework.TypeRedeterminationRequested, at(3, 5),
			&casework.RedeterminationRequested{How: "post", By: "client", Disagreement: "x", ReceivedOn: calendar.NewDate(2026, 3, 1)}, "body.received_on", "before the decision"},
		{"late request without a reason", decidedADP(t), casework.TypeRedeterminationRequested, on(adpLastDay.AddDays(1)), ask(),
			"body.late_reason", "the last day to ask was Wednesday 15 April 2026"},
		{"request after the late limit", decidedADP(t), casework.TypeRedeterminationRequested, on(adpLateTill.AddDays(1)),
			&casework.RedeterminationRequested{How: "post", By: "client", Disagreement: "x", LateReason: "I forgot"}, "body.received_on", "Thursday 15 April 2027"},
		{"second request while one is open", requested(), casework.TypeRedeterminationRequested, at(3, 12), ask(), "type", "already asked for on Tuesday 10 March 2026"},
		{"second request while a late one waits", lateWaiting(), casework.TypeRedeterminationRequested, on(adpLastDay.AddDays(6)),
			&casework.RedeterminationRequested{How: "post", By: "client", Disagreement: "x", LateReason: "r"}, "type", "deciding whether we can accept it"},
		{"request after the re-determination", redetermined(), casework.TypeRedeterminationRequested, at(4, 2), ask(), "type", "appeal to the tribunal"},

		// Accepting or refusing a late request.
		{"late decision on a request in time", requested(), casework.TypeLateRequestDecided, at(3, 12),
			&casework.LateRequestDecided{Outcome: "accepted", Reason: "r"}, "type", "no late request"},
		{"late decision with no request", decidedADP(t), casework.TypeLateRequestDecided, at(3, 12),
			&casework.LateRequestDecided{Outcome: "accepted", Reason: "r"}, "type", "no late request"},
		{"late decision that is neither", lateWaiting(), casework.TypeLateRequestDecided, on(adpLastDay.AddDays(6)),
			&casework.LateRequestDecided{Outcome: "maybe", Reason: "r"}, "body.outcome", "accepted or refused"},
		{"late decision without a reason", lateWaiting(), casework.TypeLateRequestDecided, on(adpLastDay.AddDays(6)),
			&casework.LateRequestDecided{Outcome: "refused"}, "body.reason", "plain words"},

		// Re-determining.
		{"re-determination with no request", decidedADP(t), casework.TypeRedeterminationDecided, at(3, 12), redetermine(), "type", "no request"},
		{"re-determination of a late request not yet accepted", lateWaiting(), casework.TypeRedeterminationDecided, on(adpLastDay.AddDays(6)), redetermine(), "type", "whether we accept it"},
		{"re-determination with an unknown outcome", requested(), casework.TypeRedeterminationDecided, at(3, 12),
			&casework.RedeterminationDecided{Outcome: "sideways", DecisionMaker: "x", Reasons: reasonsFor(adp)}, "body.outcome", "changed_up"},
		{"re-determination by nobody", requested(), casework.TypeRedeterminationDecided, at(3, 12),
			&casework.RedeterminationDecided{Outcome: "unchanged", Reasons: reasonsFor(adp)}, "body.decision_maker", "role"},
		{"re-determination missing a reason", requested(), casework.TypeRedeterminationDecided, at(3, 12),
			&casework.RedeterminationDecided{Outcome: "unchanged", DecisionMaker: "x", Reasons: reasonsFor(adp)[1:]}, "body.reasons", adp.Criteria[0].ID},
		{"re-determination with a criterion twice", requested(), casework.TypeRedeterminationDecided, at(3, 12),
			&casework.RedeterminationDecided{Outcome: "unchanged", DecisionMaker: "x", Reasons: twoReasons}, "body.reasons[" + itoa(len(adp.Criteria)) + "].criterion", "two reasons"},
		{"re-determination with an unknown criterion", requested(), casework.TypeRedeterminationDecided, at(3, 12),
			&casework.RedeterminationDecided{Outcome: "unchanged", DecisionMaker: "x", Reasons: unknownReason}, "body.reasons[0].criterion", "flying"},
		{"re-determination with an empty reason", requested(), casework.TypeRedeterminationDecided, at(3, 12),
			&casework.RedeterminationDecided{Outcome: "unchanged", DecisionMaker: "x", Reasons: emptyReason}, "body.reasons[1].reason", "plain words"},
		{"second re-determination", redetermined(), casework.TypeRedeterminationDecided, at(4, 2), redetermine(), "type", "already decided on Wednesday 1 April 2026"},
		{"re-determination after the client appealed", missed().add(casework.TypeAppealLodged, on(due.AddDays(1)), &casework.AppealLodged{}),
			casework.TypeRedeterminationDecided, on(due.AddDays(2)), redetermine(), "type", "the tribunal decides now"},

		// The appeal form, and appealing.
		{"appeal form before the deadline", requested(), casework.TypeAppealFormSent, on(due), &casework.AppealFormSent{}, "type", "we have until Tuesday 5 May 2026"},
		{"appeal form with no request", decidedADP(t), casework.TypeAppealFormSent, at(3, 12), &casework.AppealFormSent{}, "type", "no request"},
		{"appeal form for a late request not accepted", lateWaiting(), casework.TypeAppealFormSent, on(adpLastDay.AddDays(90)), &casework.AppealFormSent{}, "type", "not been accepted"},
		{"appeal form by fax", redetermined(), casework.TypeAppealFormSent, at(4, 2), &casework.AppealFormSent{Channel: "fax"}, "body.channel", "letter or email"},
		{"appeal form twice", redetermined().add(casework.TypeAppealFormSent, at(4, 2), &casework.AppealFormSent{}),
			casework.TypeAppealFormSent, at(4, 3), &casework.AppealFormSent{}, "type", "already sent on Thursday 2 April 2026"},
		{"appeal before the deadline", requested(), casework.TypeAppealLodged, on(due), &casework.AppealLodged{}, "type", "cannot appeal yet"},
		{"appeal dated after it was recorded", redetermined(), casework.TypeAppealLodged, at(4, 2),
			&casework.AppealLodged{LodgedOn: calendar.NewDate(2026, 4, 3)}, "body.lodged_on", "after the day it is recorded"},
		{"appeal dated before the re-determination", redetermined(), casework.TypeAppealLodged, at(4, 2),
			&casework.AppealLodged{LodgedOn: calendar.NewDate(2026, 3, 20)}, "type", "cannot appeal yet"},
		{"appeal twice", appealed(), casework.TypeAppealLodged, at(4, 11), &casework.AppealLodged{}, "type", "already appealed on Friday 10 April 2026"},

		// The tribunal's decision.
		{"tribunal decision with no appeal", redetermined(), casework.TypeAppealDecided, at(4, 2), &casework.AppealDecided{Outcome: "upheld"}, "type", "no appeal"},
		{"tribunal decision that is neither", appealed(), casework.TypeAppealDecided, at(5, 2), &casework.AppealDecided{Outcome: "won"}, "body.outcome", "partly_upheld"},
		{"tribunal decision before the appeal", appealed(), casework.TypeAppealDecided, at(5, 2),
			&casework.AppealDecided{Outcome: "upheld", DecidedOn: calendar.NewDate(2026, 4, 9)}, "body.decided_on", "before the appeal"},
		{"tribunal decision dated after it was recorded", appealed(), casework.TypeAppealDecided, at(5, 2),
			&casework.AppealDecided{Outcome: "upheld", DecidedOn: calendar.NewDate(2026, 5, 3)}, "body.decided_on", "after the day it is recorded"},
		{"tribunal decision twice", appealed().add(casework.TypeAppealDecided, at(5, 2), &casework.AppealDecided{Outcome: "upheld"}),
			casework.TypeAppealDecided, at(5, 3), &casework.AppealDecided{Outcome: "not_upheld"}, "type", "already recorded"},
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
			if !ok || e.Kind != errs.KindInvalid || e.Field != c.field || !strings.Contains(e.Error(), c.says) {
				t.Fatalf("got %v (%+v), want invalid on %q saying %q", err, e, c.field, c.says)
			}
			if after, _ := json.Marshal(a); string(after) != string(before) {
				t.Errorf("a refused event changed the application:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// apply applies one event to a, failing the test if it is refused.
func apply(t *testing.T, r casework.Rules, a *casework.Application, typ casework.EventType, when time.Time, body casework.Body) {
	t.Helper()
	if err := a.Apply(r, casework.Event{Seq: a.Version + 1, Type: typ, At: when, Actor: "client", Body: body}); err != nil {
		t.Fatalf("%s at %s: %v", typ, when, err)
	}
}

func TestChallengeInTimeAndMissedDeadline(t *testing.T) {
	r := rules(t)
	adp, _ := r.Benefits.Benefit("adult-disability-payment")
	a, err := casework.Fold(r, decidedADP(t).events)
	if err != nil {
		t.Fatal(err)
	}
	w, ok := a.RequestWindow()
	if !ok || w.StartsOn != calendar.NewDate(2026, 3, 4) || w.LastDay != adpLastDay || w.LateUntil != adpLateTill {
		t.Fatalf("window %+v", w)
	}
	// Before asking: the client can ask until the last day, and the timeline says so.
	tl, _ := a.ChallengeTimeline(calendar.NewDate(2026, 3, 3))
	if tl.Stage != casework.ChallengeCanAsk || !tl.CanAsk || tl.LateReasonNeeded || !strings.Contains(tl.Next, "Wednesday 15 April 2026") {
		t.Errorf("before asking: %+v", tl)
	}
	if tl, _ := a.ChallengeTimeline(adpLastDay.AddDays(1)); tl.Stage != casework.ChallengeCanAskLate || !tl.LateReasonNeeded {
		t.Errorf("the day after the last day: %s", tl.Stage)
	}
	if tl, _ := a.ChallengeTimeline(adpLateTill.AddDays(1)); tl.Stage != casework.ChallengeClosed || tl.CanAsk {
		t.Errorf("after the late limit: %s", tl.Stage)
	}

	// A letter that reached us on the last day, a bank holiday weekend or
	// not, recorded the morning after: in time, counted from the day it
	// reached us.
	apply(t, r, a, casework.TypeRedeterminationRequested, on(adpLastDay.AddDays(1)), &casework.RedeterminationRequested{
		How: "post", By: "supporter", Disagreement: "You did not read my care plan.", Criteria: []string{adp.Criteria[1].ID},
		ReceivedOn: adpLastDay, LateReason: "ignored: the request is in time"})
	req := a.Challenge.Request
	due := adpLastDay.AddDays(56) // Wednesday 10 June 2026
	if req.Late || req.LateReason != "" || req.ReceivedOn != adpLastDay || req.DecideBy != due || req.Criteria[0] != adp.Criteria[1].ID {
		t.Fatalf("request %+v", req)
	}
	tl, _ = a.ChallengeTimeline(due)
	if tl.Stage != casework.ChallengeRequested || tl.DeadlineMissed || tl.CanAppeal || !strings.Contains(tl.Next, "We will decide by Wednesday 10 June 2026") {
		t.Errorf("on the deadline: %+v", tl)
	}
	// The day after the deadline, missed is derived from the dates: the
	// client may appeal straight away, within 31 days of the deadline.
	tl, _ = a.ChallengeTimeline(due.AddDays(1))
	if tl.Stage != casework.ChallengeDeadlineMissed || !tl.DeadlineMissed || !tl.CanAppeal || tl.AppealBy != due.AddDays(31) {
		t.Fatalf("after the deadline: %+v", tl)
	}
	for _, want := range []string{"appeal to the tribunal now", "Appeal by Saturday 11 July 2026", "We will send you the form"} {
		if !strings.Contains(tl.Next, want) {
			t.Errorf("after the deadline, the next step %q does not say %q", tl.Next, want)
		}
	}
	if s := findStep(tl, "We said we would decide by"); s.Status != casework.StepMissed || s.On != due {
		t.Errorf("deadline step %+v", s)
	}
	// Past the last day to appeal, the timeline says so rather than give a date gone by.
	if tl, _ := a.ChallengeTimeline(due.AddDays(32)); !tl.AppealByPassed || !strings.Contains(tl.Next, "The last day to appeal was Saturday 11 July 2026") ||
		findStep(tl, "Last day to appeal").Status != casework.StepPassed {
		t.Errorf("after the last day to appeal: %+v", tl)
	}
	apply(t, r, a, casework.TypeAppealFormSent, on(due.AddDays(1)), &casework.AppealFormSent{})
	tl, _ = a.ChallengeTimeline(due.AddDays(2))
	if !strings.Contains(tl.Next, "We sent you the form to appeal on Thursday 11 June 2026") || a.Challenge.AppealFormSentBy != "letter" {
		t.Errorf("after the form: %q", tl.Next)
	}
	// We re-determine late, before any appeal: the appeal window now runs
	// from the re-determination, and the missed deadline stays on record.
	apply(t, r, a, casework.TypeRedeterminationDecided, on(due.AddDays(5)), &casework.RedeterminationDecided{
		Outcome: "changed_up", Award: "Standard rate of the daily living part", DecisionMaker: "senior case manager", Reasons: reasonsFor(adp)})
	tl, _ = a.ChallengeTimeline(due.AddDays(6))
	if tl.Stage != casework.ChallengeRedetermined || !tl.DeadlineMissed || !a.Challenge.Redetermination.Late ||
		tl.AppealBy != due.AddDays(5+31) || !strings.Contains(tl.Now, "your award goes up") {
		t.Errorf("late re-determination: %+v", tl)
	}
	// The appeal, late: recorded as late, for the tribunal to decide on.
	apply(t, r, a, casework.TypeAppealLodged, on(due.AddDays(40)), &casework.AppealLodged{LodgedOn: due.AddDays(37), Note: "form arrived by post"})
	if ap := a.Challenge.Appeal; !ap.Late || ap.LodgedOn != due.AddDays(37) {
		t.Errorf("appeal %+v", ap)
	}
	apply(t, r, a, casework.TypeAppealDecided, on(due.AddDays(120)), &casework.AppealDecided{Outcome: "partly_upheld", DecidedOn: due.AddDays(118)})
	tl, _ = a.ChallengeTimeline(due.AddDays(121))
	if tl.Stage != casework.ChallengeAppealDecided || tl.CanAppeal || tl.CanAsk || !strings.Contains(tl.Now, "agreed with you in part") {
		t.Errorf("appeal decided: %+v", tl)
	}
	if a.Status != casework.StatusDecided || a.Decision.Outcome != "refuse" {
		t.Errorf("the challenge changed the first decision: %s %s", a.Status, a.Decision.Outcome)
	}
}

func TestChallengeLateRequests(t *testing.T) {
	r := rules(t)
	adp, _ := r.Benefits.Benefit("adult-disability-payment")
	a, err := casework.Fold(r, decidedADP(t).events)
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 on the last day, London summer time, is 22:30 UTC: in time.
	lastEvening := time.Date(2026, 4, 15, 23, 30, 0, 0, casework.Zone)
	inTime := *a
	apply(t, r, &inTime, casework.TypeRedeterminationRequested, lastEvening, ask())
	if inTime.Challenge.Request.Late {
		t.Error("a request at 23:30 on the last day is late")
	}
	// 00:30 the next morning is 23:30 UTC on the last day, but late in Scotland.
	firstMorning := time.Date(2026, 4, 16, 0, 30, 0, 0, casework.Zone)
	refused := *a
	if err := refused.Apply(r, casework.Event{Seq: a.Version + 1, Type: casework.TypeRedeterminationRequested, At: firstMorning, Body: ask()}); errs.KindOf(err) != errs.KindInvalid {
		t.Fatalf("a late request without a reason at %s UTC: %v", firstMorning.UTC().Format(time.RFC3339), err)
	}

	late := ask()
	late.LateReason = "I was in hospital until May."
	apply(t, r, a, casework.TypeRedeterminationRequested, on(calendar.NewDate(2026, 6, 1)), late)
	tl, _ := a.ChallengeTimeline(calendar.NewDate(2026, 6, 2))
	if !a.Challenge.Request.Late || !a.Challenge.Request.DecideBy.IsZero() || tl.Stage != casework.ChallengeLateWaiting || tl.CanAppeal {
		t.Fatalf("late request: %+v / %s", a.Challenge.Request, tl.Stage)
	}
	// Refused: the client may ask again with another reason, while the late limit lasts.
	apply(t, r, a, casework.TypeLateRequestDecided, on(calendar.NewDate(2026, 6, 3)),
		&casework.LateRequestDecided{Outcome: "refused", Reason: "We need to see when you were in hospital."})
	tl, _ = a.ChallengeTimeline(calendar.NewDate(2026, 6, 4))
	if a.Challenge.Request != nil || len(a.Challenge.Refused) != 1 || tl.Stage != casework.ChallengeCanAskLate ||
		findStep(tl, "We could not accept your late request").On != calendar.NewDate(2026, 6, 3) {
		t.Fatalf("after refusing: %+v / %s", a.Challenge, tl.Stage)
	}
	again := ask()
	again.LateReason = "I was in hospital from 1 April to 28 May; my discharge letter is attached."
	apply(t, r, a, casework.TypeRedeterminationRequested, on(calendar.NewDate(2026, 6, 8)), again)
	// Accepted on 10 June: our 56 days count from the acceptance, not the request.
	apply(t, r, a, casework.TypeLateRequestDecided, on(calendar.NewDate(2026, 6, 10)),
		&casework.LateRequestDecided{Outcome: "accepted", Reason: "You were in hospital."})
	if due := a.Challenge.Request.DecideBy; due != calendar.NewDate(2026, 6, 10).AddDays(56) {
		t.Errorf("late request accepted on 10 June is due %s", due)
	}
	apply(t, r, a, casework.TypeRedeterminationDecided, on(calendar.NewDate(2026, 7, 1)), &casework.RedeterminationDecided{
		Outcome: "changed_down", DecisionMaker: "senior case manager", Reasons: reasonsFor(adp)})
	tl, _ = a.ChallengeTimeline(calendar.NewDate(2026, 7, 2))
	if tl.DeadlineMissed || tl.AppealBy != calendar.NewDate(2026, 8, 1) || !strings.Contains(tl.Now, "goes down") {
		t.Errorf("re-determined: %+v", tl)
	}
}

func TestChallengeRequestBeforeTheWindowStarts(t *testing.T) {
	r := rules(t)
	a, _ := casework.Fold(r, decidedADP(t).events)
	// The same afternoon as the decision, before the 48 hours are up.
	apply(t, r, a, casework.TypeRedeterminationRequested, adpDecided.Add(4*time.Hour), ask())
	if req := a.Challenge.Request; req.Late || req.DecideBy != calendar.NewDate(2026, 3, 2).AddDays(56) {
		t.Errorf("request on the day of the decision: %+v", req)
	}
}

func findStep(tl casework.ChallengeTimeline, name string) casework.ChallengeStep {
	for _, s := range tl.Steps {
		if strings.HasPrefix(s.Name, name) {
			return s
		}
	}
	return casework.ChallengeStep{}
}

func TestDecisionNotice(t *testing.T) {
	r := rules(t)
	adp, _ := r.Benefits.Benefit("adult-disability-payment")
	a, _ := casework.Fold(r, received("adult-disability-payment", at(2, 2)).events)
	if _, err := casework.NewDecisionNotice(a); errs.KindOf(err) != errs.KindNotFound {
		t.Fatalf("no decision: %v, want not found", err)
	}
	reasons := reasonsFor(adp)
	// Reasons in another order than the benefit's, relying on evidence by id and by name.
	reasons[0], reasons[1] = reasons[1], reasons[0]
	reasons[0].Met, reasons[0].Evidence = false, []string{adp.Evidence[0].ID, "A letter from your physiotherapist"}
	reasons[1].Evidence = []string{adp.Evidence[0].ID}
	apply(t, r, a, casework.TypeDecisionMade, adpDecided, &casework.DecisionMade{Outcome: "partial", Award: "Standard rate of the daily living part",
		DecisionMaker: "case manager", Reasons: reasons})
	n, err := casework.NewDecisionNotice(a)
	if err != nil {
		t.Fatal(err)
	}
	if n.OutcomeText != "You will get part of Adult Disability Payment." || n.IssuedOn != calendar.NewDate(2026, 3, 2) || n.Award == "" {
		t.Errorf("outcome %q on %s", n.OutcomeText, n.IssuedOn)
	}
	for i, c := range adp.Criteria {
		if n.Reasons[i].Criterion != c.ID || n.Reasons[i].Question != c.Question {
			t.Errorf("reason %d is %q (%q), want the benefit's order with its question", i, n.Reasons[i].Criterion, n.Reasons[i].Question)
		}
	}
	if n.Reasons[1].Met || n.Reasons[1].Evidence[0] != adp.Evidence[0].Name {
		t.Errorf("reason %+v", n.Reasons[1])
	}
	if len(n.EvidenceUsed) != 2 || n.EvidenceUsed[0] != adp.Evidence[0].Name || n.EvidenceUsed[1] != "A letter from your physiotherapist" {
		t.Errorf("evidence used %q", n.EvidenceUsed)
	}
	d := n.Disagree
	if !d.Available || d.AskBy != adpLastDay || d.LateUntil != adpLateTill || d.WindowStartsOn != calendar.NewDate(2026, 3, 4) ||
		d.WindowDays != 42 || d.DecideWithinDays != 56 || d.AppealWindowDays != 31 || len(d.HowToAsk) != 3 {
		t.Errorf("if you disagree: %+v", d)
	}
	text := strings.Join(append(n.WhatHappensNext, d.CannotWithdraw, d.MayGoUpOrDown, d.DatesDoNotMove, n.IndependentAdvice, d.HowToAsk[2].Text), " ")
	for _, want := range []string{"by Wednesday 15 April 2026", "until Thursday 15 April 2027", "within 56 days", "cannot withdraw",
		"go up, go down", "does not move", "independent advice", "appeal straight away", a.Ref.String()} {
		if !strings.Contains(text, want) {
			t.Errorf("the notice does not say %q", want)
		}
	}
	if strings.Join(n.Commitments, " ") != "clear-reasons independent-advice-and-supporters challenge-a-decision" {
		t.Errorf("commitments %q", n.Commitments)
	}
	// The notice is plain data: it round-trips through JSON.
	b, err := json.Marshal(n)
	if err != nil || !strings.Contains(string(b), `"ask_by":"2026-04-15"`) {
		t.Errorf("JSON: %s %v", b, err)
	}
}
