package store

import "time"

// SetHoldAppendsFor sets how long a marked read waits to hold appends
// back, and returns a func that puts it back.
func SetHoldAppendsFor(d time.Duration) (restore func()) {
	was := holdAppendsFor
	holdAppendsFor = d
	return func() { holdAppendsFor = was }
}
