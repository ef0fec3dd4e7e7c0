package casework

import (
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// DecisionNotice is what a client is told about a decision (commitment
// 1.8): the outcome in plain words, the reason for each criterion with its
// question, the evidence relied on, and what to do, by which date, if they
// disagree. It is plain data built by a pure function, so the client's
// page, the API and, later, the decision letter all say the same thing.
type DecisionNotice struct {
	Reference     Reference      `json:"reference"`
	Benefit       string         `json:"benefit"`
	BenefitName   string         `json:"benefit_name"`
	ClientName    string         `json:"client_name"`
	IssuedOn      calendar.Date  `json:"issued_on"`
	Outcome       string         `json:"outcome"`      // award | partial | refuse
	OutcomeText   string         `json:"outcome_text"` // "You will get Adult Disability Payment."
	Award         string         `json:"award,omitempty"`
	DecisionMaker string         `json:"decision_maker"` // the role, not the person
	Reasons       []NoticeReason `json:"reasons"`
	// EvidenceUsed is every piece of evidence the reasons relied on, once
	// each, in the order the reasons name them.
	EvidenceUsed []string        `json:"evidence_used"`
	Disagree     NoticeChallenge `json:"if_you_disagree"`
	// IndependentAdvice says free independent advice is there (commitment 1.6).
	IndependentAdvice string   `json:"independent_advice"`
	WhatHappensNext   []string `json:"what_happens_next"`
	// Commitments are the stable keys of the charter commitments the
	// notice keeps.
	Commitments []string `json:"commitments"`
}

// NoticeReason is the decision on one criterion, with the criterion's question.
type NoticeReason struct {
	Criterion string   `json:"criterion"`
	Question  string   `json:"question"`
	Met       bool     `json:"met"`
	Reason    string   `json:"reason"`
	Evidence  []string `json:"evidence,omitempty"` // by name where the benefit names it
}

// NoticeChallenge is how to challenge the decision, with its dates.
type NoticeChallenge struct {
	// Available is false when the benefit sets no re-determination window;
	// the dates are then zero and the client is told to contact us.
	Available        bool          `json:"available"`
	WindowDays       int           `json:"window_days"`
	StartsAfterHours int           `json:"starts_after_hours"`
	WindowStartsOn   calendar.Date `json:"window_starts_on,omitzero"`
	AskBy            calendar.Date `json:"ask_by,omitzero"` // the last day to ask, as a date
	LateUntil        calendar.Date `json:"late_until,omitzero"`
	DecideWithinDays int           `json:"decide_within_days"`
	AppealWindowDays int           `json:"appeal_window_days"`
	HowToAsk         []HowToAsk    `json:"how_to_ask"`
	CannotWithdraw   string        `json:"cannot_withdraw"`
	MayGoUpOrDown    string        `json:"may_go_up_or_down"`
	DatesDoNotMove   string        `json:"dates_do_not_move"`
}

// HowToAsk is one way to ask for a re-determination.
type HowToAsk struct {
	Channel string `json:"channel"` // online | phone | post
	Text    string `json:"text"`
}

// Words every notice uses, in one place.
const (
	noticeCannotWithdraw = "Once you have asked us to look at the decision again, you cannot withdraw the request."
	noticeMayGoUpOrDown  = "When we look at the decision again we look at all of it, so your award may go up, go down or stay the same."
	noticeDatesDoNotMove = "A date that falls on a weekend or a bank holiday does not move."
	noticeAdvice         = "Free, independent advice is available from organisations that are not part of this service, such as a welfare rights service or an advice centre. They can help you decide whether to ask us to look at the decision again, and help you ask."
)

// NewDecisionNotice builds the notice of the application's decision. It is
// a not-found error when there is no decision yet.
func NewDecisionNotice(a *Application) (DecisionNotice, error) {
	d := a.Decision
	if d == nil || a.benefit == nil {
		return DecisionNotice{}, errs.NotFound("there is no decision on this application yet")
	}
	b := a.benefit
	n := DecisionNotice{
		Reference: a.Ref, Benefit: b.ID, BenefitName: b.Name, ClientName: a.Client.Name,
		IssuedOn: d.DecidedOn, Outcome: d.Outcome, Award: d.Award, DecisionMaker: d.DecisionMaker,
		Reasons: []NoticeReason{}, EvidenceUsed: []string{}, IndependentAdvice: noticeAdvice,
		Commitments: []string{CommitmentReasons, CommitmentSupporters, CommitmentChallenge},
	}
	switch d.Outcome {
	case OutcomeAward:
		n.OutcomeText = "You will get " + b.Name + "."
	case OutcomePartial:
		n.OutcomeText = "You will get part of " + b.Name + "."
	default:
		n.OutcomeText = "You will not get " + b.Name + "."
	}
	evidenceNames := map[string]string{}
	for _, e := range b.Evidence {
		evidenceNames[e.ID] = e.Name
	}
	used := map[string]bool{}
	for _, c := range b.Criteria { // in the benefit's order, whatever order the reasons came in
		for _, r := range d.Reasons {
			if r.Criterion != c.ID {
				continue
			}
			nr := NoticeReason{Criterion: c.ID, Question: c.Question, Met: r.Met, Reason: r.Reason}
			for _, ev := range r.Evidence {
				if name, ok := evidenceNames[ev]; ok {
					ev = name
				}
				nr.Evidence = append(nr.Evidence, ev)
				if !used[ev] {
					used[ev] = true
					n.EvidenceUsed = append(n.EvidenceUsed, ev)
				}
			}
			n.Reasons = append(n.Reasons, nr)
		}
	}

	rules := b.Challenge
	ch := NoticeChallenge{
		WindowDays: rules.RedeterminationWindowDays, StartsAfterHours: rules.WindowStartsAfterHours,
		DecideWithinDays: rules.RedeterminationDeadlineDays, AppealWindowDays: rules.AppealWindowDays,
		CannotWithdraw: noticeCannotWithdraw, MayGoUpOrDown: noticeMayGoUpOrDown, DatesDoNotMove: noticeDatesDoNotMove,
		HowToAsk: []HowToAsk{
			{Channel: AskedOnline, Text: "Online: sign in to your application page and choose “Ask us to look at the decision again”."},
			{Channel: AskedByPhone, Text: "By phone: tell us what you disagree with. We will write it down and read it back to you."},
			{Channel: AskedByPost, Text: "By post: write to us, quoting your reference " + a.Ref.String() + ", and say what you disagree with. A letter counts from the day it reaches us."},
		},
	}
	if w, ok := a.RequestWindow(); ok {
		ch.Available = true
		ch.WindowStartsOn, ch.AskBy, ch.LateUntil = w.StartsOn, w.LastDay, w.LateUntil
	}
	n.Disagree = ch

	if d.Outcome == OutcomeRefuse {
		n.WhatHappensNext = append(n.WhatHappensNext, "You will not get payments from this application.")
	} else {
		n.WhatHappensNext = append(n.WhatHappensNext, "Your award above says what you will get and from when.")
	}
	n.WhatHappensNext = append(n.WhatHappensNext, "If you agree with the decision, you do not need to do anything.")
	if ch.Available {
		n.WhatHappensNext = append(n.WhatHappensNext,
			"If you disagree, ask us to look at the decision again by "+ch.AskBy.Long()+
				". Someone who was not involved in this decision will look at it afresh"+
				within(ch.DecideWithinDays, "receiving your request")+".")
		if ch.LateUntil.After(ch.AskBy) {
			n.WhatHappensNext = append(n.WhatHappensNext,
				"If you miss that date, you can still ask until "+ch.LateUntil.Long()+" if you tell us why you could not ask in time.")
		}
	} else {
		n.WhatHappensNext = append(n.WhatHappensNext, "If you disagree, contact us and we will tell you how to ask us to look at the decision again.")
	}
	n.WhatHappensNext = append(n.WhatHappensNext,
		"If you still disagree after that, you can appeal to the tribunal, which is independent of us"+
			within(ch.AppealWindowDays, "our new decision")+". If we do not decide by the date we give you, you can appeal straight away.")
	return n, nil
}
