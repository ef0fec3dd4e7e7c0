package message

import (
	"errors"
	"fmt"
	"time"

	"github.com/charter-service/charter/internal/casework"
)

// Outgoing is a message on its way out, as a channel's sender gets it.
type Outgoing struct {
	// Key is the idempotency key: the same for every try at the same
	// message, so that a provider (or the print queue) can tell a retry
	// from a new message.
	Key        string
	Ref        casework.Reference
	Kind       Kind
	Channel    Channel
	Recipient  string // an email address, a phone number, or address lines
	Subject    string
	Body       string
	LargePrint bool
	Attempt    int // 1 for the first try
}

// SendError says how a send failed: for now (try again, perhaps after
// RetryAfter) or for good (a person must look), with the reason in words
// staff can act on.
type SendError struct {
	Permanent  bool
	RetryAfter time.Duration // 0: use the usual backoff
	Reason     string
	Err        error
}

func (e *SendError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Reason, e.Err)
	}
	return e.Reason
}

func (e *SendError) Unwrap() error { return e.Err }

// Temporary is a failure worth trying again.
func Temporary(reason string, retryAfter time.Duration, err error) error {
	return &SendError{Reason: reason, RetryAfter: retryAfter, Err: err}
}

// Permanent is a failure that trying again will not mend.
func Permanent(reason string, err error) error {
	return &SendError{Permanent: true, Reason: reason, Err: err}
}

// Classify says whether err is permanent, how long to wait before trying
// again (0: the usual backoff), and the reason to record. An error a sender
// did not classify is taken as temporary: a network failure, say.
func Classify(err error) (permanent bool, retryAfter time.Duration, reason string) {
	var se *SendError
	if errors.As(err, &se) {
		return se.Permanent, se.RetryAfter, se.Error()
	}
	return false, 0, err.Error()
}

// Backoff is how long to wait before try attempt+1 after attempt tries
// failed: base doubling each time up to max, less up to a quarter at
// random (jitter in [0,1)) so that many retries do not arrive together.
func Backoff(attempt int, base, max time.Duration, jitter float64) time.Duration {
	d := base
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return d - time.Duration(float64(d)*jitter/4)
}
