package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/message"
)

func TestContactDetailsFormAndMessagesOnTheCasePage(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Morag Example", 10)
	u := d.staff("casey@example.org", app.RoleCaseworker)

	// Each problem names its field, and nothing is written.
	for _, tc := range []struct {
		fields []string
		field  string
	}{
		{[]string{"email", "morag@example.org"}, "contact-preferred"},
		{[]string{"preferred_contact", "letter"}, "contact-address"},
		{[]string{"preferred_contact", "letter", "address", "1 Example Street"}, "contact-postcode"},
		{[]string{"preferred_contact", "email", "email", "not an address"}, "contact-email"},
		{[]string{"preferred_contact", "sms"}, "contact-phone"},
		{[]string{"preferred_contact", "email", "email", "m@example.org", "accessible_format", "other-language"}, "contact-language"},
	} {
		before := d.app(ref).Version
		p := u.caseForm(ref, "contact-details", tc.fields...)
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, `href="#`+tc.field+`"`) {
			t.Errorf("%v: status %d, no error linking to #%s", tc.fields, p.status, tc.field)
		}
		if d.app(ref).Version != before {
			t.Errorf("%v: a refused form wrote an event", tc.fields)
		}
	}
	p := u.caseForm(ref, "contact-details", "preferred_contact", "letter", "address", "Flat 2\n10 Example Road\nDundee",
		"postcode", "dd1 1aa", "accessible_format", "braille", "no_charter_summary", "yes")
	if p.status != http.StatusSeeOther {
		t.Fatalf("saving contact details: %d", p.status)
	}
	c := d.app(ref).Client
	if c.PreferredContact != "letter" || c.Address == nil || len(c.Address.Lines) != 3 || c.Address.Postcode != "DD1 1AA" ||
		c.AccessibleFormat != casework.FormatBraille || !c.NoCharterSummary {
		t.Fatalf("client after the form: %+v", c)
	}

	// A Braille client's letter waits for a person, and the case page says why.
	if p := u.caseForm(ref, "stage", "stage", "gathering-information"); p.status != http.StatusSeeOther {
		t.Fatalf("stage: %d", p.status)
	}
	page := u.get("/staff/cases/" + ref.String())
	for _, want := range []string{`id="messages"`, "Your application has moved on", "Needs a person", "Braille", "DD1 1AA", "No: they asked us to stop"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}

	// The messages page lists it; recording how it was sent needs a word.
	list := u.get("/staff/messages")
	if list.status != http.StatusOK || !strings.Contains(list.body, ref.String()) || !strings.Contains(list.body, "have this letter transcribed") {
		t.Fatalf("messages page: %d", list.status)
	}
	ns, _ := d.svc.Notifications(context.Background(), ref)
	id := ns[0].ID
	path := "/staff/messages/" + itoa(id) + "/sent-by-hand"
	if p := u.post(path, "how", ""); p.status != http.StatusBadRequest || !strings.Contains(p.body, `href="#how-`+itoa(id)+`"`) {
		t.Errorf("no how: %d", p.status)
	}
	if p := u.post(path, "how", "Posted in Braille"); p.status != http.StatusSeeOther {
		t.Fatalf("sent by hand: %d", p.status)
	}
	ns, _ = d.svc.Notifications(context.Background(), ref)
	if ns[0].Status != message.StatusSent || !strings.Contains(ns[0].Reason, "Posted in Braille") {
		t.Errorf("after sending by hand: %s %q", ns[0].Status, ns[0].Reason)
	}
	if p := u.post(path, "how", "again"); p.status != http.StatusConflict {
		t.Errorf("sending twice: %d", p.status)
	}
}

func TestMessagePreviews(t *testing.T) {
	d := newDesk(t)
	u := d.staff("casey@example.org", app.RoleCaseworker)
	for _, k := range message.Kinds {
		p := u.get("/staff/messages/preview/" + string(k))
		if p.status != http.StatusOK || !strings.Contains(p.body, "Alex Example") || strings.Contains(p.body, "&lt;no value&gt;") {
			t.Errorf("preview of %s: %d", k, p.status)
		}
	}
	if p := u.get("/staff/messages/preview/fax"); p.status != http.StatusNotFound {
		t.Errorf("unknown kind: %d", p.status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestClientStopsTheCharterSummary(t *testing.T) {
	s := newSite(t)
	dob := calendar.NewDate(1971, 2, 3)
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	v := s.visitor()
	v.signInAsClient(ref, dob)
	if p := v.get("/application"); !strings.Contains(p.body, "Stop sending me the charter summary") {
		t.Fatal("the application page has no way to stop the charter summary")
	}
	if p := v.post("/application/charter-summary", "send", "no"); p.status != http.StatusSeeOther {
		t.Fatalf("stop: %d", p.status)
	}
	a, _, _ := s.svc.Application(context.Background(), ref)
	if !a.Client.NoCharterSummary || a.Client.Email != "alex@example.org" || a.Client.PreferredContact != "email" {
		t.Errorf("client after stopping: %+v", a.Client)
	}
	if p := v.get("/application"); !strings.Contains(p.body, "Send me the charter summary again") {
		t.Error("the page does not offer to start again")
	}
	v.post("/application/charter-summary", "send", "yes")
	a, _, _ = s.svc.Application(context.Background(), ref)
	if a.Client.NoCharterSummary {
		t.Error("starting again did not take")
	}
}

func TestStaffAddAndRemoveSupporters(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Morag Example", 10)
	u := d.staff("casey@example.org", app.RoleCaseworker)
	for _, tc := range []struct {
		fields []string
		field  string
	}{
		{[]string{"relationship", "person-they-know", "email", "sam@example.org", "scope", "view"}, "supporter-name"},
		{[]string{"name", "Sam", "email", "sam@example.org", "scope", "view"}, "supporter-relationship"},
		{[]string{"name", "Sam", "relationship", "advocate", "email", "sam@example.org", "scope", "view"}, "supporter-organisation"},
		{[]string{"name", "Sam", "relationship", "person-they-know", "scope", "view"}, "supporter-email"},
		{[]string{"name", "Sam", "relationship", "person-they-know", "email", "not-an-email", "scope", "view"}, "supporter-email"},
		{[]string{"name", "Sam", "relationship", "person-they-know", "email", "sam@example.org"}, "supporter-scope"},
	} {
		before := d.app(ref).Version
		p := u.caseForm(ref, "supporter", tc.fields...)
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, `href="#`+tc.field+`"`) {
			t.Errorf("%v: status %d, no error linking to #%s", tc.fields, p.status, tc.field)
		}
		if d.app(ref).Version != before {
			t.Errorf("%v: a refused form wrote an event", tc.fields)
		}
	}
	// On a decided application too: supporters help with a challenge.
	d.record(ref, &casework.Withdrawn{Reason: "the client asked"})
	p := u.caseForm(ref, "supporter", "name", "Sam Advocate", "relationship", "advocate", "organisation", "Example Advocacy",
		"email", "sam@example.org", "scope", "act")
	if p.status != http.StatusSeeOther {
		t.Fatalf("adding a supporter: %d", p.status)
	}
	a := d.app(ref)
	if len(a.Supporters) != 1 || a.Supporters[0].AuthorisedBy != casework.AuthorisedByStaff || !a.Supporters[0].CanAct() {
		t.Fatalf("supporters: %+v", a.Supporters)
	}
	page := u.get("/staff/cases/" + ref.String())
	if !strings.Contains(page.body, "Sam Advocate") || !strings.Contains(page.body, "Advocate, Example Advocacy") {
		t.Error("the case page does not list the supporter")
	}
	if p := u.caseForm(ref, "revoke-supporter", "supporter_id", a.Supporters[0].ID); p.status != http.StatusSeeOther {
		t.Fatalf("removing: %d", p.status)
	}
	if d.app(ref).Supporters[0].Active() {
		t.Error("the supporter is still active")
	}
}

// TestCommitmentsFollowRenumbering: pages and messages name commitments
// by their stable keys, so after a new version renumbers them the links
// and words show the new numbers.
func TestCommitmentsFollowRenumbering(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	// Version 2 swaps the numbers of 1.4 and 1.5; their keys stay.
	v2 := strings.Replace(string(examples.Charter), `version: "2026.1"`, `version: "2026.2"`, 1)
	v2 = strings.Replace(v2, `id: "1.4"`, `id: "1.5-tmp"`, 1)
	v2 = strings.Replace(v2, `id: "1.5"`, `id: "1.4"`, 1)
	v2 = strings.Replace(v2, `id: "1.5-tmp"`, `id: "1.5"`, 1)
	if _, err := s.svc.LoadVersion(ctx, "charter.yaml", []byte(v2), "benefits.yaml", examples.Benefits,
		app.Publishing{Reason: "Swap two commitments to test renumbering.", By: "test"}); err != nil {
		t.Fatal(err)
	}
	dob := calendar.NewDate(1971, 2, 3)
	ref := s.apply("adult-disability-payment", "Alex Example", dob)
	s.record(ref, &casework.Acknowledged{})
	v := s.visitor()
	v.signInAsClient(ref, dob)
	page := v.get("/application")
	if !strings.Contains(page.body, `<a href="/charter#commitment-1-5">commitment 1.5</a>`) {
		t.Error("the promises do not link keeping you updated under its new number, 1.5")
	}
	ns, _ := s.svc.Notifications(ctx, ref)
	if len(ns) == 0 || !strings.Contains(ns[0].Body, "commitment 1.5 of our charter") {
		t.Errorf("the acknowledgement does not quote commitment 1.5: %v", ns)
	}
}
