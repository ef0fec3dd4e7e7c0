package feedback

import (
	"cmp"
	"slices"
	"time"

	"github.com/charter-service/charter/internal/calendar"
)

// Count is how many items in a date range said one thing about one
// commitment. Something else is counted under the key SomethingElse.
type Count struct {
	CommitmentKey string  `json:"commitment_key"`
	CommitmentID  string  `json:"commitment_id"` // as the latest item in the range numbered it
	Kind          Kind    `json:"kind"`
	Verdict       Verdict `json:"verdict,omitempty"` // empty for feedback about something else that did not say
	N             int     `json:"n"`
}

// Tally counts the items received from from to to, both days included, by
// commitment key, kind and verdict. An item about several commitments
// counts once for each. Rows come sorted by key, then kind (feedback
// before complaint), then verdict (met before not met); combinations with
// no items are left out.
func Tally(items []Item, from, to calendar.Date) []Count {
	type group struct {
		key     string
		kind    Kind
		verdict Verdict
	}
	type numbering struct {
		on calendar.Date
		id string
	}
	counts := map[group]int{}
	latest := map[string]numbering{} // the latest id of each key
	for _, it := range items {
		if it.Received < from || it.Received > to {
			continue
		}
		for _, c := range it.Commitments {
			counts[group{c.Key, it.Kind, it.Verdict}]++
			if l, ok := latest[c.Key]; !ok || it.Received >= l.on {
				latest[c.Key] = numbering{it.Received, c.ID}
			}
		}
		if it.SomethingElse {
			counts[group{SomethingElse, it.Kind, it.Verdict}]++
		}
	}
	out := make([]Count, 0, len(counts))
	for g, n := range counts {
		out = append(out, Count{CommitmentKey: g.key, CommitmentID: latest[g.key].id, Kind: g.kind, Verdict: g.verdict, N: n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(a.CommitmentKey, b.CommitmentKey), cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)),
			cmp.Compare(a.Verdict, b.Verdict))
	})
	return out
}

// DayCount is how many items of one kind and verdict about one commitment
// arrived on one day: the shape a measure's per-period sums start from.
type DayCount struct {
	On            calendar.Date `json:"on"`
	CommitmentKey string        `json:"commitment_key"` // or SomethingElse
	CommitmentID  string        `json:"commitment_id"`  // as the items numbered it; "" for something else
	Kind          Kind          `json:"kind"`
	Verdict       Verdict       `json:"verdict,omitempty"`
	N             int           `json:"n"`
}

// DailyCounts counts items by the day they arrived, commitment, kind and
// verdict, sorted in that order. Items keep the commitment id they were
// given, so feedback from before a renumbering counts under the old id with
// the same key: map keys to the current charter's ids when a measure needs
// them.
func DailyCounts(items []Item) []DayCount {
	type group struct {
		on      calendar.Date
		key, id string
		kind    Kind
		verdict Verdict
	}
	counts := map[group]int{}
	for _, it := range items {
		for _, c := range it.Commitments {
			counts[group{it.Received, c.Key, c.ID, it.Kind, it.Verdict}]++
		}
		if it.SomethingElse {
			counts[group{it.Received, SomethingElse, "", it.Kind, it.Verdict}]++
		}
	}
	out := make([]DayCount, 0, len(counts))
	for g, n := range counts {
		out = append(out, DayCount{On: g.on, CommitmentKey: g.key, CommitmentID: g.id, Kind: g.kind, Verdict: g.verdict, N: n})
	}
	slices.SortFunc(out, func(a, b DayCount) int {
		return cmp.Or(cmp.Compare(a.On, b.On), cmp.Compare(a.CommitmentKey, b.CommitmentKey), cmp.Compare(a.CommitmentID, b.CommitmentID),
			cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), cmp.Compare(a.Verdict, b.Verdict))
	})
	return out
}

// kindOrder puts feedback before complaints.
func kindOrder(k Kind) int {
	if k == KindComplaint {
		return 1
	}
	return 0
}

// DefaultMinFillTime is how long a person takes at least to fill in the
// feedback form; a reply quicker than this is most likely automated.
const DefaultMinFillTime = 3 * time.Second

// LooksAutomated is the pure part of the form's abuse protection. honeypot
// is the value of a field people cannot see (it must be empty); shown and
// sent are when the form was given out and when it came back. It reports
// true, with the reason for the log, when the honeypot was filled in, or the
// form came back sooner than minFill (or before it was shown, which only a
// forged form can). The web layer decides what to do: usually to thank the
// sender and keep nothing.
func LooksAutomated(honeypot string, shown, sent time.Time, minFill time.Duration) (bool, string) {
	switch {
	case honeypot != "":
		return true, "the hidden field was filled in"
	case sent.Before(shown):
		return true, "the form came back before it was shown"
	case sent.Sub(shown) < minFill:
		return true, "the form came back in " + sent.Sub(shown).Round(time.Millisecond).String() + ", sooner than a person could fill it in"
	}
	return false, ""
}
