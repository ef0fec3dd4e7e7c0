package web

import (
	"net/http"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
)

// The form that gives the client a new decision date once the old one is
// missed (or will be): the apology stays on their page, with this date.
func init() {
	caseForms = append(caseForms, caseForm{path: "revise-decision-date", first: "revised-day", parse: parseReviseDecisionDate,
		fields: map[string]string{"body.new_date": "revised-day", "body.reason": "revised-reason"}})
}

// revisedFormValues is what was typed into the form.
type revisedFormValues struct {
	Day, Month, Year, Reason string
}

func parseReviseDecisionDate(r *http.Request, v *caseView, today calendar.Date) (casework.Body, Errors) {
	f := &v.Form.Revised
	f.Day, f.Month, f.Year = postedValue(r, "revised-day"), postedValue(r, "revised-month"), postedValue(r, "revised-year")
	f.Reason = postedValue(r, "reason")
	var problems Errors
	date, msg := parseDateFields(f.Day, f.Month, f.Year, "the new date", "30 6 2026")
	if msg == "" && !date.After(today) {
		msg = "The new date must be after today, " + today.Long()
	}
	if msg != "" {
		problems = append(problems, FieldError{"revised-day", msg})
	}
	if f.Reason == "" {
		problems = append(problems, FieldError{"revised-reason", "Say in plain words why the date has moved: the client reads it"})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return &casework.DecisionDateRevised{NewDate: date, Reason: f.Reason}, nil
}
