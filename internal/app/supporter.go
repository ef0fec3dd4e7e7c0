package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/store"
)

// Supporters (commitment 1.6): a person the client authorised signs in as
// themselves, with the client's reference and their own email address, and
// a one-time code sent to that address. Their session's subject is
// "REF|supporter id"; every use of it is checked against the event log, so
// removing a supporter ends their access at once.

// SessionSupporter is the session kind of a supporter.
const SessionSupporter = "supporter"

// Supporter roles, by scope.
const (
	RoleSupporterView = "supporter-view"
	RoleSupporterAct  = "supporter-act"
)

// SupporterRole is the session role for a scope.
func SupporterRole(scope string) string {
	if scope == casework.ScopeAct {
		return RoleSupporterAct
	}
	return RoleSupporterView
}

// SupporterSubject is the session subject of a supporter.
func SupporterSubject(ref casework.Reference, supporterID string) string {
	return string(ref) + "|" + supporterID
}

// SplitSupporterSubject reads a supporter session's subject.
func SplitSupporterSubject(subject string) (casework.Reference, string, bool) {
	ref, id, ok := strings.Cut(subject, "|")
	return casework.Reference(ref), id, ok && ref != "" && id != ""
}

// AuthoriseSupporter records a new supporter with an id made here, and
// returns the application after it.
func (s *Service) AuthoriseSupporter(ctx context.Context, ref casework.Reference, version int, actor string,
	b casework.SupporterAuthorised) (*casework.Application, error) {
	b.SupporterID = randomID()
	b.Email = strings.TrimSpace(b.Email)
	a, _, err := s.Record(ctx, ref, version, NewEvent{Type: b.Type(), Actor: actor, Body: &b}, nil)
	return a, err
}

// SupporterStart checks a reference and a supporter's email address and
// sends a one-time code to that address. A wrong reference, an unknown or
// removed supporter get the same answer.
func (s *Service) SupporterStart(ctx context.Context, reference, email, from string) (codeID, sentTo string, err error) {
	email = strings.ToLower(strings.TrimSpace(email))
	keys := []string{"addr:" + from}
	if err := s.checkRate(ctx, keys...); err != nil {
		return "", "", err
	}
	ref, err := casework.ParseReference(reference)
	if err != nil {
		return "", "", s.fail(ctx, err, keys...)
	}
	keys = append(keys, "ref:"+string(ref), "email:"+email)
	if err := s.checkRate(ctx, keys...); err != nil {
		return "", "", err
	}
	notFound := errs.Invalid("reference", "we could not find a supporter with that email address on an application with that reference; check both with the person you are helping")
	a, _, err := s.Application(ctx, ref)
	if errs.KindOf(err) == errs.KindNotFound {
		return "", "", s.fail(ctx, notFound, keys...)
	}
	if err != nil {
		return "", "", err
	}
	sup, ok := a.ActiveSupporterByEmail(email)
	if !ok {
		return "", "", s.fail(ctx, notFound, keys...)
	}
	code := sixDigits()
	now := s.now()
	sentTo = maskEmail(sup.Email)
	msg := store.CodeMessage{Ref: string(ref), Channel: "email", Recipient: sentTo, CreatedAt: now,
		Body: fmt.Sprintf("Your code to see the application you are helping with is %s. It works until %s. If you did not ask for it, you can ignore this message.",
			code, now.Add(CodeLifetime).In(casework.Zone).Format("15:04"))}
	c := store.SignInCode{ID: randomID(), Ref: SupporterSubject(ref, sup.ID), CodeHash: hashSecret(code), CreatedAt: now,
		ExpiresAt: now.Add(CodeLifetime)}
	if err := s.store.CreateSignInCode(ctx, c, msg); err != nil {
		return "", "", err
	}
	if err := s.codes.SendCode(ctx, msg); err != nil {
		s.log.Error("sending a sign-in code", "error", err)
	}
	return c.ID, sentTo, nil
}

// startSupporterSession starts the session of a supporter whose code was
// right, if they are still a supporter.
func (s *Service) startSupporterSession(ctx context.Context, subject string) (NewSession, error) {
	ref, sup, err := s.CurrentSupporter(ctx, subject)
	if err != nil {
		return NewSession{}, err
	}
	ns, err := s.startSession(ctx, SessionInfo{Kind: SessionSupporter, Subject: subject, Role: SupporterRole(sup.Scope), Name: sup.Name})
	if err != nil {
		return NewSession{}, err
	}
	return ns, s.Audit(ctx, SessionSupporter, sup.ID, sup.Name, ref, "signed in as a supporter")
}

// CurrentSupporter returns the supporter a session subject names, as the
// event log has them now, or an unauthorized error if they were removed.
func (s *Service) CurrentSupporter(ctx context.Context, subject string) (casework.Reference, casework.Supporter, error) {
	gone := errs.New(errs.KindUnauthorized, "", "you are no longer a supporter on this application")
	ref, id, ok := SplitSupporterSubject(subject)
	if !ok {
		return "", casework.Supporter{}, gone
	}
	a, _, err := s.Application(ctx, ref)
	if errs.KindOf(err) == errs.KindNotFound {
		return "", casework.Supporter{}, gone
	}
	if err != nil {
		return "", casework.Supporter{}, err
	}
	sup, ok := a.Supporter(id)
	if !ok || !sup.Active() {
		return "", casework.Supporter{}, gone
	}
	return ref, sup, nil
}

// checkSupporterSession ends a supporter's session once they have been
// removed, or if their role no longer matches their scope.
func (s *Service) checkSupporterSession(ctx context.Context, idHash string, r store.SessionRow) error {
	_, sup, err := s.CurrentSupporter(ctx, r.Subject)
	if err == nil && SupporterRole(sup.Scope) != r.Role {
		err = errs.New(errs.KindUnauthorized, "", "you are no longer a supporter on this application")
	}
	if errs.KindOf(err) == errs.KindUnauthorized {
		if derr := s.store.DeleteSession(ctx, idHash); derr != nil {
			return derr
		}
	}
	return err
}

// NewSupporterID makes an id for a supporter a member of staff records.
func NewSupporterID() string { return randomID() }
