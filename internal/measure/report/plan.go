package report

import (
	"errors"
	"slices"
	"strings"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/measure"
)

// ActionStatus is where an improvement action is.
type ActionStatus string

const (
	Planned    ActionStatus = "planned"
	InProgress ActionStatus = "in progress"
	Done       ActionStatus = "done"
	Dropped    ActionStatus = "dropped"
)

// ActionStatuses are the statuses, in the order a form offers them.
var ActionStatuses = []ActionStatus{Planned, InProgress, Done, Dropped}

// Open reports whether the action is still to be done: planned or in progress.
func (s ActionStatus) Open() bool { return s == Planned || s == InProgress }

// Action is one thing we will change where we fall short: what, who is
// responsible, by when, and how it is going.
type Action struct {
	ID          string // the store's to give
	What        string // what will change, in plain words
	Owner       string // who is responsible: a role or a team, not a person's name
	Due         calendar.Date
	Status      ActionStatus
	Progress    []ProgressNote // oldest first
	Measures    []string       // measure ids
	Commitments []string       // commitment ids
}

// ProgressNote is one dated note of how an action is going.
type ProgressNote struct {
	On   calendar.Date
	Text string
}

// YouSaidWeDid links what people told us to what we did about it.
type YouSaidWeDid struct {
	ID          string
	Said        string // what people said
	Did         string // what we did
	On          calendar.Date
	Measures    []string
	Commitments []string
	Actions     []string // action ids
}

// Evidence is a qualitative entry about a commitment: what someone said or
// what we found, where it came from and when.
type Evidence struct {
	ID         string
	Text       string
	Source     string // "client workshop", "partner survey", "staff training records"
	On         calendar.Date
	Commitment string
}

// minWords is the fewest words a description people read may have.
const minWords = 3

func words(s string) int { return len(strings.Fields(s)) }

// checkLinks checks measure and commitment ids against the set and the
// charter.
func checkLinks(set *measure.Set, ch *charter.Charter, measures, commitments []string) []error {
	var out []error
	for _, id := range measures {
		if _, ok := set.Measure(id); !ok {
			out = append(out, errs.Invalid("measures", "there is no measure %q", id))
		}
	}
	for _, id := range commitments {
		if _, ok := ch.Commitment(id); !ok {
			out = append(out, errs.Invalid("commitments", "the charter has no commitment %q", id))
		}
	}
	return out
}

// Validate checks an action against the measures and the charter. The
// error joins one errs.Invalid for each problem, naming its field (what,
// owner, due, status, progress, measures, commitments).
func (a *Action) Validate(set *measure.Set, ch *charter.Charter) error {
	a.What, a.Owner = strings.TrimSpace(a.What), strings.TrimSpace(a.Owner)
	var out []error
	if words(a.What) < minWords {
		out = append(out, errs.Invalid("what", "say in a sentence what will change"))
	}
	if a.Owner == "" {
		out = append(out, errs.Invalid("owner", "say who is responsible: a role or a team"))
	}
	if a.Due.IsZero() {
		out = append(out, errs.Invalid("due", "give the date it will be done by"))
	}
	if !slices.Contains(ActionStatuses, a.Status) {
		out = append(out, errs.Invalid("status", "choose planned, in progress, done or dropped"))
	}
	for i, n := range a.Progress {
		switch {
		case n.On.IsZero():
			out = append(out, errs.Invalid("progress", "progress note %d needs the date it was written", i+1))
		case strings.TrimSpace(n.Text) == "":
			out = append(out, errs.Invalid("progress", "progress note %d is empty", i+1))
		case i > 0 && n.On.Before(a.Progress[i-1].On):
			out = append(out, errs.Invalid("progress", "progress note %d is dated before the one above it: keep them in date order", i+1))
		}
	}
	if len(a.Measures)+len(a.Commitments) == 0 {
		out = append(out, errs.Invalid("measures", "link the action to at least one measure or commitment"))
	}
	out = append(out, checkLinks(set, ch, a.Measures, a.Commitments)...)
	return errors.Join(out...)
}

// Validate checks a "you said, we did" entry: both halves in words, and at
// least one link to a measure, commitment or action (actions are checked
// against those given).
func (y *YouSaidWeDid) Validate(set *measure.Set, ch *charter.Charter, actions []Action) error {
	y.Said, y.Did = strings.TrimSpace(y.Said), strings.TrimSpace(y.Did)
	var out []error
	if words(y.Said) < minWords {
		out = append(out, errs.Invalid("said", "say in a sentence what people told us"))
	}
	if words(y.Did) < minWords {
		out = append(out, errs.Invalid("did", "say in a sentence what we did about it"))
	}
	for _, id := range y.Actions {
		if !slices.ContainsFunc(actions, func(a Action) bool { return a.ID == id }) {
			out = append(out, errs.Invalid("actions", "there is no improvement action %q", id))
		}
	}
	if len(y.Measures)+len(y.Commitments)+len(y.Actions) == 0 {
		out = append(out, errs.Invalid("measures", "link the entry to at least one measure, commitment or action"))
	}
	out = append(out, checkLinks(set, ch, y.Measures, y.Commitments)...)
	return errors.Join(out...)
}

// Validate checks an evidence entry against the charter.
func (e *Evidence) Validate(ch *charter.Charter) error {
	e.Text, e.Source = strings.TrimSpace(e.Text), strings.TrimSpace(e.Source)
	var out []error
	if words(e.Text) < minWords {
		out = append(out, errs.Invalid("text", "write what was said or found, in a sentence"))
	}
	if e.Source == "" {
		out = append(out, errs.Invalid("source", "say where it came from, such as a client workshop or a partner survey"))
	}
	if e.On.IsZero() {
		out = append(out, errs.Invalid("on", "give the date it was said or found"))
	}
	if _, ok := ch.Commitment(e.Commitment); !ok {
		out = append(out, errs.Invalid("commitment", "choose the commitment it is about"))
	}
	return errors.Join(out...)
}
