package app

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/big"
	"net/mail"
	"strings"
	"time"

	"crypto/rand"

	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
)

// Sign-in limits.
const (
	// MaxFailuresPerHour is how many failed sign-in attempts one key (an
	// address, a reference, an email) may make in an hour; the next is refused.
	MaxFailuresPerHour = 100
	// IdleTimeout ends a session nobody has used for this long.
	IdleTimeout = 30 * time.Minute
	// SessionLifetime ends any session this long after sign-in.
	SessionLifetime = 12 * time.Hour
	// CodeLifetime is how long a one-time code may be used.
	CodeLifetime = 15 * time.Minute
	// MaxCodeAttempts is how many wrong codes end a code.
	MaxCodeAttempts = 5
	// MinPasswordLength is the shortest staff password accepted.
	MinPasswordLength = 12
)

// Session kinds.
const (
	SessionStaff  = "staff"
	SessionClient = "client"
)

// CodeSender delivers a one-time sign-in code. The message is already
// stored in the code outbox (staff can read it there); a sender may also
// deliver it for real.
type CodeSender interface {
	SendCode(ctx context.Context, msg store.CodeMessage) error
}

// LogCodeSender writes codes to the server log: the default until
// notifications are delivered for real.
type LogCodeSender struct{ Log *slog.Logger }

// SendCode logs the message. The recipient is masked and the code is the
// only secret in it; it lets a person running the demo sign in.
func (l LogCodeSender) SendCode(_ context.Context, msg store.CodeMessage) error {
	l.Log.Info("sign-in code sent", "channel", msg.Channel, "to", msg.Recipient, "message", msg.Body)
	return nil
}

// SessionInfo is a signed-in session as the web layer sees it.
type SessionInfo struct {
	Kind    string
	Subject string // staff user id, or application reference
	Role    string
	Name    string
	CSRF    string
}

// NewSession is a session just made: the secret goes in the cookie.
type NewSession struct {
	Secret string
	SessionInfo
}

// AddStaffUser creates a member of staff with a password.
func (s *Service) AddStaffUser(ctx context.Context, email, role, password string) error {
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != strings.TrimSpace(email) {
		return errs.Invalid("email", "enter an email address like name@example.org")
	}
	if !ValidRole(role) {
		return errs.Invalid("role", "choose caseworker, manager or admin")
	}
	if len([]rune(password)) < MinPasswordLength {
		return errs.Invalid("password", "the password must be at least %d characters", MinPasswordLength)
	}
	return s.store.CreateStaffUser(ctx, store.StaffUser{ID: randomID(), Email: addr.Address, Role: role,
		PasswordHash: HashPassword(password), CreatedAt: s.now()})
}

// StaffSignIn checks an email and password and starts a staff session.
// from identifies where the attempt came from (an address), for rate limits.
func (s *Service) StaffSignIn(ctx context.Context, email, password, from string) (NewSession, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	keys := []string{"addr:" + from, "email:" + email}
	if err := s.checkRate(ctx, keys...); err != nil {
		return NewSession{}, err
	}
	wrong := errs.Invalid("email", "the email address or password is not right")
	u, err := s.store.StaffUserByEmail(ctx, email)
	if errs.KindOf(err) == errs.KindNotFound {
		CheckPassword(dummyHash(), password)
		return NewSession{}, s.fail(ctx, wrong, keys...)
	}
	if err != nil {
		return NewSession{}, err
	}
	ok, err := CheckPassword(u.PasswordHash, password)
	if err != nil {
		return NewSession{}, err
	}
	if !ok || u.Disabled {
		return NewSession{}, s.fail(ctx, wrong, keys...)
	}
	return s.startSession(ctx, SessionInfo{Kind: SessionStaff, Subject: u.ID, Role: u.Role, Name: u.Email})
}

// ClientStart checks a reference and date of birth and sends a one-time
// code to the client's contact details. It returns the code's id (kept in a
// cookie while the client types the code) and where the code went, masked.
func (s *Service) ClientStart(ctx context.Context, reference string, dob calendar.Date, from string) (codeID, sentTo string, err error) {
	keys := []string{"addr:" + from}
	if err := s.checkRate(ctx, keys...); err != nil {
		return "", "", err
	}
	ref, err := casework.ParseReference(reference)
	if err != nil {
		return "", "", s.fail(ctx, err, keys...)
	}
	keys = append(keys, "ref:"+string(ref))
	if err := s.checkRate(ctx, keys...); err != nil {
		return "", "", err
	}
	notFound := errs.Invalid("reference", "we could not find an application with that reference and date of birth; check both against your letter")
	a, _, err := s.Application(ctx, ref)
	if errs.KindOf(err) == errs.KindNotFound {
		return "", "", s.fail(ctx, notFound, keys...)
	}
	if err != nil {
		return "", "", err
	}
	if a.Client.DateOfBirth != dob {
		return "", "", s.fail(ctx, notFound, keys...)
	}
	channel, recipient := contactFor(a.Client)
	code := sixDigits()
	now := s.now()
	msg := store.CodeMessage{Ref: string(ref), Channel: channel, Recipient: recipient, CreatedAt: now,
		Body: fmt.Sprintf("Your code to see your application is %s. It works until %s. If you did not ask for it, you can ignore this message.",
			code, now.Add(CodeLifetime).In(casework.Zone).Format("15:04"))}
	c := store.SignInCode{ID: randomID(), Ref: string(ref), CodeHash: hashSecret(code), CreatedAt: now, ExpiresAt: now.Add(CodeLifetime)}
	if err := s.store.CreateSignInCode(ctx, c, msg); err != nil {
		return "", "", err
	}
	if err := s.codes.SendCode(ctx, msg); err != nil {
		s.log.Error("sending a sign-in code", "error", err)
	}
	return c.ID, recipient, nil
}

// ClientVerify checks a one-time code and starts a client session.
func (s *Service) ClientVerify(ctx context.Context, codeID, code, from string) (NewSession, error) {
	keys := []string{"addr:" + from}
	if err := s.checkRate(ctx, keys...); err != nil {
		return NewSession{}, err
	}
	expired := errs.Invalid("code", "that code has expired or has been used; ask for a new one")
	c, err := s.store.SignInCode(ctx, codeID)
	if errs.KindOf(err) == errs.KindNotFound {
		return NewSession{}, expired
	}
	if err != nil {
		return NewSession{}, err
	}
	if c.Used || s.now().After(c.ExpiresAt) {
		return NewSession{}, expired
	}
	if c.Attempts >= MaxCodeAttempts {
		return NewSession{}, errs.Invalid("code", "that code has been tried too many times; ask for a new one")
	}
	code = strings.Join(strings.Fields(code), "")
	if subtle.ConstantTimeCompare([]byte(hashSecret(code)), []byte(c.CodeHash)) != 1 {
		if _, err := s.store.UseSignInCode(ctx, c.ID, false); err != nil {
			return NewSession{}, err
		}
		return NewSession{}, s.fail(ctx, errs.Invalid("code", "that code is not right; check the message we sent and try again"), keys...)
	}
	used, err := s.store.UseSignInCode(ctx, c.ID, true)
	if err != nil {
		return NewSession{}, err
	}
	if !used {
		return NewSession{}, expired
	}
	if strings.Contains(c.Ref, "|") { // a supporter's code (supporter.go)
		return s.startSupporterSession(ctx, c.Ref)
	}
	return s.startSession(ctx, SessionInfo{Kind: SessionClient, Subject: c.Ref, Role: "client", Name: casework.Reference(c.Ref).String()})
}

// Session returns the session for a cookie secret, ending it if it has been
// idle too long or is past its lifetime.
func (s *Service) Session(ctx context.Context, secret string) (SessionInfo, error) {
	signedOut := errs.New(errs.KindUnauthorized, "", "you are not signed in")
	if secret == "" {
		return SessionInfo{}, signedOut
	}
	id := hashSecret(secret)
	r, err := s.store.Session(ctx, id)
	if err != nil {
		return SessionInfo{}, err
	}
	now := s.now()
	if now.After(r.ExpiresAt) || now.Sub(r.LastSeen) > IdleTimeout {
		if err := s.store.DeleteSession(ctx, id); err != nil {
			return SessionInfo{}, err
		}
		return SessionInfo{}, errs.New(errs.KindUnauthorized, "", "you were signed out because the page was not used for 30 minutes")
	}
	if r.Kind == SessionSupporter { // checked against the event log every time (supporter.go)
		if err := s.checkSupporterSession(ctx, id, r); err != nil {
			return SessionInfo{}, err
		}
	}
	// Write at most once a minute per session.
	if now.Sub(r.LastSeen) > time.Minute {
		if err := s.store.TouchSession(ctx, id, now); err != nil {
			return SessionInfo{}, err
		}
	}
	return SessionInfo{Kind: r.Kind, Subject: r.Subject, Role: r.Role, Name: r.Name, CSRF: r.CSRF}, nil
}

// SignOut ends a session on the server.
func (s *Service) SignOut(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, hashSecret(secret))
}

// Audit records that someone looked at or changed a case.
func (s *Service) Audit(ctx context.Context, actorKind, actorID, actorName string, ref casework.Reference, action string) error {
	return s.store.Audit(ctx, store.AuditEntry{At: s.now(), ActorKind: actorKind, ActorID: actorID, ActorName: actorName,
		Ref: string(ref), Action: action})
}

// AuditFor lists who looked at or changed a case.
func (s *Service) AuditFor(ctx context.Context, ref casework.Reference) ([]store.AuditEntry, error) {
	return s.store.AuditFor(ctx, string(ref))
}

func (s *Service) startSession(ctx context.Context, info SessionInfo) (NewSession, error) {
	secret := randomToken()
	info.CSRF = randomToken()
	now := s.now()
	err := s.store.CreateSession(ctx, store.SessionRow{IDHash: hashSecret(secret), Kind: info.Kind, Subject: info.Subject,
		Role: info.Role, Name: info.Name, CSRF: info.CSRF, CreatedAt: now, LastSeen: now, ExpiresAt: now.Add(SessionLifetime)})
	if err != nil {
		return NewSession{}, err
	}
	return NewSession{Secret: secret, SessionInfo: info}, nil
}

// checkRate refuses an attempt once any key has failed too often this hour.
func (s *Service) checkRate(ctx context.Context, keys ...string) error {
	if err := s.checkRateLimit(ctx, MaxFailuresPerHour, keys...); errs.KindOf(err) == errs.KindRateLimited {
		return errs.New(errs.KindRateLimited, "", "there have been too many attempts to sign in; please wait an hour and try again")
	} else if err != nil {
		return err
	}
	return nil
}

// fail records a failed attempt and returns err.
func (s *Service) fail(ctx context.Context, err error, keys ...string) error {
	if rerr := s.store.RecordAuthFailure(ctx, s.now(), keys...); rerr != nil {
		return rerr
	}
	return err
}

// contactFor chooses where a code goes, masked for showing on screen.
func contactFor(c casework.Client) (channel, masked string) {
	switch {
	case c.PreferredContact == "sms" && c.Phone != "":
		return "sms", maskPhone(c.Phone)
	case c.Email != "":
		return "email", maskEmail(c.Email)
	case c.Phone != "":
		return "sms", maskPhone(c.Phone)
	}
	return "letter", "your postal address"
}

func maskEmail(e string) string {
	at := strings.LastIndexByte(e, '@')
	if at < 1 {
		return "your email address"
	}
	return e[:1] + strings.Repeat("*", 3) + e[at:]
}

func maskPhone(p string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p)
	if len(digits) < 3 {
		return "your phone"
	}
	return "a phone number ending " + digits[len(digits)-3:]
}

func sixDigits() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return fmt.Sprintf("%06d", n.Int64())
}

func randomID() string { return hex.EncodeToString(randomBytes(12)) }

func randomToken() string { return hex.EncodeToString(randomBytes(32)) }

func hashSecret(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

// DemoStaffUser makes sure a member of staff exists with a new random
// password, and returns the password. It is for `charter demo` only.
func (s *Service) DemoStaffUser(ctx context.Context, email, role string) (string, error) {
	password := "demo-" + randomID()
	err := s.AddStaffUser(ctx, email, role, password)
	if errs.KindOf(err) == errs.KindConflict {
		err = s.store.SetStaffPassword(ctx, email, HashPassword(password))
	}
	return password, err
}
