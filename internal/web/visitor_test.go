package web

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// site is a server over a fresh SQLite store with the examples loaded and
// a clock the test can move.
type site struct {
	t     *testing.T
	srv   *httptest.Server
	svc   *app.Service
	st    *store.Store
	mu    sync.Mutex
	clock time.Time
}

func newSite(t *testing.T) *site {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := &site{t: t, st: st, clock: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	tmpl, err := message.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	// The clock stands still unless a test moves it, so the feedback
	// form's "too quick for a person" check is off (app tests cover it).
	svc, err := app.New(ctx, st, app.Options{Now: s.now, Logger: log, Seed: 11, Messages: tmpl, CallbackToken: testCallbackToken,
		Measures: examples.Measures, FeedbackMinFill: -1,
		Sender: message.Service{Name: ServiceName, PublicURL: "https://charter.example.org", Phone: "0808 157 0192"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.LoadWithMeasures(ctx, "charter.yaml", examples.Charter, "benefits.yaml", examples.Benefits, "measures.yaml", examples.Measures); err != nil {
		t.Fatal(err)
	}
	h, err := New(svc, log, NewMetrics(st, svc.Today))
	if err != nil {
		t.Fatal(err)
	}
	s.srv = httptest.NewServer(h)
	t.Cleanup(s.srv.Close)
	s.svc = svc
	return s
}

// testCallbackToken is the provider's token for delivery receipts.
const testCallbackToken = "receipts-token-for-tests-0123456789"

func (s *site) now() time.Time { s.mu.Lock(); defer s.mu.Unlock(); return s.clock }

// at sets the clock to 10:00 on a date.
func (s *site) at(d calendar.Date) {
	s.mu.Lock()
	s.clock = d.Time().Add(10 * time.Hour)
	s.mu.Unlock()
}

// apply creates an application received on the clock's date for a client.
func (s *site) apply(benefit, name string, dob calendar.Date) casework.Reference {
	s.t.Helper()
	a, _, err := s.svc.Create(context.Background(), "caseworker:test", time.Time{}, &casework.Received{Benefit: benefit,
		Client: casework.Client{Name: name, DateOfBirth: dob, Email: strings.ToLower(strings.Fields(name)[0]) + "@example.org",
			PreferredContact: "email", Area: "Fife"}}, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return a.Ref
}

func (s *site) record(ref casework.Reference, body casework.Body) {
	s.t.Helper()
	if _, _, err := s.svc.Record(context.Background(), ref, -1, app.NewEvent{Type: body.Type(), Actor: "caseworker:test", Body: body}, nil); err != nil {
		s.t.Fatal(err)
	}
}

// visitor is a browser as far as these tests need one: it keeps cookies
// (including Secure ones, which a cookie jar would not send over plain
// HTTP), does not follow redirects, and fills in CSRF tokens.
type visitor struct {
	s       *site
	cookies map[string]string
	csrf    string
}

func (s *site) visitor() *visitor { return &visitor{s: s, cookies: map[string]string{}} }

type response struct {
	status   int
	location string
	body     string // as sent
}

// text is the body with entities decoded, for checking words.
func (r response) text() string { return html.UnescapeString(r.body) }

var csrfValueRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (v *visitor) do(method, path string, form url.Values) response {
	v.s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, v.s.srv.URL+path, body)
	if err != nil {
		v.s.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, val := range v.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: val})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		v.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 {
			delete(v.cookies, c.Name)
		} else {
			v.cookies[c.Name] = c.Value
		}
	}
	b, _ := io.ReadAll(resp.Body)
	if m := csrfValueRe.FindStringSubmatch(string(b)); m != nil {
		v.csrf = m[1]
	}
	return response{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(b)}
}

func (v *visitor) get(path string) response { return v.do("GET", path, nil) }

// post sends a form with the CSRF token from the last page seen.
func (v *visitor) post(path string, fields ...string) response {
	v.s.t.Helper()
	form := url.Values{"csrf_token": {v.csrf}}
	for i := 0; i+1 < len(fields); i += 2 {
		form.Add(fields[i], fields[i+1])
	}
	return v.do("POST", path, form)
}

var codeRe = regexp.MustCompile(`\b\d{6}\b`)

// signInAsClient goes through the client sign-in with the code from the outbox.
func (v *visitor) signInAsClient(ref casework.Reference, dob calendar.Date) {
	v.s.t.Helper()
	v.get("/track")
	y, m, d := dob.Date()
	r := v.post("/sign-in", "reference", ref.String(), "dob-day", strconv.Itoa(d), "dob-month", strconv.Itoa(int(m)), "dob-year", strconv.Itoa(y))
	if r.status != http.StatusSeeOther || r.location != "/sign-in/code" {
		v.s.t.Fatalf("sign-in: %d to %q: %s", r.status, r.location, r.body)
	}
	v.get("/sign-in/code")
	msgs, err := v.s.st.CodeMessages(context.Background(), 1)
	if err != nil || len(msgs) == 0 {
		v.s.t.Fatalf("no code in the outbox: %v", err)
	}
	r = v.post("/sign-in/code", "code", codeRe.FindString(msgs[0].Body))
	if r.status != http.StatusSeeOther || r.location != "/application" {
		v.s.t.Fatalf("code: %d to %q: %s", r.status, r.location, r.body)
	}
}

// signInAsStaff adds a member of staff and signs in as them.
func (v *visitor) signInAsStaff(email, role string) {
	v.s.t.Helper()
	if err := v.s.svc.AddStaffUser(context.Background(), email, role, "a long enough password"); err != nil {
		v.s.t.Fatal(err)
	}
	v.get("/staff/sign-in")
	r := v.post("/staff/sign-in", "email", email, "password", "a long enough password")
	if r.status != http.StatusSeeOther {
		v.s.t.Fatalf("staff sign-in: %d: %s", r.status, r.body)
	}
}
