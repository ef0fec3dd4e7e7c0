package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/notify"
	"github.com/charter-service/charter/internal/notify/notifytest"
	"github.com/charter-service/charter/internal/notify/smtptest"
)

func email(key, to string) message.Outgoing {
	return message.Outgoing{Key: key, Ref: "7KM-4QX-9DC", Kind: message.KindStageChanged, Channel: message.ChannelEmail,
		Recipient: to, Subject: "Your application has moved on – next step", Body: "Dear Alex,\n\nIt has moved on. £0 to pay.\n", Attempt: 1}
}

func TestSMTPDeliversToARealServer(t *testing.T) {
	srv, err := smtptest.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	s := &notify.SMTP{Addr: srv.Addr, From: "Your payments <noreply@example.org>", Timeout: 5 * time.Second}
	id, err := s.Send(context.Background(), email("7KM-4QX-9DC/3/stage_changed/email", "alex@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Received()
	if len(got) != 1 {
		t.Fatalf("received %d messages", len(got))
	}
	m := got[0]
	if m.To != "alex@example.org" || m.From != "noreply@example.org" || m.Subject != "Your application has moved on – next step" ||
		!strings.Contains(m.Body, "£0 to pay.") || m.MessageID != id || !strings.Contains(id, "7KM-4QX-9DC_3_stage_changed_email@example.org") {
		t.Errorf("received %+v, id %s", m, id)
	}

	// A mailbox that does not exist is a permanent failure…
	srv.Refuse = "nobody@example.org"
	_, err = s.Send(context.Background(), email("k2", "nobody@example.org"))
	if p, _, reason := message.Classify(err); err == nil || !p || !strings.Contains(reason, "550") {
		t.Errorf("refused mailbox: %v (permanent %v)", err, p)
	}
	// …and a server that is down is a temporary one.
	srv.Stop()
	_, err = s.Send(context.Background(), email("k3", "alex@example.org"))
	if p, _, _ := message.Classify(err); err == nil || p {
		t.Errorf("server down: %v (permanent %v)", err, p)
	}
}

func TestProviderSendsAndClassifiesFailures(t *testing.T) {
	fake := notifytest.New(notifytest.Options{})
	defer fake.Close()
	p := &notify.Provider{BaseURL: fake.URL, APIKey: notifytest.APIKey, EmailTemplate: "t-email", SMSTemplate: "t-sms"}
	ctx := context.Background()
	id, err := p.Send(ctx, email("REF/1/acknowledgement/email", "alex@example.org"))
	if err != nil || id == "" {
		t.Fatalf("send: %q %v", id, err)
	}
	sms := email("REF/1/acknowledgement/sms", "07700 900123")
	sms.Channel = message.ChannelSMS
	if _, err := p.Send(ctx, sms); err != nil {
		t.Fatal(err)
	}
	acc := fake.Accepted()
	if len(acc) != 2 || acc[0].Type != "email" || acc[0].Subject != "Your application has moved on – next step" || acc[1].Type != "sms" || acc[1].Template != "t-sms" {
		t.Fatalf("accepted %+v", acc)
	}

	// A retry of a message the provider already has is not a second one,
	// by Idempotency-Key or by asking for the reference.
	again := email("REF/1/acknowledgement/email", "alex@example.org")
	again.Attempt = 2
	id2, err := p.Send(ctx, again)
	if err != nil || id2 != id {
		t.Errorf("retry gave %q %v, want the first id %q", id2, err, id)
	}
	again.Attempt = 1 // as if the outbox forgot it had tried: the header still holds
	if id3, err := p.Send(ctx, again); err != nil || id3 != id {
		t.Errorf("replay gave %q %v, want %q", id3, err, id)
	}
	if st := fake.Stats(); st.Accepted != 2 || st.Dupes != 0 {
		t.Errorf("stats %+v", st)
	}

	// Not a UK mobile: permanent, with the provider's words.
	bad := sms
	bad.Key, bad.Recipient = "REF/2/x/sms", "12345"
	_, err = p.Send(ctx, bad)
	if perm, _, reason := message.Classify(err); !perm || !strings.Contains(reason, "Not a UK mobile number") {
		t.Errorf("bad number: %v", err)
	}
	// A wrong key: permanent.
	wrong := &notify.Provider{BaseURL: fake.URL, APIKey: "x-" + notifytest.ServiceID + "-00000000-0000-0000-0000-000000000000", EmailTemplate: "t"}
	_, err = wrong.Send(ctx, email("REF/3/x/email", "a@example.org"))
	if perm, _, reason := message.Classify(err); !perm || !strings.Contains(reason, "403") {
		t.Errorf("wrong key: %v", err)
	}
}

func TestProviderRateLimitAndOutage(t *testing.T) {
	busy := notifytest.New(notifytest.Options{Fail429: 1})
	defer busy.Close()
	p := &notify.Provider{BaseURL: busy.URL, APIKey: notifytest.APIKey, EmailTemplate: "t"}
	_, err := p.Send(context.Background(), email("k", "a@example.org"))
	perm, after, reason := message.Classify(err)
	if perm || after != time.Second || !strings.Contains(reason, "429") {
		t.Errorf("429: permanent %v, retry after %v, %q", perm, after, reason)
	}
	down := notifytest.New(notifytest.Options{Fail5xx: 1})
	defer down.Close()
	p.BaseURL = down.URL
	_, err = p.Send(context.Background(), email("k", "a@example.org"))
	if perm, _, reason := message.Classify(err); perm || !strings.Contains(reason, "503") {
		t.Errorf("503: permanent %v %q", perm, reason)
	}
	down.Close()
	_, err = p.Send(context.Background(), email("k", "a@example.org"))
	var se *message.SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Errorf("closed: %v", err)
	}
}

func TestParseAPIKey(t *testing.T) {
	svc, secret, err := notify.ParseAPIKey(notifytest.APIKey)
	if err != nil || svc != notifytest.ServiceID || secret != notifytest.Secret {
		t.Errorf("ParseAPIKey = %q %q %v", svc, secret, err)
	}
	if _, _, err := notify.ParseAPIKey("too-short"); err == nil {
		t.Error("a short key parsed")
	}
}
