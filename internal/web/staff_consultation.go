package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
)

// ---- Consultations on the case page (charter commitments 2.10–2.12) ----
//
// The case page's "Consultation" section shows the client's health
// conditions and what helps them (so whoever holds the consultation can
// read them), the consultation itself, and the forms that record it. The
// forms join the case page's list here, so staff_forms.go stays as it is.

func init() {
	caseForms = append(caseForms,
		caseForm{path: "client-details", first: "details-conditions", parse: parseClientDetails,
			fields: map[string]string{"body.conditions": "details-conditions", "body.condition_notes": "details-condition-notes",
				"body.consultation_preferences.how": "details-how", "body.consultation_preferences.place": "details-place",
				"body.consultation_preferences.place_detail": "details-place-detail",
				"body.consultation_preferences.adjustments":  "details-adjustments"}},
		caseForm{path: "propose-consultation", first: "propose-missing", parse: parseProposeConsultation,
			fields: map[string]string{"body.missing_information": "propose-missing", "body.why_not_enough": "propose-why"}},
		caseForm{path: "schedule-consultation", first: "schedule-practitioner", parse: parseScheduleConsultation,
			fields: map[string]string{"body.practitioner": "schedule-practitioner", "body.practitioner_snapshot": "schedule-practitioner",
				"body.starts_at": "schedule-date-day", "body.how": "schedule-how", "body.place": "schedule-place",
				"body.place_detail": "schedule-place-detail", "body.override_reason": "schedule-override"}},
		caseForm{path: "consultation-held", first: "held-report", parse: parseConsultationHeld,
			fields: map[string]string{"body.report": "held-report", "at": "held-report"}},
		caseForm{path: "cancel-consultation", first: "cancel-by", parse: parseCancelConsultation,
			fields: map[string]string{"body.by": "cancel-by", "body.reason": "cancel-reason"}},
	)
}

// Words for the ways, places and people of a consultation.
var (
	howLabels = map[string]string{
		casework.HowPhone: "By phone", casework.HowVideo: "By video call", casework.HowInPerson: "In person",
	}
	placeLabels = map[string]string{
		casework.PlaceHome: "At the client's home", casework.PlaceLocalOffice: "At a local office", casework.PlaceOther: "Somewhere else",
	}
	cancelledByLabels = map[string]string{
		casework.CancelledByClient: "the client", casework.CancelledByService: "us",
	}
)

// consultationSection is what the case page shows about consultations.
type consultationSection struct {
	// The client's details as last recorded; nil before they are.
	Needs      *casework.ClientNeeds
	Conditions []string // their labels
	How, Place string   // preferences in words

	// The latest consultation; nil if there has been none.
	Current   *casework.Consultation
	StartsAt  string   // "Monday 9 March 2026 at 2:00pm"
	HowText   string   // "In person"
	PlaceText string   // "At the client's home"
	Uncovered []string // labels of the conditions the practitioner did not cover
	// CoverNow is set when the client's conditions have changed since the
	// booking and the practitioner no longer covers them all.
	CoverNow []string
	ByText   string // who cancelled, in words
	// NotHeld is set when the application closed while a consultation
	// was still proposed or booked.
	NotHeld bool

	// What may be recorded now.
	CanPropose, CanSchedule, CanHold, CanCancel bool

	// Choices for the forms.
	ConditionOptions []checkOption
	Practitioners    []practitionerChoice
	// PractitionersUnavailable is set when the register could not be read.
	PractitionersUnavailable bool
	Findings                 []findingValue // for the form
	HeldFindings             []findingValue // what a held consultation showed

	Form consultationFormValues
}

// checkOption is one checkbox or radio of a list.
type checkOption struct {
	ID, Value, Label string
	Checked          bool
}

// practitionerChoice is one practitioner on the scheduling form, with how
// well they match the client's conditions.
type practitionerChoice struct {
	FieldID        string
	ID, Name, Role string
	Qualifications []string
	Specialisms    []string // labels
	Uncovered      []string // labels of the client's conditions they do not cover
	Checked        bool
}

// findingValue is what the consultation showed about one criterion.
type findingValue struct {
	ID, Question, Field, Note string
}

// consultationFormValues are what was typed into the consultation forms.
type consultationFormValues struct {
	ConditionNotes, PrefHow, PrefPlace, PrefPlaceDetail, Adjustments string
	Companion, Breaks                                                bool

	ClientAsked           bool
	Missing, WhyNotEnough string

	Practitioner, Day, Month, Year, Time, How, Place, PlaceDetail, Override string

	Report string

	CancelBy, CancelReason string
}

// newConsultationSection works out the section with its forms filled in
// from what is recorded.
func (s *Server) newConsultationSection(r *http.Request, a *casework.Application) consultationSection {
	c := consultationSection{Needs: a.Needs, Current: a.Consultation}
	open := a.Status == casework.StatusOpen
	f := &c.Form
	var conditions []string
	if n := a.Needs; n != nil {
		conditions = n.Conditions
		for _, id := range n.Conditions {
			c.Conditions = append(c.Conditions, casework.ConditionLabel(id))
		}
		p := n.Preferences
		c.How, c.Place = howLabels[p.How], placeLabels[p.Place]
		f.ConditionNotes, f.PrefHow, f.PrefPlace, f.PrefPlaceDetail = n.ConditionNotes, p.How, p.Place, p.PlaceDetail
		f.Companion, f.Breaks, f.Adjustments = p.Companion, p.Breaks, p.Adjustments
		// A booking starts from the client's wishes.
		f.How, f.Place, f.PlaceDetail = p.How, p.Place, p.PlaceDetail
	}
	for _, cond := range casework.Conditions {
		c.ConditionOptions = append(c.ConditionOptions, checkOption{ID: "details-conditions" + suffix(cond.ID, c.ConditionOptions == nil),
			Value: cond.ID, Label: cond.Label, Checked: slices.Contains(conditions, cond.ID)})
	}
	if cur := c.Current; cur != nil {
		if !cur.StartsAt.IsZero() {
			c.StartsAt = whenText(cur.StartsAt)
		}
		c.HowText, c.PlaceText, c.ByText = howLabels[cur.How], placeLabels[cur.Place], cancelledByLabels[cur.CancelledBy]
		c.Uncovered = conditionLabels(cur.Uncovered)
		for _, fd := range cur.Findings {
			q := fd.Criterion
			for _, cr := range a.Benefit().Criteria {
				if cr.ID == fd.Criterion {
					q = cr.Question
				}
			}
			c.HeldFindings = append(c.HeldFindings, findingValue{ID: fd.Criterion, Question: q, Note: fd.Note})
		}
		if cur.Status == casework.ConsultationScheduledStatus && cur.Practitioner != nil {
			now := casework.UncoveredConditions(conditions, cur.Practitioner.Specialisms)
			if !slices.Equal(now, cur.Uncovered) && len(now) > 0 {
				c.CoverNow = conditionLabels(now)
			}
			f.Practitioner, f.Override = cur.Practitioner.ID, cur.OverrideReason
			f.How, f.Place, f.PlaceDetail = cur.How, cur.Place, cur.PlaceDetail
			local := cur.StartsAt.In(casework.Zone)
			f.Day, f.Month, f.Year = strconv.Itoa(local.Day()), strconv.Itoa(int(local.Month())), strconv.Itoa(local.Year())
			f.Time = local.Format("15:04")
		}
	}
	c.NotHeld = !open && c.Current.Active()
	c.CanPropose = open && !c.Current.Active()
	c.CanSchedule = open && c.Current.Active()
	c.CanHold = open && c.Current != nil && c.Current.Status == casework.ConsultationScheduledStatus
	c.CanCancel = c.CanSchedule
	if c.CanSchedule {
		ps, err := s.svc.Practitioners(r.Context(), true)
		if err != nil {
			// The case page still works; the form says the list is missing.
			s.log.Error("practitioners for the case page", "request_id", requestID(r.Context()), "error", err)
			c.PractitionersUnavailable = true
		}
		for i, p := range ps {
			c.Practitioners = append(c.Practitioners, practitionerChoice{
				FieldID: "schedule-practitioner" + suffix(p.ID, i == 0), ID: p.ID, Name: p.Name, Role: p.Role,
				Qualifications: p.Qualifications, Specialisms: conditionLabels(p.Specialisms),
				Uncovered: conditionLabels(casework.UncoveredConditions(conditions, p.Specialisms)),
				Checked:   p.ID == f.Practitioner,
			})
		}
	}
	if c.CanHold {
		for _, cr := range a.Benefit().Criteria {
			c.Findings = append(c.Findings, findingValue{ID: cr.ID, Question: cr.Question, Field: "held-finding-" + cr.ID})
		}
	}
	return c
}

// suffix makes the ids of a list's inputs: the first is the list's own id,
// so an error can link to it; the others add their value.
func suffix(value string, first bool) string {
	if first {
		return ""
	}
	return "-" + value
}

func conditionLabels(ids []string) []string {
	var out []string
	for _, id := range ids {
		out = append(out, casework.ConditionLabel(id))
	}
	return out
}

func parseClientDetails(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	c := &v.Consultation
	f := &c.Form
	r.ParseForm()
	conditions := r.PostForm["conditions"]
	for i := range c.ConditionOptions {
		c.ConditionOptions[i].Checked = slices.Contains(conditions, c.ConditionOptions[i].Value)
	}
	f.ConditionNotes, f.PrefHow, f.PrefPlace = postedValue(r, "condition_notes"), postedValue(r, "pref_how"), postedValue(r, "pref_place")
	f.PrefPlaceDetail, f.Adjustments = postedValue(r, "pref_place_detail"), postedValue(r, "adjustments")
	f.Companion, f.Breaks = r.PostFormValue("companion") == "yes", r.PostFormValue("breaks") == "yes"
	var problems Errors
	if len(conditions) == 0 {
		problems = append(problems, FieldError{"details-conditions", "Choose at least one kind of condition; choose “Another kind of condition” if none fits"})
	}
	if f.PrefPlace == casework.PlaceOther && f.PrefPlaceDetail == "" {
		problems = append(problems, FieldError{"details-place-detail", "Say where the client would like to meet"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.ClientDetailsUpdated{Conditions: conditions, ConditionNotes: f.ConditionNotes,
		Preferences: casework.ConsultationPreferences{How: f.PrefHow, Place: f.PrefPlace, PlaceDetail: f.PrefPlaceDetail,
			Companion: f.Companion, Breaks: f.Breaks, Adjustments: f.Adjustments}}, nil
}

// notNow is the problem with a consultation form that does not fit the
// case as it is (the page no longer shows it): the message goes next to
// the consultation's status.
func notNow(msg string) Errors { return Errors{{"consultation-now", msg}} }

func parseProposeConsultation(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	if c := v.Consultation.Current; !v.Consultation.CanPropose && c != nil {
		return nil, notNow("A consultation is already " + string(c.Status) + " on this application; cancel it before proposing another")
	}
	f := &v.Consultation.Form
	f.ClientAsked = r.PostFormValue("client_asked") == "yes"
	f.Missing, f.WhyNotEnough = postedValue(r, "missing_information"), postedValue(r, "why_not_enough")
	var problems Errors
	if !f.ClientAsked && f.Missing == "" {
		problems = append(problems, FieldError{"propose-missing", "Say what information is missing, or tick that the client asked for a consultation"})
	}
	if !f.ClientAsked && f.WhyNotEnough == "" {
		problems = append(problems, FieldError{"propose-why", "Say why the information we already have is not enough to decide"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.ConsultationProposed{ClientAsked: f.ClientAsked, MissingInformation: f.Missing, WhyNotEnough: f.WhyNotEnough}, nil
}

func parseScheduleConsultation(r *http.Request, v *caseView, today calendar.Date) (casework.Body, Errors) {
	c := &v.Consultation
	if !c.CanSchedule && v.Open {
		return nil, notNow("Propose a consultation first, saying why it is needed (commitment 2.10)")
	}
	f := &c.Form
	f.Practitioner, f.How = postedValue(r, "practitioner"), postedValue(r, "consultation_how")
	f.Place, f.PlaceDetail = postedValue(r, "consultation_place"), postedValue(r, "consultation_place_detail")
	f.Override, f.Time = postedValue(r, "override_reason"), postedValue(r, "consultation_time")
	f.Day, f.Month = postedValue(r, "consultation-date-day"), postedValue(r, "consultation-date-month")
	f.Year = postedValue(r, "consultation-date-year")
	for i := range c.Practitioners {
		c.Practitioners[i].Checked = c.Practitioners[i].ID == f.Practitioner
	}
	var problems Errors
	if f.Practitioner == "" {
		problems = append(problems, FieldError{"schedule-practitioner", "Choose the practitioner who will hold the consultation"})
	}
	day, msg := parseDateFields(f.Day, f.Month, f.Year, "the date of the consultation", "16 3 2026")
	if msg == "" && day.Before(today) {
		msg = "The date of the consultation must be today or later"
	}
	if msg != "" {
		problems = append(problems, FieldError{"schedule-date-day", msg})
	}
	hour, minute, ok := parseClock(f.Time)
	if !ok {
		problems = append(problems, FieldError{"schedule-time", "Enter the time the consultation starts, for example 10:30 or 2pm"})
	}
	if _, known := howLabels[f.How]; !known {
		problems = append(problems, FieldError{"schedule-how", "Choose how the consultation will be held"})
	}
	if f.How == casework.HowInPerson {
		if _, known := placeLabels[f.Place]; !known {
			problems = append(problems, FieldError{"schedule-place", "Choose where the client will meet the practitioner"})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	place, detail := f.Place, f.PlaceDetail
	if f.How != casework.HowInPerson {
		place, detail = "", "" // a place only matters in person
	}
	y, m, d := day.Date()
	return &casework.ConsultationScheduled{Practitioner: f.Practitioner, How: f.How, Place: place, PlaceDetail: detail,
		StartsAt: time.Date(y, m, d, hour, minute, 0, 0, casework.Zone), OverrideReason: f.Override}, nil
}

// parseClock reads a time of day: "14:30", "14.30", "9", "2pm", "2:30 pm".
func parseClock(s string) (hour, minute int, ok bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	pm, am := strings.HasSuffix(s, "pm"), strings.HasSuffix(s, "am")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "pm"), "am")
	h, m, found := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	var err1, err2 error
	hour, err1 = strconv.Atoi(h)
	if found {
		if len(m) != 2 {
			return 0, 0, false
		}
		minute, err2 = strconv.Atoi(m)
	}
	if err1 != nil || err2 != nil || hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		return 0, 0, false
	}
	if pm || am {
		if hour < 1 || hour > 12 {
			return 0, 0, false
		}
		hour %= 12
		if pm {
			hour += 12
		}
	}
	return hour, minute, true
}

func parseConsultationHeld(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	c := &v.Consultation
	if !c.CanHold && v.Open {
		return nil, notNow("There is no booked consultation on this application to record")
	}
	c.Form.Report = postedValue(r, "consultation_report")
	body := &casework.ConsultationHeld{Report: c.Form.Report}
	for i := range c.Findings {
		fd := &c.Findings[i]
		fd.Note = postedValue(r, "finding-"+fd.ID)
		if fd.Note != "" {
			body.Findings = append(body.Findings, casework.ConsultationFinding{Criterion: fd.ID, Note: fd.Note})
		}
	}
	if c.Form.Report == "" {
		return nil, Errors{{"held-report", "Say what the consultation told us"}}
	}
	return body, nil
}

func parseCancelConsultation(r *http.Request, v *caseView, _ calendar.Date) (casework.Body, Errors) {
	if !v.Consultation.CanCancel && v.Open {
		return nil, notNow("There is no proposed or booked consultation on this application to cancel")
	}
	f := &v.Consultation.Form
	f.CancelBy, f.CancelReason = postedValue(r, "cancelled_by"), postedValue(r, "cancel_reason")
	var problems Errors
	if _, known := cancelledByLabels[f.CancelBy]; !known {
		problems = append(problems, FieldError{"cancel-by", "Say who cancelled the consultation: the client or us"})
	}
	if f.CancelReason == "" {
		problems = append(problems, FieldError{"cancel-reason", "Say why the consultation is cancelled"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.ConsultationCancelled{By: f.CancelBy, Reason: f.CancelReason}, nil
}

// describeConsultationEvent says in words what a consultation event
// recorded, for the case history. It never lists the client's conditions.
func describeConsultationEvent(e casework.Event) (string, bool) {
	switch body := e.Body.(type) {
	case *casework.ClientDetailsUpdated:
		return "Recorded the client's health conditions and what helps them at a consultation", true
	case *casework.ConsultationProposed:
		if body.ClientAsked {
			return "Consultation proposed: the client asked for one", true
		}
		return "Consultation proposed: " + body.MissingInformation, true
	case *casework.ConsultationScheduled:
		what := "Consultation booked for " + whenText(body.StartsAt) + ", " + strings.ToLower(howLabels[body.How])
		if p := body.PractitionerSnapshot; p != nil {
			what += ", with " + p.Name + " (" + p.Role + ")"
		}
		if body.OverrideReason != "" {
			what += ". Booked although their specialisms do not cover every condition: " + body.OverrideReason
		}
		return what, true
	case *casework.ConsultationHeld:
		return "Consultation held: " + body.Report, true
	case *casework.ConsultationCancelled:
		return "Consultation cancelled by " + cancelledByLabels[body.By] + ": " + body.Reason, true
	}
	return "", false
}
