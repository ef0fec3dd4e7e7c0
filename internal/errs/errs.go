// Package errs gives domain errors a kind (invalid, not found, conflict,
// forbidden…) and a message a person can act on, optionally naming the field
// at fault. Adapters map kinds to HTTP statuses and exit codes in one place;
// anything without a kind is an internal error and is never shown to people.
package errs

import (
	"errors"
	"fmt"
)

// Kind says what sort of failure an error is.
type Kind string

const (
	KindInvalid      Kind = "invalid"      // the input is wrong; say which field
	KindMistyped     Kind = "mistyped"     // a reference that fails its check character
	KindNotFound     Kind = "not_found"    // nothing with that name exists
	KindConflict     Kind = "conflict"     // the request clashes with the current state
	KindUnauthorized Kind = "unauthorized" // no valid credentials
	KindForbidden    Kind = "forbidden"    // valid credentials, not allowed
	KindTooLarge     Kind = "too_large"    // request body over the limit
	KindRateLimited  Kind = "rate_limited" // too many attempts
	KindInternal     Kind = "internal"     // anything else: logged, never shown
)

// Error is a domain error with a kind, an optional field and a plain message.
type Error struct {
	Kind    Kind
	Field   string // the input field at fault, if any ("body.due", "reference")
	Message string // plain words for the person who sent the request
	Err     error  // an underlying cause, if any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of the given kind.
func New(kind Kind, field, format string, args ...any) *Error {
	return &Error{Kind: kind, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input in a field.
func Invalid(field, format string, args ...any) *Error {
	return New(KindInvalid, field, format, args...)
}

// NotFound reports that something does not exist.
func NotFound(format string, args ...any) *Error { return New(KindNotFound, "", format, args...) }

// Conflict reports a clash with the current state.
func Conflict(format string, args ...any) *Error { return New(KindConflict, "", format, args...) }

// KindOf returns the kind of err, or KindInternal if it has none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// As returns the domain error inside err, if there is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
