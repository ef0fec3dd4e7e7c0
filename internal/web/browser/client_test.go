package browser

import (
	"net/http"
	"strconv"
	"testing"
)

// TestClientSignsInAndReadsTimeline: a client tracks their application with
// its reference and their date of birth, types the code we send, and reads
// where their application is and by what date we will decide.
func TestClientSignsInAndReadsTimeline(t *testing.T) {
	s := newSite(t)
	ref := s.newApplication()
	b := s.newTab(t, true)
	clientSignsIn(b, ref)
	// charter.js marks the page when the design system's scripts have
	// started: they load, and the Content-Security-Policy lets them run.
	if !eval[bool](b, `document.documentElement.classList.contains('js-enabled')`) {
		t.Error("the design system's scripts did not start")
	}
	clientReadsTimeline(b, ref)
	clientSignsOut(b)
}

// TestClientSignsInWithoutJavaScript is the same journey with JavaScript
// turned off: every page must work without it.
func TestClientSignsInWithoutJavaScript(t *testing.T) {
	s := newSite(t)
	ref := s.newApplication()
	b := s.newTab(t, false)
	clientSignsIn(b, ref)
	if eval[bool](b, `document.documentElement.classList.contains('js-enabled')`) {
		t.Fatal("the page's scripts ran although JavaScript is off")
	}
	clientReadsTimeline(b, ref)
	clientSignsOut(b)
}

// clientSignsIn goes from /track to /application.
func clientSignsIn(b *tab, ref string) {
	b.t.Helper()
	if status := b.visit("/track"); status != http.StatusOK {
		b.t.Fatalf("GET /track: %d", status)
	}
	b.check("track")
	b.typeInto("reference", ref)
	y, m, d := clientDOB.Date()
	b.typeInto("dob-day", strconv.Itoa(d))
	b.typeInto("dob-month", strconv.Itoa(int(m)))
	b.typeInto("dob-year", strconv.Itoa(y))
	if status := b.press("Send me a code"); status != http.StatusOK || b.path() != "/sign-in/code" {
		b.t.Fatalf("after Send me a code: %d on %s, want 200 on /sign-in/code\n%s", status, b.location(), b.text("main"))
	}
	b.wantText("Enter the code we sent you", "a***@example.org")
	b.check("enter the code")
	b.typeInto("code", b.site.lastCode(b.t))
	if status := b.press("Continue"); status != http.StatusOK || b.path() != "/application" {
		b.t.Fatalf("after Continue: %d on %s, want 200 on /application\n%s", status, b.location(), b.text("main"))
	}
}

// clientReadsTimeline checks the application page a client has just signed in to.
func clientReadsTimeline(b *tab, ref string) {
	b.t.Helper()
	decideBy := b.site.svc.Calendar().AddWorkingDays(b.site.svc.Today(), b.site.benefit().Standards.DecideWorkingDays)
	b.wantText(
		"Reference "+ref,
		"Your application for Adult Disability Payment",
		"Where your application is now",
		"We expect to decide by "+decideBy.Long(),
		"Every step of your application",
		"What we said we would do",
	)
	if n := b.count("main ol li"); n < 2 {
		b.t.Errorf("the timeline has %d steps, want the benefit's stages", n)
	}
	b.check("application")
}

// clientSignsOut signs out, and checks the application is no longer shown.
func clientSignsOut(b *tab) {
	b.t.Helper()
	if status := b.press("Sign out"); status != http.StatusOK || b.path() != "/signed-out" {
		b.t.Fatalf("after Sign out: %d on %s, want 200 on /signed-out", status, b.location())
	}
	b.check("signed out")
	b.visit("/application")
	if p := b.path(); p != "/track" {
		b.t.Errorf("after signing out, /application went to %s, want /track", p)
	}
}
