package casework_test

import (
	"encoding/json"
	"testing"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

func goodSupporter() *casework.SupporterAuthorised {
	return &casework.SupporterAuthorised{SupporterID: "s1", Name: "Pat Helper", Relationship: casework.RelationshipPersonTheyKnow,
		Email: "pat@example.org", Scope: casework.ScopeView, AuthorisedBy: casework.AuthorisedByClient}
}

func TestSupporterAuthorisedAndRevoked(t *testing.T) {
	r := rules(t)
	a, err := casework.Fold(r, received(adpID, at(2, 2)).events)
	if err != nil {
		t.Fatal(err)
	}
	apply := func(b casework.Body) error {
		return a.Apply(r, casework.Event{Seq: a.Version + 1, Type: b.Type(), At: at(2, 10), Body: b})
	}
	if err := apply(goodSupporter()); err != nil {
		t.Fatal(err)
	}
	adv := &casework.SupporterAuthorised{SupporterID: "s2", Name: " Ali Advocate ", Relationship: casework.RelationshipAdvocate,
		Organisation: "Fife Advocacy", Email: "ali@example.org", Scope: casework.ScopeAct, AuthorisedBy: casework.AuthorisedByStaff}
	if err := apply(adv); err != nil {
		t.Fatal(err)
	}
	if len(a.Supporters) != 2 || a.Supporters[1].Name != "Ali Advocate" || !a.Supporters[1].CanAct() || a.Supporters[0].CanAct() ||
		a.Supporters[0].AuthorisedOn != casework.LocalDate(at(2, 10)) {
		t.Fatalf("supporters: %+v", a.Supporters)
	}
	if s, ok := a.ActiveSupporterByEmail("PAT@example.org "); !ok || s.ID != "s1" {
		t.Errorf("by email: %+v %v", s, ok)
	}
	if err := apply(&casework.SupporterRevoked{SupporterID: "s1"}); err != nil {
		t.Fatal(err)
	}
	if s, _ := a.Supporter("s1"); s.Active() {
		t.Errorf("revoked supporter is active: %+v", s)
	}
	if _, ok := a.ActiveSupporterByEmail("pat@example.org"); ok {
		t.Error("a revoked supporter is found by email")
	}
	// The same person may be named again, with a new id.
	again := goodSupporter()
	again.SupporterID = "s3"
	if err := apply(again); err != nil {
		t.Errorf("naming a revoked supporter again: %v", err)
	}
	// The log replays to the same state, and it survives JSON.
	data, _ := json.Marshal(a.Supporters)
	var back []casework.Supporter
	if err := json.Unmarshal(data, &back); err != nil || len(back) != 3 || back[0].RevokedOn.IsZero() {
		t.Errorf("JSON round trip: %v %+v", err, back)
	}
}

func TestSupporterRejections(t *testing.T) {
	r := rules(t)
	with := func(f func(b *casework.SupporterAuthorised)) *casework.SupporterAuthorised {
		b := goodSupporter()
		f(b)
		return b
	}
	cases := []struct {
		name  string
		body  casework.Body
		field string
	}{
		{"no id", with(func(b *casework.SupporterAuthorised) { b.SupporterID = "" }), "body.supporter_id"},
		{"id with a bar", with(func(b *casework.SupporterAuthorised) { b.SupporterID = "a|b" }), "body.supporter_id"},
		{"id used", with(func(b *casework.SupporterAuthorised) { b.SupporterID = "taken"; b.Email = "other@example.org" }), "body.supporter_id"},
		{"no name", with(func(b *casework.SupporterAuthorised) { b.Name = "  " }), "body.name"},
		{"bad relationship", with(func(b *casework.SupporterAuthorised) { b.Relationship = "neighbour" }), "body.relationship"},
		{"advocate without organisation", with(func(b *casework.SupporterAuthorised) { b.Relationship = casework.RelationshipAdvocate }), "body.organisation"},
		{"no email", with(func(b *casework.SupporterAuthorised) { b.Email = "" }), "body.email"},
		{"bad email", with(func(b *casework.SupporterAuthorised) { b.Email = "pat at example" }), "body.email"},
		{"email already a supporter", with(func(b *casework.SupporterAuthorised) { b.Email = "Taken@example.org" }), "body.email"},
		{"bad scope", with(func(b *casework.SupporterAuthorised) { b.Scope = "everything" }), "body.scope"},
		{"no scope", with(func(b *casework.SupporterAuthorised) { b.Scope = "" }), "body.scope"},
		{"bad authorised by", with(func(b *casework.SupporterAuthorised) { b.AuthorisedBy = "neighbour" }), "body.authorised_by"},
		{"revoke nobody", &casework.SupporterRevoked{}, "body.supporter_id"},
		{"revoke unknown", &casework.SupporterRevoked{SupporterID: "nobody"}, "body.supporter_id"},
		{"revoke twice", &casework.SupporterRevoked{SupporterID: "gone"}, "body.supporter_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := received(adpID, at(2, 2))
			l.add(casework.TypeSupporterAuthorised, at(2, 3), with(func(b *casework.SupporterAuthorised) { b.SupporterID = "taken"; b.Email = "taken@example.org" }))
			l.add(casework.TypeSupporterAuthorised, at(2, 3), with(func(b *casework.SupporterAuthorised) { b.SupporterID = "gone"; b.Email = "gone@example.org" }))
			l.add(casework.TypeSupporterRevoked, at(2, 4), &casework.SupporterRevoked{SupporterID: "gone"})
			a, err := casework.Fold(r, l.events)
			if err != nil {
				t.Fatal(err)
			}
			before, _ := json.Marshal(a)
			err = a.Apply(r, casework.Event{Seq: a.Version + 1, Type: c.body.Type(), At: at(2, 10), Body: c.body})
			e, ok := errs.As(err)
			if !ok || e.Kind != errs.KindInvalid || e.Field != c.field {
				t.Errorf("got %v, want an invalid %s", err, c.field)
			}
			if after, _ := json.Marshal(a); string(after) != string(before) {
				t.Error("a rejected event changed the application")
			}
		})
	}
}
