// Package app is Charter's application layer: it loads the charter and
// benefits, folds and checks casework events, and writes them through the
// store. The web API, the CLI and the seed all go through it, so a rule is
// enforced the same way whoever calls.
package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/feedback"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/store"
)

// Document kinds kept in the store.
const (
	KindCharter  = "charter"
	KindBenefits = "benefits"
	KindMeasures = "measures"
)

// Service is the application layer. Safe for concurrent use.
type Service struct {
	store *store.Store
	cal   *calendar.Calendar
	log   *slog.Logger
	now   func() time.Time

	mu       sync.RWMutex
	charter  *charter.Charter
	benefits *charter.Catalogue
	version  [2]string  // charter and benefits versions loaded
	measures measureSet // the measures file loaded (measures.go)

	refMu sync.Mutex
	refs  *rand.Rand

	codes CodeSender

	messages      *message.Templates // nil: the service sends nothing (tools that only read)
	sender        message.Service
	callbackToken string

	tallies tallyCache
	reports reportCache // report.go

	// warnMeasures is the measure set publishing checks when none is
	// stored (see Options.Measures).
	warnMeasures     []byte
	warnMeasuresName string
	complaints       feedback.Process
	minFill          time.Duration

	// OnAppend is called after events are committed (for metrics).
	OnAppend func(n int)
	// OnMessage is called after each try at sending a message (for metrics).
	OnMessage func(ch message.Channel, status message.Status)
}

// Options configure a Service.
type Options struct {
	Calendar *calendar.Calendar // default: calendar.Scotland()
	Now      func() time.Time   // default: time.Now
	Logger   *slog.Logger
	Seed     uint64     // for references; 0 draws one
	Codes    CodeSender // default: LogCodeSender
	// QueueCountCache keeps the work-queue counts this long (0: count on
	// every request). See QueueTallies.
	QueueCountCache time.Duration
	// Messages are the templates for what events tell people; nil sends
	// nothing. Sender says who sends them and where to read more.
	Messages *message.Templates
	Sender   message.Service
	// CallbackToken is the bearer token the provider's delivery receipts
	// carry; empty refuses every receipt.
	CallbackToken string
	// Measures is the measure set (YAML, as examples/measures.yaml) whose
	// links to commitments publishing a charter version checks when no
	// measures are stored yet, and MeasuresName names it in messages; nil
	// checks none.
	Measures     []byte
	MeasuresName string
	// Complaints are the complaints process's working-day timescales;
	// zero: feedback.DefaultTimescales(). New refuses invalid ones.
	Complaints feedback.Timescales
	// FeedbackMinFill is the least time a person takes to fill in the
	// feedback form: a form back sooner is treated as automated. 0:
	// feedback.DefaultMinFillTime; negative: not checked.
	FeedbackMinFill time.Duration
}

// New returns a service over st, loading the latest charter and benefits
// from the store if there are any.
func New(ctx context.Context, st *store.Store, o Options) (*Service, error) {
	if o.Calendar == nil {
		o.Calendar = calendar.Scotland()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	seed := o.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	if o.Codes == nil {
		o.Codes = LogCodeSender{Log: o.Logger}
	}
	if o.Complaints == (feedback.Timescales{}) {
		o.Complaints = feedback.DefaultTimescales()
	}
	if err := o.Complaints.Validate(); err != nil {
		return nil, err
	}
	if o.FeedbackMinFill == 0 {
		o.FeedbackMinFill = feedback.DefaultMinFillTime
	}
	if o.MeasuresName == "" {
		o.MeasuresName = "measures.yaml"
	}
	s := &Service{store: st, cal: o.Calendar,
		warnMeasures: o.Measures, warnMeasuresName: o.MeasuresName, minFill: o.FeedbackMinFill,
		complaints: feedback.Process{Timescales: o.Complaints, Calendar: o.Calendar}, log: o.Logger, now: o.Now, codes: o.Codes, tallies: tallyCache{ttl: o.QueueCountCache},
		messages: o.Messages, sender: o.Sender, callbackToken: o.CallbackToken,
		refs: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	if err := s.Reload(ctx); err != nil && errs.KindOf(err) != errs.KindNotFound {
		return nil, err
	}
	return s, nil
}

// Store returns the underlying store (for the CLI's maintenance commands).
func (s *Service) Store() *store.Store { return s.store }

// Calendar returns the working-day calendar.
func (s *Service) Calendar() *calendar.Calendar { return s.cal }

// Today is today's date in the service's time zone.
func (s *Service) Today() calendar.Date { return casework.LocalDate(s.now()) }

// Now is the current time.
func (s *Service) Now() time.Time { return s.now() }

// Reload reads the latest charter and benefits from the store.
func (s *Service) Reload(ctx context.Context) error {
	cd, err := s.store.LatestDocument(ctx, KindCharter)
	if err != nil {
		return err
	}
	ch, err := charter.ParseCharter("charter "+cd.Version, cd.Body)
	if err != nil {
		return fmt.Errorf("stored charter %s: %w", cd.Version, err)
	}
	bd, err := s.store.LatestDocument(ctx, KindBenefits)
	if err != nil {
		return err
	}
	cat, err := charter.ParseCatalogue("benefits "+bd.Version, bd.Body, ch)
	if err != nil {
		return fmt.Errorf("stored benefits %s: %w", bd.Version, err)
	}
	ms := s.loadMeasures(ctx, ch)
	s.mu.Lock()
	s.charter, s.benefits, s.version, s.measures = ch, cat, [2]string{cd.Version, bd.Version}, ms
	s.mu.Unlock()
	s.forgetReports()
	return nil
}

// ReloadIfChanged reloads the charter and benefits when a newer version
// has been published since they were loaded (by another process sharing
// the database, or by the command line), and reports whether it did.
func (s *Service) ReloadIfChanged(ctx context.Context) (bool, error) {
	cd, err := s.store.LatestDocument(ctx, KindCharter)
	if errs.KindOf(err) == errs.KindNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	bd, err := s.store.LatestDocument(ctx, KindBenefits)
	if err != nil {
		return false, err
	}
	s.mu.RLock()
	same := s.version == [2]string{cd.Version, bd.Version}
	s.mu.RUnlock()
	if same {
		return false, nil
	}
	return true, s.Reload(ctx)
}

// Charter returns the current charter, or an error if none is loaded.
func (s *Service) Charter() (*charter.Charter, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.charter == nil {
		return nil, errs.NotFound("no charter has been loaded yet; load one with charter load")
	}
	return s.charter, nil
}

// Benefits returns the current benefit catalogue, or an error if none is loaded.
func (s *Service) Benefits() (*charter.Catalogue, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.benefits == nil {
		return nil, errs.NotFound("no benefits have been loaded yet; load them with charter load")
	}
	return s.benefits, nil
}

// Rules returns what folding events needs.
func (s *Service) Rules() (casework.Rules, error) {
	cat, err := s.Benefits()
	if err != nil {
		return casework.Rules{}, err
	}
	return casework.Rules{Benefits: cat, Calendar: s.cal}, nil
}

// LoadResult says what Load stored.
type LoadResult struct {
	Kind, Version string
	Created       bool
}

// Load validates a charter file and a benefits file together and stores
// them as published versions. Nothing is stored if either has a problem.
// It is LoadVersion with no reason given: enough for the first version, or
// for versions already published.
func (s *Service) Load(ctx context.Context, charterName string, charterYAML []byte, benefitsName string, benefitsYAML []byte) ([]LoadResult, error) {
	r, err := s.LoadVersion(ctx, charterName, charterYAML, benefitsName, benefitsYAML, Publishing{By: "charter load"})
	if err != nil {
		return nil, err
	}
	return r.Results, nil
}

// LoadWithMeasures is Load with a measures file too, checked against the
// same charter: nothing is stored if any of the files has a problem.
func (s *Service) LoadWithMeasures(ctx context.Context, charterName string, charterYAML []byte, benefitsName string, benefitsYAML []byte,
	measuresName string, measuresYAML []byte) ([]LoadResult, error) {
	r, err := s.LoadVersion(ctx, charterName, charterYAML, benefitsName, benefitsYAML,
		Publishing{By: "charter load", MeasuresName: measuresName, Measures: measuresYAML})
	if err != nil {
		return nil, err
	}
	return r.Results, nil
}

func shortHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:4])
}

// Ping checks that the database answers.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }
