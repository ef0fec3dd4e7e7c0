package casework_test

import (
	"testing"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

func TestContactDetailsRejections(t *testing.T) {
	r := rules(t)
	addr := &casework.Address{Lines: []string{"1 Example Street", " "}, Postcode: " ky1 1aa "}
	cases := []struct {
		name  string
		body  casework.ContactDetailsUpdated
		field string
	}{
		{"unknown channel", casework.ContactDetailsUpdated{PreferredContact: "fax"}, "body.preferred_contact"},
		{"email without address", casework.ContactDetailsUpdated{PreferredContact: "email"}, "body.email"},
		{"bad email", casework.ContactDetailsUpdated{PreferredContact: "email", Email: "Alex <alex@example.org>"}, "body.email"},
		{"sms without phone", casework.ContactDetailsUpdated{PreferredContact: "sms"}, "body.phone"},
		{"letter without address", casework.ContactDetailsUpdated{PreferredContact: "letter"}, "body.address"},
		{"address without lines", casework.ContactDetailsUpdated{PreferredContact: "letter", Address: &casework.Address{Postcode: "KY1 1AA"}}, "body.address.lines"},
		{"address without postcode", casework.ContactDetailsUpdated{PreferredContact: "letter", Address: &casework.Address{Lines: []string{"1 Street"}}}, "body.address.postcode"},
		{"unknown format", casework.ContactDetailsUpdated{PreferredContact: "letter", Address: addr, AccessibleFormat: "audio"}, "body.accessible_format"},
		{"other language without a language", casework.ContactDetailsUpdated{PreferredContact: "letter", Address: addr, AccessibleFormat: casework.FormatOtherLanguage}, "body.language"},
		{"a language without other-language", casework.ContactDetailsUpdated{PreferredContact: "letter", Address: addr, Language: "Polish"}, "body.language"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := received("adult-disability-payment", at(time.March, 2))
			a, err := casework.Fold(r, l.events)
			if err != nil {
				t.Fatal(err)
			}
			before := a.Client
			body := c.body
			err = a.Apply(r, casework.Event{Seq: 2, Type: casework.TypeContactDetailsUpdated, At: at(time.March, 3), Body: &body})
			de, ok := errs.As(err)
			if !ok || de.Kind != errs.KindInvalid || de.Field != c.field {
				t.Fatalf("error %v, want invalid %s", err, c.field)
			}
			if a.Version != 1 || a.Client.PreferredContact != before.PreferredContact {
				t.Error("a refused change of contact details changed the application")
			}
		})
	}
	// A good one is tidied and applied in full.
	l := received("adult-disability-payment", at(time.March, 2))
	l.add(casework.TypeContactDetailsUpdated, at(time.March, 3), &casework.ContactDetailsUpdated{
		PreferredContact: "letter", Address: addr, AccessibleFormat: casework.FormatLargePrint, NoCharterSummary: true})
	a, err := casework.Fold(r, l.events)
	if err != nil {
		t.Fatal(err)
	}
	c := a.Client
	if c.PreferredContact != "letter" || len(c.Address.Lines) != 1 || c.Address.Postcode != "KY1 1AA" ||
		c.AccessibleFormat != casework.FormatLargePrint || !c.NoCharterSummary || c.Name != "Sam Example" {
		t.Errorf("client after the change: %+v %+v", c, c.Address)
	}
}

func TestTimescaleMissedRules(t *testing.T) {
	r := rules(t)
	l := received("early-years-grant", at(time.March, 2))
	a, _ := casework.Fold(r, l.events)
	due := a.StoredClock(r.Calendar).Due
	early := casework.Event{Seq: 2, Type: casework.TypeTimescaleMissed, At: due.Time().Add(10 * time.Hour), Body: &casework.TimescaleMissed{Due: due}}
	if err := a.Apply(r, early); errs.KindOf(err) != errs.KindInvalid {
		t.Errorf("a missed notice on the due date itself: %v", err)
	}
	next := r.Calendar.AddWorkingDays(due, 1)
	ok := casework.Event{Seq: 2, Type: casework.TypeTimescaleMissed, At: next.Time().Add(10 * time.Hour), Body: &casework.TimescaleMissed{Due: due}}
	if err := a.Apply(r, ok); err != nil {
		t.Fatal(err)
	}
	if a.MissedNoticeFor != due || a.LastUpdateOn != next {
		t.Errorf("MissedNoticeFor %s LastUpdateOn %s", a.MissedNoticeFor, a.LastUpdateOn)
	}
	again := casework.Event{Seq: 3, Type: casework.TypeTimescaleMissed, At: next.Time().Add(11 * time.Hour), Body: &casework.TimescaleMissed{Due: due}}
	if err := a.Apply(r, again); errs.KindOf(err) != errs.KindConflict {
		t.Errorf("a second notice for the same date: %v", err)
	}
}
