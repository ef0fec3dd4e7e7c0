package app

import (
	"context"
	"crypto/rand"
	"iter"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/feedback"
	"github.com/charter-service/charter/internal/measure"
	"github.com/charter-service/charter/internal/seed"
	"github.com/charter-service/charter/internal/store"
)

// Feedback and complaints from the public (commitment 1.13): the form
// anyone can send without signing in, its abuse protection, the two-stage
// complaints process on working-day clocks, and the counts per commitment
// the measurement framework takes.

// MaxFeedbackPerHour is how many pieces of feedback one address may send
// in an hour, counted with the sign-in failures' mechanism (the store's
// per-key attempt log); the next is refused until the hour has passed.
const MaxFeedbackPerHour = 20

// feedbackRateKey is the attempt-log key of an address's feedback.
func feedbackRateKey(from string) string { return "feedback:addr:" + from }

// FeedbackSubmission is what the public form sends.
type FeedbackSubmission struct {
	Form     feedback.Form
	Honeypot string    // the hidden field: people leave it empty
	Shown    time.Time // when the form was given out, as the form says; zero if it does not
	From     string    // the sender's address, for the rate limit; never stored with the item
}

// FeedbackReceipt says what became of a submission.
type FeedbackReceipt struct {
	ID        string // the reference the person keeps; "" when nothing was kept
	Kind      feedback.Kind
	Received  calendar.Date
	Automated bool // it looked automated, so nothing was kept
}

// SubmitFeedback checks and stores feedback or a complaint from the
// public form. The form's problems come back as feedback.FormErrors, and
// nothing is stored. Past MaxFeedbackPerHour from one address in an hour,
// it is refused (errs.KindRateLimited). A form whose hidden field is
// filled in, that does not say when it was given out, or that came back
// sooner than a person could fill it in, is thanked for and not kept
// (Automated), so that whoever sent it learns nothing; it counts towards
// the address's limit. A complaint starts its
// stage 1 clock on the day it arrives.
func (s *Service) SubmitFeedback(ctx context.Context, sub FeedbackSubmission) (FeedbackReceipt, error) {
	key := feedbackRateKey(sub.From)
	if err := s.checkRateLimit(ctx, MaxFeedbackPerHour, key); err != nil {
		return FeedbackReceipt{}, errs.New(errs.KindRateLimited, "",
			"we have had a lot of feedback from your connection in the last hour; please try again after %s, or phone us",
			s.now().Add(time.Hour).In(casework.Zone).Format("15:04"))
	}
	minFill := s.minFill
	if minFill < 0 {
		minFill = 0
	}
	bot, why := feedback.LooksAutomated(sub.Honeypot, sub.Shown, s.now(), minFill)
	if sub.Shown.IsZero() && minFill > 0 {
		bot, why = true, "the form did not say when it was shown" // every form we give out does
	}
	if bot {
		s.log.Warn("feedback not kept: it looks automated", "why", why)
		if err := s.store.RecordAuthFailure(ctx, s.now(), key); err != nil {
			return FeedbackReceipt{}, err
		}
		return FeedbackReceipt{Kind: sub.Form.Kind, Received: s.Today(), Automated: true}, nil
	}
	ch, err := s.Charter()
	if err != nil {
		return FeedbackReceipt{}, err
	}
	today := s.Today()
	it, err := feedback.NewItem(sub.Form, ch, today)
	if err != nil {
		return FeedbackReceipt{}, err
	}
	var first *store.ComplaintEventRecord
	var state store.ComplaintState
	if it.Kind == feedback.KindComplaint {
		ev := feedback.ComplaintEvent{Type: feedback.ComplaintReceived, On: today}
		c, err := s.complaints.Fold([]feedback.ComplaintEvent{ev})
		if err != nil {
			return FeedbackReceipt{}, err
		}
		first = &store.ComplaintEventRecord{ComplaintEvent: ev, Seq: 1, Actor: "public form", RecordedAt: s.now()}
		state = complaintState(c, today)
	}
	for tries := 0; ; tries++ {
		it.ID = newFeedbackID()
		err = s.store.AddFeedback(ctx, it, s.now(), first, state)
		if errs.KindOf(err) != errs.KindConflict || tries == 3 {
			break // a clash of random references is all but impossible; try again if it happens
		}
	}
	if err != nil {
		return FeedbackReceipt{}, err
	}
	if err := s.store.RecordAuthFailure(ctx, s.now(), key); err != nil {
		return FeedbackReceipt{}, err
	}
	return FeedbackReceipt{ID: it.ID, Kind: it.Kind, Received: today}, nil
}

// checkRateLimit refuses once any key has limit or more attempts this hour.
func (s *Service) checkRateLimit(ctx context.Context, limit int, keys ...string) error {
	since := s.now().Add(-time.Hour)
	for _, k := range keys {
		n, err := s.store.AuthFailures(ctx, k, since)
		if err != nil {
			return err
		}
		if n >= limit {
			s.log.Warn("refused: too many attempts", "key_kind", strings.SplitN(k, ":", 2)[0])
			return errs.New(errs.KindRateLimited, "", "there have been too many attempts; please wait an hour and try again")
		}
	}
	return nil
}

// feedbackAlphabet has no 0, O, 1, I, L or U, like application references.
const feedbackAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// newFeedbackID makes a reference like FB-7KMQ-4XD9.
func newFeedbackID() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail
	}
	out := []byte("FB-")
	for i, v := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, feedbackAlphabet[int(v)%len(feedbackAlphabet)])
	}
	return string(out)
}

// NormalFeedbackID reads a feedback reference as people may type it:
// any case, with or without its hyphens.
func NormalFeedbackID(s string) string {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	if len(s) != 10 || !strings.HasPrefix(s, "FB") {
		return strings.ToUpper(strings.TrimSpace(s))
	}
	return "FB-" + s[2:6] + "-" + s[6:]
}

// complaintState is a complaint's projection row as of today.
func complaintState(c feedback.Complaint, today calendar.Date) store.ComplaintState {
	st := store.ComplaintState{Status: c.Status, Stage: c.Stage, Version: c.Events}
	for _, d := range c.Deadlines(today) {
		if d.DoneOn.IsZero() && (st.NextDue == 0 || d.Due < st.NextDue) {
			st.NextDue = d.Due
		}
	}
	return st
}

// ComplaintTimescales are the complaints process's working days.
func (s *Service) ComplaintTimescales() feedback.Timescales { return s.complaints.Timescales }

// ComplaintProcess is the complaints process: timescales and calendar.
func (s *Service) ComplaintProcess() feedback.Process { return s.complaints }

// ComplaintView is a complaint as the pages show it, as of today.
type ComplaintView struct {
	Item      FeedbackRecord
	Events    []ComplaintEventRecord
	Complaint feedback.Complaint
	Deadlines []feedback.Deadline
	// NextSteps is what the person is told: where it is, the dates we
	// owe them, and what they can do next, up to the ombudsman.
	NextSteps feedback.NextSteps
	Overdue   bool
	Today     calendar.Date
}

// Types the pages see, named here so that web depends on this package alone.
type (
	// FeedbackRecord is a stored piece of feedback or complaint.
	FeedbackRecord = store.FeedbackRecord
	// ComplaintEventRecord is a stored complaint step.
	ComplaintEventRecord = store.ComplaintEventRecord
	// ComplaintRow is a complaint in the list of complaints.
	ComplaintRow = store.ComplaintRow
)

// FeedbackItem returns a piece of feedback or a complaint by its
// reference, and for a complaint where it is.
func (s *Service) FeedbackItem(ctx context.Context, id string) (FeedbackRecord, *ComplaintView, error) {
	it, evs, err := s.store.FeedbackItem(ctx, NormalFeedbackID(id))
	if err != nil {
		return FeedbackRecord{}, nil, err
	}
	if it.Kind != feedback.KindComplaint {
		return it, nil, nil
	}
	v, err := s.complaintView(it, evs)
	if err != nil {
		return FeedbackRecord{}, nil, err
	}
	return it, &v, nil
}

func (s *Service) complaintView(it FeedbackRecord, evs []ComplaintEventRecord) (ComplaintView, error) {
	domain := make([]feedback.ComplaintEvent, len(evs))
	for i, e := range evs {
		domain[i] = e.ComplaintEvent
	}
	c, err := s.complaints.Fold(domain)
	if err != nil {
		return ComplaintView{}, err
	}
	today := s.Today()
	return ComplaintView{Item: it, Events: evs, Complaint: c, Deadlines: c.Deadlines(today), NextSteps: s.complaints.NextSteps(c, today),
		Overdue: c.Overdue(today), Today: today}, nil
}

// ComplaintStep is a step staff record on a complaint, on today's date.
type ComplaintStep struct {
	Type    feedback.ComplaintEventType
	Outcome feedback.Outcome // for a response
	Note    string           // what we found, for staff
	Actor   string
	// ExpectedVersion is how many steps the complaint had when the page
	// was shown; if someone else has added one since, the step is refused.
	ExpectedVersion int
}

// RecordComplaintStep adds a step to a complaint: a stage 1 answer, the
// person asking for stage 2, the stage 2 acknowledgement or answer, or
// closing it. A step that does not fit where the complaint is, or a
// response without an outcome, is refused and nothing is written.
func (s *Service) RecordComplaintStep(ctx context.Context, id string, step ComplaintStep) (ComplaintView, error) {
	it, evs, err := s.store.FeedbackItem(ctx, NormalFeedbackID(id))
	if err != nil {
		return ComplaintView{}, err
	}
	if it.Kind != feedback.KindComplaint {
		return ComplaintView{}, errs.NotFound("%s is feedback, not a complaint", it.ID)
	}
	if step.ExpectedVersion != len(evs) {
		return ComplaintView{}, errs.Conflict("someone else changed this complaint first: look at it again")
	}
	v, err := s.complaintView(it, evs)
	if err != nil {
		return ComplaintView{}, err
	}
	today := s.Today()
	ev := feedback.ComplaintEvent{Type: step.Type, On: today, Outcome: step.Outcome, Note: strings.TrimSpace(step.Note)}
	c, err := s.complaints.Apply(v.Complaint, ev)
	if err != nil {
		return ComplaintView{}, err
	}
	rec := ComplaintEventRecord{ComplaintEvent: ev, Seq: len(evs) + 1, Actor: step.Actor, RecordedAt: s.now()}
	if err := s.store.AppendComplaintEvent(ctx, it.ID, len(evs), rec, complaintState(c, today)); err != nil {
		return ComplaintView{}, err
	}
	return s.complaintView(it, append(evs, rec))
}

// ComplaintSummary is a complaint in the list staff work from.
type ComplaintSummary struct {
	ComplaintRow
	NextStep string // what we owe next: "stage 1 answer", "stage 2 acknowledgement", "stage 2 answer"
	Overdue  bool   // the next step's date has passed
	DueToday bool
}

// Complaints lists the complaints we owe a step on, the earliest date
// first (overdue ones first of all), and, with all, the answered and
// closed ones after them.
func (s *Service) Complaints(ctx context.Context, all bool) ([]ComplaintSummary, error) {
	rows, err := s.store.Complaints(ctx, all)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	out := make([]ComplaintSummary, len(rows))
	for i, r := range rows {
		out[i] = ComplaintSummary{ComplaintRow: r, Overdue: r.NextDue != 0 && today > r.NextDue, DueToday: r.NextDue == today}
		switch r.Status {
		case feedback.StatusStage1Open:
			out[i].NextStep = "stage 1 answer"
		case feedback.StatusStage2Open:
			out[i].NextStep = "stage 2 acknowledgement"
		case feedback.StatusStage2Acknowledged:
			out[i].NextStep = "stage 2 answer"
		}
	}
	return out, nil
}

// RecentFeedback lists the newest feedback and complaints.
func (s *Service) RecentFeedback(ctx context.Context, limit int) ([]FeedbackRecord, error) {
	return s.store.FeedbackItems(ctx, store.FeedbackQuery{Limit: limit})
}

// FeedbackCounts counts the feedback and complaints received from from to
// to (both included) about each commitment, per day, as the measurement
// framework's feedback measures take them. Commitments are numbered as the
// current charter numbers them, whatever number the person saw: a
// commitment keeps its key when it is renumbered.
func (s *Service) FeedbackCounts(ctx context.Context, from, to calendar.Date) ([]measure.FeedbackCount, error) {
	if to < from {
		return nil, errs.Invalid("to", "the last day, %s, is before the first, %s", to, from)
	}
	ids := map[string]string{}
	if ch, err := s.Charter(); err == nil {
		for _, sec := range ch.Sections {
			for _, c := range sec.Commitments {
				ids[c.Key] = c.ID
			}
		}
	}
	return s.store.FeedbackCounts(ctx, from, to, ids)
}

// CommitmentFeedback is what people said about one commitment in a period.
type CommitmentFeedback struct {
	Commitment charter.Commitment
	Section    int
	Met        int // feedback saying we did what it says
	NotMet     int // feedback saying we did not
	Complaints int
	Measures   []MeasureFigure // the feedback measures that count it
}

// MeasureFigure is one measure's raw figure for a period: for staff, not
// published as it is (published figures go through disclosure control).
type MeasureFigure struct {
	ID       string
	Question string
	Value    int64
	Unit     string
	Target   float64
	Better   measure.Better
}

// FeedbackSummary is the feedback of a financial year, by commitment.
type FeedbackSummary struct {
	Year          measure.Period
	From, To      calendar.Date // the year's first day, and its last day or today
	Commitments   []CommitmentFeedback
	SomethingElse int
	Total         int
}

// FeedbackSummaryFor counts a financial year's feedback by commitment of
// the current charter, with the feedback measures of the measure set that
// count it, worked out from the same counts the measurement framework
// takes (FeedbackCounts).
func (s *Service) FeedbackSummaryFor(ctx context.Context, year measure.Period) (*FeedbackSummary, error) {
	ch, err := s.Charter()
	if err != nil {
		return nil, err
	}
	year = year.FinancialYear()
	sum := &FeedbackSummary{Year: year, From: year.First(), To: min(year.Last(), s.Today())}
	items, err := s.store.FeedbackItems(ctx, store.FeedbackQuery{From: sum.From, To: sum.To})
	if err != nil {
		return nil, err
	}
	domain := make([]feedback.Item, len(items))
	for i, it := range items {
		domain[i] = it.Item
	}
	byKey := map[string]*CommitmentFeedback{}
	for _, sec := range ch.Sections {
		for _, c := range sec.Commitments {
			sum.Commitments = append(sum.Commitments, CommitmentFeedback{Commitment: c, Section: sec.Number})
		}
	}
	for i := range sum.Commitments {
		byKey[sum.Commitments[i].Commitment.Key] = &sum.Commitments[i]
	}
	for _, c := range feedback.Tally(domain, sum.From, sum.To) {
		if c.CommitmentKey == feedback.SomethingElse {
			sum.SomethingElse += c.N
			continue
		}
		cf := byKey[c.CommitmentKey]
		if cf == nil {
			continue // a commitment the current charter no longer has
		}
		switch {
		case c.Kind == feedback.KindComplaint:
			cf.Complaints += c.N
		case c.Verdict == feedback.VerdictMet:
			cf.Met += c.N
		default:
			cf.NotMet += c.N
		}
	}
	sum.Total = len(items)
	if set := s.measuresToCheck(ch); set != nil {
		if err := s.addMeasureFigures(ctx, sum, set); err != nil {
			return nil, err
		}
	}
	return sum, nil
}

// addMeasureFigures works out the feedback measures for the year.
func (s *Service) addMeasureFigures(ctx context.Context, sum *FeedbackSummary, set *measure.Set) error {
	counts, err := s.FeedbackCounts(ctx, sum.From, sum.To)
	if err != nil {
		return err
	}
	var noFacts iter.Seq[measure.Facts] = func(func(measure.Facts) bool) {}
	rs, err := measure.Compute(set, measure.RefreshPlan(sum.Year, s.Today()), noFacts, nil, counts)
	if err != nil {
		return err
	}
	for i := range sum.Commitments {
		cf := &sum.Commitments[i]
		for _, m := range set.ForCommitment(cf.Commitment.ID) {
			if m.Source != measure.SourceFeedback {
				continue
			}
			r, ok := rs.Result(m.ID)
			if !ok {
				continue
			}
			cf.Measures = append(cf.Measures, MeasureFigure{ID: m.ID, Question: m.Question, Value: r.Cells[measure.Cell{Period: sum.Year}].Numerator,
				Unit: m.Unit, Target: m.Target, Better: m.Better})
		}
	}
	return nil
}

// SeedFeedback stores synthetic feedback and complaints (internal/seed),
// each complaint with its steps, for the demo. It stores nothing if there
// is feedback already, and reports how many it stored.
func (s *Service) SeedFeedback(ctx context.Context, stories []seed.FeedbackStory) (int, error) {
	if have, err := s.store.FeedbackItems(ctx, store.FeedbackQuery{Limit: 1}); err != nil || len(have) > 0 {
		return 0, err
	}
	for _, st := range stories {
		it := st.Item
		it.ID = newFeedbackID()
		at := it.Received.Time().Add(10 * time.Hour)
		if len(st.Events) == 0 {
			if err := s.store.AddFeedback(ctx, it, at, nil, store.ComplaintState{}); err != nil {
				return 0, err
			}
			continue
		}
		c, err := s.complaints.Fold(st.Events[:1])
		if err != nil {
			return 0, err
		}
		first := &store.ComplaintEventRecord{ComplaintEvent: st.Events[0], Seq: 1, Actor: "public form", RecordedAt: at}
		if err := s.store.AddFeedback(ctx, it, at, first, complaintState(c, s.Today())); err != nil {
			return 0, err
		}
		for i, e := range st.Events[1:] {
			if c, err = s.complaints.Apply(c, e); err != nil {
				return 0, err
			}
			rec := store.ComplaintEventRecord{ComplaintEvent: e, Seq: i + 2, Actor: "staff (demo)", RecordedAt: e.On.Time().Add(14 * time.Hour)}
			if err := s.store.AppendComplaintEvent(ctx, it.ID, i+1, rec, complaintState(c, s.Today())); err != nil {
				return 0, err
			}
		}
	}
	return len(stories), nil
}
