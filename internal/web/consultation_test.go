package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
)

// practitioners adds a mental health nurse and a physiotherapist to the
// register, and one who no longer holds consultations.
func (d *desk) practitioners() (nurse, physio casework.Practitioner) {
	d.t.Helper()
	add := func(p casework.Practitioner) casework.Practitioner {
		d.t.Helper()
		p, err := d.svc.AddPractitioner(context.Background(), p)
		if err != nil {
			d.t.Fatal(err)
		}
		return p
	}
	nurse = add(casework.Practitioner{Name: "Ann Nurse", Role: "Mental health nurse",
		Qualifications: []string{"Registered nurse (NMC)"}, Specialisms: []string{"mental-health", "neurological"}, Active: true})
	physio = add(casework.Practitioner{Name: "Pat Physio", Role: "Physiotherapist",
		Qualifications: []string{"Physiotherapist (HCPC)", "MSc Musculoskeletal Practice"}, Specialisms: []string{"musculoskeletal"}, Active: true})
	add(casework.Practitioner{Name: "Ray Retired", Role: "Occupational therapist",
		Qualifications: []string{"Occupational therapist (HCPC)"}, Specialisms: []string{"mental-health"}, Active: false})
	return nurse, physio
}

const (
	testMissing = "How far you can walk on a bad day, and how often bad days happen."
	testWhy     = "Your GP's letter and your form describe different distances, so we cannot tell which is right."
)

func TestConsultationFormsRecordEvents(t *testing.T) {
	d := newDesk(t)
	nurse, physio := d.practitioners()
	ref := d.apply(deskADP, "Morag Example", 10)
	d.record(ref, &casework.StageChanged{Stage: "gathering-information"})
	u := d.staff("casey@example.org", app.RoleCaseworker)

	// Before anything is recorded: the section, the details form and the proposal form.
	p := u.get("/staff/cases/" + ref.String())
	for _, want := range []string{`<h2 id="consultation">Consultation</h2>`, "Not recorded yet.", "No consultation has been proposed",
		`action="/staff/cases/` + ref.String() + `/client-details"`, `action="/staff/cases/` + ref.String() + `/propose-consultation"`,
		`<a href="/charter#commitment-2-10">commitment 2.10</a>`, `href="#consultation"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the case page lacks %s", want)
		}
	}
	if strings.Contains(p.body, "/schedule-consultation\"") || strings.Contains(p.body, "/consultation-held\"") {
		t.Error("the case page offers to book or record a consultation nobody proposed")
	}

	steps := []struct {
		form   string
		typ    casework.EventType
		fields []string
		check  func(a *casework.Application) bool
	}{
		{"client-details", casework.TypeClientDetailsUpdated, []string{"conditions", "musculoskeletal", "conditions", "mental-health",
			"condition_notes", "Arthritis and anxiety", "pref_how", "in-person", "pref_place", "home", "companion", "yes", "breaks", "yes",
			"adjustments", "A ground-floor room"},
			func(a *casework.Application) bool {
				n := a.Needs
				return n != nil && len(n.Conditions) == 2 && n.Preferences.How == "in-person" && n.Preferences.Breaks &&
					n.Preferences.Companion && n.Preferences.Adjustments == "A ground-floor room"
			}},
		{"propose-consultation", casework.TypeConsultationProposed, []string{"missing_information", testMissing, "why_not_enough", testWhy},
			func(a *casework.Application) bool {
				return a.Consultation.Status == casework.ConsultationProposedStatus && a.Consultation.WhyNotEnough == testWhy
			}},
		{"schedule-consultation", casework.TypeConsultationScheduled, []string{"practitioner", physio.ID, "consultation-date-day", "9", "consultation-date-month", "3",
			"consultation-date-year", "2026", "consultation_time", "2pm", "consultation_how", "in-person", "consultation_place", "home",
			"override_reason", "No mental health practitioner can visit before the decision date, and the client agreed."},
			func(a *casework.Application) bool {
				c := a.Consultation
				return c.Status == casework.ConsultationScheduledStatus && c.Practitioner.ID == physio.ID && c.StartsAt.Hour() == 14 &&
					len(c.Uncovered) == 1 && a.Stage == casework.StageConsultation
			}},
		// Changing the booking: the nurse by video, the place is dropped;
		// she does not cover the musculoskeletal condition either.
		{"schedule-consultation", casework.TypeConsultationScheduled, []string{"practitioner", nurse.ID, "consultation-date-day", "10", "consultation-date-month", "3",
			"consultation-date-year", "2026", "consultation_time", "10:30", "consultation_how", "video", "consultation_place", "home",
			"override_reason", "The client asked to talk with a nurse about their anxiety first."},
			func(a *casework.Application) bool {
				c := a.Consultation
				return c.Practitioner.ID == nurse.ID && c.How == "video" && c.Place == "" && c.Rescheduled == 1 && len(c.Uncovered) == 1
			}},
	}
	for _, st := range steps {
		before := d.app(ref).Version
		p := u.caseForm(ref, st.form, st.fields...)
		if p.status != http.StatusSeeOther {
			t.Fatalf("POST %s: %d\n%s", st.form, p.status, p.text())
		}
		a, events, err := d.svc.Application(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if a.Version != before+1 || events[len(events)-1].Type != st.typ || !st.check(a) {
			t.Fatalf("POST %s did not record what the form said: %+v %+v", st.form, a.Consultation, a.Needs)
		}
		if rows := d.audit(ref); rows[len(rows)-1].Action != "recorded "+string(st.typ) {
			t.Errorf("audit after %s: %q", st.form, rows[len(rows)-1].Action)
		}
	}
	// The page says what is not covered, and why it went ahead.
	p = u.get("/staff/cases/" + ref.String())
	text := p.text()
	for _, want := range []string{
		"Mental health, Bones, joints and muscles (musculoskeletal)", "Arthritis and anxiety", "A ground-floor room", "Yes: offer breaks",
		"Ann Nurse, Mental health nurse", "Registered nurse (NMC)", "Tuesday 10 March 2026 at 10:30am", "By video call",
		"the booking has been changed 1 time", testMissing, testWhy,
		"Not covered by their specialisms", "Booked anyway because",
		// The booking form shows each practitioner's match.
		"Pat Physio, Physiotherapist", "MSc Musculoskeletal Practice", "Does not cover: Mental health",
		// The history says what happened without the conditions.
		"Consultation booked for Tuesday 10 March 2026 at 10:30am, by video call, with Ann Nurse (Mental health nurse)",
		"Consultation proposed: " + testMissing,
		"Recorded the client's health conditions and what helps them at a consultation",
		`action="/staff/cases/` + ref.String() + `/consultation-held"`, `action="/staff/cases/` + ref.String() + `/cancel-consultation"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	if strings.Contains(text, "Ray Retired") {
		t.Error("the booking form offers a practitioner who is not holding consultations")
	}
	if strings.Contains(strings.ToLower(text), "assessment") {
		t.Error("the case page says assessment: say consultation")
	}
	checkPageFrame(t, p.body)

	// Held, on the day, with a finding.
	d.at(d.svc.Today().AddDays(8)) // Tuesday 10 March: a new day, a new sign-in
	u = d.staff("cara@example.org", app.RoleCaseworker)
	p = u.caseForm(ref, "consultation-held", "consultation_report", "We talked for an hour about walking and daily routines.",
		"finding-mobility", "About 20 metres with a stick.")
	if p.status != http.StatusSeeOther {
		t.Fatalf("held: %d\n%s", p.status, p.text())
	}
	a := d.app(ref)
	if c := a.Consultation; c.Status != casework.ConsultationHeldStatus || len(c.Findings) != 1 || c.Findings[0].Criterion != "mobility" {
		t.Errorf("held: %+v", c)
	}
	p = u.get("/staff/cases/" + ref.String())
	if !strings.Contains(p.text(), "About 20 metres with a stick.") || strings.Contains(p.body, `/consultation-held"`) {
		t.Error("after it was held, the page shows the finding and no form to record it again")
	}

	// Another case: proposed because the client asked, then cancelled.
	other := d.apply(deskADP, "Callum Example", 2)
	if p := u.caseForm(other, "propose-consultation", "client_asked", "yes"); p.status != http.StatusSeeOther {
		t.Fatalf("propose, the client asked: %d\n%s", p.status, p.text())
	}
	if p := u.caseForm(other, "cancel-consultation", "cancelled_by", "client", "cancel_reason", "The client sent a letter from their physiotherapist instead."); p.status != http.StatusSeeOther {
		t.Fatalf("cancel: %d\n%s", p.status, p.text())
	}
	if c := d.app(other).Consultation; c.Status != casework.ConsultationCancelledStatus || !c.ClientAsked || c.CancelledBy != "client" {
		t.Errorf("cancelled: %+v", c)
	}
	if p := u.get("/staff/cases/" + other.String()); !strings.Contains(p.text(), "Consultation cancelled by the client: The client sent a letter") {
		t.Error("the history does not say who cancelled and why")
	}

	// A consultation still proposed when the client withdrew was not held.
	third := d.apply(deskADP, "Iona Example", 2)
	d.record(third, &casework.ConsultationProposed{ClientAsked: true})
	d.record(third, &casework.Withdrawn{Reason: "The client asked us to stop."})
	p = u.get("/staff/cases/" + third.String())
	if !strings.Contains(p.text(), "Not held</strong> The application closed before the consultation took place.") ||
		strings.Contains(p.body, `/cancel-consultation"`) {
		t.Error("a withdrawn case should say its consultation was not held, with no forms")
	}
}

func TestConsultationFormErrors(t *testing.T) {
	d := newDesk(t)
	nurse, physio := d.practitioners()
	ref := d.apply(deskADP, "Morag Example", 10)
	u := d.staff("casey@example.org", app.RoleCaseworker)
	proposed := d.apply(deskADP, "Proposed Example", 10)
	d.record(proposed, &casework.ConsultationProposed{MissingInformation: testMissing, WhyNotEnough: testWhy})
	detailed := d.apply(deskADP, "Detailed Example", 10)
	d.record(detailed, &casework.ClientDetailsUpdated{Conditions: []string{"mental-health"}})
	d.record(detailed, &casework.ConsultationProposed{ClientAsked: true})
	booked := d.apply(deskADP, "Booked Example", 10)
	d.record(booked, &casework.ClientDetailsUpdated{Conditions: []string{"mental-health"}})
	d.record(booked, &casework.ConsultationProposed{ClientAsked: true})
	d.record(booked, &casework.ConsultationScheduled{Practitioner: nurse.ID, StartsAt: d.now().Add(72 * 3600e9), How: "phone"})

	book := func(extra ...string) []string {
		return append([]string{"practitioner", nurse.ID, "consultation-date-day", "9", "consultation-date-month", "3",
			"consultation-date-year", "2026", "consultation_time", "10:00", "consultation_how", "phone"}, extra...)
	}
	for _, tc := range []struct {
		name   string
		ref    string
		form   string
		fields []string
		status int
		errors map[string]string
	}{
		{"details, no conditions", ref.String(), "client-details", []string{"pref_place", "other"}, http.StatusBadRequest, map[string]string{
			"details-conditions":   "Choose at least one kind of condition; choose “Another kind of condition” if none fits",
			"details-place-detail": "Say where the client would like to meet"}},
		{"details, a condition not in the list", ref.String(), "client-details", []string{"conditions", "gout"}, http.StatusBadRequest,
			map[string]string{"details-conditions": `"gout" is not a kind of condition we record; choose from mental-health, musculoskeletal, neurological, sensory, learning-disability, respiratory, cardiovascular, other`}},
		{"propose, nothing said", ref.String(), "propose-consultation", nil, http.StatusBadRequest, map[string]string{
			"propose-missing": "Say what information is missing, or tick that the client asked for a consultation",
			"propose-why":     "Say why the information we already have is not enough to decide"}},
		{"propose, too short", ref.String(), "propose-consultation", []string{"missing_information", "Mobility", "why_not_enough", testWhy},
			http.StatusBadRequest, map[string]string{"propose-missing": "Say in a full sentence (at least 5 words) what information is missing; the client reads it (commitment 2.10)"}},
		{"propose, a second one", proposed.String(), "propose-consultation", []string{"client_asked", "yes"},
			http.StatusBadRequest, map[string]string{"consultation-now": "A consultation is already proposed on this application; cancel it before proposing another"}},
		{"schedule, nothing proposed", ref.String(), "schedule-consultation", book(), http.StatusBadRequest,
			map[string]string{"consultation-now": "Propose a consultation first, saying why it is needed (commitment 2.10)"}},
		{"held, nothing booked", proposed.String(), "consultation-held", []string{"consultation_report", "We talked about the client's day and their walking."},
			http.StatusBadRequest, map[string]string{"consultation-now": "There is no booked consultation on this application to record"}},
		{"schedule, nothing filled in", proposed.String(), "schedule-consultation", nil, http.StatusBadRequest, map[string]string{
			"schedule-practitioner": "Choose the practitioner who will hold the consultation",
			"schedule-date-day":     "Enter the date of the consultation",
			"schedule-time":         "Enter the time the consultation starts, for example 10:30 or 2pm",
			"schedule-how":          "Choose how the consultation will be held"}},
		{"schedule, in person nowhere, in the past", proposed.String(), "schedule-consultation",
			[]string{"practitioner", nurse.ID, "consultation-date-day", "1", "consultation-date-month", "3", "consultation-date-year", "2026",
				"consultation_time", "25:00", "consultation_how", "in-person"},
			http.StatusBadRequest, map[string]string{
				"schedule-date-day": "The date of the consultation must be today or later",
				"schedule-time":     "Enter the time the consultation starts, for example 10:30 or 2pm",
				"schedule-place":    "Choose where the client will meet the practitioner"}},
		{"schedule, conditions not recorded", proposed.String(), "schedule-consultation", book(), http.StatusConflict,
			map[string]string{"schedule-practitioner": "Record the client's health conditions first, so that we can check the practitioner understands them (commitment 2.12)"}},
		{"schedule, a practitioner who does not understand", detailed.String(), "schedule-consultation",
			append(book()[2:], "practitioner", physio.ID), http.StatusBadRequest,
			map[string]string{"schedule-practitioner": "Pat Physio's specialisms do not cover the client's mental health condition; choose a practitioner who understands it, or give a reason to go ahead (commitment 2.12)"}},
		{"schedule, an override too short", detailed.String(), "schedule-consultation",
			append(book()[2:], "practitioner", physio.ID, "override_reason", "urgent"), http.StatusBadRequest,
			map[string]string{"schedule-override": "Say in a full sentence (at least 5 words) why this practitioner should hold the consultation"}},
		{"schedule, an office without its address", detailed.String(), "schedule-consultation",
			append(book()[:10], "consultation_how", "in-person", "consultation_place", "local-office"), http.StatusBadRequest,
			map[string]string{"schedule-place-detail": "Give the address, so the client knows where to go"}},
		{"schedule, a practitioner not in the register", detailed.String(), "schedule-consultation",
			append(book()[2:], "practitioner", "pr-nobody"), http.StatusBadRequest,
			map[string]string{"schedule-practitioner": `There is no practitioner with the id "pr-nobody" in the register`}},
		{"held, no report", booked.String(), "consultation-held", nil, http.StatusBadRequest,
			map[string]string{"held-report": "Say what the consultation told us"}},
		{"held, before the day", booked.String(), "consultation-held", []string{"consultation_report", "We talked about the client's day and their walking."},
			http.StatusBadRequest, map[string]string{"held-report": "The consultation is booked for 2026-03-05; record it once it has taken place"}},
		{"cancel, nothing said", booked.String(), "cancel-consultation", nil, http.StatusBadRequest, map[string]string{
			"cancel-by":     "Say who cancelled the consultation: the client or us",
			"cancel-reason": "Say why the consultation is cancelled"}},
		{"cancel, nothing to cancel", ref.String(), "cancel-consultation", []string{"cancelled_by", "client", "cancel_reason", "Changed their mind"},
			http.StatusBadRequest, map[string]string{"consultation-now": "There is no proposed or booked consultation on this application to cancel"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := casework.ParseReference(tc.ref)
			before := d.app(r).Version
			p := u.caseForm(r, tc.form, tc.fields...)
			if p.status != tc.status {
				t.Fatalf("status %d, want %d\n%s", p.status, tc.status, p.text())
			}
			checkPageFrame(t, p.body)
			links := deskErrorLinks(t, p.body)
			for field, msg := range tc.errors {
				if links[field] != msg {
					t.Errorf("error for #%s is %q, want %q", field, links[field], msg)
				}
			}
			if len(links) != len(tc.errors) {
				t.Errorf("%d errors in the summary, want %d: %v", len(links), len(tc.errors), links)
			}
			if got := d.app(r).Version; got != before {
				t.Errorf("version %d → %d: something was written", before, got)
			}
		})
	}
}

func TestPractitionersPage(t *testing.T) {
	d := newDesk(t)
	d.practitioners()
	caseworker := d.staff("casey@example.org", app.RoleCaseworker)
	p := caseworker.get("/staff/practitioners")
	if p.status != http.StatusOK {
		t.Fatalf("GET /staff/practitioners: %d", p.status)
	}
	checkPageFrame(t, p.body)
	text := p.text()
	for _, want := range []string{"Ann Nurse", "Mental health nurse", "Registered nurse (NMC)", "Brain and nerves (neurological)",
		"Ray Retired", `<a class="ds_tabs__tab-link" href="/staff/practitioners" aria-current="page">Practitioners</a>`,
		"Managers can add practitioners"} {
		if !strings.Contains(text, want) {
			t.Errorf("the practitioners page lacks %q", want)
		}
	}
	if strings.Contains(p.body, `action="/staff/practitioners"`) || strings.Contains(p.body, "?edit=") {
		t.Error("a caseworker is offered the form to add or change practitioners")
	}
	if p := caseworker.post("/staff/practitioners", "name", "Sneaky", "role", "Nurse", "qualifications", "RN", "specialisms", "other"); p.status != http.StatusForbidden {
		t.Errorf("a caseworker adding a practitioner: %d, want 403", p.status)
	}

	manager := d.staff("morven@example.org", app.RoleManager)
	manager.get("/staff/practitioners")
	p = manager.post("/staff/practitioners", "qualifications", "  \n ")
	if p.status != http.StatusBadRequest {
		t.Fatalf("an empty form: %d", p.status)
	}
	links := deskErrorLinks(t, p.body)
	if len(links) != 4 || links["practitioner-specialisms"] != "Choose at least one kind of condition the practitioner understands" ||
		links["practitioner-name"] != "Enter the practitioner's name" {
		t.Errorf("the errors for an empty form: %v", links)
	}
	p = manager.post("/staff/practitioners", "name", "Oona Therapist", "role", "Occupational therapist",
		"qualifications", "Occupational therapist (HCPC)\n\nPostgraduate certificate in learning disability", "specialisms", "learning-disability",
		"specialisms", "sensory", "active", "yes")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/staff/practitioners?saved=pr-") {
		t.Fatalf("adding: %d to %q\n%s", p.status, p.location, p.text())
	}
	id := strings.TrimPrefix(p.location, "/staff/practitioners?saved=")
	rec, err := d.svc.Practitioner(context.Background(), id)
	if err != nil || len(rec.Qualifications) != 2 || rec.Specialisms[0] != "sensory" || !rec.Active {
		t.Fatalf("added: %+v, %v", rec, err)
	}
	if p := manager.get(p.location); !strings.Contains(p.text(), "Oona Therapist's details are saved") {
		t.Error("no confirmation after saving")
	}

	// Changing: the form is filled in from the register; a stale version is refused.
	p = manager.get("/staff/practitioners?edit=" + id)
	for _, want := range []string{`name="id" value="` + id + `"`, `name="version" value="1"`, `value="Oona Therapist"`,
		`id="practitioner-specialisms-sensory" name="specialisms" value="sensory" checked`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the edit form lacks %s", want)
		}
	}
	change := func(version string) response {
		return manager.post("/staff/practitioners", "id", id, "version", version, "name", "Oona Therapist", "role", "Occupational therapist",
			"qualifications", "Occupational therapist (HCPC)", "specialisms", "learning-disability")
	}
	if p := change("1"); p.status != http.StatusSeeOther {
		t.Fatalf("changing: %d\n%s", p.status, p.text())
	}
	if rec, _ := d.svc.Practitioner(context.Background(), id); rec.Active || rec.Version != 2 || len(rec.Specialisms) != 1 {
		t.Errorf("changed: %+v", rec)
	}
	if p := change("1"); p.status != http.StatusConflict || !strings.Contains(p.text(), "someone else changed this practitioner") &&
		!strings.Contains(p.text(), "Someone else changed this practitioner") {
		t.Errorf("a stale change: %d\n%s", p.status, p.text())
	}
	if p := manager.get("/staff/practitioners?edit=pr-nobody"); p.status != http.StatusNotFound {
		t.Errorf("editing an unknown practitioner: %d, want 404", p.status)
	}
}

func TestClientSeesTheirConsultation(t *testing.T) {
	s := newSite(t)
	dob := deskDOB
	ref := s.apply(deskADP, "Morag Example", dob)
	d := &desk{s}
	nurse, _ := d.practitioners()
	client := s.visitor()
	client.signInAsClient(ref, dob)
	if p := client.get("/application"); strings.Contains(p.body, `id="consultation"`) {
		t.Error("the client page shows a consultation before one is proposed")
	}
	s.record(ref, &casework.ClientDetailsUpdated{Conditions: []string{"mental-health"}, ConditionNotes: "Bipolar disorder",
		Preferences: casework.ConsultationPreferences{How: "phone", Companion: true, Breaks: true, Adjustments: "Calls after 11am"}})
	s.record(ref, &casework.ConsultationProposed{MissingInformation: testMissing, WhyNotEnough: testWhy})
	p := client.get("/application")
	for _, want := range []string{"Your consultation", testMissing, testWhy, "We will contact you to agree a time",
		`<a href="/charter#commitment-2-10">commitment 2.10</a>`, `<a href="/charter#term-consultation">consultation</a>`} {
		if !strings.Contains(p.text(), want) {
			t.Errorf("the proposed consultation lacks %q", want)
		}
	}
	s.record(ref, &casework.ConsultationScheduled{Practitioner: nurse.ID, StartsAt: s.now().Add(7 * 24 * 3600e9), How: "phone"})
	p = client.get("/application")
	if p.status != http.StatusOK {
		t.Fatalf("GET /application: %d", p.status)
	}
	checkPageFrame(t, p.body)
	text := p.text()
	for _, want := range []string{
		"Monday 9 March 2026 at 10:00am", "By phone: the practitioner will call you", "Ann Nurse, Mental health nurse",
		"qualified practitioner</a> who understands conditions like yours",
		"You can bring someone with you", "We have noted that someone will come with you",
		"You can ask for a break at any time", "We have noted that you need breaks", "Calls after 11am",
		"If you need to change it", `<a href="/feedback#contact">contact us</a>`,
		`<a href="/charter#commitment-2-10">commitment 2.10</a>`, `<a href="/charter#commitment-2-11">commitment 2.11</a>`,
		`<a href="/charter#commitment-2-12">commitment 2.12</a>`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the booked consultation lacks %q", want)
		}
	}
	for _, secret := range []string{"Bipolar", "mental-health", "Kinds of condition", "assessment"} {
		if strings.Contains(text, secret) {
			t.Errorf("the client's page shows %q", secret)
		}
	}
}

func TestPractitionersAPIAndScheduling(t *testing.T) {
	d := newDesk(t)
	nurse, physio := d.practitioners()
	ref := d.apply(deskADP, "Morag Example", 10)
	d.record(ref, &casework.ClientDetailsUpdated{Conditions: []string{"mental-health"}})
	d.record(ref, &casework.ConsultationProposed{ClientAsked: true})
	token, _, err := d.svc.CreateToken(context.Background(), app.RoleCaseworker, "api test")
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, body string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, d.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}

	status, body := call("GET", "/api/v1/practitioners?active=true", "")
	var list practitionersResponse
	if err := json.Unmarshal(body, &list); status != http.StatusOK || err != nil {
		t.Fatalf("GET /api/v1/practitioners: %d %s", status, body)
	}
	if len(list.Items) != 2 || list.Items[0].Name != "Ann Nurse" || list.Items[0].Version != 1 || len(list.Conditions) != len(casework.Conditions) {
		t.Errorf("the active register: %+v", list)
	}
	if status, _ := call("GET", "/api/v1/practitioners", ""); status != http.StatusOK {
		t.Errorf("everyone: %d", status)
	}
	if status, _ := call("GET", "/api/v1/practitioners?active=maybe", ""); status != http.StatusBadRequest {
		t.Errorf("active=maybe: %d, want 400", status)
	}
	req, _ := http.NewRequest("GET", d.srv.URL+"/api/v1/practitioners", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a token: %v %v", resp, err)
	}

	events := "/api/v1/applications/" + ref.String() + "/events"
	for _, c := range []struct {
		body, field string
	}{
		{`{"type": "consultation_scheduled", "body": {"practitioner": "` + physio.ID + `", "starts_at": "2026-03-09T10:00:00Z", "how": "phone"}}`, "body.practitioner"},
		{`{"type": "consultation_scheduled", "body": {"practitioner": "` + nurse.ID + `", "starts_at": "2026-03-09T10:00:00Z", "how": "phone",
			"practitioner_snapshot": {"id": "` + nurse.ID + `", "specialisms": ["mental-health"], "active": true}}}`, "body.practitioner_snapshot"},
		{`{"type": "consultation_scheduled", "body": {"practitioner": "` + nurse.ID + `", "starts_at": "2026-03-09T10:00:00Z", "how": "phone", "room": 4}}`, "body.room"},
		{`{"type": "consultation_scheduled", "body": {"practitioner": "` + nurse.ID + `", "starts_at": "tomorrow", "how": "phone"}}`, "body"},
		{`{"type": "consultation_proposed", "body": {"missing_information": "x"}}`, "body.missing_information"},
	} {
		path := events
		if strings.Contains(c.body, "consultation_proposed") {
			path = "/api/v1/applications/" + d.apply(deskADP, "Fresh Example", 1).String() + "/events"
		}
		status, body := call("POST", path, c.body)
		var e struct {
			Error struct{ Code, Field string } `json:"error"`
		}
		json.Unmarshal(body, &e)
		if status == http.StatusCreated || e.Error.Field != c.field {
			t.Errorf("POST %s: %d %s, want refused on %s", c.body, status, body, c.field)
		}
	}
	status, body = call("POST", events, `{"type": "consultation_scheduled", "body": {"practitioner": "`+nurse.ID+`", "starts_at": "2026-03-09T10:00:00Z", "how": "phone"}}`)
	if status != http.StatusCreated {
		t.Fatalf("booking through the API: %d %s", status, body)
	}
	if c := d.app(ref).Consultation; c.Practitioner == nil || c.Practitioner.Name != "Ann Nurse" {
		t.Errorf("the API booking was not checked against the register: %+v", c)
	}
}
