package app_test

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// clock is a settable now: t, or if t is zero the real time moved by offset.
type clock struct {
	mu     sync.Mutex
	t      time.Time
	offset time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		return time.Now().Add(c.offset)
	}
	return c.t
}
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sentCodes keeps the codes a service sends.
type sentCodes struct {
	mu   sync.Mutex
	msgs []store.CodeMessage
}

func (s *sentCodes) SendCode(_ context.Context, m store.CodeMessage) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	return nil
}

func (s *sentCodes) last(t *testing.T) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.msgs) == 0 {
		t.Fatal("no code was sent")
	}
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(s.msgs[len(s.msgs)-1].Body)
	if code == "" {
		t.Fatalf("no code in %q", s.msgs[len(s.msgs)-1].Body)
	}
	return code
}

func newService(t *testing.T, st *store.Store) (*app.Service, *clock, *sentCodes) {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	codes := &sentCodes{}
	svc, err := app.New(context.Background(), st, app.Options{Now: c.now, Codes: codes, Seed: 3,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Load(context.Background(), "charter.yaml", examples.Charter, "benefits.yaml", examples.Benefits); err != nil {
		t.Fatal(err)
	}
	return svc, c, codes
}

func kindIs(t *testing.T, err error, want errs.Kind) {
	t.Helper()
	if got := errs.KindOf(err); got != want {
		t.Fatalf("error %v: kind %s, want %s", err, got, want)
	}
}

func TestStaffSignIn(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, clk, _ := newService(t, st)
		kindIs(t, svc.AddStaffUser(ctx, "not an email", "caseworker", "a long enough password"), errs.KindInvalid)
		kindIs(t, svc.AddStaffUser(ctx, "jo@example.org", "janitor", "a long enough password"), errs.KindInvalid)
		kindIs(t, svc.AddStaffUser(ctx, "jo@example.org", "caseworker", "short"), errs.KindInvalid)
		if err := svc.AddStaffUser(ctx, "jo@example.org", "caseworker", "a long enough password"); err != nil {
			t.Fatal(err)
		}
		kindIs(t, svc.AddStaffUser(ctx, "JO@example.org", "manager", "a long enough password"), errs.KindConflict)

		_, err := svc.StaffSignIn(ctx, "jo@example.org", "the wrong password", "10.0.0.1")
		kindIs(t, err, errs.KindInvalid)
		_, err = svc.StaffSignIn(ctx, "nobody@example.org", "a long enough password", "10.0.0.1")
		kindIs(t, err, errs.KindInvalid)

		ns, err := svc.StaffSignIn(ctx, "Jo@Example.org ", "a long enough password", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		again, err := svc.StaffSignIn(ctx, "jo@example.org", "a long enough password", "10.0.0.1")
		if err != nil || again.Secret == ns.Secret || again.CSRF == ns.CSRF {
			t.Fatalf("each sign-in must make a new session id: %v", err)
		}
		info, err := svc.Session(ctx, ns.Secret)
		if err != nil || info.Role != "caseworker" || info.Kind != app.SessionStaff || info.CSRF != ns.CSRF {
			t.Fatalf("session: %+v, %v", info, err)
		}
		// Used within the idle timeout, it lives on; left for longer, it ends.
		clk.add(20 * time.Minute)
		if _, err := svc.Session(ctx, ns.Secret); err != nil {
			t.Fatalf("after 20 minutes of use: %v", err)
		}
		clk.add(31 * time.Minute)
		_, err = svc.Session(ctx, ns.Secret)
		kindIs(t, err, errs.KindUnauthorized)
		// Signing out ends the session on the server.
		if err := svc.SignOut(ctx, again.Secret); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Session(ctx, again.Secret)
		kindIs(t, err, errs.KindUnauthorized)
	})
}

func TestSignInRateLimit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, clk, _ := newService(t, st)
		if err := svc.AddStaffUser(ctx, "jo@example.org", "caseworker", "a long enough password"); err != nil {
			t.Fatal(err)
		}
		for i := range app.MaxFailuresPerHour {
			_, _, err := svc.ClientStart(ctx, "ABC-DEF-GHJ", calendar.NewDate(1980, 1, 1), "10.0.0.9")
			if errs.KindOf(err) == errs.KindRateLimited {
				t.Fatalf("attempt %d was refused as too many", i+1)
			}
		}
		// The 101st failed attempt in the hour is refused, even with the right password.
		_, err := svc.StaffSignIn(ctx, "jo@example.org", "a long enough password", "10.0.0.9")
		kindIs(t, err, errs.KindRateLimited)
		// Another address is not affected.
		if _, err := svc.StaffSignIn(ctx, "jo@example.org", "a long enough password", "10.0.0.10"); err != nil {
			t.Fatalf("another address: %v", err)
		}
		// An hour later the address may try again.
		clk.add(61 * time.Minute)
		if _, err := svc.StaffSignIn(ctx, "jo@example.org", "a long enough password", "10.0.0.9"); err != nil {
			t.Fatalf("an hour later: %v", err)
		}
	})
}

func TestClientSignIn(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc, clk, codes := newService(t, st)
		a, _, err := svc.Create(ctx, "caseworker:test", time.Time{}, &casework.Received{Benefit: "carer-support-payment",
			Client: casework.Client{Name: "Pat Example", DateOfBirth: calendar.NewDate(1970, 1, 1), Email: "pat@example.org", PreferredContact: "email"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ref := a.Ref.String()

		_, _, err = svc.ClientStart(ctx, ref, calendar.NewDate(1970, 1, 2), "10.0.0.1")
		kindIs(t, err, errs.KindInvalid)
		_, _, err = svc.ClientStart(ctx, "ABC-DEF-GHX", calendar.NewDate(1970, 1, 1), "10.0.0.1")
		if k := errs.KindOf(err); k != errs.KindMistyped && k != errs.KindInvalid {
			t.Fatalf("a mistyped reference: %v", err)
		}

		id, sentTo, err := svc.ClientStart(ctx, ref, calendar.NewDate(1970, 1, 1), "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if sentTo != "p***@example.org" {
			t.Errorf("sent to %q, want the masked email", sentTo)
		}
		code := codes.last(t)
		msgs, err := st.CodeMessages(ctx, 10)
		if err != nil || len(msgs) != 1 || msgs[0].Recipient != sentTo {
			t.Fatalf("the code outbox: %+v, %v", msgs, err)
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		_, err = svc.ClientVerify(ctx, id, wrong, "10.0.0.1")
		kindIs(t, err, errs.KindInvalid)
		ns, err := svc.ClientVerify(ctx, id, code[:3]+" "+code[3:], "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if ns.Kind != app.SessionClient || ns.Subject != string(a.Ref) {
			t.Errorf("client session: %+v", ns.SessionInfo)
		}
		// A code works once.
		_, err = svc.ClientVerify(ctx, id, code, "10.0.0.1")
		kindIs(t, err, errs.KindInvalid)

		// Five wrong tries end a code; so does time.
		id, _, err = svc.ClientStart(ctx, ref, calendar.NewDate(1970, 1, 1), "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		code = codes.last(t)
		for range app.MaxCodeAttempts {
			svc.ClientVerify(ctx, id, wrong, "10.0.0.1")
		}
		if _, err := svc.ClientVerify(ctx, id, code, "10.0.0.1"); err == nil {
			t.Error("the right code worked after five wrong ones")
		}
		id, _, _ = svc.ClientStart(ctx, ref, calendar.NewDate(1970, 1, 1), "10.0.0.1")
		code = codes.last(t)
		clk.add(app.CodeLifetime + time.Second)
		if _, err := svc.ClientVerify(ctx, id, code, "10.0.0.1"); err == nil {
			t.Error("an expired code worked")
		}
	})
}

func TestPasswordHash(t *testing.T) {
	h := app.HashPassword("correct horse battery staple")
	if h == app.HashPassword("correct horse battery staple") {
		t.Error("two hashes of one password are the same: no salt")
	}
	if ok, err := app.CheckPassword(h, "correct horse battery staple"); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	if ok, _ := app.CheckPassword(h, "Correct horse battery staple"); ok {
		t.Error("wrong password accepted")
	}
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$`).MatchString(h) {
		t.Errorf("hash %q is not argon2id in PHC form", h)
	}
}
