package casework_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

func advice() *casework.Organisation {
	return &casework.Organisation{ID: "ca-fife", Name: "Citizens Advice Fife", Kind: casework.KindIndependentAdvice,
		Areas: []string{"Fife"}, Phone: "0345 140 0095", Website: "https://example.org/fife", Active: true}
}

func goodReferral() *casework.ReferralMade {
	return &casework.ReferralMade{Organisation: "ca-fife", OrganisationSnapshot: advice(), Consent: true,
		Shared: "Your name, phone number and that you need help with your rent arrears", Reason: "Help with debt"}
}

func TestReferralAndSignpost(t *testing.T) {
	r := rules(t)
	a, err := casework.Fold(r, received(adpID, at(2, 2)).events)
	if err != nil {
		t.Fatal(err)
	}
	apply := func(b casework.Body) error {
		return a.Apply(r, casework.Event{Seq: a.Version + 1, Type: b.Type(), At: at(2, 10), Body: b})
	}
	if err := apply(goodReferral()); err != nil {
		t.Fatal(err)
	}
	if len(a.Referrals) != 1 {
		t.Fatalf("referrals: %+v", a.Referrals)
	}
	ref := a.Referrals[0]
	if ref.Number != 1 || ref.Organisation.Name != "Citizens Advice Fife" || ref.On != casework.LocalDate(at(2, 10)) ||
		!ref.TellUsBy.After(ref.On) || !strings.Contains(ref.Shared, "rent arrears") {
		t.Errorf("referral: %+v", ref)
	}
	if err := apply(&casework.OtherHelpSignposted{Help: "You may be able to get a Council Tax Reduction.", From: "your local council",
		Details: "Ask them on their website"}); err != nil {
		t.Fatal(err)
	}
	if len(a.Signposts) != 1 || a.Signposts[0].String() != "You may be able to get a Council Tax Reduction from your local council." {
		t.Errorf("signposts: %+v", a.Signposts)
	}
	// They survive JSON.
	var back []casework.Referral
	data, _ := json.Marshal(a.Referrals)
	if err := json.Unmarshal(data, &back); err != nil || len(back) != 1 || back[0].Organisation.Phone != "0345 140 0095" {
		t.Errorf("JSON round trip: %v, %+v", err, back)
	}
}

func TestReferralRejections(t *testing.T) {
	r := rules(t)
	inactive := advice()
	inactive.Active = false
	other := advice()
	other.ID = "someone-else"
	cases := []struct {
		name  string
		body  casework.Body
		field string
		kind  errs.Kind
		says  string
	}{
		{"no organisation", &casework.ReferralMade{Consent: true, Shared: "x"}, "body.organisation", errs.KindInvalid, "choose"},
		{"no consent", func() casework.Body { b := goodReferral(); b.Consent = false; return b }(), "body.consent", errs.KindInvalid, casework.ConsentMessage},
		{"nothing shared", func() casework.Body { b := goodReferral(); b.Shared = "  "; return b }(), "body.shared", errs.KindInvalid, "what we shared"},
		{"no snapshot", func() casework.Body { b := goodReferral(); b.OrganisationSnapshot = nil; return b }(), "body.organisation_snapshot", errs.KindInvalid, "directory"},
		{"wrong snapshot", func() casework.Body { b := goodReferral(); b.OrganisationSnapshot = other; return b }(), "body.organisation_snapshot", errs.KindInvalid, "directory"},
		{"inactive", func() casework.Body { b := goodReferral(); b.OrganisationSnapshot = inactive; return b }(), "body.organisation", errs.KindInvalid, "no longer"},
		{"no help", &casework.OtherHelpSignposted{From: "your council"}, "body.help", errs.KindInvalid, "what help"},
		{"no from", &casework.OtherHelpSignposted{Help: "a grant"}, "body.from", errs.KindInvalid, "who"},
		{"entitled", &casework.OtherHelpSignposted{Help: "help as you are entitled to a grant", From: "the council"}, "body.help", errs.KindInvalid, "may be able to get"},
		{"will get", &casework.OtherHelpSignposted{Help: "money: you will get £50", From: "the council"}, "body.help", errs.KindInvalid, "may be able to get"},
		{"qualify", &casework.OtherHelpSignposted{Help: "a bus pass, since You  Qualify", From: "the council"}, "body.help", errs.KindInvalid, "may be able to get"},
		{"curly apostrophe", &casework.OtherHelpSignposted{Help: "a grant you’re entitled to", From: "the council"}, "body.help", errs.KindInvalid, "may be able to get"},
		{"promise in details", &casework.OtherHelpSignposted{Help: "a grant", From: "the council", Details: "You will get it in a week"}, "body.details", errs.KindInvalid, "may be able to get"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := casework.Fold(r, received(adpID, at(2, 2)).events)
			if err != nil {
				t.Fatal(err)
			}
			before, _ := json.Marshal(a)
			err = a.Apply(r, casework.Event{Seq: a.Version + 1, Type: tc.body.Type(), At: at(2, 10), Body: tc.body})
			e, ok := errs.As(err)
			if !ok || e.Kind != tc.kind || e.Field != tc.field || !strings.Contains(e.Message, tc.says) {
				t.Fatalf("error %v (field %q), want %s on %s saying %q", err, fieldOf(err), tc.kind, tc.field, tc.says)
			}
			if after, _ := json.Marshal(a); string(after) != string(before) {
				t.Errorf("a refused event changed the application")
			}
		})
	}
	// Closed applications take neither.
	l := received(adpID, at(2, 2)).add(casework.TypeWithdrawn, at(2, 3), &casework.Withdrawn{Reason: "moved away"})
	a, err := casework.Fold(r, l.events)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []casework.Body{goodReferral(), &casework.OtherHelpSignposted{Help: "a grant", From: "the council"}} {
		if err := a.Apply(r, casework.Event{Seq: a.Version + 1, Type: b.Type(), At: at(2, 10), Body: b}); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("%s on a withdrawn application: %v", b.Type(), err)
		}
	}
	// A second referral refused after a first leaves the first alone.
	a, _ = casework.Fold(r, received(adpID, at(2, 2)).add(casework.TypeReferralMade, at(2, 4), goodReferral()).events)
	b := goodReferral()
	b.Consent = false
	if err := a.Apply(r, casework.Event{Seq: a.Version + 1, Type: b.Type(), At: at(2, 10), Body: b}); err == nil || len(a.Referrals) != 1 {
		t.Errorf("refused second referral: %v, %d referrals", err, len(a.Referrals))
	}
}

func fieldOf(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Field
	}
	return ""
}

func TestOrganisationValidate(t *testing.T) {
	good := func() casework.Organisation { return *advice() }
	o := good()
	o.Areas = []string{"glasgow", " Fife ", "Fife"}
	if err := o.Validate(); err != nil || strings.Join(o.Areas, "|") != "Fife|Glasgow City" {
		t.Errorf("areas canonical and sorted: %v, %v", o.Areas, err)
	}
	if !o.Serves("Glasgow City") || !o.Serves("glasgow") || o.Serves("Highland") || o.Serves("") {
		t.Errorf("Serves is wrong for %v", o.Areas)
	}
	all := good()
	all.Areas = []string{"All of Scotland"}
	if err := all.Validate(); err != nil || !all.Serves("Highland") || !all.Serves("") {
		t.Errorf("all of Scotland: %v, %v", all.Areas, err)
	}
	for field, change := range map[string]func(*casework.Organisation){
		"id":      func(o *casework.Organisation) { o.ID = "Bad Id" },
		"name":    func(o *casework.Organisation) { o.Name = " " },
		"kind":    func(o *casework.Organisation) { o.Kind = "charity" },
		"areas":   func(o *casework.Organisation) { o.Areas = []string{"Narnia"} },
		"phone":   func(o *casework.Organisation) { o.Phone = "call us" },
		"email":   func(o *casework.Organisation) { o.Email = "not-an-email" },
		"website": func(o *casework.Organisation) { o.Website = "example.org" },
	} {
		o := good()
		change(&o)
		if err := o.Validate(); fieldOf(err) != field || errs.KindOf(err) != errs.KindInvalid {
			t.Errorf("%s: %v", field, err)
		}
	}
	none := good()
	none.Phone, none.Website = "", ""
	if err := none.Validate(); fieldOf(err) != "phone" {
		t.Errorf("no contact: %v", err)
	}
	mixed := good()
	mixed.Areas = []string{"all of Scotland", "Fife"}
	if err := mixed.Validate(); fieldOf(err) != "areas" {
		t.Errorf("all of Scotland and Fife: %v", err)
	}
}
