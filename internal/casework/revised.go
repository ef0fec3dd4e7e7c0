package casework

import (
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/errs"
)

// TypeDecisionDateRevised records a new date we expect to decide by, given
// to the client when we have missed, or will miss, the decision standard.
const TypeDecisionDateRevised EventType = "decision_date_revised"

func init() { register(func() Body { return &DecisionDateRevised{} }) }

// DecisionDateRevised gives the client a new expected decision date with
// the reason in plain words. The standard itself is not changed: a decision
// after the standard's date is still late.
type DecisionDateRevised struct {
	NewDate calendar.Date `json:"new_date"`
	Reason  string        `json:"reason"`
}

func (*DecisionDateRevised) Type() EventType { return TypeDecisionDateRevised }

func (b *DecisionDateRevised) apply(a *Application, e Event, _ Rules) error {
	if err := a.requireOpen("give a new decision date"); err != nil {
		return err
	}
	on := LocalDate(e.At)
	switch {
	case b.NewDate.IsZero():
		return errs.Invalid("body.new_date", "give the new date we expect to decide by")
	case !b.NewDate.After(on):
		return errs.Invalid("body.new_date", "the new date must be after %s", on.Long())
	case len(strings.Fields(b.Reason)) < 3:
		return errs.Invalid("body.reason", "say in plain words why the date has moved")
	}
	a.RevisedDecisionDate = b.NewDate
	a.LastUpdateOn = on
	return nil
}
