package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestStaffGiveANewDecisionDate(t *testing.T) {
	d := newDesk(t)
	ref := d.apply(deskADP, "Alex Example", 70) // received 70 working days ago: the date has passed
	v := d.staff("casey@example.org", "caseworker")
	casePath := "/staff/cases/" + ref.String()
	v.get(casePath)

	// Errors: nothing written, the summary links to the fields.
	before := d.app(ref).Version
	r := v.caseForm(ref, "revise-decision-date", "revised-day", "31", "revised-month", "2", "revised-year", "2026")
	if r.status != http.StatusBadRequest || !strings.Contains(r.text(), `href="#revised-day"`) || !strings.Contains(r.text(), `href="#revised-reason"`) {
		t.Fatalf("a bad date and no reason: %d", r.status)
	}
	if d.app(ref).Version != before {
		t.Fatal("a form with errors wrote something")
	}

	newDate := d.svc.Today().AddDays(30)
	y, m, day := newDate.Date()
	r = v.caseForm(ref, "revise-decision-date", "revised-day", strconv.Itoa(day), "revised-month", strconv.Itoa(int(m)), "revised-year", strconv.Itoa(y),
		"reason", "We are waiting for a report from a specialist.")
	if r.status != http.StatusSeeOther {
		t.Fatalf("giving a new date: %d\n%s", r.status, r.text())
	}
	a := d.app(ref)
	if a.RevisedDecisionDate != newDate {
		t.Errorf("revised date %s, want %s", a.RevisedDecisionDate, newDate)
	}
	if r := v.get(casePath); !strings.Contains(r.text(), "New decision date given: "+newDate.Long()) {
		t.Error("the history does not say a new date was given")
	}

}
