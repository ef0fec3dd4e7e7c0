package seed

import (
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
)

// Challenges to decisions: a few decided applications ask us to look at the
// decision again (a re-determination), more of them after a refusal or a
// partial award than after an award. Most ask in time, some late with a
// reason, and we accept most late requests. We decide most within our
// deadline, some after it; the outcome is mostly unchanged, sometimes
// changed up and now and then changed down. A few then appeal to the
// tribunal: when we missed our deadline we send the form, and the client
// may appeal before we decide. The newest challenges are still open at the
// end of the history, some of them past our deadline, so the client can
// appeal now.
//
// Every draw here comes from the challenge's own stream (saltChallenge), so
// the stories before the challenges are the same as without them.

// Per mille of decided applications that ask for a re-determination, by
// the decision's outcome.
var challengePm = map[string]int{
	casework.OutcomeRefuse:  90,
	casework.OutcomePartial: 70,
	casework.OutcomeAward:   8,
}

const (
	challengeLatePm       = 120 // of requests: late, with a reason
	challengeLateAcceptPm = 850 // of late requests: accepted
	redetLatePm           = 130 // of requests we decide: after our deadline
	missedAppealPm        = 250 // of missed deadlines: the client appeals before we decide
	appealPm              = 160 // of re-determinations that did not change up: appealed
	appealLatePm          = 60  // of appeals: after the appeal window
)

// challenge tells what happens after the decision, if the client
// challenges it. The story has stopped at the decision; a challenge goes on
// until it is over or the history ends.
func (s *story) challenge() {
	a := s.app
	d := a.Decision
	rules := s.p.b.Challenge
	if !casework.HasRedetermination(rules) || !s.pm(challengePm[d.Outcome]) {
		return
	}
	s.stop = false
	w := casework.NewRequestWindow(rules, d.IssuedAt)

	// The request: most in the first weeks of the window, some late.
	var received calendar.Date
	late := w.LateUntil > w.LastDay && s.pm(challengeLatePm)
	if late {
		span := int(w.LateUntil - w.LastDay)
		received = w.LastDay.AddDays(min(s.between(1, span), s.between(1, min(span, 180))))
	} else {
		span := int(w.LastDay - d.DecidedOn)
		received = d.DecidedOn.AddDays(min(s.between(1, span), s.between(1, span)))
	}
	how := pickWeighted(s, askHows)
	if !s.g.cal.IsWorkingDay(received) {
		how = casework.AskedOnline // the offices and the post are closed
	}
	recorded := received
	actor := "client"
	switch how {
	case casework.AskedByPost:
		recorded = s.wd(received, s.between(0, 1)) // opened the day it came, or the next
		actor = s.caseworker()
	case casework.AskedByPhone, casework.AskedInPerson:
		actor = s.caseworker()
	}
	by := casework.AskedByClient
	switch roll := s.r.IntN(1000); {
	case roll < 150:
		by = casework.AskedBySupporter
	case roll < 200 && actor != "client":
		by = casework.AskedByStaff
	}
	body := &casework.RedeterminationRequested{ReceivedOn: received, How: how, By: by,
		Disagreement: pick(s.r, disagreements[d.Outcome]), Criteria: s.disputed()}
	if late {
		body.LateReason = pick(s.r, lateReasons)
	}
	at := s.timeOn(recorded)
	if how == casework.AskedOnline {
		at = s.anyHour(recorded)
	}
	if !s.cput(recorded, at, actor, body) {
		return
	}

	// A late request: we say whether we accept it, mostly within days.
	if late {
		on := s.wd(s.day, s.between(1, 8))
		if !s.pm(challengeLateAcceptPm) {
			s.cput(on, time.Time{}, s.caseworker(), &casework.LateRequestDecided{Outcome: casework.LateRefused,
				Reason: pick(s.r, lateRefusals)})
			return
		}
		if !s.cput(on, time.Time{}, s.caseworker(), &casework.LateRequestDecided{Outcome: casework.LateAccepted,
			Reason: pick(s.r, lateAcceptances)}) {
			return
		}
	}

	// The re-determination: mostly within our deadline, some after it.
	due := a.Challenge.Request.DecideBy
	if !s.pm(redetLatePm) {
		room := s.g.cal.WorkingDaysBetween(s.day, due)
		on := s.wd(s.day, s.between(min(5, room), room))
		if on > due || on < s.day {
			on = s.day
		}
		if !s.redetermine(on) {
			return
		}
	} else {
		// Late: once the deadline has passed we send the form to appeal,
		// and some clients appeal before we decide.
		formOn := s.nextWorking(due.AddDays(s.between(1, 3)))
		if !s.cput(formOn, time.Time{}, "system", &casework.AppealFormSent{Channel: s.formChannel()}) {
			return
		}
		if s.pm(missedAppealPm) {
			s.appeal(s.day.AddDays(s.between(3, 25)))
			return
		}
		if !s.redetermine(s.wd(due, s.between(1, 20))) {
			return
		}
	}

	// An appeal to the tribunal, by a few who are still not satisfied.
	if a.Challenge.Redetermination.Outcome != casework.RedeterminationChangedUp && s.pm(appealPm) {
		decided := a.Challenge.Redetermination.DecidedOn
		lodged := decided.AddDays(s.between(3, rules.AppealWindowDays))
		if s.pm(appealLatePm) {
			lodged = decided.AddDays(rules.AppealWindowDays + s.between(1, 30))
		}
		s.appeal(lodged)
	}
}

// redetermine records our re-determination on day on.
func (s *story) redetermine(on calendar.Date) bool {
	d := s.app.Decision
	outcome := casework.RedeterminationUnchanged
	up, down := 0, 0
	switch d.Outcome {
	case casework.OutcomeRefuse:
		up = 300
	case casework.OutcomePartial:
		up, down = 280, 60
	case casework.OutcomeAward:
		down = 80
		if s.twoParts() {
			up = 150 // a higher rate
		}
	}
	switch roll := s.r.IntN(1000); {
	case roll < up:
		outcome = casework.RedeterminationChangedUp
	case roll < up+down:
		outcome = casework.RedeterminationChangedDown
	}
	award, reasons := s.redeterminedReasons(outcome)
	maker := pick(s.r, decisionMakers)
	if maker == d.DecisionMaker {
		maker = "senior case manager" // someone who did not make the decision
	}
	return s.cput(on, time.Time{}, s.caseworker(), &casework.RedeterminationDecided{Outcome: outcome, Award: award,
		Reasons: reasons, DecisionMaker: maker})
}

func (s *story) twoParts() bool { return s.p.has["daily-living"] && s.p.has["mobility"] }

// redeterminedReasons gives the award and a reason for every criterion
// after looking at the decision again.
func (s *story) redeterminedReasons(outcome string) (string, []casework.CriterionReason) {
	d, b := s.app.Decision, s.p.b
	reasons := make([]casework.CriterionReason, len(d.Reasons))
	copy(reasons, d.Reasons)
	for i := range reasons {
		reasons[i].Evidence = append([]string(nil), reasons[i].Evidence...)
	}
	met := func(id string, yes bool) {
		for i := range reasons {
			if reasons[i].Criterion != id {
				continue
			}
			reasons[i].Met = yes
			if yes {
				reasons[i].Reason = "We looked at this again with what you sent with your request, and we now find it is met."
				reasons[i].Evidence = append(reasons[i].Evidence, "what the client sent with their request for a re-determination")
			} else {
				reasons[i].Reason = "We looked at the whole application again and found this is not met: " +
					"the evidence does not show it as the first decision said."
			}
		}
	}
	switch outcome {
	case casework.RedeterminationUnchanged:
		for i := range reasons {
			reasons[i].Reason = "We looked at this again and it stays as it was. " + reasons[i].Reason
		}
		return d.Award, reasons
	case casework.RedeterminationChangedUp:
		if s.twoParts() {
			switch d.Outcome {
			case casework.OutcomeRefuse:
				for _, r := range d.Reasons {
					if !r.Met && r.Criterion != "mobility" {
						met(r.Criterion, true)
					}
				}
				return "Daily living part at the standard rate; no mobility part", reasons
			case casework.OutcomePartial:
				met("daily-living", true)
				met("mobility", true)
				return "Daily living part at the standard rate and mobility part at the standard rate", reasons
			}
			met("daily-living", true)
			met("mobility", true)
			return "Daily living part at the enhanced rate and mobility part at the enhanced rate", reasons
		}
		for _, r := range d.Reasons {
			if !r.Met {
				met(r.Criterion, true)
			}
		}
		return fullAward(b, s.app.ReceivedOn), reasons
	}
	// Changed down.
	switch {
	case s.twoParts() && d.Outcome == casework.OutcomeAward:
		met("daily-living", false)
		return "Mobility part at the standard rate; no daily living part", reasons
	case s.twoParts():
		met("daily-living", false)
		met("mobility", false)
		return "", reasons
	case d.Outcome == casework.OutcomeAward && s.p.has["earnings-limit"]:
		met("earnings-limit", false)
		return b.Name + " for the weeks your earnings were under the limit, from " + s.app.ReceivedOn.Long(), reasons
	case d.Outcome == casework.OutcomePartial && s.p.has["earnings-limit"]:
		met("earnings-limit", false)
		return "", reasons
	}
	met(s.refusalCriterion(s.p.has), false)
	return "", reasons
}

// fullAward is what a full award of b says, as decide words it.
func fullAward(b *charter.Benefit, from calendar.Date) string {
	switch b.Kind {
	case charter.KindCarer:
		return b.Name + ", paid every four weeks from " + from.Long()
	case charter.KindGrant:
		return "One payment of " + b.Name
	}
	return b.Name
}

// appeal records an appeal lodged on day lodged and, for an older one, the
// tribunal's decision.
func (s *story) appeal(lodged calendar.Date) {
	recorded := s.nextWorking(lodged.AddDays(s.between(0, 3)))
	if !s.cput(recorded, time.Time{}, s.caseworker(), &casework.AppealLodged{LodgedOn: lodged,
		Note: pick(s.r, appealNotes)}) {
		return
	}
	decided := lodged.AddDays(s.between(70, 260))
	outcome := casework.AppealNotUpheld
	switch roll := s.r.IntN(1000); {
	case roll < 300:
		outcome = casework.AppealUpheld
	case roll < 450:
		outcome = casework.AppealPartlyUpheld
	}
	s.cput(s.nextWorking(decided.AddDays(s.between(1, 10))), time.Time{}, s.caseworker(),
		&casework.AppealDecided{Outcome: outcome, DecidedOn: decided, Note: pick(s.r, tribunalNotes[outcome])})
}

// disputed names the parts of the decision the client disagrees with: the
// criteria not met, or for a disability payment awarded in full the parts
// whose rate they think too low. Some do not say.
func (s *story) disputed() []string {
	if s.pm(200) {
		return nil
	}
	var out []string
	for _, r := range s.app.Decision.Reasons {
		if !r.Met {
			out = append(out, r.Criterion)
		}
	}
	if len(out) == 0 && s.twoParts() {
		out = []string{"daily-living", "mobility"}[s.r.IntN(2):]
	}
	return out
}

func (s *story) formChannel() string {
	if s.app.Client.PreferredContact == "email" {
		return "email"
	}
	return "letter"
}

// nextWorking is day, or the first working day after it.
func (s *story) nextWorking(day calendar.Date) calendar.Date {
	for !s.g.cal.IsWorkingDay(day) {
		day = day.AddDays(1)
	}
	return day
}

// anyHour draws a time on day at the hours people go online, after the
// last event.
func (s *story) anyHour(day calendar.Date) time.Time {
	h, n := 0, s.r.IntN(onlineHourTotal)
	for n >= onlineHourWeight[h] {
		n -= onlineHourWeight[h]
		h++
	}
	y, m, d := day.Date()
	at := time.Date(y, m, d, h, 0, s.r.IntN(3600), 0, london).UTC()
	if !at.After(s.last) {
		return s.timeOn(day)
	}
	return at
}

// cput records a challenge event on day on (at exactly at if set), never
// before the last event and never after the end of the history. It reports
// whether the event was recorded; once it is not, the challenge is over.
func (s *story) cput(on calendar.Date, at time.Time, actor string, body casework.Body) bool {
	if s.stop {
		return false
	}
	if on < s.day {
		on = s.day
	}
	return s.record(on, at, actor, body)
}

type weighted struct {
	v  string
	pm int
}

var askHows = []weighted{{casework.AskedOnline, 450}, {casework.AskedByPhone, 350}, {casework.AskedByPost, 170},
	{casework.AskedInPerson, 30}}

func pickWeighted(s *story, ws []weighted) string {
	n := s.r.IntN(1000)
	for _, w := range ws {
		if n < w.pm {
			return w.v
		}
		n -= w.pm
	}
	return ws[len(ws)-1].v
}

// What clients say when they ask us to look at the decision again, by the
// decision's outcome.
var disagreements = map[string][]string{
	casework.OutcomeRefuse: {
		"I do not think you understood how my condition affects me on a bad day.",
		"The decision says I can do things I cannot do without help. I have sent a letter from my nurse.",
		"I was refused because of something I did send. Please look at it again.",
		"My circumstances are not as the letter describes them, and I want someone else to look at it.",
	},
	casework.OutcomePartial: {
		"I got part of what I applied for, but I think I should get all of it.",
		"The decision leaves out the help I need to get about outside my home.",
		"I do not agree with the part of the decision about my earnings: the payslips show I was under the limit.",
	},
	casework.OutcomeAward: {
		"I think the rate is too low for the help I need every day.",
		"The award does not reflect my bad days, which are most days.",
		"I want you to check the decision again: I was told it might be wrong.",
	},
}

var lateReasons = []string{
	"I was in hospital when the letter came and for several weeks after.",
	"I did not get the letter until my supporter found it; I had moved house.",
	"I was caring for my mother while she was very ill and could not deal with my post.",
	"My mental health was very poor after the decision and I could not face it.",
	"I asked by phone in time but was told to write, and my letter was delayed.",
}

var lateAcceptances = []string{
	"You were in hospital or unwell for most of the time you had to ask, which is a good reason for asking late.",
	"You did not get our letter in time, through no fault of your own, so we accept your request.",
	"What you told us about your circumstances is a good reason for asking late.",
}

var lateRefusals = []string{
	"You told us you forgot to ask. We are sorry, but that is not a reason we can accept; you can ask again if there was another reason.",
	"Nothing you told us stopped you asking in time. If there was something else, you can tell us and ask again.",
}

var appealNotes = []string{
	"The client sent the appeal form to the tribunal; the tribunal told us the same day.",
	"The client appealed with help from a welfare rights adviser.",
	"The tribunal sent us a copy of the appeal and asked for our papers.",
}

// What staff note about the tribunal's decision, by its outcome.
var tribunalNotes = map[string][]string{
	casework.AppealUpheld: {
		"The tribunal agreed with the client and changed the decision. We will put it into effect.",
		"The tribunal found the client meets the criteria; the award is backdated.",
	},
	casework.AppealPartlyUpheld: {
		"The tribunal agreed with the client on part of the decision and changed that part.",
	},
	casework.AppealNotUpheld: {
		"The tribunal agreed with our decision.",
		"The tribunal did not change the decision and explained why to the client.",
	},
}
