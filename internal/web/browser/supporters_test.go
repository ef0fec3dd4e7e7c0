package browser

import (
	"net/http"
	"testing"
)

// TestSupporterJourney: a client names a supporter who may only look; the
// supporter signs in with their own email address and sees the application
// without action buttons (commitment 1.6).
func TestSupporterJourney(t *testing.T) {
	s := newSite(t)
	ref := s.newApplication()
	client := s.newTab(t, true)
	clientSignsIn(client, ref)
	client.wantText("People who can help you", "You have not named anyone yet")
	if status := client.visit("/application/supporters"); status != http.StatusOK {
		t.Fatalf("GET /application/supporters: %d", status)
	}
	client.check("name a supporter")
	if status := client.press("Name this person"); status != http.StatusBadRequest {
		t.Fatalf("empty form: %d", status)
	}
	client.errorSummary("name a supporter with errors", "name", "relationship", "email", "scope")
	client.typeInto("name", "Pat Helper")
	client.choose("relationship", "person-they-know")
	client.typeInto("email", "pat@example.org")
	client.choose("scope", "view")
	if status := client.press("Name this person"); status != http.StatusOK || client.path() != "/application" {
		t.Fatalf("after naming: %d on %s\n%s", status, client.location(), client.text("main"))
	}
	client.wantText("Pat Helper", "Can see your application only", "Stop Pat Helper helping you")
	client.check("application with a supporter")

	sup := s.newTab(t, false)
	if status := sup.visit("/supporter/sign-in"); status != http.StatusOK {
		t.Fatalf("GET /supporter/sign-in: %d", status)
	}
	sup.check("supporter sign-in")
	sup.typeInto("reference", ref)
	sup.typeInto("email", "pat@example.org")
	if status := sup.press("Send me a code"); status != http.StatusOK || sup.path() != "/sign-in/code" {
		t.Fatalf("after Send me a code: %d on %s\n%s", status, sup.location(), sup.text("main"))
	}
	sup.wantText("p***@example.org")
	sup.typeInto("code", s.lastCode(t))
	if status := sup.press("Continue"); status != http.StatusOK || sup.path() != "/application" {
		t.Fatalf("after Continue: %d on %s\n%s", status, sup.location(), sup.text("main"))
	}
	if got, want := sup.text(".charter-account p"), "Signed in as Pat Helper, supporting reference "+ref; got != want {
		t.Errorf("the header says %q, want %q", got, want)
	}
	sup.wantText("People who can help Alex Example", "Pat Helper", "Only Alex Example can add or remove people")
	if sup.has(`form[action="/application/supporters/revoke"]`) || sup.has(`a[href="/application/supporters"]`) {
		t.Error("a view-only supporter sees action buttons")
	}
	sup.check("application as a supporter")
}
