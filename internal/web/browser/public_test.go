package browser

import (
	"net/http"
	"strings"
	"testing"
)

// publicPages are the pages anyone can read, and must reach from the home page.
var publicPages = []string{"/", "/charter", "/charter/history", "/track", "/feedback", "/feedback/send", "/accessibility"}

// TestPublicPages checks every page a visitor who has not signed in can
// reach from the public pages, the pages only reached after a step
// (signed out, staff sign-in) and the page for an address that is not there.
func TestPublicPages(t *testing.T) {
	s := newSite(t)
	b := s.newTab(t, true)

	checked := b.crawl(40, "/", publicPages...)
	for _, p := range publicPages {
		if !checked[p] {
			t.Errorf("%s was not checked", p)
		}
	}

	for _, p := range []string{"/signed-out", "/staff/sign-in"} {
		if checked[p] {
			continue
		}
		if status := b.visit(p); status != http.StatusOK {
			t.Errorf("GET %s: %d, want 200", p, status)
		}
		b.check(strings.Trim(p, "/"))
	}

	if status := b.visit("/no-such-page"); status != http.StatusNotFound {
		t.Errorf("GET /no-such-page: %d, want 404", status)
	}
	if h1 := b.text("h1"); h1 == "" {
		t.Error("the page-not-found page has no <h1>")
	}
	b.check("page not found")
}
