package main

import (
	"context"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/message"
)

// demoClientName is the client whose messages the demo shows: their
// application goes through the live service, so every message they are
// sent is in the outbox folder and the print queue.
const demoClientName = "Alex Demo"

// demoClient finds the demo client's application, or makes it: received
// 75 working days ago, acknowledged, moved on, asked for a GP letter that
// arrived, then left alone — so when the worker starts, the service itself
// sends the update the client is owed and apologises for the missed date.
func demoClient(ctx context.Context, svc *app.Service) (casework.Reference, calendar.Date, error) {
	dob := calendar.NewDate(1979, 6, 14)
	if refs, err := svc.ApplicationsOf(ctx, demoClientName); err != nil || len(refs) > 0 {
		if err != nil {
			return "", dob, err
		}
		return refs[0], dob, nil
	}
	cal := svc.Calendar()
	today := svc.Today()
	day := func(n int) time.Time { return message.SendAt(cal.AddWorkingDays(today, n)).Add(90 * time.Minute) }
	a, _, err := svc.Create(ctx, "client", day(-75), &casework.Received{Benefit: "adult-disability-payment", Channel: "online",
		Client: casework.Client{Name: demoClientName, DateOfBirth: dob, Email: "alex.demo@example.org", PreferredContact: "email",
			Area: "Fife", Address: &casework.Address{Lines: []string{"12 Example Street", "Kirkcaldy"}, Postcode: "ZZ99 1AB"}}}, nil)
	if err != nil {
		return "", dob, err
	}
	steps := []struct {
		at   time.Time
		body casework.Body
	}{
		{day(-74), &casework.Acknowledged{}},
		{day(-73), &casework.StageChanged{Stage: "gathering-information"}},
		{day(-72), &casework.InformationRequested{RequestID: "R1", What: "A letter from your GP about how your condition affects your daily life",
			Why:  "Your form says you need help with cooking and getting about; a letter from your GP would tell us how much.",
			From: casework.FromClient, Due: cal.AddWorkingDays(today, -58)}},
		{day(-66), &casework.InformationReceived{RequestID: "R1", Note: "Letter from the GP practice, two pages."}},
	}
	for _, st := range steps {
		if _, _, err := svc.Record(ctx, a.Ref, -1, app.NewEvent{Type: st.body.Type(), At: st.at, Actor: "caseworker:demo", Body: st.body}, nil); err != nil {
			return "", dob, err
		}
	}
	return a.Ref, dob, nil
}
