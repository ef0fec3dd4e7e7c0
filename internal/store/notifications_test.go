package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// appendWithMessages writes event seq of events with n messages.
func appendWithMessages(t *testing.T, s *store.Store, all []casework.Event, seq, n int, sendAfter time.Time) error {
	t.Helper()
	a, err := casework.Fold(testRules, all[:seq])
	if err != nil {
		t.Fatal(err)
	}
	ref := casework.Reference(all[0].Actor) // set by the caller
	a.Ref = ref
	var ns []store.NewNotification
	for i := range n {
		ns = append(ns, store.NewNotification{Key: fmt.Sprintf("%s/%d/news/%d", ref, seq, i), EventSeq: seq,
			Kind: message.KindNews, Channel: message.ChannelEmail, Recipient: "client@example.org",
			Subject: "There is news", Body: "Sign in to read it.", Status: message.StatusQueued, SendAfter: sendAfter})
	}
	return s.Append(ctxT(t), store.Append{Ref: ref, ExpectedVersion: seq - 1, Events: all[seq-1 : seq], Row: rowOf(a), Notifications: ns,
		Facts: factsOf(ref, all[:seq])})
}

func newCase(t *testing.T, s *store.Store, n int) []casework.Event {
	t.Helper()
	ref := refN(n)
	events, _ := history(ref, "carer-support", base, 4)
	events[0].Actor = string(ref) // appendWithMessages reads the reference from here
	if err := appendWithMessages(t, s, events, 1, 0, base); err != nil {
		t.Fatal(err)
	}
	return events
}

func TestNotificationsAreWrittenWithTheirEventsOrNotAtAll(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		events := newCase(t, s, 1)
		ref := casework.Reference(events[0].Actor)
		if err := appendWithMessages(t, s, events, 2, 2, base); err != nil {
			t.Fatal(err)
		}
		ns, err := s.Notifications(ctx, ref)
		if err != nil || len(ns) != 2 {
			t.Fatalf("notifications %v %v", ns, err)
		}
		if n := ns[0]; n.Status != message.StatusQueued || n.Recipient != "client@example.org" || n.EventSeq != 2 || n.Attempts != 0 {
			t.Errorf("stored %+v", n)
		}
		// A stale append writes neither the event nor its messages.
		err = appendWithMessages(t, s, events, 2, 1, base)
		if errs.KindOf(err) != errs.KindConflict {
			t.Fatalf("stale append: %v", err)
		}
		if ns, _ := s.Notifications(ctx, ref); len(ns) != 2 {
			t.Errorf("after a refused append there are %d messages, want 2", len(ns))
		}
		// The same key twice is refused, with the event.
		a, _ := casework.Fold(testRules, events[:3])
		a.Ref = ref
		err = s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: 2, Events: events[2:3], Row: rowOf(a), Facts: factsOf(ref, events[:3]),
			Notifications: []store.NewNotification{{Key: ns[0].Key, Kind: message.KindNews, Channel: message.ChannelEmail, Status: message.StatusQueued}}})
		if err == nil {
			t.Fatal("a second message with the same key was written")
		}
		if got, _ := s.Events(ctx, ref); len(got) != 2 {
			t.Errorf("the event of a refused message was written: %d events", len(got))
		}
	})
}

func TestClaimLeaseAndFinish(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		events := newCase(t, s, 1)
		ref := casework.Reference(events[0].Actor)
		now := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
		if err := appendWithMessages(t, s, events, 2, 3, now); err != nil {
			t.Fatal(err)
		}
		if err := appendWithMessages(t, s, events, 3, 1, now.Add(time.Hour)); err != nil { // not due yet
			t.Fatal(err)
		}
		got, err := s.ClaimNotifications(ctx, now, time.Minute, 10)
		if err != nil || len(got) != 3 {
			t.Fatalf("claimed %d (%v), want the 3 due", len(got), err)
		}
		for _, n := range got {
			if n.Status != message.StatusSending || n.Attempts != 1 {
				t.Errorf("claimed %+v", n)
			}
		}
		if again, _ := s.ClaimNotifications(ctx, now.Add(30*time.Second), time.Minute, 10); len(again) != 0 {
			t.Errorf("claimed %d while the lease holds", len(again))
		}
		// One is sent, one fails for now, one's worker dies.
		if err := s.FinishSend(ctx, got[0].ID, store.NotificationResult{Status: message.StatusSent, ProviderID: "p-1"}); err != nil {
			t.Fatal(err)
		}
		retryAt := now.Add(10 * time.Minute)
		if err := s.FinishSend(ctx, got[1].ID, store.NotificationResult{Status: message.StatusRetrying, Reason: "503", RetryAt: retryAt}); err != nil {
			t.Fatal(err)
		}
		after := now.Add(2 * time.Minute) // the lease of the third has run out
		re, err := s.ClaimNotifications(ctx, after, time.Minute, 10)
		if err != nil || len(re) != 1 || re[0].ID != got[2].ID || re[0].Attempts != 2 {
			t.Fatalf("after the lease: claimed %+v (%v), want the third, second try", re, err)
		}
		if err := s.FinishSend(ctx, re[0].ID, store.NotificationResult{Status: message.StatusSent}); err != nil {
			t.Fatal(err)
		}
		next, ok, err := s.NextNotificationDue(ctx)
		if err != nil || !ok || !next.Equal(retryAt) {
			t.Errorf("next due %v %v %v, want %v", next, ok, err, retryAt)
		}
		late, _ := s.ClaimNotifications(ctx, retryAt.Add(time.Hour), time.Minute, 10)
		if len(late) != 2 { // the retry and the one due in an hour
			t.Errorf("later: claimed %d, want 2", len(late))
		}
		if ns, _ := s.Notifications(ctx, ref); len(ns) != 4 {
			t.Errorf("%d messages", len(ns))
		}
		log, err := s.NotificationLog(ctx, got[1].ID)
		if err != nil || len(log) != 1 || log[0].Status != message.StatusRetrying || log[0].Detail != "503" {
			t.Errorf("log %+v %v", log, err)
		}
	})
}

func TestStatusOnlyMovesForward(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		events := newCase(t, s, 1)
		now := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
		if err := appendWithMessages(t, s, events, 2, 1, now); err != nil {
			t.Fatal(err)
		}
		got, _ := s.ClaimNotifications(ctx, now, time.Minute, 1)
		n := got[0]
		// The provider's receipt arrives before the worker records the send.
		changed, err := s.MoveStatus(ctx, n.Key, "p-9", message.StatusDelivered, "delivered")
		if err != nil || !changed {
			t.Fatalf("receipt: %v %v", changed, err)
		}
		if err := s.FinishSend(ctx, n.ID, store.NotificationResult{Status: message.StatusSent, ProviderID: "p-9"}); err != nil {
			t.Fatal(err)
		}
		// Replayed, and an older status after a newer one: nothing moves.
		for _, st := range []message.Status{message.StatusDelivered, message.StatusSent, message.StatusFailed} {
			if changed, err := s.MoveStatus(ctx, "", "p-9", st, "late"); err != nil || changed {
				t.Errorf("%s after delivered: changed %v %v", st, changed, err)
			}
		}
		one, _ := s.Notification(ctx, n.ID)
		if one.Status != message.StatusDelivered || one.ProviderID != "p-9" {
			t.Errorf("after the callbacks: %+v", one)
		}
		if _, err := s.MoveStatus(ctx, "no-such-key", "", message.StatusDelivered, ""); errs.KindOf(err) != errs.KindNotFound {
			t.Errorf("unknown key: %v", err)
		}
	})
}

func TestNeedingAttentionAndSentByHand(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		events := newCase(t, s, 1)
		ref := casework.Reference(events[0].Actor)
		a, _ := casework.Fold(testRules, events[:2])
		a.Ref = ref
		err := s.Append(ctx, store.Append{Ref: ref, ExpectedVersion: 1, Events: events[1:2], Row: rowOf(a), Facts: factsOf(ref, events[:2]),
			Notifications: []store.NewNotification{{Key: "k-braille", Kind: message.KindAcknowledgement, Channel: message.ChannelLetter,
				Status: message.StatusNeedsHuman, Reason: "needs Braille", SendAfter: base}}})
		if err != nil {
			t.Fatal(err)
		}
		if claimed, _ := s.ClaimNotifications(ctx, base.Add(time.Hour), time.Minute, 10); len(claimed) != 0 {
			t.Errorf("the worker claimed a message that needs a person")
		}
		att, err := s.NeedingAttention(ctx, 10)
		if err != nil || len(att) != 1 || att[0].Reason != "needs Braille" {
			t.Fatalf("attention %+v %v", att, err)
		}
		if err := s.SentByHand(ctx, att[0].ID, "posted in Braille (jo@example.org)"); err != nil {
			t.Fatal(err)
		}
		if att, _ := s.NeedingAttention(ctx, 10); len(att) != 0 {
			t.Errorf("still needs attention: %+v", att)
		}
		if err := s.SentByHand(ctx, att0(t, s, ref), "again"); errs.KindOf(err) != errs.KindConflict {
			t.Errorf("sent by hand twice: %v", err)
		}
	})
}

func att0(t *testing.T, s *store.Store, ref casework.Reference) int64 {
	ns, _ := s.Notifications(ctxT(t), ref)
	return ns[0].ID
}

// TestConcurrentClaimsNeverShareAMessage: several workers claiming at once
// (goroutines here; processes in the crash test) each get different
// messages, and between them get all of them.
func TestConcurrentClaimsNeverShareAMessage(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		now := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
		for i := range 20 {
			events := newCase(t, s, 100+i)
			if err := appendWithMessages(t, s, events, 2, 10, now); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				for {
					got, err := s.ClaimNotifications(ctx, now, time.Hour, 7)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, n := range got {
						seen[n.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != 200 {
			t.Errorf("claimed %d distinct messages, want 200", len(seen))
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("message %d claimed %d times", id, k)
			}
		}
	})
}

func TestDueForCheck(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := ctxT(t)
		events := newCase(t, s, 1)
		ref := casework.Reference(events[0].Actor)
		row := mustRow(t, s, ref)
		if row.NextCheckOn.IsZero() {
			t.Fatal("an open application has no next check")
		}
		if due, _ := s.DueForCheck(ctx, row.NextCheckOn.AddDays(-1), 10); len(due) != 0 {
			t.Errorf("due the day before: %v", due)
		}
		if due, _ := s.DueForCheck(ctx, row.NextCheckOn, 10); len(due) != 1 || due[0] != ref {
			t.Errorf("due on the day: %v", due)
		}
		later := row.NextCheckOn.AddDays(7)
		if err := s.SetNextCheck(ctx, ref, row.Version, later); err != nil {
			t.Fatal(err)
		}
		if err := s.SetNextCheck(ctx, ref, row.Version+1, 0); err != nil { // a stale version changes nothing
			t.Fatal(err)
		}
		if got := mustRow(t, s, ref).NextCheckOn; got != later {
			t.Errorf("next check %s, want %s", got, later)
		}
	})
}
