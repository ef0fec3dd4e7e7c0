package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/measure/report"
)

// The demo's measurement framework: survey answers, an improvement plan
// for measures the demo history misses, narratives, evidence and "you
// said, we did", so the report has the words a partner organisation looks
// for beside the figures. All of it is made up for the demo, in this
// project's own words; none of it comes from a real survey or service.

// demoAction is an improvement action for a measure, used when the demo's
// history misses that measure.
type demoAction struct {
	measure, what, owner string
	months               int      // due this many months from today
	notes                []string // progress so far, oldest first
	narrative            string   // what the figures mean
}

var demoActions = []demoAction{
	{"kept-updated", "Send every client an update at least every three weeks while we work on their application, by text, email or letter as they prefer",
		"Client contact team", 4, []string{"The update messages are rewritten and tested with twelve clients.", "Automatic updates are switched on for Adult Disability Payment."},
		"Clients waiting on a consultation or on information from their doctor most often went longest without hearing from us."},
	{"longest-silence", "Show every client on their application page what we are doing now and the date of their next update",
		"Digital services team", 3, []string{"The new application page is in testing with clients and advice organisations."},
		"Long gaps between updates were most common in the weeks before a decision, when the case was with a decision maker."},
	{"decided-in-time", "Recruit and train 40 more case managers before the winter, when most people apply",
		"Head of operations", 6, []string{"Recruitment opened; the first 15 case managers start training next month."},
		"More people applied in the winter than we planned for, and the decisions made then took longest."},
	{"decision-wait-median", "Ask for the information we need from other organisations on the day an application arrives, not after we first look at it",
		"Case management team leaders", 5, []string{"A checklist of what each payment usually needs is in use for Carer Support Payment."},
		"Much of the wait was for information from doctors and other organisations, asked for later than it could have been."},
	{"decision-wait-90th-percentile", "Review every case that has waited longer than 50 working days, each week, and agree the next step with the client",
		"Operations managers", 2, nil,
		"The longest waits were mostly cases waiting for a consultation, or for information the client had to get from someone else."},
	{"new-date-before-missing", "Give each client a new expected decision date before the first one passes: a daily list of cases within five working days of their date",
		"Case management team leaders", 3, []string{"The daily list is built and in use in two of our five teams."},
		"When we were late, we usually told people after their date had passed, not before: this is the measure we are furthest from."},
	{"acknowledged-in-time", "Acknowledge paper applications on the day we open them, with the date we expect to decide",
		"Mail and scanning team", 3, nil, ""},
	{"redeterminations-in-time", "Set up a team that only looks at decisions again, so requests are not waiting behind new applications",
		"Head of decision making", 5, []string{"The team's first eight decision makers have started."},
		"Requests to look at a decision again waited in the same queue as new applications."},
	{"changed-on-redetermination", "Check a sample of decisions every week before they are sent, so fewer need to be changed when we look again",
		"Decision quality team", 6, []string{"Weekly checks started for Adult Disability Payment in the spring."},
		"Most decisions we changed on a second look were changed because of evidence we already had but did not use."},
	{"supporters-per-100-applications", "Tell every client in our first letter that they can name someone to support them or act for them, and how",
		"Client communications", 3, nil,
		"Few people named a supporter: partner organisations told us most clients did not know they could."},
	{"referrals-made", "Offer a referral to independent advice at every first conversation with a client, and record whether they wanted one",
		"Client contact team", 4, nil, "Caseworkers rarely recorded referrals: most were made by phone and not written down."},
	{"other-help-per-100-decisions", "Add a check for other help a client may be able to get to every decision we make",
		"Decision quality team", 5, nil, ""},
	{"information-requests-per-100-decisions", "Ask for everything we need in one request, using a checklist for each payment",
		"Case management team leaders", 4, []string{"Checklists agreed for Carer Support Payment and the Early Years Grant."}, ""},
	{"staff-knew-the-rules", "Give every member of staff on the phone line a refresher on the rules of each payment, and a quick guide to use on calls",
		"Learning and development", 3, []string{"The refresher course is written; the first sessions are booked."}, ""},
	{"consultation-put-wellbeing-first", "Offer every client a consultation by phone or video, or at home, and ask what would help before it takes place",
		"Health and social care assessment team", 5, nil, ""},
	{"knew-how-to-challenge", "Put the last date to ask us to look at a decision again, and how to ask, at the top of every decision letter",
		"Client communications", 3, []string{"New decision letters tested with clients and two advice organisations."},
		"Clients told us the date to ask for a re-determination was hard to find in our letters."},
	{"matching-practitioner", "Match every consultation to a practitioner who understands all of the client's conditions, and record why when we cannot",
		"Health and social care assessment team", 4, nil, ""},
}

// demoEvidence is qualitative evidence about commitments.
var demoEvidence = []struct {
	commitment, text, source string
	daysAgo                  int
}{
	{"1.4", "Clients at our workshop said text messages about their application were the most useful updates, as long as they said what happens next.", "client workshop", 40},
	{"1.5", "Partner organisations said staff on our phone line could not always explain the rules for Carer Support Payment.", "partner organisation survey", 75},
	{"1.5", "Every new member of staff completed the payments and rules course in their first month; 1 in 10 needed a second attempt at the final check.", "staff training records", 30},
	{"1.6", "An advocacy organisation told us most of the clients they support did not know they could name someone to act for them.", "partner organisation interview", 55},
	{"1.7", "We recorded adjustments such as large print letters, a longer time to reply and phone calls at set times; clients said they were not always asked.", "case records and client feedback", 20},
	{"1.8", "Most clients we spoke to understood why we decided as we did; some did not know they could ask us to look at the decision again.", "client interviews", 60},
	{"1.12", "Recruitment panels used questions about dignity and respect for every post; candidates' answers were scored by two people.", "recruitment records", 90},
	{"2.9", "A monthly check of 50 decisions found two where a letter from the client's doctor had not been looked at.", "decision quality checks", 25},
	{"2.11", "Clients said consultations by phone suited them better than travelling, and that they wanted to know they could bring someone.", "client survey comments", 35},
}

// demoYouSaid are "you said, we did" entries; action names the measure
// whose demo action they link to, if there is one.
var demoYouSaid = []struct {
	said, did, action string
	commitments       []string
	daysAgo           int
}{
	{"You said you had to phone us to find out where your application was.",
		"We now send an update at least every three weeks, and your application page shows what happens next and by when.", "kept-updated", []string{"1.4"}, 15},
	{"You said our decision letters used words you did not know.",
		"We rewrote the letters with a group of clients, and each hard word links to what it means in our charter.", "", []string{"1.8"}, 45},
	{"You said you did not know you could bring someone with you to a consultation.",
		"Our consultation letters now say so, and say how to ask for the consultation at home or by phone.", "", []string{"2.11"}, 28},
}

// demoSurvey is how likely each answer is for each question: the chance
// that a client agrees (4 or 5), so that some survey measures are met and
// some are not.
var demoSurvey = map[string]float64{
	"kept-up-to-date": 0.62, "staff-knew-the-rules": 0.78, "knew-where-to-get-advice": 0.55, "knew-how-to-challenge": 0.68,
	"easy-to-give-feedback": 0.81, "charter-is-clear": 0.86, "consultation-put-wellbeing-first": 0.83, "treated-with-dignity": 0.91,
}

// demoYear is the financial year the demo's report shows: the one
// yesterday is in, or the one before it if this year has hardly begun.
func demoYear(svc *app.Service) measure.Period {
	yesterday := svc.Today().AddDays(-1)
	y := measure.YearOf(yesterday)
	if yesterday-y.First() < 60 {
		y = y.Previous()
	}
	return y
}

// seedFramework writes the demo's survey answers, improvement plan,
// narratives, evidence and "you said, we did", once: a database that
// already has an improvement action is left as it is.
func seedFramework(ctx context.Context, svc *app.Service) (measure.Period, error) {
	year := demoYear(svc)
	if as, err := svc.Actions(ctx); err != nil || len(as) > 0 {
		return year, err
	}
	today := svc.Today()
	within := func(daysAgo int) calendar.Date { // a day this year, no later than today
		d := today.AddDays(-daysAgo)
		if d.After(year.Last()) {
			d = year.Last().AddDays(-daysAgo)
		}
		return max(d, year.First())
	}
	r := rand.New(rand.NewPCG(2026, 7))

	// Survey answers for each year with applications: clients, partner
	// organisations and staff.
	set, err := svc.Measures()
	if err != nil {
		return year, err
	}
	years, err := svc.ReportYears(ctx)
	if err != nil {
		return year, err
	}
	for _, y := range years {
		var b strings.Builder
		b.WriteString("response_id,respondent")
		for _, q := range set.Questions {
			b.WriteString("," + q.ID)
		}
		b.WriteString("\n")
		for i := range 300 {
			who := "client"
			switch {
			case i%10 == 0:
				who = "partner organisation"
			case i%5 == 1:
				who = "staff"
			}
			b.WriteString("demo-" + y.String() + "-" + strconv.Itoa(i+1) + "," + who)
			for _, q := range set.Questions {
				b.WriteString(",")
				if r.IntN(10) == 0 {
					continue // not answered
				}
				agree := demoSurvey[q.ID] - 0.04*float64(years[len(years)-1].Year-y.Year) // a little better each year
				if r.Float64() < agree {
					b.WriteString(strconv.Itoa(4 + r.IntN(2)))
				} else {
					b.WriteString(strconv.Itoa(1 + r.IntN(3)))
				}
			}
			b.WriteString("\n")
		}
		if _, err := svc.ImportSurvey(ctx, y, "demo survey "+y.String(), []byte(b.String())); err != nil {
			return year, fmt.Errorf("demo survey for %s: %w", y, err)
		}
	}

	// Improvement actions and narratives for the measures the year misses.
	rep, err := svc.Report(ctx, year)
	if err != nil {
		return year, err
	}
	missed := map[string]bool{}
	for _, m := range rep.Measures {
		missed[m.Def.ID] = m.Status.Missed()
	}
	actionFor := map[string]string{}
	for i, d := range demoActions {
		if !missed[d.measure] {
			continue
		}
		a := report.Action{What: d.what, Owner: d.owner, Due: today.AddDays(30 * d.months), Measures: []string{d.measure}, Status: report.Planned}
		for j, n := range d.notes {
			a.Status = report.InProgress
			a.Progress = append(a.Progress, report.ProgressNote{On: within(50 - 20*j + i), Text: n})
		}
		a, err := svc.AddAction(ctx, a, "demo")
		if err != nil {
			return year, fmt.Errorf("demo action for %s: %w", d.measure, err)
		}
		actionFor[d.measure] = a.ID
		if d.narrative != "" {
			if err := svc.SetNarrative(ctx, d.measure, year, d.narrative, "demo"); err != nil {
				return year, err
			}
		}
	}
	for _, e := range demoEvidence {
		if _, err := svc.AddEvidence(ctx, report.Evidence{Commitment: e.commitment, Text: e.text, Source: e.source, On: within(e.daysAgo)}, "demo"); err != nil {
			return year, fmt.Errorf("demo evidence: %w", err)
		}
	}
	for _, y := range demoYouSaid {
		entry := report.YouSaidWeDid{Said: y.said, Did: y.did, On: within(y.daysAgo), Commitments: y.commitments}
		if id, ok := actionFor[y.action]; ok {
			entry.Actions = []string{id}
		}
		if _, err := svc.AddYouSaid(ctx, entry, "demo"); err != nil {
			return year, fmt.Errorf("demo you said, we did: %w", err)
		}
	}
	return year, nil
}
