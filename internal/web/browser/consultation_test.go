package browser

import (
	"net/http"
	"testing"

	"github.com/charter-service/charter/internal/calendar"
)

// TestConsultationJourney: a manager adds a practitioner (first with
// nothing typed); a caseworker records the client's conditions and what
// helps them, proposes a consultation (first with nothing typed) and books
// it with the practitioner; the client reads when, how, with whom and why.
// axe-core checks every page on the way, errors included.
func TestConsultationJourney(t *testing.T) {
	s := newSite(t)
	ref := s.newApplication()
	s.addCaseworker()
	s.addStaff(managerEmail, "manager")

	t.Run("manager adds a practitioner", func(t *testing.T) {
		b := s.newTab(t, true)
		staffSignsInAs(b, managerEmail)
		if status := b.visit("/staff/practitioners"); status != http.StatusOK {
			t.Fatalf("GET /staff/practitioners: %d", status)
		}
		b.wantText("There are no practitioners in the register yet")
		b.check("an empty register")
		if status := b.press("Add the practitioner"); status != http.StatusBadRequest {
			t.Fatalf("adding with nothing typed: %d", status)
		}
		b.wantText("There is a problem", "Enter the practitioner's name")
		b.check("practitioner form with problems")
		b.typeInto("name", "Ann Nurse")
		b.typeInto("role", "Mental health nurse")
		b.typeInto("qualifications", "Registered nurse (NMC)")
		b.choose("specialisms", "mental-health")
		if status := b.press("Add the practitioner"); status != http.StatusOK || b.path() != "/staff/practitioners" {
			t.Fatalf("adding: %d on %s\n%s", status, b.location(), b.text("main"))
		}
		b.wantText("Ann Nurse's details are saved", "Registered nurse (NMC)", "Mental health")
		b.check("a practitioner added")
		b.visit(eval[string](b, `document.querySelector('main a[href*="edit="]').getAttribute('href')`))
		b.wantText("Change Ann Nurse's details")
		b.check("changing a practitioner")
	})

	t.Run("caseworker books a consultation", func(t *testing.T) {
		b := s.newTab(t, true)
		staffSignsIn(b)
		openCase(b, ref)
		b.choose("conditions", "mental-health")
		b.choose("pref_how", "phone")
		b.choose("breaks", "yes")
		b.typeInto("adjustments", "Calls after 11am, please")
		if status := b.press("Save the client's details"); status != http.StatusOK {
			t.Fatalf("saving the client's details: %d\n%s", status, b.text("main"))
		}
		b.wantText("Calls after 11am, please", "Yes: offer breaks")

		if status := b.press("Propose the consultation"); status != http.StatusBadRequest {
			t.Fatalf("proposing with nothing typed: %d", status)
		}
		b.wantText("Say what information is missing, or tick that the client asked for a consultation")
		b.check("case with a proposal's problems")
		b.typeInto("missing_information", "How your condition affects you on a bad day, and how often that happens.")
		b.typeInto("why_not_enough", "Your form tells us about good days only, and your GP has not seen you this year.")
		if status := b.press("Propose the consultation"); status != http.StatusOK {
			t.Fatalf("proposing: %d\n%s", status, b.text("main"))
		}
		b.wantText("Book the consultation", "Ann Nurse, Mental health nurse", "Covers all the client's conditions")
		b.check("case with a proposed consultation")

		b.choose("practitioner", "Ann Nurse")
		b.fillDate("consultation-date", calendar.NewDate(2026, 3, 9))
		b.typeInto("consultation_time", "11:30")
		b.choose("consultation_how", "phone")
		if status := b.press("Book the consultation"); status != http.StatusOK {
			t.Fatalf("booking: %d\n%s", status, b.text("main"))
		}
		b.wantText("Booked", "Monday 9 March 2026 at 11:30am", "Record the consultation as held", "Change the booking")
		b.check("case with a booked consultation")
	})

	t.Run("client reads it", func(t *testing.T) {
		b := s.newTab(t, true)
		clientSignsIn(b, ref)
		b.wantText("Your consultation", "Monday 9 March 2026 at 11:30am", "Ann Nurse, Mental health nurse",
			"Your form tells us about good days only", "You can bring someone with you", "We have noted that you need breaks",
			"If you need to change it")
		b.check("application with a consultation")
	})
}
