package browser

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
)

// TestCaseworkerRequestsInformation: a caseworker signs in, opens a case
// from the work queue and asks the client for information; the client then
// signs in and sees what we need, why, and by what date.
func TestCaseworkerRequestsInformation(t *testing.T) {
	s := newSite(t)
	ref := s.newApplication()
	s.addCaseworker()

	staff := s.newTab(t, true)
	staffSignsIn(staff)
	openCase(staff, ref)
	staff.check("case")

	const (
		what = "A letter from your GP about your condition"
		why  = "To understand how your condition affects your daily life"
		how  = "Upload it on your application page, email it, or post it to us"
	)
	due := s.svc.Calendar().AddWorkingDays(s.svc.Today(), 10)
	staff.choose("what", what)
	staff.choose("why", why)
	staff.choose("from", "client")
	staff.choose("how", how)
	staff.fillDate("due", due)
	if status := staff.press("Record the request", "what"); status != http.StatusOK {
		t.Fatalf("after asking for information: %d on %s\n%s", status, staff.location(), staff.text("main"))
	}
	staff.wantText(what)
	staff.check("case after the request")

	client := s.newTab(t, true)
	clientSignsIn(client, ref)
	client.wantText("What we need from you", what, why, how, due.Long())
	client.check("application with a request")

	// The code the client was sent is in the outbox staff can read.
	if status := staff.visit("/staff/outbox"); status != http.StatusOK {
		t.Fatalf("GET /staff/outbox: %d", status)
	}
	staff.wantText(s.lastCode(t))
	staff.check("outbox")
}

// TestStaffPages checks every page staff can reach from the work queue: as
// a caseworker the queue, the case page, the outbox (and the public pages,
// with the signed-in header); as a manager also the performance page.
func TestStaffPages(t *testing.T) {
	s := newSite(t)
	ref := s.newApplication()
	s.addCaseworker()
	s.addStaff(managerEmail, "manager")

	t.Run("caseworker", func(t *testing.T) {
		b := s.newTab(t, true)
		staffSignsIn(b)
		openCase(b, ref)
		casePath := b.path()
		checked := b.crawl(40, "/", "/staff", casePath, "/staff/outbox")
		for _, p := range []string{"/staff", casePath, "/staff/outbox", "/"} {
			if !checked[p] {
				t.Errorf("%s was not checked", p)
			}
		}
	})

	t.Run("manager", func(t *testing.T) {
		b := s.newTab(t, true)
		staffSignsInAs(b, managerEmail)
		checked := b.crawl(40, "/staff", "/staff")
		if !checked["/staff/performance"] {
			t.Errorf("the staff pages do not link to /staff/performance for a manager; checked %v", checked)
		}
	})
}

// staffSignsIn signs in as the caseworker and lands on the work queue.
func staffSignsIn(b *tab) {
	b.t.Helper()
	staffSignsInAs(b, staffEmail)
}

// staffSignsInAs signs in as a member of staff whose password is
// staffPassword and lands on the work queue.
func staffSignsInAs(b *tab, email string) {
	b.t.Helper()
	if status := b.visit("/staff/sign-in"); status != http.StatusOK {
		b.t.Fatalf("GET /staff/sign-in: %d", status)
	}
	b.typeInto("email", email)
	b.typeInto("password", staffPassword)
	status := b.press("Sign in")
	if status != http.StatusOK || b.path() != "/staff" {
		b.t.Fatalf("after staff sign-in: %d on %s, want 200 on /staff (the work queue)", status, b.location())
	}
	b.check("work queue")
}

// openCase opens the case from the work queue, as a caseworker would, or
// at /staff/cases/{ref} if the queue does not link to it.
func openCase(b *tab, ref string) {
	b.t.Helper()
	if b.path() != "/staff" {
		b.visit("/staff")
	}
	href := eval[string](b, fmt.Sprintf(`(() => {
		for (const a of document.querySelectorAll('main a[href^="/staff/cases/"]')) {
			if (a.textContent.includes(%q)) return a.getAttribute('href');
		}
		return '';
	})()`, ref))
	if href == "" {
		b.t.Errorf("the work queue has no link to %s", ref)
		href = "/staff/cases/" + ref
	}
	if status := b.visit(href); status != http.StatusOK {
		b.t.Fatalf("GET %s: %d", href, status)
	}
	b.wantText(ref)
}

// fillDate types a date into the fields for it: name-day, name-month and
// name-year as on /track, or one date field called name.
func (b *tab) fillDate(name string, d calendar.Date) {
	b.t.Helper()
	if b.has(fmt.Sprintf(`[name=%q]`, name+"-day")) {
		y, m, dd := d.Date()
		b.typeInto(name+"-day", strconv.Itoa(dd))
		b.typeInto(name+"-month", strconv.Itoa(int(m)))
		b.typeInto(name+"-year", strconv.Itoa(y))
		return
	}
	b.choose(name, d.String())
}
