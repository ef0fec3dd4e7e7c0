package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/notify"
	"github.com/charter-service/charter/internal/notify/notifytest"
)

// TestDeliveryReceipts: the provider's receipts, posted to the real
// endpoint, move messages to delivered or failed; replays and late
// receipts change nothing; a receipt without the token is refused.
func TestDeliveryReceipts(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	fake := notifytest.New(notifytest.Options{CallbackURL: s.srv.URL + "/api/v1/notifications/receipts", CallbackToken: testCallbackToken})
	defer fake.Close()
	provider := &notify.Provider{BaseURL: fake.URL, APIKey: notifytest.APIKey, EmailTemplate: "t-email", SMSTemplate: "t-sms"}
	w := s.svc.NewWorker(app.DeliveryOptions{Senders: map[message.Channel]app.Sender{message.ChannelEmail: provider}})

	good := s.apply("early-years-grant", "Alex Example", calendar.NewDate(1990, 1, 2))
	bounce, _, err := s.svc.Create(ctx, "caseworker:test", s.now(), &casework.Received{Benefit: "early-years-grant",
		Client: casework.Client{Name: "Bo Example", DateOfBirth: calendar.NewDate(1990, 1, 2), Email: "bounce@example.org", PreferredContact: "email"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []casework.Reference{good, bounce.Ref} {
		s.record(ref, &casework.StageChanged{Stage: "checking"})
	}
	if n, err := w.DeliverOnce(ctx); err != nil || n != 2 {
		t.Fatalf("delivered %d: %v", n, err)
	}
	stats := fake.Stats() // waits for the receipts
	if len(stats.Callbacks) != 2 || stats.Callbacks[0] != http.StatusOK || stats.Callbacks[1] != http.StatusOK {
		t.Fatalf("receipts answered %v", stats.Callbacks)
	}
	status := func(ref casework.Reference) message.Status {
		ns, err := s.svc.Notifications(ctx, ref)
		if err != nil || len(ns) != 1 {
			t.Fatalf("messages of %s: %v %v", ref, ns, err)
		}
		return ns[0].Status
	}
	if got := status(good); got != message.StatusDelivered {
		t.Errorf("good address: %s", got)
	}
	if got := status(bounce.Ref); got != message.StatusFailed {
		t.Errorf("bouncing address: %s", got)
	}
	attention, _ := s.svc.NeedingAttention(ctx)
	if len(attention) != 1 || attention[0].Ref != bounce.Ref {
		t.Errorf("staff list: %+v", attention)
	}

	// Replayed and out of order: nothing moves, and the provider still gets 200.
	msgs := fake.Accepted()
	for _, m := range msgs {
		for _, st := range []string{"delivered", "temporary-failure", "permanent-failure"} {
			if code := fake.Receipt(m, st); code != http.StatusOK {
				t.Errorf("replayed %s receipt answered %d", st, code)
			}
		}
	}
	if status(good) != message.StatusDelivered || status(bounce.Ref) != message.StatusFailed {
		t.Error("a replayed or late receipt moved a status back")
	}

	// Without the token, or with a wrong one, or with an unknown status: refused.
	post := func(token string, body any) int {
		data, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/api/v1/notifications/receipts", bytes.NewReader(data))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	receipt := map[string]string{"reference": msgs[0].Reference, "id": msgs[0].ID, "status": "permanent-failure"}
	if code := post("", receipt); code != http.StatusUnauthorized {
		t.Errorf("no token: %d", code)
	}
	if code := post("wrong-token-wrong-token-wrong", receipt); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", code)
	}
	if code := post(testCallbackToken, map[string]string{"reference": msgs[0].Reference, "status": "lost"}); code != http.StatusBadRequest {
		t.Errorf("unknown status: %d", code)
	}
	if code := post(testCallbackToken, map[string]string{"reference": "no-such-message", "status": "delivered"}); code != http.StatusNotFound {
		t.Errorf("unknown message: %d", code)
	}
}
