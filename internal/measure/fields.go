package measure

import (
	"slices"

	"github.com/charter-service/charter/internal/calendar"
)

// FactKind is the kind of value a fact holds.
type FactKind int

const (
	FactText   FactKind = iota // a short piece of text, such as a benefit id
	FactDate                   // a date; zero when the thing did not happen
	FactNumber                 // a whole number
	FactFlag                   // yes or no
)

// String names the kind as a person reads it.
func (k FactKind) String() string {
	switch k {
	case FactText:
		return "text"
	case FactDate:
		return "date"
	case FactNumber:
		return "number"
	case FactFlag:
		return "yes or no"
	}
	return "unknown"
}

// FactField is one field of Facts as measure definitions name it.
type FactField struct {
	Name        string // as measure definitions write it: "decided_on"
	Kind        FactKind
	Description string // in plain words

	ptr  func(*Facts) any    // a pointer to the field
	num  func(*Facts) int64  // dates, counts and flags as numbers
	text func(*Facts) string // text
}

// Number returns a date, count or flag of f as a number: a date as its day
// number (0 when it did not happen), a flag as 0 or 1. It is 0 for text.
func (ff FactField) Number(f *Facts) int64 {
	if ff.num == nil {
		return 0
	}
	return ff.num(f)
}

// Text returns a text field of f, or "" for other kinds.
func (ff FactField) Text(f *Facts) string {
	if ff.text == nil {
		return ""
	}
	return ff.text(f)
}

// Pointer returns a pointer to the field in f (*string, *calendar.Date,
// *int or *bool), for a store to scan a row into.
func (ff FactField) Pointer(f *Facts) any { return ff.ptr(f) }

func textField(name, desc string, p func(*Facts) *string) FactField {
	return FactField{Name: name, Kind: FactText, Description: desc,
		ptr: func(f *Facts) any { return p(f) }, text: func(f *Facts) string { return *p(f) }}
}

func dateField(name, desc string, p func(*Facts) *calendar.Date) FactField {
	return FactField{Name: name, Kind: FactDate, Description: desc,
		ptr: func(f *Facts) any { return p(f) }, num: func(f *Facts) int64 { return int64(*p(f)) }}
}

func countField(name, desc string, p func(*Facts) *int) FactField {
	return FactField{Name: name, Kind: FactNumber, Description: desc,
		ptr: func(f *Facts) any { return p(f) }, num: func(f *Facts) int64 { return int64(*p(f)) }}
}

func flagField(name, desc string, p func(*Facts) *bool) FactField {
	return FactField{Name: name, Kind: FactFlag, Description: desc,
		ptr: func(f *Facts) any { return p(f) },
		num: func(f *Facts) int64 {
			if *p(f) {
				return 1
			}
			return 0
		}}
}

// factFields is every field of Facts, in the order of the struct.
var factFields = []FactField{
	textField("ref", "the application's reference", func(f *Facts) *string { return &f.Ref }),
	textField("benefit", "the benefit applied for", func(f *Facts) *string { return &f.Benefit }),
	textField("area", "the client's council area", func(f *Facts) *string { return &f.Area }),
	textField("age_band", "the client's age band when we received the application", func(f *Facts) *string { return &f.AgeBand }),
	textField("channel", "how the application reached us: online, phone or paper", func(f *Facts) *string { return &f.Channel }),
	textField("status", "where the application is: open, decided or withdrawn", func(f *Facts) *string { return &f.Status }),

	dateField("received_on", "the day we received the application", func(f *Facts) *calendar.Date { return &f.ReceivedOn }),
	dateField("acknowledge_due", "the last day to acknowledge the application under the standard", func(f *Facts) *calendar.Date { return &f.AcknowledgeDue }),
	dateField("acknowledged_on", "the day we told the client we had the application", func(f *Facts) *calendar.Date { return &f.AcknowledgedOn }),
	flagField("acknowledged_in_time", "we acknowledged the application, or closed it, by the acknowledgement standard's date", func(f *Facts) *bool { return &f.AcknowledgedInTime }),

	dateField("decision_due", "the expected decision date, moved on by any time the clock was paused", func(f *Facts) *calendar.Date { return &f.DecisionDue }),
	dateField("decided_on", "the day we made the decision", func(f *Facts) *calendar.Date { return &f.DecidedOn }),
	textField("outcome", "the decision: award, partial or refuse", func(f *Facts) *string { return &f.Outcome }),
	countField("working_days_to_decision", "working days from receiving the application to the decision, not counting days the clock was paused", func(f *Facts) *int { return &f.WorkingDaysToDecision }),
	countField("paused_working_days", "working days the decision clock was paused while we waited on the client", func(f *Facts) *int { return &f.PausedWorkingDays }),
	countField("pauses", "times the decision clock was paused", func(f *Facts) *int { return &f.Pauses }),
	flagField("decided_in_time", "we decided on or before the expected decision date", func(f *Facts) *bool { return &f.DecidedInTime }),
	flagField("reasons_for_every_criterion", "the decision gave a reason in words for every criterion", func(f *Facts) *bool { return &f.ReasonsForEveryCriterion }),
	dateField("date_revised_on", "the day we first gave the client a new expected decision date", func(f *Facts) *calendar.Date { return &f.DateRevisedOn }),
	flagField("date_revised_in_time", "we gave the new date on or before the expected decision date", func(f *Facts) *bool { return &f.DateRevisedInTime }),
	dateField("withdrawn_on", "the day the client withdrew the application", func(f *Facts) *calendar.Date { return &f.WithdrawnOn }),
	dateField("closed_on", "the day the application was decided or withdrawn", func(f *Facts) *calendar.Date { return &f.ClosedOn }),

	countField("longest_silence", "the most working days the client went without an update while the application was open", func(f *Facts) *int { return &f.LongestSilence }),
	countField("silence_limit", "the most working days the benefit's standard allows without an update", func(f *Facts) *int { return &f.SilenceLimit }),
	flagField("silence_kept", "the client was never left longer than the standard allows without an update", func(f *Facts) *bool { return &f.SilenceKept }),

	countField("information_requests", "information requests made", func(f *Facts) *int { return &f.InformationRequests }),
	countField("client_requests", "information requests made to the client", func(f *Facts) *int { return &f.ClientRequests }),
	countField("requests_answered", "information requests answered in full", func(f *Facts) *int { return &f.RequestsAnswered }),
	countField("requests_answered_by_due", "information requests answered in full by the date they gave", func(f *Facts) *int { return &f.RequestsAnsweredByDue }),

	dateField("redetermination_requested_on", "the day the client first asked for a re-determination", func(f *Facts) *calendar.Date { return &f.RedeterminationRequestedOn }),
	countField("redetermination_requests", "requests for a re-determination, including late ones we did not accept", func(f *Facts) *int { return &f.RedeterminationRequests }),
	flagField("late_request", "a request for a re-determination came after the last day to ask", func(f *Facts) *bool { return &f.LateRequest }),
	countField("late_requests_refused", "late requests for a re-determination we did not accept", func(f *Facts) *int { return &f.LateRequestsRefused }),
	dateField("redetermination_due", "the last day we had to make the re-determination", func(f *Facts) *calendar.Date { return &f.RedeterminationDue }),
	dateField("redetermination_decided_on", "the day we made the re-determination", func(f *Facts) *calendar.Date { return &f.RedeterminationDecidedOn }),
	flagField("redetermination_in_time", "we made the re-determination by our deadline", func(f *Facts) *bool { return &f.RedeterminationInTime }),
	textField("redetermination_outcome", "the re-determination: unchanged, changed_up or changed_down", func(f *Facts) *string { return &f.RedeterminationOutcome }),
	flagField("redetermination_changed", "the re-determination changed the decision, up or down", func(f *Facts) *bool { return &f.RedeterminationChanged }),
	dateField("appeal_lodged_on", "the day the client appealed to the tribunal", func(f *Facts) *calendar.Date { return &f.AppealLodgedOn }),
	dateField("appeal_decided_on", "the day the tribunal decided the appeal", func(f *Facts) *calendar.Date { return &f.AppealDecidedOn }),
	textField("appeal_outcome", "the tribunal's decision: upheld, not_upheld or partly_upheld", func(f *Facts) *string { return &f.AppealOutcome }),

	dateField("consultation_proposed_on", "the day we first proposed a consultation", func(f *Facts) *calendar.Date { return &f.ConsultationProposedOn }),
	countField("consultations_proposed", "consultations proposed", func(f *Facts) *int { return &f.ConsultationsProposed }),
	countField("consultations_with_reason", "consultations proposed with the missing information and why it is needed recorded, or at the client's request", func(f *Facts) *int { return &f.ConsultationsWithReason }),
	countField("consultations_client_asked", "consultations the client asked for", func(f *Facts) *int { return &f.ConsultationsClientAsked }),
	countField("consultations_scheduled", "consultations booked with a practitioner", func(f *Facts) *int { return &f.ConsultationsScheduled }),
	countField("consultations_matched", "consultations booked with a practitioner whose specialisms cover every one of the client's conditions", func(f *Facts) *int { return &f.ConsultationsMatched }),
	countField("consultations_held", "consultations held", func(f *Facts) *int { return &f.ConsultationsHeld }),
	countField("consultations_cancelled", "consultations cancelled", func(f *Facts) *int { return &f.ConsultationsCancelled }),

	dateField("first_referral_on", "the day we first referred the client to another organisation", func(f *Facts) *calendar.Date { return &f.FirstReferralOn }),
	countField("referrals", "referrals to other organisations", func(f *Facts) *int { return &f.Referrals }),
	countField("referrals_with_consent", "referrals made with the client's consent", func(f *Facts) *int { return &f.ReferralsWithConsent }),
	countField("signposts", "times we told the client about other help they may be able to get", func(f *Facts) *int { return &f.Signposts }),
	countField("supporters", "supporters the client named", func(f *Facts) *int { return &f.Supporters }),
	countField("advocates", "advocates the client named as supporters", func(f *Facts) *int { return &f.Advocates }),
}

// FactFields lists every field of Facts, in the order of the struct: the
// names measure definitions may use, for `charter check` to validate and a
// store to name its columns after.
func FactFields() []FactField { return slices.Clone(factFields) }

// LookupFact returns the field with the given name.
func LookupFact(name string) (FactField, bool) {
	i, ok := factIndex[name]
	if !ok {
		return FactField{}, false
	}
	return factFields[i], true
}

var factIndex = func() map[string]int {
	m := make(map[string]int, len(factFields))
	for i, f := range factFields {
		m[f.Name] = i
	}
	return m
}()

// ScanTargets returns a pointer to every field of f in FactFields order,
// for a store to scan one row into.
func (f *Facts) ScanTargets() []any {
	out := make([]any, len(factFields))
	for i, ff := range factFields {
		out[i] = ff.ptr(f)
	}
	return out
}

// Values returns every field of f in FactFields order: text as string,
// dates as their day number (int64, 0 when the thing did not happen),
// numbers as int64 and flags as bool, for a store to write one row.
func (f *Facts) Values() []any {
	out := make([]any, len(factFields))
	for i, ff := range factFields {
		switch p := ff.ptr(f).(type) {
		case *string:
			out[i] = *p
		case *calendar.Date:
			out[i] = int64(*p)
		case *int:
			out[i] = int64(*p)
		case *bool:
			out[i] = *p
		}
	}
	return out
}
