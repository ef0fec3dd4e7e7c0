package seed_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash"
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/seed"
)

var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

// rules loads the example charter and benefits the project ships.
var rules = sync.OnceValues(func() (casework.Rules, error) {
	cb, err := os.ReadFile("../../examples/charter.yaml")
	if err != nil {
		return casework.Rules{}, err
	}
	ch, err := charter.ParseCharter("charter.yaml", cb)
	if err != nil {
		return casework.Rules{}, err
	}
	bb, err := os.ReadFile("../../examples/benefits.yaml")
	if err != nil {
		return casework.Rules{}, err
	}
	cat, err := charter.ParseCatalogue("benefits.yaml", bb, ch)
	if err != nil {
		return casework.Rules{}, err
	}
	return casework.Rules{Benefits: cat, Calendar: calendar.Scotland()}, nil
})

func mustRules(t testing.TB) casework.Rules {
	t.Helper()
	r, err := rules()
	if err != nil {
		t.Fatalf("loading the examples: %v", err)
	}
	return r
}

var end = calendar.NewDate(2026, time.March, 18)

func generate(t testing.TB, o seed.Options, batch int) []seed.Generated {
	t.Helper()
	var all []seed.Generated
	err := seed.Generate(mustRules(t), o, batch, func(b []seed.Generated) error {
		if len(b) > batch {
			t.Fatalf("a batch of %d, asked for %d", len(b), batch)
		}
		all = append(all, b...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// sample is one history shared by the tests that only read it.
var sample = sync.OnceValue(func() []seed.Generated {
	var all []seed.Generated
	r, err := rules()
	if err != nil {
		panic(err)
	}
	err = seed.Generate(r, seed.Options{Applications: 20000, Years: 2, Seed: 7, End: end}, 1000,
		func(b []seed.Generated) error { all = append(all, b...); return nil })
	if err != nil {
		panic(err)
	}
	return all
})

func digest(t testing.TB, rs casework.Rules, o seed.Options, batch int) string {
	t.Helper()
	h := sha256.New()
	err := seed.Generate(rs, o, batch, func(b []seed.Generated) error {
		for _, g := range b {
			writeJSON(t, h, g.App)
			writeJSON(t, h, g.Events)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func writeJSON(t testing.TB, h hash.Hash, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	h.Write(b)
	h.Write([]byte{'\n'})
}

func TestSameSeedSameHistory(t *testing.T) {
	rs := mustRules(t)
	o := seed.Options{Applications: 3000, Years: 2, Seed: 42, End: end}
	a := digest(t, rs, o, 500)
	if b := digest(t, rs, o, 500); a != b {
		t.Fatalf("the same seed gave two histories: %s and %s", a, b)
	}
	if b := digest(t, rs, o, 77); a != b {
		t.Errorf("the batch size changed the history: %s and %s", a, b)
	}
	o.Seed = 43
	if b := digest(t, rs, o, 500); a == b {
		t.Errorf("seeds 42 and 43 gave the same history")
	}
}

func TestEveryApplicationFoldsAgain(t *testing.T) {
	rs := mustRules(t)
	for _, g := range sample() {
		again, err := casework.Fold(rs, roundTrip(t, g.Events))
		if err != nil {
			t.Fatalf("%s does not fold from its events: %v", g.App.Ref, err)
		}
		again.Ref = g.App.Ref
		want, _ := json.Marshal(g.App)
		got, _ := json.Marshal(again)
		if string(want) != string(got) {
			t.Fatalf("%s folds to a different state:\n got %s\nwant %s", g.App.Ref, got, want)
		}
	}
}

// roundTrip passes events through JSON, as the store does.
func roundTrip(t *testing.T, events []casework.Event) []casework.Event {
	t.Helper()
	b, err := json.Marshal(events)
	if err != nil {
		t.Fatal(err)
	}
	var out []casework.Event
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCountsAndOrder(t *testing.T) {
	all := sample()
	if len(all) != 20000 {
		t.Fatalf("made %d applications, asked for 20000", len(all))
	}
	start := calendar.NewDate(2024, time.March, 19)
	refs := map[casework.Reference]bool{}
	events := 0
	for i, g := range all {
		a := g.App
		if i > 0 && a.ReceivedAt.Before(all[i-1].App.ReceivedAt) {
			t.Fatalf("application %d was received before the one made before it", i)
		}
		if a.ReceivedOn < start || a.ReceivedOn > end {
			t.Fatalf("%s received on %s, outside %s to %s", a.Ref, a.ReceivedOn, start, end)
		}
		if refs[a.Ref] {
			t.Fatalf("reference %s used twice", a.Ref)
		}
		refs[a.Ref] = true
		if _, err := casework.ParseReference(string(a.Ref)); err != nil {
			t.Fatalf("reference %s: %v", a.Ref, err)
		}
		events += len(g.Events)
	}
	t.Logf("%d applications, %d events (%.1f each)", len(all), events, float64(events)/float64(len(all)))
	if len(seedAll(t, seed.Options{Applications: 0, Years: 1, Seed: 1, End: end})) != 0 {
		t.Error("asked for none, got some")
	}
	if got := len(seedAll(t, seed.Options{Applications: 1, Years: 1, Seed: 1, End: end})); got != 1 {
		t.Errorf("asked for 1, got %d", got)
	}
}

func seedAll(t *testing.T, o seed.Options) []seed.Generated { return generate(t, o, 100) }

func TestNothingAfterTheEnd(t *testing.T) {
	endOfDay := time.Date(2026, time.March, 19, 0, 0, 0, 0, london)
	check := func(all []seed.Generated, limit time.Time) {
		t.Helper()
		for _, g := range all {
			for i, e := range g.Events {
				if e.At.After(limit) {
					t.Fatalf("%s event %d is at %s, after %s", g.App.Ref, e.Seq, e.At, limit)
				}
				if i > 0 && e.At.Before(g.Events[i-1].At) {
					t.Fatalf("%s event %d is before event %d", g.App.Ref, e.Seq, i)
				}
				if e.At.Location() != time.UTC {
					t.Fatalf("%s event %d is not in UTC", g.App.Ref, e.Seq)
				}
			}
		}
	}
	check(sample(), endOfDay)

	// Seeding at ten past two in the afternoon: nothing later than that.
	now := time.Date(2026, time.March, 18, 14, 10, 0, 0, london)
	all := seedAll(t, seed.Options{Applications: 3000, Years: 1, Seed: 3, End: end, Now: now})
	if len(all) != 3000 {
		t.Fatalf("made %d, asked for 3000", len(all))
	}
	check(all, now)
	today := 0
	for _, g := range all {
		if g.App.ReceivedOn == end {
			today++
		}
	}
	if today == 0 {
		t.Error("no applications arrived on the last morning")
	}
}

func TestRealisticMix(t *testing.T) {
	all := sample()
	type tally struct {
		n, withdrawn, open, asked, lateDecision, lateAck, updates, consult int
		outcomes                                                           map[string]int
	}
	rs := mustRules(t)
	byBenefit := map[string]*tally{}
	kinds := map[string]int{}
	months := map[time.Month]int{}
	weekday, weekend := 0, 0
	for _, g := range all {
		a := g.App
		b := a.Benefit()
		tl := byBenefit[b.ID]
		if tl == nil {
			tl = &tally{outcomes: map[string]int{}}
			byBenefit[b.ID] = tl
		}
		tl.n++
		kinds[b.Kind]++
		switch a.Status {
		case casework.StatusWithdrawn:
			tl.withdrawn++
		case casework.StatusOpen:
			tl.open++
		case casework.StatusDecided:
			tl.outcomes[a.Decision.Outcome]++
			due := a.DecisionClock(rs.Calendar, a.ClosedOn).Due
			if a.Decision.DecidedOn > due {
				tl.lateDecision++
			}
		}
		if len(a.Requests) > 0 {
			tl.asked++
		}
		if !a.AcknowledgedOn.IsZero() &&
			a.AcknowledgedOn > rs.Calendar.AddWorkingDays(a.ReceivedOn, b.Standards.AcknowledgeWorkingDays) {
			tl.lateAck++
		}
		for _, e := range g.Events {
			switch body := e.Body.(type) {
			case *casework.UpdateSent:
				tl.updates++
			case *casework.StageChanged:
				if strings.Contains(body.Stage, "consult") {
					tl.consult++
				}
			case *casework.ConsultationScheduled:
				tl.consult++
			}
		}
		if a.ReceivedOn < end.AddDays(-365) { // one whole year, for the seasons
			_, m, _ := a.ReceivedOn.Date()
			months[m]++
		}
		if wd := a.ReceivedOn.Weekday(); wd == time.Saturday || wd == time.Sunday {
			weekend++
		} else {
			weekday++
		}
	}
	for id, tl := range byBenefit {
		t.Logf("%s: %d applications, %d open, %d withdrawn, %d asked for information, %d decided late, %d acknowledged late, %d updates, %d consultations, outcomes %v",
			id, tl.n, tl.open, tl.withdrawn, tl.asked, tl.lateDecision, tl.lateAck, tl.updates, tl.consult, tl.outcomes)
	}
	n := float64(len(all))
	near := func(what string, got int, want, tolerance float64) {
		t.Helper()
		if f := float64(got) / n; f < want-tolerance || f > want+tolerance {
			t.Errorf("%s: %.3f of applications, want about %.2f", what, f, want)
		}
	}
	near("disability", kinds[charter.KindDisability], 0.55, 0.03)
	near("carer", kinds[charter.KindCarer], 0.25, 0.03)
	near("grant", kinds[charter.KindGrant], 0.20, 0.03)
	withdrawn, asked, dis := 0, 0, byBenefit["adult-disability-payment"]
	for _, tl := range byBenefit {
		withdrawn += tl.withdrawn
		for _, o := range []string{casework.OutcomeAward, casework.OutcomeRefuse} {
			if tl.outcomes[o] == 0 {
				t.Errorf("no %s decisions for a benefit", o)
			}
		}
		if tl.lateDecision == 0 || tl.lateAck == 0 || tl.updates == 0 {
			t.Errorf("a benefit has no late decisions, no late acknowledgements or no updates: %+v", tl)
		}
		asked += tl.asked
	}
	near("withdrawn", withdrawn, 0.04, 0.015)
	if dis.outcomes[casework.OutcomePartial] == 0 || dis.consult == 0 {
		t.Errorf("no partial awards or no consultations for the disability payment: %+v", dis)
	}
	if f := float64(dis.asked) / float64(dis.n); f < 0.3 || f > 0.4 {
		t.Errorf("%.2f of disability applications asked for information, want about 0.35", f)
	}
	if months[time.January] <= months[time.July] || months[time.September] <= months[time.December] {
		t.Errorf("no seasons in the volume by month: %v", months)
	}
	if weekend*5/2 >= weekday { // per day, weekends should be well below weekdays
		t.Errorf("%d at weekends against %d on weekdays", weekend, weekday)
	}
}

func TestOpenApplicationsNearTheEnd(t *testing.T) {
	rs := mustRules(t)
	var paused, atRisk, missed, onTrack, staleUpdate, open int
	for _, g := range sample() {
		a := g.App
		if a.Status != casework.StatusOpen {
			continue
		}
		open++
		if end-a.ReceivedOn > 366 {
			t.Errorf("%s received on %s is still open a year later", a.Ref, a.ReceivedOn)
		}
		tl := a.Timeline(rs.Calendar, end)
		switch {
		case tl.Paused:
			paused++
		case tl.Missed:
			missed++
		case tl.AtRisk:
			atRisk++
		default:
			onTrack++
		}
		if !tl.NextUpdateBy.IsZero() && tl.NextUpdateBy < end {
			staleUpdate++
		}
	}
	t.Logf("open at the end: %d (%d on track, %d at risk, %d missed, %d paused; %d owed an update)",
		open, onTrack, atRisk, missed, paused, staleUpdate)
	if paused == 0 || atRisk == 0 || missed == 0 || onTrack == 0 {
		t.Error("want some open applications of every kind: on track, at risk, missed and paused")
	}
	if missed > open/5 {
		t.Errorf("%d of %d open applications missed: too many", missed, open)
	}
}

var (
	phone = regexp.MustCompile(`^07700 900\d{3}$`)
	email = regexp.MustCompile(`^[a-z]+\.[a-z]+\d*@example\.org$`)
)

func TestClients(t *testing.T) {
	ages := map[string][2]int{charter.KindDisability: {16, 90}, charter.KindCarer: {16, 80}, charter.KindGrant: {16, 49}}
	areas := map[string]bool{}
	for _, g := range sample() {
		c := g.App.Client
		age := years(c.DateOfBirth, g.App.ReceivedOn)
		kind := g.App.Benefit().Kind
		if r := ages[kind]; age < r[0] || age > r[1] {
			t.Fatalf("%s: a %d-year-old applying for a %s benefit", g.App.Ref, age, kind)
		}
		if c.Phone != "" && !phone.MatchString(c.Phone) {
			t.Fatalf("phone %q is not in the range kept for fiction", c.Phone)
		}
		if c.Email != "" && !email.MatchString(c.Email) {
			t.Fatalf("email %q is not at example.org", c.Email)
		}
		if strings.Count(c.Name, " ") < 1 {
			t.Fatalf("name %q", c.Name)
		}
		areas[c.Area] = true
	}
	if len(areas) != 32 {
		t.Errorf("clients in %d council areas, want all 32", len(areas))
	}
}

func years(dob, on calendar.Date) int {
	y1, m1, d1 := dob.Date()
	y2, m2, d2 := on.Date()
	n := y2 - y1
	if m2 < m1 || (m2 == m1 && d2 < d1) {
		n--
	}
	return n
}

func TestDecisionsGiveEveryReason(t *testing.T) {
	for _, g := range sample() {
		d := g.App.Decision
		if d == nil {
			continue
		}
		crit := g.App.Benefit().Criteria
		if len(d.Reasons) != len(crit) {
			t.Fatalf("%s: %d reasons for %d criteria", g.App.Ref, len(d.Reasons), len(crit))
		}
		met := 0
		for _, r := range d.Reasons {
			if r.Met {
				met++
			}
		}
		switch d.Outcome {
		case casework.OutcomeAward:
			if met != len(crit) || d.Award == "" {
				t.Fatalf("%s: an award with %d of %d criteria met, award %q", g.App.Ref, met, len(crit), d.Award)
			}
		case casework.OutcomeRefuse, casework.OutcomePartial:
			if met == len(crit) {
				t.Fatalf("%s: a %s with every criterion met", g.App.Ref, d.Outcome)
			}
		}
	}
}

func TestOptionsChecked(t *testing.T) {
	rs := mustRules(t)
	for _, o := range []seed.Options{
		{Applications: -1, Years: 1, End: end},
		{Applications: 1, Years: 0, End: end},
		{Applications: 1, Years: 1},
	} {
		if err := seed.Generate(rs, o, 10, func([]seed.Generated) error { return nil }); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if err := seed.Generate(casework.Rules{}, seed.Options{Applications: 1, Years: 1, End: end}, 10,
		func([]seed.Generated) error { return nil }); err == nil {
		t.Error("no benefits: no error")
	}
	stop := fmt.Errorf("stop")
	calls := 0
	err := seed.Generate(rs, seed.Options{Applications: 100, Years: 1, End: end}, 10,
		func([]seed.Generated) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("an error from emit: got %v after %d calls", err, calls)
	}
}

// TestMemory makes a million applications and reports the peak heap. It is
// slow, so it runs only when CHARTER_SEED_MILLION is set.
func TestMemory(t *testing.T) {
	if os.Getenv("CHARTER_SEED_MILLION") == "" {
		t.Skip("set CHARTER_SEED_MILLION=1 to make a million applications")
	}
	var peak uint64
	var ms runtime.MemStats
	n, events := 0, 0
	start := time.Now()
	err := seed.Generate(mustRules(t), seed.Options{Applications: 1_000_000, Years: 5, Seed: 1, End: end}, 2000,
		func(b []seed.Generated) error {
			n += len(b)
			for _, g := range b {
				events += len(g.Events)
			}
			if n%100_000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d applications, %d events in %s; heap in use at most %d MB (sampled)",
		n, events, time.Since(start).Round(time.Millisecond), peak>>20)
}

func BenchmarkGenerate(b *testing.B) {
	rs := mustRules(b)
	const n = 10000
	events := 0
	for i := 0; b.Loop(); i++ {
		err := seed.Generate(rs, seed.Options{Applications: n, Years: 2, Seed: uint64(i), End: end}, 2000,
			func(batch []seed.Generated) error {
				for _, g := range batch {
					events += len(g.Events)
				}
				return nil
			})
		if err != nil {
			b.Fatal(err)
		}
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N*n)/s, "applications/s")
	b.ReportMetric(float64(events)/s, "events/s")
}
