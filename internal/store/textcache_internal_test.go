package store

import (
	"fmt"
	"testing"
	"unsafe"
)

// TestTextCache checks that the cache gives back each value's own text,
// however many values there are and however their slots collide, and the
// same string each time a value comes again.
func TestTextCache(t *testing.T) {
	var c textCache
	first := map[string]string{}
	for round := range 3 {
		for i := range 2000 {
			want := fmt.Sprintf("area-%d", i)
			got := c.get([]byte(want))
			if got != want {
				t.Fatalf("round %d: get(%q) = %q", round, want, got)
			}
			if round == 0 {
				first[want] = got
			} else if unsafe.StringData(got) != unsafe.StringData(first[want]) {
				t.Fatalf("round %d: get(%q) made a new string instead of giving back the first one", round, want)
			}
		}
	}
	if got := c.get(nil); got != "" {
		t.Errorf("get(nil) = %q, want empty", got)
	}
}
