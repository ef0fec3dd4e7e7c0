package seed

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/message"
)

// story makes one application's events, one at a time, in order.
type story struct {
	g      *generator
	r      *rand.Rand
	p      *plan
	app    *casework.Application
	events []casework.Event
	last   time.Time     // the last event's time
	day    calendar.Date // and its date
	stop   bool          // closed, or the next event would be after the end
	err    error

	staff     string // the caseworker who has the case
	age       int
	diligent  bool            // keeps to the update standard every time
	target    int             // working days from receipt to decision, not counting pauses
	withdrawn calendar.Date   // the day the client will withdraw, if they will
	why       string          // the reason they will give
	asked     [2]*requestText // the requests made, R1 and R2
	noAnswer  string          // something asked for and never sent
	updating  bool
}

// application makes the story of one application arriving in sl.
func (g *generator) application(sl slot) (Generated, error) {
	g.src.Seed(g.seed, uint64(g.made))
	g.xsrc.Seed(g.xseed, uint64(g.made))
	g.hsrc.Seed(g.hseed, uint64(g.made))
	g.made++
	s := &story{g: g, r: g.r, app: &casework.Application{}, events: make([]casework.Event, 0, 16)}
	s.tell(sl)
	if s.err == nil && s.app.Decision != nil {
		// The challenge draws from its own stream, seeded by the story's
		// number, so the story before it is the same as without it.
		g.csrc.Seed(g.cseed, uint64(g.made-1))
		s.r = g.cr
		s.challenge()
	}
	s.catchUpTimers()
	if s.err != nil {
		return Generated{}, s.err
	}
	s.app.Ref = g.nextRef()
	return Generated{App: s.app, Events: s.events}, nil
}

func (s *story) pm(permille int) bool { return s.r.IntN(1000) < permille }

// between draws a whole number from lo to hi inclusive.
func (s *story) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + s.r.IntN(hi-lo+1)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (s *story) wd(d calendar.Date, n int) calendar.Date { return s.g.cal.AddWorkingDays(d, n) }

func (s *story) caseworker() string { return "caseworker:" + s.staff }

// tell makes the whole story: received, acknowledged, worked through the
// benefit's stages with perhaps a request for information or two, and
// decided or withdrawn — or as far as it got by the end of the history.
func (s *story) tell(sl slot) {
	g := s.g
	s.p = g.pickPlan(s.r)
	p, b := s.p, s.p.b
	s.staff = pick(s.r, staff)
	s.diligent = s.pm(850)

	received := casework.LocalDate(sl.at)
	client, age := s.client(p.kind, received)
	s.age = age
	actor := "client"
	if sl.channel != "online" {
		actor = s.caseworker()
	}
	if !s.put(received, sl.at, actor, &casework.Received{Benefit: b.ID, Client: client, Channel: sl.channel}) {
		return
	}
	s.plan(received)

	// Acknowledge: online applications often at once by the system, others
	// by a caseworker within the standard, a few late.
	ackDays := max(1, b.Standards.AcknowledgeWorkingDays)
	var ackOn calendar.Date
	var ackAt time.Time
	ackActor := s.caseworker()
	switch {
	case sl.channel == "online" && s.pm(550):
		ackAt = sl.at.Add(time.Duration(s.between(1, 20)) * time.Minute)
		ackOn, ackActor = casework.LocalDate(ackAt), "system"
	case s.pm(920):
		ackOn = s.wd(received, min(s.between(1, ackDays), s.between(1, ackDays)))
	default:
		ackOn = s.wd(received, ackDays+s.between(1, 6))
	}
	if !s.put(ackOn, ackAt, ackActor, &casework.Acknowledged{}) {
		return
	}
	if p.ackStage != "" && !s.put(s.day, time.Time{}, ackActor, &casework.StageChanged{Stage: p.ackStage}) {
		return
	}
	if s.help(); s.stop {
		return
	}

	// Work through the benefit's own stages. Information is asked for in
	// the first of them.
	asked := false
	work := 0
	for _, st := range p.middle {
		if st.optional {
			if !s.pm(150) {
				continue
			}
			s.target += s.between(5, 15) // a consultation takes time
			if st.id == casework.StageConsultation {
				// Booking the consultation enters the stage (consultation.go).
				if !s.consultation() {
					return
				}
				continue
			}
			note := ""
			if st.consult {
				note = pick(s.r, consultationNotes)
			}
			if !s.put(s.wd(s.day, s.between(3, 10)), time.Time{}, s.caseworker(), &casework.StageChanged{Stage: st.id, Note: note}) {
				return
			}
			continue
		}
		on := s.wd(s.day, s.between(0, 2))
		if work > 0 {
			on = s.wd(s.day, s.between(2, max(2, s.target/(len(p.middle)+1))))
		}
		if !s.put(on, time.Time{}, s.caseworker(), &casework.StageChanged{Stage: st.id}) {
			return
		}
		work++
		if !asked {
			asked = true
			if !s.requests() {
				return
			}
		}
	}
	if !asked && !s.requests() {
		return
	}

	// Decide: on the target day, moved on by any time the clock was paused,
	// and never sooner than a day or two after the last thing that happened.
	paused := s.app.DecisionClock(g.cal, s.day).PausedWorkingDays
	on := s.wd(received, s.target+paused)
	if soonest := s.wd(s.day, s.between(1, 3)); on < soonest {
		on = soonest
	}
	s.decide(on)
}

// plan decides, at the start, how long the decision will take and whether
// the client will withdraw.
func (s *story) plan(received calendar.Date) {
	p, std := s.p, s.p.b.Standards.DecideWorkingDays
	late := p.latePm
	if _, m, _ := received.Date(); m <= time.March {
		late += 50 // the winter backlog
	}
	if received < s.g.start+(s.g.end-s.g.start)/3 {
		late += 40 // the service has got better since
	}
	switch {
	case !s.pm(late):
		// Most decisions come well within the standard.
		s.target = std * (s.between(35, 100) + s.between(35, 100)) / 200
	case s.pm(200):
		s.target = std * s.between(135, 200) / 100 // very late
	default:
		s.target = std*s.between(101, 135)/100 + 1
	}
	s.target = max(s.target, max(1, s.p.b.Standards.AcknowledgeWorkingDays)+2)
	if s.pm(30) {
		s.withdrawn = s.wd(received, s.between(2, max(3, s.target)))
		s.why = pick(s.r, withdrawReasons)
	}
}

// pickPlan draws a benefit by its share of applications.
func (g *generator) pickPlan(r *rand.Rand) *plan {
	n := r.IntN(g.weight)
	for _, p := range g.plans {
		if n < p.weight {
			return p
		}
		n -= p.weight
	}
	return g.plans[len(g.plans)-1]
}

// requests asks some applications for information and records the answers:
// most on time, some late, some in two parts, a few never. It reports
// whether the story goes on.
func (s *story) requests() bool {
	p := s.p
	if !s.pm(p.askPm) {
		return true
	}
	first := s.pickRequest(-1)
	if !s.request(first, 0) {
		return false
	}
	if s.pm(150) {
		return s.request(s.pickRequest(first), 1)
	}
	return true
}

// pickRequest draws a kind of request other than not (-1: any). For a
// disability payment about half go to the client and most of the rest to
// the GP practice.
func (s *story) pickRequest(not int) int {
	rs := s.p.requests
	for range 8 {
		i := s.r.IntN(len(rs))
		if s.p.kind == charter.KindDisability && rs[i].from == casework.FromClient && s.pm(250) {
			continue // lean towards the GP practice
		}
		if i != not || len(rs) == 1 {
			return i
		}
	}
	return (not + 1) % len(rs)
}

// request asks for information of kind i, as the n-th request (from 0).
func (s *story) request(i, n int) bool {
	q := &s.p.requests[i]
	id := "R" + strconv.Itoa(n+1)
	s.asked[n] = q
	on := s.wd(s.day, s.between(1, max(1, s.target/4)))
	body := &casework.InformationRequested{RequestID: id, What: q.what, Why: q.why, From: q.from, How: q.how}
	if !s.put(on, time.Time{}, s.caseworker(), body) {
		return false
	}
	asked, due := s.day, body.Due
	allowed := s.g.cal.WorkingDaysBetween(asked, due)
	answerer := "client"
	if q.from != casework.FromClient {
		answerer = s.caseworker() // a caseworker records what a GP practice or an organisation sends
	}
	onTime, late := 620, 220
	if q.from != casework.FromClient {
		onTime, late = 500, 420
	}
	never := 70
	if q.from != casework.FromClient {
		never = 30
	}
	switch roll := s.r.IntN(1000); {
	case roll < onTime:
		return s.put(s.wd(asked, s.between(2, allowed)), time.Time{}, answerer,
			&casework.InformationReceived{RequestID: id, Note: q.full})
	case roll < onTime+late:
		return s.put(s.wd(due, s.between(1, 15)), time.Time{}, answerer,
			&casework.InformationReceived{RequestID: id, Note: q.full})
	case roll < 1000-never && q.partial != "":
		if !s.put(s.wd(asked, s.between(2, allowed)), time.Time{}, answerer,
			&casework.InformationReceived{RequestID: id, Note: q.partial, Partial: true}) {
			return false
		}
		return s.put(s.wd(s.day, s.between(3, 15)), time.Time{}, answerer,
			&casework.InformationReceived{RequestID: id, Note: q.full})
	case roll < 1000-never:
		return s.put(s.wd(asked, s.between(2, allowed)), time.Time{}, answerer,
			&casework.InformationReceived{RequestID: id, Note: q.full})
	}
	// Never answered. Most clients who never answer withdraw in the end;
	// otherwise we decide on what we have once the date has long passed.
	cal := s.g.cal
	if q.from == casework.FromClient && s.pm(700) {
		w := s.wd(due, s.between(10, 25))
		if s.withdrawn.IsZero() || w < s.withdrawn {
			s.withdrawn = w
			s.why = "The client did not send " + q.shortSubject + ", which we asked for on " + asked.Long() +
				", and asked us to close the application."
		}
		s.target = max(s.target, cal.WorkingDaysBetween(s.app.ReceivedOn, w)+s.between(5, 15))
	}
	s.noAnswer = q.shortSubject
	s.target = max(s.target, cal.WorkingDaysBetween(s.app.ReceivedOn, due)+s.between(5, 15))
	return true
}

// decide records the decision on day on, with a reason for every criterion.
func (s *story) decide(on calendar.Date) {
	if s.reviseIfLate(on); s.stop {
		return
	}
	p, b := s.p, s.p.b
	award, partial := p.awardPm, p.partialPm
	if s.noAnswer != "" {
		award, partial = award/2, partial/2
	}
	outcome := casework.OutcomeRefuse
	switch roll := s.r.IntN(1000); {
	case roll < award:
		outcome = casework.OutcomeAward
	case roll < award+partial:
		outcome = casework.OutcomePartial
	}

	f := decisionFacts{kind: p.kind, area: s.app.Client.Area, age: s.age, noAnswer: s.noAnswer}
	has := p.has
	twoParts := has["daily-living"] && has["mobility"]
	bothParts := true
	awardText := ""
	switch {
	case twoParts:
		r := func() rate { return rate(s.between(int(rateStandard), int(rateEnhanced))) }
		switch outcome {
		case casework.OutcomeAward:
			f.daily, f.mobility = r(), r()
			awardText = "Daily living part at the " + f.daily.String() + " rate and mobility part at the " + f.mobility.String() + " rate"
		case casework.OutcomePartial:
			if s.pm(650) {
				f.daily = r()
				awardText = "Daily living part at the " + f.daily.String() + " rate; no mobility part"
			} else {
				f.mobility = r()
				awardText = "Mobility part at the " + f.mobility.String() + " rate; no daily living part"
			}
		default:
			if has["residence"] && s.pm(120) {
				f.failed, bothParts = "residence", false
			}
		}
	case outcome == casework.OutcomePartial && has["earnings-limit"]:
		f.failed, f.partial = "earnings-limit", true
		awardText = b.Name + " for the weeks your earnings were under the limit, from " + s.app.ReceivedOn.Long()
	case outcome == casework.OutcomePartial:
		outcome = casework.OutcomeAward // nothing to part-award for this benefit
		fallthrough
	case outcome == casework.OutcomeAward:
		awardText = b.Name
		if p.kind == charter.KindCarer {
			awardText += ", paid every four weeks from " + s.app.ReceivedOn.Long()
		} else if p.kind == charter.KindGrant {
			awardText = "One payment of " + b.Name
		}
	default:
		f.failed = s.refusalCriterion(has)
	}

	f.hours = s.between(35, 80)
	if f.failed == "caring-hours" {
		f.hours = s.between(12, 34)
	}
	reasons := make([]casework.CriterionReason, 0, len(b.Criteria))
	for _, c := range b.Criteria {
		met := c.ID != f.failed
		switch {
		case twoParts && c.ID == "daily-living":
			met = f.daily != rateNone
		case twoParts && c.ID == "mobility":
			met = f.mobility != rateNone
		}
		reasons = append(reasons, casework.CriterionReason{Criterion: c.ID, Met: met,
			Reason: reasonText(c, met, f, bothParts), Evidence: s.evidence(c.ID)})
	}
	s.put(on, time.Time{}, s.caseworker(), &casework.DecisionMade{Outcome: outcome, Award: awardText,
		Reasons: reasons, DecisionMaker: pick(s.r, decisionMakers)})
}

// refusalCriterion picks the criterion a refusal turns on: rarely where the
// person lives, never their age, otherwise any of the benefit's own tests.
func (s *story) refusalCriterion(has map[string]bool) string {
	var own []string
	for _, c := range s.p.b.Criteria {
		if c.ID != "residence" && c.ID != "age" {
			own = append(own, c.ID)
		}
	}
	if len(own) == 0 || (has["residence"] && s.pm(100)) {
		if has["residence"] {
			return "residence"
		}
		return s.p.b.Criteria[0].ID
	}
	return pick(s.r, own)
}

// put records an event on day on: at exactly at if it is set, otherwise at
// a time in office hours after the last event. First it sends any updates
// the client is owed by then, and records a withdrawal that comes first. It
// reports whether the event was recorded; once it is not, the story is over.
func (s *story) put(on calendar.Date, at time.Time, actor string, body casework.Body) bool {
	if s.stop {
		return false
	}
	if on < s.day {
		on = s.day
	}
	if !s.withdrawn.IsZero() && s.withdrawn <= on {
		w := s.withdrawn
		s.withdrawn = 0
		actor := "client"
		if s.app.Channel != "online" || s.pm(300) {
			actor = s.caseworker() // the client phoned
		}
		s.put(w, time.Time{}, actor, &casework.Withdrawn{Reason: s.why})
		s.stop = true
		return false
	}
	if s.app.Version > 0 && !s.updating {
		s.updatesBefore(on)
		if s.stop {
			return false
		}
	}
	if !s.record(on, at, actor, body) {
		return false
	}
	if s.app.Status != casework.StatusOpen {
		s.stop = true
	}
	return true
}

// timeOn draws a time in office hours on day, after the last event.
func (s *story) timeOn(day calendar.Date) time.Time {
	y, m, d := day.Date()
	at := time.Date(y, m, d, 8, 30, s.r.IntN(9*3600), 0, london).UTC()
	if !at.After(s.last) {
		at = s.last.Add(time.Duration(s.between(60, 40*60)) * time.Second)
		if casework.LocalDate(at) != day {
			at = s.last
		}
	}
	return at
}

// updatesBefore sends the client the updates they are owed before day on,
// when otherwise they would go longer than the benefit's standard without
// hearing from us. Most applications get every one on time; some do not.
func (s *story) updatesBefore(on calendar.Date) {
	maxGap := s.p.b.Standards.MaxWorkingDaysWithoutUpdate
	if maxGap <= 0 {
		return
	}
	cal := s.g.cal
	for !s.stop && cal.WorkingDaysBetween(s.app.LastUpdateOn, on) > maxGap {
		var u calendar.Date
		if s.diligent || s.pm(500) {
			u = s.wd(s.app.LastUpdateOn, maxGap-s.between(0, min(3, maxGap-1)))
		} else {
			u = s.wd(s.app.LastUpdateOn, maxGap+s.between(1, 8))
		}
		if u >= on {
			return // what happens on the day tells them
		}
		s.updating = true
		s.put(u, time.Time{}, "system", &casework.UpdateSent{Channel: s.contactChannel(), Summary: s.updateText(u)})
		s.updating = false
	}
}

func (s *story) contactChannel() string {
	if c := s.app.Client.PreferredContact; c != "" {
		return c
	}
	return "letter"
}

// updateText says in plain words, with dates, how the application is going.
func (s *story) updateText(on calendar.Date) string {
	clock := s.app.DecisionClock(s.g.cal, on)
	if open := s.app.OpenRequests(); len(open) > 0 {
		q, r := s.asked[0], open[0]
		if r.ID == "R2" && s.asked[1] != nil {
			q = s.asked[1]
		}
		if q.from == casework.FromClient {
			return "We are still waiting for " + q.shortSubject + ", which we asked for on " + r.RequestedOn.Long() +
				". Please send it by " + r.Due.Long() + ", or tell us if you need more time."
		}
		return "We have asked for " + q.shortSubject + " and are waiting for it. We expect to decide by " + clock.Due.Long() + "."
	}
	if clock.Due < on {
		expect := s.wd(s.app.ReceivedOn, s.target+clock.PausedWorkingDays)
		if expect <= on {
			expect = s.wd(on, 10)
		}
		return "We are sorry: we said we would decide by " + clock.Due.Long() + ", and we have not. We now expect to decide by " +
			expect.Long() + "."
	}
	if s.pm(500) {
		return "A case manager is looking at your application and the information you sent. We still expect to decide by " +
			clock.Due.Long() + "."
	}
	return "We are still working on your application. We expect to decide by " + clock.Due.Long() + "."
}

// evidence names what a reason rests on: the first of the usual evidence
// for the criterion, and each of the rest if this client sent it.
func (s *story) evidence(criterion string) []string {
	all := s.p.evidence[criterion]
	out := make([]string, 1, len(all))
	out[0] = all[0]
	for _, e := range all[1:] {
		if s.pm(600) {
			out = append(out, e)
		}
	}
	return out
}

// record applies one event at at (or at a working time on on), unless that
// is after the end of the history. Any refusal by the rules is a bug in the
// seed: it is kept in s.err and the story stops.
func (s *story) record(on calendar.Date, at time.Time, actor string, body casework.Body) bool {
	if at.IsZero() {
		at = s.timeOn(on)
	}
	if at.After(s.g.cutoff) {
		s.stop = true
		return false
	}
	e := casework.Event{Seq: len(s.events) + 1, Type: body.Type(), At: at, Actor: actor, Body: body}
	if err := s.app.Apply(s.g.rules, e); err != nil {
		s.err = fmt.Errorf("seed: application %d (%s) event %d (%s on %s): %w",
			s.g.made, s.p.b.ID, e.Seq, e.Type, on, err)
		s.stop = true
		return false
	}
	s.events = append(s.events, e)
	s.last, s.day = at, casework.LocalDate(at)
	return true
}

// catchUpTimers records what the service's own timers would have done by
// the end of the history (message.Timers): the update a client is owed
// when nobody has written for too long, the alert and the apology for a
// decision date passed, a reminder, the appeal form once our deadline to
// look again has gone by. So a history ends as the live service would
// leave it, and nothing is overdue the moment it starts.
func (s *story) catchUpTimers() {
	if s.err != nil || s.app.Version == 0 {
		return
	}
	for range 16 {
		due := message.Due(s.app, s.g.cal, s.g.cutoff)
		if len(due) == 0 {
			return
		}
		t := due[0]
		at := message.SendAt(t.On).UTC()
		if !at.After(s.last) {
			at = s.last.Add(time.Minute)
		}
		typ, body := t.Event(s.contactChannel())
		e := casework.Event{Seq: len(s.events) + 1, Type: typ, At: at, Actor: "system", Body: body}
		if at.After(s.g.cutoff) {
			return // after the last event of the story, on the last day: the live service will do it
		}
		if err := s.app.Apply(s.g.rules, e); err != nil {
			s.err = fmt.Errorf("seed: application %d (%s) timer %s: %w", s.g.made, s.p.b.ID, t.Key(), err)
			return
		}
		s.events = append(s.events, e)
		s.last, s.day = at, casework.LocalDate(at)
	}
}
