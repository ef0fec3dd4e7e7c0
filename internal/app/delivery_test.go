package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/notify"
	"github.com/charter-service/charter/internal/notify/notifytest"
	"github.com/charter-service/charter/internal/notify/smtptest"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

var testSender = message.Service{Name: "Your payments and our charter", PublicURL: "https://charter.example.org", Phone: "0800 000 0000"}

// messagingService is a service that queues messages, on a clock the test
// sets (nil: the real one).
func messagingService(t *testing.T, st *store.Store, c *clock) *app.Service {
	t.Helper()
	tmpl, err := message.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	o := app.Options{Seed: 5, Messages: tmpl, Sender: testSender, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if c != nil {
		o.Now = c.now
	}
	svc, err := app.New(context.Background(), st, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Load(context.Background(), "charter.yaml", examples.Charter, "benefits.yaml", examples.Benefits); err != nil {
		t.Fatal(err)
	}
	return svc
}

func apply(t *testing.T, svc *app.Service, benefit string, c casework.Client) casework.Reference {
	t.Helper()
	if c.Name == "" {
		c.Name = "Alex Example"
	}
	c.DateOfBirth = calendar.NewDate(1980, 5, 17)
	a, _, err := svc.Create(context.Background(), "caseworker:test", time.Time{},
		&casework.Received{Benefit: benefit, Channel: "online", Client: c}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a.Ref
}

func record(t *testing.T, svc *app.Service, ref casework.Reference, typ casework.EventType, b casework.Body) {
	t.Helper()
	if _, _, err := svc.Record(context.Background(), ref, -1, app.NewEvent{Type: typ, Actor: "caseworker:test", Body: b}, nil); err != nil {
		t.Fatalf("%s: %v", typ, err)
	}
}

func statuses(t *testing.T, svc *app.Service, ref casework.Reference) map[string]message.Status {
	t.Helper()
	ns, err := svc.Notifications(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]message.Status{}
	for _, n := range ns {
		out[string(n.Kind)+"/"+string(n.Channel)] = n.Status
	}
	return out
}

var address = &casework.Address{Lines: []string{"1 Example Street", "Kirkcaldy"}, Postcode: "KY1 1AA"}

// TestAcknowledgementArrivesByEmailAndLetter follows one event to the mail
// server and the print queue.
func TestAcknowledgementArrivesByEmailAndLetter(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := messagingService(t, st, nil)
		mail, err := smtptest.New()
		if err != nil {
			t.Fatal(err)
		}
		defer mail.Stop()
		printQueue := t.TempDir()
		w := svc.NewWorker(app.DeliveryOptions{Senders: map[message.Channel]app.Sender{
			message.ChannelEmail:  &notify.SMTP{Addr: mail.Addr, From: "Your payments <noreply@example.org>"},
			message.ChannelLetter: &notify.Letters{Dir: printQueue},
		}})
		ref := apply(t, svc, "adult-disability-payment", casework.Client{Email: "alex@example.org", PreferredContact: "email", Address: address})
		record(t, svc, ref, casework.TypeAcknowledged, &casework.Acknowledged{})
		record(t, svc, ref, casework.TypeClientDetailsUpdated, &casework.ClientDetailsUpdated{Conditions: []string{"mental-health"}})
		if got := statuses(t, svc, ref); len(got) != 2 || got["acknowledgement/email"] != message.StatusQueued || got["acknowledgement/letter"] != message.StatusQueued {
			t.Fatalf("queued: %v", got)
		}
		if n, err := w.DeliverOnce(ctx); err != nil || n != 2 {
			t.Fatalf("delivered %d: %v", n, err)
		}
		if got := statuses(t, svc, ref); got["acknowledgement/email"] != message.StatusSent || got["acknowledgement/letter"] != message.StatusSent {
			t.Fatalf("after delivery: %v", got)
		}
		if n, _ := w.DeliverOnce(ctx); n != 0 {
			t.Errorf("a second round claimed %d", n)
		}
		received := mail.Received()
		if len(received) != 1 || received[0].To != "alex@example.org" || received[0].Subject != "We have your application" ||
			!strings.Contains(received[0].Body, ref.String()) {
			t.Fatalf("mail: %+v", received)
		}
		letters, _ := filepath.Glob(filepath.Join(printQueue, "*", "*.pdf"))
		manifest, _ := filepath.Glob(filepath.Join(printQueue, "*", "manifest.csv"))
		if len(letters) != 1 || len(manifest) != 1 {
			t.Fatalf("print queue: %v %v", letters, manifest)
		}
		ns, _ := svc.Notifications(ctx, ref)
		for _, n := range ns {
			if n.Channel == message.ChannelLetter && !strings.Contains(n.Body, "Our charter: a summary") {
				t.Error("the acknowledgement letter does not enclose the charter summary")
			}
		}
		// The client opts out of the summary: the decision letter comes without it.
		record(t, svc, ref, casework.TypeContactDetailsUpdated, &casework.ContactDetailsUpdated{PreferredContact: "email",
			Email: "alex@example.org", Address: address, NoCharterSummary: true})
		a, _, _ := svc.Application(ctx, ref)
		var reasons []casework.CriterionReason
		for _, c := range a.Benefit().Criteria {
			reasons = append(reasons, casework.CriterionReason{Criterion: c.ID, Met: true, Reason: "You meet this."})
		}
		record(t, svc, ref, casework.TypeDecisionMade, &casework.DecisionMade{Outcome: casework.OutcomeAward, Reasons: reasons, DecisionMaker: "case manager"})
		ns, _ = svc.Notifications(ctx, ref)
		if n := ns[0]; n.Kind != message.KindDecision || n.Channel != message.ChannelLetter || strings.Contains(n.Body, "Our charter: a summary") {
			t.Errorf("decision letter after opting out: %s %s, encloses %v", n.Kind, n.Channel, strings.Contains(n.Body, "Our charter: a summary"))
		}
	})
}

// TestTimersTellTheClient moves the clock on and checks the no-silence
// update, the missed-date apology and the staff alert happen once each.
func TestTimersTellTheClient(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		c := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
		svc := messagingService(t, st, c)
		ref := apply(t, svc, "early-years-grant", casework.Client{Phone: "07700900123", PreferredContact: "sms"})
		run := func() app.TimerResult {
			t.Helper()
			res, err := svc.CheckTimers(ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		if res := run(); res.Recorded != 0 {
			t.Fatalf("on the first day: %+v", res)
		}
		a, _, _ := svc.Application(ctx, ref)
		st0 := a.Benefit().Standards
		// Just after the longest silence allowed: one update, by text.
		c.t = message.SendAt(svc.Calendar().AddWorkingDays(a.ReceivedOn, st0.MaxWorkingDaysWithoutUpdate)).Add(time.Hour)
		if res := run(); res.Recorded < 1 {
			t.Fatalf("after the silence: %+v", res)
		}
		if res := run(); res.Recorded != 0 {
			t.Errorf("a second sweep on the same day recorded %d", res.Recorded)
		}
		got := statuses(t, svc, ref)
		if got["still_working/sms"] != message.StatusQueued {
			t.Errorf("messages: %v", got)
		}
		_, events, _ := svc.Application(ctx, ref)
		if e := events[len(events)-1]; e.Actor != app.SystemActor {
			t.Errorf("the last event is by %q", e.Actor)
		}
		// After the decision date: the apology, once; staff were alerted.
		a, _, _ = svc.Application(ctx, ref)
		due := a.StoredClock(svc.Calendar()).Due
		c.t = message.SendAt(svc.Calendar().AddWorkingDays(due, 1)).Add(time.Hour)
		run()
		run()
		ns, _ := svc.Notifications(ctx, ref)
		counts := map[message.Kind]int{}
		for _, n := range ns {
			counts[n.Kind]++
		}
		if counts[message.KindMissed] != 1 || counts[message.KindAtRisk] != 1 {
			t.Errorf("messages by kind: %v", counts)
		}
		for _, n := range ns {
			if n.Kind == message.KindMissed && !strings.Contains(n.Body, due.Long()) {
				t.Errorf("the apology does not name %s: %s", due.Long(), n.Body)
			}
		}
	})
}

// TestFlakyProviderEndsDeliveredOrFailedWithAReason: with the provider
// failing 20% of requests with 5xx and 10% with 429, every message ends
// sent, or failed for good with a reason on the staff list; nothing is
// sent twice; and sends stay under the rate limit.
func TestFlakyProviderEndsDeliveredOrFailedWithAReason(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		svc := messagingService(t, st, middayClock())
		fake := notifytest.New(notifytest.Options{Fail5xx: 0.2, Fail429: 0.1, Seed: 7})
		defer fake.Close()
		provider := &notify.Provider{BaseURL: fake.URL, APIKey: notifytest.APIKey, EmailTemplate: "t-email", SMSTemplate: "t-sms"}
		const limit = 100.0
		w := svc.NewWorker(app.DeliveryOptions{
			Senders:   map[message.Channel]app.Sender{message.ChannelEmail: provider, message.ChannelSMS: provider},
			Rate:      map[message.Channel]float64{message.ChannelSMS: limit, message.ChannelEmail: limit},
			RetryBase: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond, MaxAttempts: 8, Lease: 10 * time.Second,
		})
		var refs []casework.Reference
		for i := range 60 {
			c := casework.Client{Email: fmt.Sprintf("client%d@example.org", i), PreferredContact: "email"}
			if i%3 == 0 {
				c = casework.Client{Phone: "07700900" + fmt.Sprintf("%03d", i), PreferredContact: "sms"}
			}
			if i%20 == 7 {
				c = casework.Client{Phone: "12345", PreferredContact: "sms"} // not a UK mobile: refused for good
			}
			ref := apply(t, svc, "early-years-grant", c)
			record(t, svc, ref, casework.TypeStageChanged, &casework.StageChanged{Stage: "checking"})
			record(t, svc, ref, casework.TypeInformationRequested, &casework.InformationRequested{What: "a birth certificate", Why: "to check the child's age", From: casework.FromClient})
			refs = append(refs, ref)
		}
		for {
			counts, err := st.NotificationCounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if counts[message.StatusQueued]+counts[message.StatusSending]+counts[message.StatusRetrying] == 0 {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("not finished: %v", counts)
			}

			if n, err := w.DeliverOnce(ctx); err != nil {
				t.Fatal(err)
			} else if n == 0 {
				time.Sleep(20 * time.Millisecond)
			}
		}
		sent, failed := 0, 0
		for _, ref := range refs {
			ns, _ := svc.Notifications(ctx, ref)
			for _, n := range ns {
				switch n.Status {
				case message.StatusSent:
					sent++
				case message.StatusFailed:
					failed++
					if n.Reason == "" {
						t.Errorf("%s failed with no reason", n.Key)
					}
				default:
					t.Errorf("%s ended %s", n.Key, n.Status)
				}
			}
		}
		stats := fake.Stats()
		if failed != 6 || sent != 114 || stats.Accepted != sent || stats.Dupes != 0 {
			t.Errorf("sent %d, failed %d; provider accepted %d with %d duplicates", sent, failed, stats.Accepted, stats.Dupes)
		}
		if stats.Refused[503] == 0 || stats.Refused[429] == 0 {
			t.Errorf("the provider did not fail as told: %v", stats.Refused)
		}
		attention, _ := svc.NeedingAttention(ctx)
		if len(attention) != failed {
			t.Errorf("%d failed but %d on the staff list", failed, len(attention))
		}
		// No second of sending went over the limit (plus the one the bucket holds).
		times := stats.PostTimes
		slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
		for i := range times {
			j := i
			for j < len(times) && times[j].Sub(times[i]) < time.Second {
				j++
			}
			if j-i > int(2*limit)+1 { // two channels, each limited
				t.Fatalf("%d requests within a second from %v; the limit is %v a channel", j-i, times[i], limit)
			}
		}
	})
}

// TestMailServerDownThenUp: emails wait while the mail server is down and
// arrive once it is back.
func TestMailServerDownThenUp(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		svc := messagingService(t, st, nil)
		mail, err := smtptest.New()
		if err != nil {
			t.Fatal(err)
		}
		mail.Stop()
		w := svc.NewWorker(app.DeliveryOptions{
			Senders:   map[message.Channel]app.Sender{message.ChannelEmail: &notify.SMTP{Addr: mail.Addr, From: "noreply@example.org", Timeout: time.Second}},
			RetryBase: 50 * time.Millisecond, RetryMax: 200 * time.Millisecond, MaxAttempts: 1000,
		})
		var refs []casework.Reference
		for i := range 5 {
			ref := apply(t, svc, "early-years-grant", casework.Client{Email: fmt.Sprintf("c%d@example.org", i), PreferredContact: "email"})
			record(t, svc, ref, casework.TypeStageChanged, &casework.StageChanged{Stage: "checking"})
			refs = append(refs, ref)
		}
		deadline := time.Now().Add(400 * time.Millisecond)
		for time.Now().Before(deadline) {
			w.DeliverOnce(ctx)
			time.Sleep(10 * time.Millisecond)
		}
		ns, _ := svc.Notifications(ctx, refs[0])
		if ns[0].Status != message.StatusRetrying || ns[0].Attempts < 2 || !strings.Contains(ns[0].Reason, "could not be reached") {
			t.Fatalf("while down: %+v", ns[0])
		}
		if err := mail.Start(); err != nil {
			t.Fatal(err)
		}
		defer mail.Stop()
		for len(mail.Received()) < 5 && ctx.Err() == nil {
			w.DeliverOnce(ctx)
			time.Sleep(10 * time.Millisecond)
		}
		if got := mail.Received(); len(got) != 5 {
			t.Fatalf("received %d after the server came back", len(got))
		}
		for _, ref := range refs {
			if s := statuses(t, svc, ref)["stage_changed/email"]; s != message.StatusSent {
				t.Errorf("%s: %s", ref, s)
			}
		}
	})
}

// middayClock is the real clock moved to midday in London today, so that
// text messages are not held back for quiet hours whenever the test runs.
func middayClock() *clock {
	now := time.Now().In(casework.Zone)
	noon := time.Date(now.Year(), now.Month(), now.Day(), 12, 0, 0, 0, casework.Zone)
	return &clock{offset: noon.Sub(now)}
}
