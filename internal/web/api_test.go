package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
	"github.com/charter-service/charter/internal/web"
)

// now is the fixed "now" of these tests: Monday 2 March 2026, 10:00 London.
var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

type fixture struct {
	t     *testing.T
	srv   *httptest.Server
	svc   *app.Service
	token string
}

func newFixture(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc, err := app.New(ctx, st, app.Options{Now: func() time.Time { return now }, Logger: log, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Load(ctx, "charter.yaml", examples.Charter, "benefits.yaml", examples.Benefits); err != nil {
		t.Fatal(err)
	}
	token, _, err := svc.CreateToken(ctx, app.RoleCaseworker, "test caseworker")
	if err != nil {
		t.Fatal(err)
	}
	handler, err := web.New(svc, log, web.NewMetrics(st, svc.Today))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return &fixture{t: t, srv: srv, svc: svc, token: token}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// errorOf returns the code and field of an error response.
func (r response) errorOf(t *testing.T) (code, field string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message, Field string } `json:"error"`
	}
	r.json(t, &e)
	if e.Error.Message == "" {
		t.Fatalf("error response without a message: %s", r.body)
	}
	return e.Error.Code, e.Error.Field
}

func (f *fixture) do(method, path, body string, headers ...string) response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

const newApplication = `{"at": "2026-02-02T09:30:00Z", "benefit": "adult-disability-payment", "channel": "online",
	"client": {"name": "Alex Example", "date_of_birth": "1980-05-17", "email": "alex@example.org", "preferred_contact": "email", "area": "Fife"}}`

func (f *fixture) create() casework.Reference {
	f.t.Helper()
	r := f.do("POST", "/api/v1/applications", newApplication)
	if r.status != http.StatusCreated {
		f.t.Fatalf("create: %d %s", r.status, r.body)
	}
	var a struct{ Reference casework.Reference }
	r.json(f.t, &a)
	return a.Reference
}

func (f *fixture) version(ref casework.Reference) int {
	f.t.Helper()
	r := f.do("GET", "/api/v1/applications/"+string(ref), "")
	if r.status != http.StatusOK {
		f.t.Fatalf("get: %d %s", r.status, r.body)
	}
	var a struct {
		Version int
		Events  []json.RawMessage
	}
	r.json(f.t, &a)
	if len(a.Events) != a.Version {
		f.t.Fatalf("version %d but %d events", a.Version, len(a.Events))
	}
	return a.Version
}

func TestAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)

		t.Run("public", func(t *testing.T) {
			for _, path := range []string{"/healthz", "/api/v1/charter", "/api/v1/benefits", "/api/openapi.json", "/metrics"} {
				req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s without a token: %d, want 200", path, resp.StatusCode)
				}
			}
			var ch struct {
				Sections []struct{ Commitments []struct{ ID string } }
			}
			f.do("GET", "/api/v1/charter", "").json(t, &ch)
			found := false
			for _, s := range ch.Sections {
				for _, c := range s.Commitments {
					found = found || c.ID == "2.10"
				}
			}
			if !found {
				t.Error("the charter has no commitment 2.10")
			}
		})

		t.Run("tokens", func(t *testing.T) {
			for _, auth := range []string{"", "Bearer ", "Bearer chr_notarealtoken", "Basic abc"} {
				req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/applications", nil)
				if auth != "" {
					req.Header.Set("Authorization", auth)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("Authorization %q: %d, want 401", auth, resp.StatusCode)
				}
			}
			secret, _, err := f.svc.CreateToken(context.Background(), app.RoleManager, "to revoke")
			if err != nil {
				t.Fatal(err)
			}
			g := *f
			g.token = secret
			if r := g.do("GET", "/api/v1/applications", ""); r.status != http.StatusOK {
				t.Fatalf("fresh token: %d", r.status)
			}
			if _, err := f.svc.RevokeToken(context.Background(), "to revoke"); err != nil {
				t.Fatal(err)
			}
			if r := g.do("GET", "/api/v1/applications", ""); r.status != http.StatusUnauthorized {
				t.Fatalf("revoked token: %d, want 401", r.status)
			}
		})

		t.Run("casework", func(t *testing.T) {
			ref := f.create()
			steps := []string{
				`{"type": "acknowledged", "at": "2026-02-03T09:00:00Z"}`,
				`{"type": "stage_changed", "at": "2026-02-04T09:00:00Z", "body": {"stage": "gathering-information"}}`,
				`{"type": "information_requested", "at": "2026-02-05T09:00:00Z", "body": {"what": "a letter from your GP about your condition", "why": "to understand how your condition affects daily living", "from": "client", "due": "2026-02-19"}}`,
			}
			for i, s := range steps {
				if r := f.do("POST", "/api/v1/applications/"+string(ref)+"/events", s); r.status != http.StatusCreated {
					t.Fatalf("step %d: %d %s", i, r.status, r.body)
				}
			}
			var tl casework.Timeline
			r := f.do("GET", "/api/v1/applications/"+ref.String()+"/timeline", "")
			if r.status != http.StatusOK {
				t.Fatalf("timeline: %d %s", r.status, r.body)
			}
			r.json(t, &tl)
			if !tl.Paused || len(tl.OpenRequests) != 1 || tl.OpenRequests[0].Due.String() != "2026-02-19" {
				t.Errorf("timeline should be paused with one request due 2026-02-19: %+v", tl)
			}
			if !strings.Contains(tl.Now, "a letter from your GP") {
				t.Errorf("now should say what we are waiting for: %q", tl.Now)
			}
			if f.version(ref) != 4 {
				t.Fatalf("version = %d, want 4", f.version(ref))
			}
			// Every look at the case through the API is audited, with the token's name.
			audit, err := f.svc.AuditFor(context.Background(), ref)
			if err != nil {
				t.Fatal(err)
			}
			if len(audit) != 2 || audit[0].ActorName != "test caseworker" || audit[1].Action != "viewed the case through the API" {
				t.Errorf("audit after one timeline and one case view: %+v", audit)
			}
		})

		t.Run("errors write nothing", func(t *testing.T) {
			ref := f.create()
			events := "/api/v1/applications/" + string(ref) + "/events"
			cases := []struct {
				name, method, path, body string
				status                   int
				code, field              string
			}{
				{"malformed JSON", "POST", events, `{"type": "acknowledged",`, 400, "invalid", "body"},
				{"unknown field", "POST", events, `{"type": "acknowledged", "colour": "blue"}`, 400, "invalid", "colour"},
				{"unknown body field", "POST", events, `{"type": "withdrawn", "body": {"reasons": "x"}}`, 400, "invalid", "body.reasons"},
				{"wrong type", "POST", events, `{"type": "acknowledged", "expected_version": "one"}`, 400, "invalid", "expected_version"},
				{"wrong body type", "POST", events, `{"type": "stage_changed", "body": {"stage": 3}}`, 400, "invalid", "body.stage"},
				{"bad date", "POST", events, `{"type": "information_requested", "body": {"what": "x", "why": "y", "from": "client", "due": "2026-02-30"}}`, 400, "invalid", "body.due"},
				{"unknown event type", "POST", events, `{"type": "teleported"}`, 400, "invalid", "type"},
				{"no open request", "POST", events, `{"type": "information_received"}`, 409, "conflict", ""},
				{"unknown stage", "POST", events, `{"type": "stage_changed", "body": {"stage": "limbo"}}`, 400, "invalid", "body.stage"},
				{"before received", "POST", events, `{"type": "acknowledged", "at": "2026-01-01T09:00:00Z"}`, 400, "invalid", "at"},
				{"in the future", "POST", events, `{"type": "acknowledged", "at": "2027-01-01T09:00:00Z"}`, 400, "invalid", "at"},
				{"decision without every reason", "POST", events, `{"type": "decision_made", "body": {"outcome": "award", "decision_maker": "case manager", "reasons": [{"criterion": "residence", "met": true, "reason": "You live in Scotland."}]}}`, 400, "invalid", "body.reasons"},
				{"stale version", "POST", events, `{"type": "acknowledged", "expected_version": 0}`, 409, "conflict", ""},
				{"mistyped reference", "GET", "/api/v1/applications/" + mistype(ref), "", 400, "mistyped", "reference"},
				{"unknown reference", "GET", "/api/v1/applications/" + string(otherRef(ref)), "", 404, "not_found", ""},
				{"missing client name", "POST", "/api/v1/applications", strings.Replace(newApplication, `"Alex Example"`, `""`, 1), 400, "invalid", "client.name"},
				{"unknown benefit", "POST", "/api/v1/applications", strings.Replace(newApplication, "adult-disability-payment", "moon-grant", 1), 400, "invalid", "benefit"},
				{"too large", "POST", events, `{"type": "update_sent", "body": {"summary": "` + strings.Repeat("x", web.MaxBodyBytes) + `"}}`, 413, "too_large", "body"},
			}
			for _, c := range cases {
				before := f.version(ref)
				r := f.do(c.method, c.path, c.body)
				if r.status != c.status {
					t.Errorf("%s: status %d, want %d: %s", c.name, r.status, c.status, r.body)
					continue
				}
				code, field := r.errorOf(t)
				if code != c.code || field != c.field {
					t.Errorf("%s: error %s on %q, want %s on %q", c.name, code, field, c.code, c.field)
				}
				if after := f.version(ref); after != before {
					t.Errorf("%s: the application moved from version %d to %d", c.name, before, after)
				}
			}
		})

		t.Run("idempotency", func(t *testing.T) {
			key := "create-" + t.Name()
			first := f.do("POST", "/api/v1/applications", newApplication, "Idempotency-Key", key)
			second := f.do("POST", "/api/v1/applications", newApplication, "Idempotency-Key", key)
			if first.status != 201 || second.status != 201 || !bytes.Equal(bytes.TrimSpace(first.body), bytes.TrimSpace(second.body)) {
				t.Fatalf("replay differs:\n%d %s\n%d %s", first.status, first.body, second.status, second.body)
			}
			if second.header.Get("Idempotent-Replayed") != "true" {
				t.Error("the replay is not marked as one")
			}
			other := f.do("POST", "/api/v1/applications", strings.Replace(newApplication, "Fife", "Moray", 1), "Idempotency-Key", key)
			if other.status != http.StatusConflict {
				t.Errorf("same key, different body: %d, want 409", other.status)
			}
			var a struct{ Reference casework.Reference }
			first.json(t, &a)
			events := "/api/v1/applications/" + string(a.Reference) + "/events"
			body := `{"type": "update_sent", "body": {"summary": "We are still working on it."}}`
			for range 3 {
				if r := f.do("POST", events, body, "Idempotency-Key", "update-1"); r.status != 201 {
					t.Fatalf("update: %d %s", r.status, r.body)
				}
			}
			if v := f.version(a.Reference); v != 2 {
				t.Errorf("three posts with one key wrote %d events, want 2 in all", v)
			}
		})

		t.Run("concurrent appends", func(t *testing.T) {
			ref := f.create()
			var wg sync.WaitGroup
			statuses := make(chan int, 8)
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := f.do("POST", "/api/v1/applications/"+string(ref)+"/events",
						`{"type": "update_sent", "expected_version": 1, "body": {"summary": "We are still working on it."}}`)
					statuses <- r.status
				}()
			}
			wg.Wait()
			close(statuses)
			won := 0
			for s := range statuses {
				switch s {
				case 201:
					won++
				case 409:
				default:
					t.Errorf("status %d, want 201 or 409", s)
				}
			}
			if won != 1 || f.version(ref) != 2 {
				t.Errorf("%d writers won and the version is %d; want exactly one and 2", won, f.version(ref))
			}
		})

		t.Run("queue", func(t *testing.T) {
			seen := map[casework.Reference]bool{}
			cursor := ""
			for page := 0; ; page++ {
				r := f.do("GET", "/api/v1/applications?limit=2&cursor="+cursor, "")
				if r.status != 200 {
					t.Fatalf("queue: %d %s", r.status, r.body)
				}
				var p struct {
					Items []struct {
						Reference   casework.Reference
						QueueStatus string `json:"queue_status"`
					}
					NextCursor string `json:"next_cursor"`
				}
				r.json(t, &p)
				for _, it := range p.Items {
					if seen[it.Reference] {
						t.Fatalf("%s listed twice", it.Reference)
					}
					seen[it.Reference] = true
				}
				if p.NextCursor == "" {
					break
				}
				cursor = p.NextCursor
				if page > 100 {
					t.Fatal("the queue does not end")
				}
			}
			if len(seen) < 4 {
				t.Errorf("the queue listed %d applications, want all the open ones (at least 4)", len(seen))
			}
			for q, field := range map[string]string{"status=soon": "status", "limit=0": "limit", "cursor=%21%21": "cursor", "benefit=moon": "benefit"} {
				r := f.do("GET", "/api/v1/applications?"+q, "")
				if code, got := r.errorOf(t); r.status != 400 || code != "invalid" || got != field {
					t.Errorf("?%s: %d %s %s, want 400 invalid %s", q, r.status, code, got, field)
				}
			}
		})
	})
}

// mistype changes one character of a reference, so its check fails.
func mistype(ref casework.Reference) string {
	b := []byte(ref)
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	return string(b)
}

// otherRef is a well-formed reference that is not ref.
func otherRef(ref casework.Reference) casework.Reference {
	r := rand.New(rand.NewPCG(1, 2))
	for {
		if o := casework.NewReference(r); o != ref {
			return o
		}
	}
}
