package message

// Status is where a message is on its way to the client.
type Status string

const (
	StatusQueued     Status = "queued"           // waiting for the worker
	StatusSending    Status = "sending"          // the worker has it; it may have reached the provider
	StatusSent       Status = "sent"             // the provider (or the print queue) accepted it
	StatusDelivered  Status = "delivered"        // the provider says it arrived
	StatusRetrying   Status = "failed_temporary" // a try failed; it will be tried again
	StatusFailed     Status = "failed_permanent" // it will not be tried again: staff are alerted
	StatusNeedsHuman Status = "needs_human"      // a person must prepare or send it
	StatusNotSent    Status = "not_sent"         // the client asked for no contact
)

// rank orders statuses so that they only move forward: a callback that
// arrives late or twice cannot move a delivered message back to sent.
func (s Status) rank() int {
	switch s {
	case StatusQueued, StatusNeedsHuman:
		return 0
	case StatusSending, StatusRetrying:
		return 1
	case StatusSent:
		return 2
	case StatusDelivered, StatusFailed, StatusNotSent:
		return 3
	}
	return -1
}

// Rank is the status's place in the order it moves through; the store
// compares ranks so that a status only moves forward.
func (s Status) Rank() int { return s.rank() }

// Final reports whether nothing more will happen to the message by itself.
func (s Status) Final() bool { return s.rank() == 3 }

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s.rank() >= 0 }

// Label is the status in plain words, for staff pages.
func (s Status) Label() string {
	switch s {
	case StatusQueued:
		return "Waiting to be sent"
	case StatusSending:
		return "Sending"
	case StatusSent:
		return "Sent"
	case StatusDelivered:
		return "Delivered"
	case StatusRetrying:
		return "Failed for now: will try again"
	case StatusFailed:
		return "Failed: will not try again"
	case StatusNeedsHuman:
		return "Needs a person"
	case StatusNotSent:
		return "Not sent"
	}
	return string(s)
}
