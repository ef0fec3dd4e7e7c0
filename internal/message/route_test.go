package message_test

import (
	"testing"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/message"
)

func TestRoute(t *testing.T) {
	addr := &casework.Address{Lines: []string{"1 Example Street"}, Postcode: "KY1 1AA"}
	note := message.Planned{Kind: message.KindStageChanged}
	formal := message.Planned{Kind: message.KindDecision, Formal: true, EncloseCharter: true}
	type d = message.Delivery
	cases := []struct {
		name   string
		client casework.Client
		p      message.Planned
		want   []d
	}{
		{"email", casework.Client{PreferredContact: "email", Email: "a@example.org", Address: addr}, note,
			[]d{{Channel: message.ChannelEmail, Status: message.StatusQueued}}},
		{"email, formal: a letter too", casework.Client{PreferredContact: "email", Email: "a@example.org", Address: addr}, formal,
			[]d{{Channel: message.ChannelEmail, Status: message.StatusQueued}, {Channel: message.ChannelLetter, Status: message.StatusQueued}}},
		{"sms", casework.Client{PreferredContact: "sms", Phone: "07700900123"}, note,
			[]d{{Channel: message.ChannelSMS, Status: message.StatusQueued}}},
		{"letter in large print", casework.Client{PreferredContact: "letter", Address: addr, AccessibleFormat: casework.FormatLargePrint}, note,
			[]d{{Channel: message.ChannelLetter, Status: message.StatusQueued, LargePrint: true}}},
		{"braille letters need a person, emails do not", casework.Client{PreferredContact: "email", Email: "a@example.org", Address: addr, AccessibleFormat: casework.FormatBraille}, formal,
			[]d{{Channel: message.ChannelEmail, Status: message.StatusQueued}, {Channel: message.ChannelLetter, Status: message.StatusNeedsHuman}}},
		{"easy read needs a person everywhere", casework.Client{PreferredContact: "sms", Phone: "07700900123", AccessibleFormat: casework.FormatEasyRead}, note,
			[]d{{Channel: message.ChannelSMS, Status: message.StatusNeedsHuman}}},
		{"another language", casework.Client{PreferredContact: "letter", Address: addr, AccessibleFormat: casework.FormatOtherLanguage, Language: "Polish"}, note,
			[]d{{Channel: message.ChannelLetter, Status: message.StatusNeedsHuman}}},
		{"no contact: recorded, not sent", casework.Client{PreferredContact: "none", Address: addr}, note,
			[]d{{Channel: message.ChannelNone, Status: message.StatusNotSent}}},
		{"no contact still gets a decision letter", casework.Client{PreferredContact: "none", Address: addr}, formal,
			[]d{{Channel: message.ChannelLetter, Status: message.StatusQueued}}},
		{"a letter with no address needs a person", casework.Client{Email: "a@example.org"}, formal,
			[]d{{Channel: message.ChannelEmail, Status: message.StatusQueued}, {Channel: message.ChannelLetter, Status: message.StatusNeedsHuman}}},
		{"no preference, only a phone", casework.Client{Phone: "07700900123"}, note,
			[]d{{Channel: message.ChannelSMS, Status: message.StatusQueued}}},
		{"to staff", casework.Client{PreferredContact: "none"}, message.Planned{Kind: message.KindAtRisk, Staff: true},
			[]d{{Channel: message.ChannelStaff, Status: message.StatusQueued}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := message.Route(c.client, c.p)
			if len(got) != len(c.want) {
				t.Fatalf("Route = %+v, want %+v", got, c.want)
			}
			for i := range got {
				g, w := got[i], c.want[i]
				if g.Channel != w.Channel || g.Status != w.Status || g.LargePrint != w.LargePrint {
					t.Errorf("delivery %d = %+v, want %+v", i, g, w)
				}
				if (g.Status == message.StatusNeedsHuman || g.Status == message.StatusNotSent) && g.Reason == "" {
					t.Errorf("delivery %d is %s with no reason for the person who reads it", i, g.Status)
				}
			}
		})
	}
}

func TestCaused(t *testing.T) {
	f := newFixture(t)
	s := f.newStory(t, "adult-disability-payment", day(2026, time.March, 2), casework.Client{Email: "a@example.org"})
	cases := []struct {
		typ  casework.EventType
		body casework.Body
		want message.Kind
		opts message.Planned
	}{
		{casework.TypeAcknowledged, &casework.Acknowledged{}, message.KindAcknowledgement, message.Planned{Formal: true, EncloseCharter: true}},
		{casework.TypeUpdateSent, &casework.UpdateSent{Channel: "phone", Summary: "Told them where it is"}, "", message.Planned{}},
		{casework.TypeUpdateSent, &casework.UpdateSent{Channel: "email", Summary: "Still working", Reason: casework.UpdateReasonNoSilence}, message.KindStillWorking, message.Planned{}},
		{casework.TypeStageChanged, &casework.StageChanged{Stage: "gathering-information"}, message.KindStageChanged, message.Planned{}},
		{casework.TypeClientDetailsUpdated, &casework.ClientDetailsUpdated{Conditions: []string{"other"}}, "", message.Planned{}},
		{casework.TypeTimescaleAtRisk, &casework.TimescaleAtRisk{Due: s.app.StoredClock(f.cal).Due}, message.KindAtRisk, message.Planned{Staff: true}},
		{casework.TypeStageChanged, &casework.StageChanged{Stage: "decision"}, "", message.Planned{}},
	}
	for i, c := range cases {
		e := s.add(c.typ, day(2026, time.March, 3).Add(time.Duration(i)*time.Minute), c.body)
		got := message.Caused(s.app, e)
		if c.want == "" {
			if len(got) != 0 {
				t.Errorf("%s caused %+v, want nothing", c.typ, got)
			}
			continue
		}
		want := c.opts
		want.Kind = c.want
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s caused %+v, want %+v", c.typ, got, want)
		}
	}
}

func TestStatusOnlyMovesForward(t *testing.T) {
	order := []message.Status{message.StatusQueued, message.StatusSending, message.StatusSent, message.StatusDelivered}
	for i := 1; i < len(order); i++ {
		if order[i].Rank() <= order[i-1].Rank() {
			t.Errorf("%s does not come after %s", order[i], order[i-1])
		}
	}
	for _, s := range []message.Status{message.StatusDelivered, message.StatusFailed, message.StatusNotSent} {
		if !s.Final() {
			t.Errorf("%s is not final", s)
		}
	}
	if message.Status("lost").Valid() {
		t.Error("an unknown status is valid")
	}
}
