package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
)

// parseDateFields reads a date typed in the design system's date input as
// day, month and year. what names the date in messages ("your date of
// birth") and example shows one ("17 5 1980"). The message is empty when
// the date is real; callers check whether it is in the past or future.
func parseDateFields(day, month, year, what, example string) (calendar.Date, string) {
	What := strings.ToUpper(what[:1]) + what[1:]
	if day == "" && month == "" && year == "" {
		return 0, "Enter " + what
	}
	d, err1 := strconv.Atoi(day)
	m, err2 := strconv.Atoi(month)
	y, err3 := strconv.Atoi(year)
	switch {
	case day == "" || month == "" || year == "":
		return 0, What + " must include a day, a month and a year"
	case err1 != nil || err2 != nil || err3 != nil:
		return 0, "Write " + what + " in numbers, for example " + example
	case len(year) != 4:
		return 0, "Write the year with four numbers, for example " + example[strings.LastIndexByte(example, ' ')+1:]
	case m < 1 || m > 12 || d < 1 || d > 31:
		return 0, What + " must be a real date, for example " + example
	}
	date := calendar.NewDate(y, time.Month(m), d)
	if yy, mm, dd := date.Date(); yy != y || int(mm) != m || dd != d {
		return 0, What + " must be a real date, for example " + example
	}
	return date, ""
}

// dateInputView is what the date-input partial shows: one date typed as
// day, month and year. ID prefixes the ids (ID-day, ID-hint, ID-day-error), Name
// the field names (Name-day…), and Error, if any, marks all three inputs.
type dateInputView struct {
	ID, Name, Legend, Hint, Error string
	Day, Month, Year              string
	Autocomplete                  string // "bday" for a date of birth, or empty
}

// dateInput builds a dateInputView in a template:
// {{template "date-input" (dateInput "due" "due" "Legend" "Hint" (.FieldError "due-day") .Day .Month .Year)}}
func dateInput(id, name, legend, hint, err, day, month, year string, autocomplete ...string) dateInputView {
	v := dateInputView{ID: id, Name: name, Legend: legend, Hint: hint, Error: err, Day: day, Month: month, Year: year}
	if len(autocomplete) > 0 {
		v.Autocomplete = autocomplete[0]
	}
	return v
}

// criterionAnswerView is what the criterion-answer partial shows: one
// criterion's question with its yes-or-no and reason, and their errors.
type criterionAnswerView struct {
	C                     criterionValue
	MetError, ReasonError string
}

// criterionAnswer builds a criterionAnswerView in a template.
func criterionAnswer(c criterionValue, metError, reasonError string) criterionAnswerView {
	return criterionAnswerView{C: c, MetError: metError, ReasonError: reasonError}
}
