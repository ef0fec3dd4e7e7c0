// Package seed makes a realistic synthetic casework history: applications
// spread over years with seasonal volume, a mix of benefits, made-up clients
// in Scotland's council areas, and the events a real service records —
// acknowledgements, stage changes, information requests and their answers,
// updates, decisions with a reason for every criterion, withdrawals — mostly
// on time, sometimes late, as a real service is. The most recent
// applications are still open: some waiting on the client, some at risk of
// missing their decision date, a few past it.
//
// It is a domain package: no I/O. Every event goes through the casework
// rules as it is made, so the history is one the service could have
// recorded. The same rules and options give the same events, byte for byte.
package seed

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // London times on any machine

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/errs"
)

// Options say what history to make.
type Options struct {
	Applications int    // how many applications, exactly
	Years        int    // how many years of history, ending on End
	Seed         uint64 // the same seed gives the same history
	// End is the last day of the history, normally today. Applications
	// received in its last few weeks are still open.
	End calendar.Date
	// Now, if it falls on End, is the latest instant any event may carry,
	// so that nothing is dated later today than the moment of seeding; if it
	// falls before End, the history ends at Now. Zero means the end of End.
	// The same seed gives the same history only with the same End and Now.
	Now time.Time
}

// Generated is one application: its state after its events, with its
// reference set, and the events themselves.
type Generated struct {
	App    *casework.Application
	Events []casework.Event
}

// DefaultBatchSize is the batch size Generate uses when given zero.
const DefaultBatchSize = 1000

// Streams of random numbers, each derived from the seed, so that changing
// how one part draws does not change the others.
const (
	saltLayout = 0x6c61796f75742e31 // volume by day and arrival times
	saltRefs   = 0x726566732e2e2e31 // references
	saltStory  = 0x73746f72792e2e31 // each application's story
	// saltChallenge seeds each decided application's challenge (challenge.go)
	// apart from its story, so the stories are the same with or without it.
	saltChallenge = 0x6368616c6c2e2e31
	// saltContact seeds each client's address and accessible format.
	saltContact = 0x636f6e746163742e
	// saltHelp seeds supporters, referrals, other help and new dates.
	saltHelp = 0x68656c702e2e2e31
)

// london is the service's time zone, where the working day happens.
var london = casework.Zone

// Generate makes o.Applications applications received over the o.Years
// years up to o.End and hands them to emit in batches of batchSize, in the
// order they were received. It holds one batch at a time; emit may keep the
// batch it is given. An error from emit stops generation and is returned.
//
// Every event is applied with the casework rules as it is made; an event the
// rules refuse is a bug in this package and is returned as an error.
func Generate(rules casework.Rules, o Options, batchSize int, emit func([]Generated) error) error {
	g, err := newGenerator(rules, o)
	if err != nil {
		return err
	}
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	batch := make([]Generated, 0, min(batchSize, o.Applications))
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := emit(batch)
		batch = make([]Generated, 0, min(batchSize, o.Applications-g.made))
		return err
	}
	var slots []slot
	var prev uint64 // applications in the days before this one
	for i, w := range g.cum {
		upto := share(uint64(o.Applications), w, g.total)
		day := g.start + calendar.Date(i)
		slots = g.daySlots(day, int(upto-prev), slots[:0])
		prev = upto
		for _, sl := range slots {
			gen, err := g.application(sl)
			if err != nil {
				return err
			}
			batch = append(batch, gen)
			if len(batch) == batchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// generator holds what stays the same from one application to the next.
type generator struct {
	rules  casework.Rules
	cal    *calendar.Calendar
	end    calendar.Date
	cutoff time.Time // no event after this instant
	start  calendar.Date
	cum    []uint64 // cumulative volume weight up to and including each day
	total  uint64
	plans  []*plan
	weight int // sum of the plans' weights

	layout *rand.Rand // arrival times, in order
	refs   *rand.Rand // references, in order
	src    *rand.PCG  // reseeded for each application's story
	r      *rand.Rand // drawing from src
	seed   uint64     // the stories are seeded from this and their number
	csrc   *rand.PCG  // reseeded for each decided application's challenge
	cr     *rand.Rand // drawing from csrc
	cseed  uint64     // the challenges are seeded from this and the story's number
	// Contact details (address, accessible format) draw from their own
	// stream, so the rest of each story is as it was before they existed.
	xsrc  *rand.PCG
	xr    *rand.Rand
	xseed uint64
	// Help from others draws from its own stream too (help.go).
	hsrc  *rand.PCG
	hr    *rand.Rand
	hseed uint64
	seen  map[uint64]struct{} // references used so far (by hash)
	made  int
}

func newGenerator(rules casework.Rules, o Options) (*generator, error) {
	switch {
	case rules.Benefits == nil || len(rules.Benefits.Benefits) == 0:
		return nil, errs.Invalid("benefits", "load the benefits before making a history")
	case rules.Calendar == nil:
		return nil, errs.Invalid("calendar", "a working-day calendar is needed")
	case o.Applications < 0:
		return nil, errs.Invalid("applications", "the number of applications cannot be negative")
	case o.Years < 1 || o.Years > 100:
		return nil, errs.Invalid("years", "choose from 1 to 100 years of history")
	case o.End.IsZero():
		return nil, errs.Invalid("end", "say on which day the history ends")
	}
	end := o.End
	if !o.Now.IsZero() && casework.LocalDate(o.Now) < end {
		end = casework.LocalDate(o.Now) // nothing can have happened after now
	}
	y, m, d := end.Date()
	cutoff := time.Date(y, m, d+1, 0, 0, 0, 0, london).Add(-time.Microsecond) // the end of the last day
	if !o.Now.IsZero() && o.Now.Before(cutoff) {
		cutoff = o.Now
	}
	g := &generator{
		rules: rules, cal: rules.Calendar, end: end, cutoff: cutoff,
		start:  calendar.NewDate(y-o.Years, m, d).AddDays(1),
		layout: rand.New(rand.NewPCG(o.Seed, saltLayout)),
		refs:   rand.New(rand.NewPCG(o.Seed, saltRefs)),
		src:    rand.NewPCG(0, 0),
		seed:   o.Seed ^ saltStory,
		csrc:   rand.NewPCG(0, 0),
		cseed:  o.Seed ^ saltChallenge,
		xsrc:   rand.NewPCG(0, 0),
		xseed:  o.Seed ^ saltContact,
		hsrc:   rand.NewPCG(0, 0),
		hseed:  o.Seed ^ saltHelp,
		seen:   make(map[uint64]struct{}, o.Applications),
	}
	// Each kind's share is split evenly between the benefits of that kind.
	ofKind := map[string]int{}
	for _, b := range rules.Benefits.Benefits {
		ofKind[b.Kind]++
	}
	for i := range rules.Benefits.Benefits {
		p := newPlan(&rules.Benefits.Benefits[i])
		share, ok := kindShare[p.kind]
		if !ok {
			share = 100
		}
		p.weight = max(1, share*100/ofKind[p.kind])
		g.plans = append(g.plans, p)
		g.weight += p.weight
	}
	g.r = rand.New(g.src)
	g.cr = rand.New(g.csrc)
	g.xr = rand.New(g.xsrc)
	g.hr = rand.New(g.hsrc)
	g.volume()
	return g, nil
}

// volume spreads the history's applications over its days: more in January
// and September, fewer in summer, far fewer over Christmas and at weekends,
// rising slowly over the years, with some noise from day to day. Weights
// are whole numbers so that the spread is the same on every machine.
func (g *generator) volume() {
	n := int(g.end-g.start) + 1
	g.cum = make([]uint64, n)
	var sum uint64
	for i := range n {
		day := g.start + calendar.Date(i)
		_, m, d := day.Date()
		special := uint64(100)
		switch {
		case m == time.December && d >= 24, m == time.January && d <= 2:
			special = 35
		case !g.cal.IsWorkingDay(day) && day.Weekday() != time.Saturday && day.Weekday() != time.Sunday:
			special = 45 // a bank holiday
		}
		trend := uint64(85 + 30*i/n)
		noise := uint64(85 + g.layout.IntN(31))
		sum += monthWeight[m] * dayWeight[day.Weekday()] * special * trend * noise
		g.cum[i] = sum
	}
	g.total = sum
}

// share is round(n*c/total) without overflow: the number of applications
// received up to the day whose cumulative weight is c.
func share(n, c, total uint64) uint64 {
	hi, lo := bits.Mul64(n, c)
	lo, carry := bits.Add64(lo, total/2, 0)
	q, _ := bits.Div64(hi+carry, lo, total)
	return q
}

// slot is one application's arrival.
type slot struct {
	at      time.Time
	channel string // online | phone | paper
	n       int    // its order of drawing, to break ties
}

// daySlots draws the arrival times of k applications on day, in order.
// Phone calls and post arrive in office hours on working days; online
// applications at any hour, mostly in the day and evening.
func (g *generator) daySlots(day calendar.Date, k int, buf []slot) []slot {
	if k == 0 {
		return buf
	}
	r := g.layout
	working := g.cal.IsWorkingDay(day)
	y, m, d := day.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, london)
	for i := range k {
		ch, sec := "online", 0
		if working {
			switch roll := r.IntN(1000); {
			case roll < 130:
				ch, sec = "phone", 8*3600+1800+r.IntN(8*3600+1800)
			case roll < 280:
				ch, sec = "paper", 9*3600+r.IntN(3*3600+1800) // the morning's post
			}
		}
		if ch == "online" {
			h, n := 0, r.IntN(onlineHourTotal)
			for n >= onlineHourWeight[h] {
				n -= onlineHourWeight[h]
				h++
			}
			sec = h*3600 + r.IntN(3600)
		}
		at := time.Date(y, m, d, 0, 0, sec, 0, london)
		if at.After(g.cutoff) { // today: only what has arrived so far
			ch = "online"
			at = midnight.Add(time.Duration(r.Int64N(int64(g.cutoff.Sub(midnight)/time.Second)+1)) * time.Second)
		}
		buf = append(buf, slot{at: at.UTC(), channel: ch, n: i})
	}
	slices.SortFunc(buf, func(a, b slot) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.n - b.n
	})
	return buf
}

// nextRef draws a reference not used before in this history.
func (g *generator) nextRef() casework.Reference {
	for {
		ref := casework.NewReference(g.refs)
		// A false match of the hash only means drawing again.
		h := uint64(14695981039346656037)
		for i := 0; i < len(ref); i++ {
			h = (h ^ uint64(ref[i])) * 1099511628211
		}
		if _, used := g.seen[h]; !used {
			g.seen[h] = struct{}{}
			return ref
		}
	}
}

// plan is how applications for one benefit usually go.
type plan struct {
	b        *charter.Benefit
	kind     string
	weight   int
	ackStage string      // the stage entered on acknowledgement, if the benefit has one
	middle   []stagePlan // stages between received and decision, in order
	requests []requestText
	evidence map[string][]string // by criterion; never empty
	has      map[string]bool     // the benefit's criteria
	// Per mille: how many ask for information, how many have a late decision,
	// and the outcomes.
	askPm, latePm, awardPm, partialPm int
}

type stagePlan struct {
	id       string
	optional bool // visited by few applications, such as a consultation
	consult  bool
}

// Shares of applications by kind of benefit, per mille.
var kindShare = map[string]int{charter.KindDisability: 550, charter.KindCarer: 250, charter.KindGrant: 200}

func newPlan(b *charter.Benefit) *plan {
	p := &plan{b: b, kind: b.Kind, evidence: map[string][]string{}, has: map[string]bool{}}
	for i, st := range b.Stages {
		if i == 0 || st.ID == charter.StageDecision {
			continue
		}
		id := strings.ToLower(st.ID + " " + st.Name)
		if strings.Contains(id, "acknowledg") && p.ackStage == "" {
			p.ackStage = st.ID
			continue
		}
		consult := strings.Contains(id, "consult")
		p.middle = append(p.middle, stagePlan{id: st.ID, optional: st.Optional || consult, consult: consult})
	}
	p.requests = requestTexts[b.Kind]
	if len(p.requests) == 0 {
		p.requests = requestTexts[charter.KindCarer][:1]
	}
	for _, c := range b.Criteria {
		p.evidence[c.ID] = evidenceFor(b, c.ID)
		p.has[c.ID] = true
	}
	switch b.Kind {
	case charter.KindDisability:
		p.askPm, p.latePm, p.awardPm, p.partialPm = 350, 140, 420, 230
	case charter.KindCarer:
		p.askPm, p.latePm, p.awardPm, p.partialPm = 200, 90, 700, 40
	default:
		p.askPm, p.latePm, p.awardPm, p.partialPm = 120, 70, 820, 0
	}
	return p
}
