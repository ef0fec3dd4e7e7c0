package casework_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/errs"
)

// FuzzEventBody feeds arbitrary JSON to every event type, as the API does
// with a POSTed body, and applies whatever decodes to an open application.
// Nothing may panic, every refusal must carry a kind (so it is answered as
// bad input, not as a server error), and a refused event changes nothing.
func FuzzEventBody(f *testing.F) {
	seeds := []string{
		`{}`, `null`, `{"stage": "decision"}`, `{"what": "x", "why": "y", "from": "client", "due": "2026-02-30"}`,
		`{"request_id": "R1", "partial": true}`, `{"outcome": "award", "reasons": [{"criterion": "residence", "met": true, "reason": "r"}]}`,
		`{"summary": ""}`, `{"reason": 7}`, `[1,2]`, `{"due": "9999-12-31"}`, `{"client": {"date_of_birth": "0001-01-01"}}`,
	}
	for _, s := range seeds {
		for i := range casework.EventTypes() {
			f.Add(i, s)
		}
	}
	r := rules(f)
	base := received("adult-disability-payment", at(2, 2)).
		add(casework.TypeInformationRequested, at(2, 3), &casework.InformationRequested{What: "a GP letter", Why: "to see how your condition affects you", From: "client"}).events
	types := casework.EventTypes()
	f.Fuzz(func(t *testing.T, which int, body string) {
		typ := types[((which%len(types))+len(types))%len(types)]
		b, err := casework.DecodeBody(typ, json.RawMessage(body), true)
		if err != nil {
			if errs.KindOf(err) != errs.KindInvalid {
				t.Fatalf("%s %q: decode error without the invalid kind: %v", typ, body, err)
			}
			return
		}
		a, err := casework.Fold(r, base)
		if err != nil {
			t.Fatal(err)
		}
		before, _ := json.Marshal(a)
		err = a.Apply(r, casework.Event{Seq: a.Version + 1, Type: typ, At: at(2, 4).Add(time.Hour), Body: b})
		if err == nil {
			return
		}
		if errs.KindOf(err) == errs.KindInternal {
			t.Fatalf("%s %q: refusal without a kind: %v", typ, body, err)
		}
		if after, _ := json.Marshal(a); string(after) != string(before) {
			t.Fatalf("%s %q: a refused event changed the application", typ, body)
		}
	})
}
