package web

// B5: the client application page (GET /application) and the staff work
// queue (GET /staff) under load, served by the real server over a SQLite
// store on a loopback address:
//
//	scripts/measure-pages                                       # 1,000,000 applications, 20 s a run
//	go test -run '^$' -bench B5 -benchtime 1x ./internal/web/   # 3,000 applications, 2 s a run
//
// For each page, three runs, each printed as a line (so it shows without
// -v) and reported as metrics:
//
//   - 500rps: open loop at 500 requests a second, rotating across the
//     signed-in sessions; latency counts from when each request was due, so
//     queueing is in it. The target is p99 < 50 ms, with no errors (any
//     error fails the benchmark).
//   - max-rate: closed loop, the most requests a second the page sustains
//     with CHARTER_B5_WORKERS concurrent requests.
//   - static-template: the same, against a handler that renders the same
//     page template from one view built once from a real request (no store,
//     no session lookup). A last line gives max-rate ÷ static-template; the
//     target is at least 0.25.
//
// Run it with -benchtime 1x: each run lasts a fixed time, not b.N requests.
//
// Environment:
//
//	CHARTER_B5_DB            an existing, loaded and seeded SQLite file to use
//	                         (scripts/measure-pages makes one); it is migrated
//	                         as charter serve would, and the benchmark's
//	                         sign-ins are written to it
//	CHARTER_B5_APPLICATIONS  without CHARTER_B5_DB: how many applications to
//	                         seed into a temporary store (default 3000)
//	CHARTER_B5_SECONDS       how long each run lasts (default 2)
//	CHARTER_B5_WORKERS       concurrency of the max-rate runs (default 8)

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/loadgen"
	"github.com/charter-service/charter/internal/seed"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

const (
	b5Rate        = 500                   // requests a second in the open-loop runs
	b5P99Target   = 50 * time.Millisecond // at b5Rate
	b5RatioTarget = 0.25                  // real page ÷ static template, at the maximum rate
	b5Clients     = 100                   // client sessions to rotate across
	b5CheckEvery  = 50                    // check the body of one response in this many
	b5From        = "127.0.0.1"           // where the benchmark's sign-ins come from
)

// b5Page is one page under test: the real route and its static twin.
type b5Page struct {
	name   string // "client-page", "staff-queue"
	path   string
	header func(i int) http.Header        // the session cookie of request i
	check  func(i int, body []byte) error // is this the page, for request i?
	static http.Handler                   // the template rendered from a fixed view
	sCheck func(_ int, body []byte) error // is this the static page?
}

type b5Env struct {
	apps, open int    // applications in the store, and how many are open
	clients    int    // client sessions the client page rotates across
	dataset    string // where they came from, for the summary lines
	seconds    time.Duration
	workers    int
	real       *httptest.Server
	pages      []b5Page
}

func BenchmarkB5(b *testing.B) {
	e := newB5(b)
	fmt.Printf("B5 dataset: %d applications (%d open) in SQLite, %s; %d client sessions and 1 caseworker; runs of %s; max-rate with %d workers; GOMAXPROCS %d\n",
		e.apps, e.open, e.dataset, e.clients, e.seconds, e.workers, runtime.GOMAXPROCS(0))
	for _, pg := range e.pages {
		b.Run(pg.name, func(b *testing.B) {
			var realRate, staticRate float64
			b.Run(fmt.Sprintf("%drps", b5Rate), func(b *testing.B) {
				e.warmUp(b, e.real.URL, pg.path, pg.header)
				res := e.runOpen(b, e.real.URL+pg.path, pg.header, pg.check)
				ok := "yes"
				if res.P99 >= b5P99Target {
					ok = "NO"
				}
				fmt.Printf("B5 %s %d/s open loop: %s, max lag %s — p99 < %s: %s\n",
					pg.name, b5Rate, res, res.MaxLag.Round(time.Microsecond), b5P99Target, ok)
			})
			b.Run("max-rate", func(b *testing.B) {
				e.warmUp(b, e.real.URL, pg.path, pg.header)
				res := e.runClosed(b, e.real.URL+pg.path, pg.header, pg.check)
				realRate = res.Rate
				fmt.Printf("B5 %s max rate, %d workers: %s\n", pg.name, e.workers, res)
			})
			b.Run("static-template", func(b *testing.B) {
				srv := httptest.NewServer(pg.static)
				defer srv.Close()
				e.warmUp(b, srv.URL, pg.path, nil)
				res := e.runClosed(b, srv.URL+pg.path, nil, pg.sCheck)
				staticRate = res.Rate
				fmt.Printf("B5 %s static template, %d workers: %s\n", pg.name, e.workers, res)
			})
			if realRate > 0 && staticRate > 0 {
				r := realRate / staticRate
				ok := "yes"
				if r < b5RatioTarget {
					ok = "NO"
				}
				fmt.Printf("B5 %s: max rate ÷ static template = %.0f/s ÷ %.0f/s = %.2f× (target ≥ %.2f×: %s)\n",
					pg.name, realRate, staticRate, r, b5RatioTarget, ok)
			}
		})
	}
}

// runOpen measures path at b5Rate requests a second.
func (e *b5Env) runOpen(b *testing.B, url string, header func(int) http.Header, check func(int, []byte) error) loadgen.Result {
	b.Helper()
	runtime.GC()
	res, err := loadgen.RunOpen(context.Background(), loadgen.OpenLoop{
		Request: loadgen.Request{URL: url, Header: header, Check: check, CheckEvery: b5CheckEvery},
		Rate:    b5Rate, Duration: e.seconds, MaxInFlight: 512,
	})
	if err != nil {
		b.Fatal(err)
	}
	e.report(b, res)
	return res
}

// runClosed measures path at its maximum rate with e.workers at once.
func (e *b5Env) runClosed(b *testing.B, url string, header func(int) http.Header, check func(int, []byte) error) loadgen.Result {
	b.Helper()
	runtime.GC()
	res, err := loadgen.RunClosed(context.Background(), loadgen.ClosedLoop{
		Request: loadgen.Request{URL: url, Header: header, Check: check, CheckEvery: b5CheckEvery},
		Workers: e.workers, Duration: e.seconds,
	})
	if err != nil {
		b.Fatal(err)
	}
	e.report(b, res)
	return res
}

func (e *b5Env) report(b *testing.B, res loadgen.Result) {
	b.Helper()
	b.ReportMetric(0, "ns/op") // a run lasts a fixed time; ns/op means nothing here
	b.ReportMetric(res.Rate, "req/s")
	b.ReportMetric(msOf(res.P50), "p50-ms")
	b.ReportMetric(msOf(res.P90), "p90-ms")
	b.ReportMetric(msOf(res.P99), "p99-ms")
	b.ReportMetric(msOf(res.Max), "max-ms")
	b.ReportMetric(float64(res.Errors), "errors")
	if res.Errors > 0 {
		b.Errorf("%d of %d requests failed; the first: %s", res.Errors, res.Count+res.Unsent, res.FirstErr)
	}
	if res.Checked == 0 {
		b.Errorf("no response body was checked")
	}
}

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// warmUp sends requests for a short while, so that connections, caches and
// the database's pages are warm before measuring.
func (e *b5Env) warmUp(b *testing.B, base, path string, header func(int) http.Header) {
	b.Helper()
	d := min(max(e.seconds/10, 300*time.Millisecond), 3*time.Second)
	res, err := loadgen.RunClosed(context.Background(), loadgen.ClosedLoop{
		Request: loadgen.Request{URL: base + path, Header: header}, Workers: e.workers, Duration: d})
	if err != nil {
		b.Fatal(err)
	}
	if res.Errors > 0 {
		b.Fatalf("warming up %s: %s", path, res)
	}
}

// newB5 builds the server over the dataset, signs in the clients and a
// caseworker, and builds the static twins of both pages.
func newB5(b *testing.B) *b5Env {
	b.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil)) // formats every request log line, as serving does
	e := &b5Env{seconds: envDuration(b, "CHARTER_B5_SECONDS", 2*time.Second), workers: envInt(b, "CHARTER_B5_WORKERS", 8)}
	var st *store.Store
	var svc *app.Service
	var err error
	if path := strings.TrimPrefix(os.Getenv("CHARTER_B5_DB"), "sqlite:"); path != "" {
		if _, err := os.Stat(path); err != nil {
			b.Fatalf("CHARTER_B5_DB: %v (scripts/measure-pages makes and seeds one)", err)
		}
		if st, err = store.Open(ctx, "sqlite:"+path); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		if _, err := st.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		if svc, err = app.New(ctx, st, app.Options{Logger: log, QueueCountCache: 10 * time.Second}); err != nil { // as charter serve does
			b.Fatal(err)
		}
		if _, err := svc.Benefits(); err != nil {
			b.Fatalf("CHARTER_B5_DB %s has no benefits loaded: %v", filepath.Base(path), err)
		}
		e.dataset = "the seeded file " + filepath.Base(path)
	} else {
		n := envInt(b, "CHARTER_B5_APPLICATIONS", 3000)
		st = storetest.Open(b, store.SQLite)
		if svc, err = app.New(ctx, st, app.Options{Logger: log, QueueCountCache: 10 * time.Second}); err != nil { // as charter serve does
			b.Fatal(err)
		}
		if _, err := svc.Load(ctx, "charter.yaml", examples.Charter, "benefits.yaml", examples.Benefits); err != nil {
			b.Fatal(err)
		}
		years := 1
		if n >= 100_000 {
			years = 3 // as scripts/measure-pages seeds
		}
		if _, err := svc.Seed(ctx, seed.Options{Applications: n, Years: years, Seed: 1, End: svc.Today().AddDays(-1)}, nil); err != nil {
			b.Fatal(err)
		}
		e.dataset = fmt.Sprintf("seeded over %d year(s) into a temporary file", years)
	}
	if e.apps, err = st.CountApplications(ctx); err != nil {
		b.Fatal(err)
	}
	counts, err := st.QueueCounts(ctx, svc.Today())
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range counts {
		e.open += c
	}

	s, err := New(svc, log, NewMetrics(st, svc.Today))
	if err != nil {
		b.Fatal(err)
	}
	e.real = httptest.NewServer(s)
	b.Cleanup(e.real.Close)

	// The clients: open applications from every part of the queue.
	refs := b5PickClients(b, svc)
	clientHeaders := make([]http.Header, len(refs))
	for i, ref := range refs {
		clientHeaders[i] = http.Header{"Cookie": {cookieSession + "=" + b5SignInClient(b, svc, st, ref)}}
	}
	e.clients = len(refs)
	clientHeader := func(i int) http.Header { return clientHeaders[i%len(clientHeaders)] }

	// One caseworker. The password is new at every run; the account is
	// reused when the store is.
	email := "b5-caseworker@example.org"
	password, err := svc.DemoStaffUser(ctx, email, app.RoleCaseworker)
	if err != nil {
		b.Fatal(err)
	}
	ns, err := svc.StaffSignIn(ctx, email, password, b5From)
	if err != nil {
		b.Fatal(err)
	}
	staffHeader := http.Header{"Cookie": {cookieSession + "=" + ns.Secret}}

	// The static twins: the view each handler builds for one real request,
	// captured once, then rendered by the same template path every time.
	appView := b5CaptureView(b, s, "application", "/application", clientHeader(0),
		func(s *Server) http.HandlerFunc { return s.requireClient(s.applicationPage) })
	queueView := b5CaptureView(b, s, "staff-queue", "/staff", staffHeader,
		func(s *Server) http.HandlerFunc { return s.queuePage })

	clientCheck := func(i int, body []byte) error {
		ref := refs[i%len(refs)].String()
		if !bytes.Contains(body, []byte("Reference "+ref)) || !bytes.Contains(body, []byte("Your application for ")) {
			return fmt.Errorf("the response to request %d is not the application page of %s", i, ref)
		}
		return nil
	}
	staticClientCheck := func(_ int, body []byte) error { return clientCheck(0, body) }
	queueCheck := func(_ int, body []byte) error {
		if !bytes.Contains(body, []byte("Work queue")) || !bytes.Contains(body, []byte(`href="/staff/cases/`)) {
			return errors.New("the response is not the work queue with cases in it")
		}
		return nil
	}
	e.pages = []b5Page{
		{name: "client-page", path: "/application", header: clientHeader, check: clientCheck,
			static: b5Static(s, "application", appView), sCheck: staticClientCheck},
		{name: "staff-queue", path: "/staff", header: func(int) http.Header { return staffHeader }, check: queueCheck,
			static: b5Static(s, "staff-queue", queueView), sCheck: queueCheck},
	}

	// The static twin must serve what the real route serves for the same
	// request, byte for byte: the same template from the same data.
	for _, pg := range e.pages {
		realBody := b5Get(b, e.real.URL+pg.path, pg.header(0))
		srv := httptest.NewServer(pg.static)
		staticBody := b5Get(b, srv.URL+pg.path, nil)
		srv.Close()
		if err := pg.check(0, realBody); err != nil {
			b.Fatalf("%s: %v", pg.name, err)
		}
		if !bytes.Equal(realBody, staticBody) {
			b.Fatalf("%s: the static template's page (%d bytes) differs from the real page (%d bytes)", pg.name, len(staticBody), len(realBody))
		}
	}
	return e
}

// b5PickClients chooses up to b5Clients open applications: up to a quarter
// from each queue status, the rest from the front of the queue.
func b5PickClients(b *testing.B, svc *app.Service) []casework.Reference {
	b.Helper()
	ctx := context.Background()
	seen := map[casework.Reference]bool{}
	var refs []casework.Reference
	add := func(items []store.QueueItem) {
		for _, it := range items {
			if len(refs) < b5Clients && !seen[it.Ref] {
				seen[it.Ref] = true
				refs = append(refs, it.Ref)
			}
		}
	}
	for _, status := range []string{store.QueueMissed, store.QueueAtRisk, store.QueueOnTrack, store.QueuePaused} {
		page, err := svc.Queue(ctx, store.QueueQuery{Status: status, Limit: b5Clients / 4})
		if err != nil {
			b.Fatal(err)
		}
		add(page.Items)
	}
	cursor := ""
	for pages := 0; len(refs) < b5Clients && pages < 10; pages++ {
		page, err := svc.Queue(ctx, store.QueueQuery{Cursor: cursor, Limit: 200})
		if err != nil {
			b.Fatal(err)
		}
		add(page.Items)
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if len(refs) == 0 {
		b.Fatal("the queue is empty: there is no open application to sign in to")
	}
	return refs
}

// b5SignInClient signs a client in as the pages do, reading the one-time
// code from the outbox, and returns the session cookie's value.
func b5SignInClient(b *testing.B, svc *app.Service, st *store.Store, ref casework.Reference) string {
	b.Helper()
	ctx := context.Background()
	a, _, err := svc.Application(ctx, ref)
	if err != nil {
		b.Fatal(err)
	}
	codeID, _, err := svc.ClientStart(ctx, ref.String(), a.Client.DateOfBirth, b5From)
	if err != nil {
		b.Fatalf("sign-in for %s: %v", ref, err)
	}
	msgs, err := st.CodeMessages(ctx, 1)
	if err != nil || len(msgs) == 0 || msgs[0].Ref != string(ref) {
		b.Fatalf("no code in the outbox for %s: %v", ref, err)
	}
	ns, err := svc.ClientVerify(ctx, codeID, codeRe.FindString(msgs[0].Body), b5From)
	if err != nil {
		b.Fatalf("code for %s: %v", ref, err)
	}
	return ns.Secret
}

// b5CaptureView runs a page's handler once for a signed-in request, with
// the page's template swapped for one that keeps the view it is given, and
// returns that view.
func b5CaptureView(b *testing.B, s *Server, page, path string, header http.Header, handler func(*Server) http.HandlerFunc) any {
	b.Helper()
	var view any
	keep := template.Must(template.New("layout.html").Funcs(template.FuncMap{
		"keep": func(v any) string { view = v; return "" },
	}).Parse(`{{keep .}}`))
	capture := *s
	capture.pages = pageSet{page: keep, "error": s.pages["error"]}
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header = header.Clone()
	rec := httptest.NewRecorder()
	capture.page(handler(&capture)).ServeHTTP(rec, req)
	if view == nil || rec.Code != http.StatusOK {
		b.Fatalf("capturing the view of %s: status %d: %.300s", path, rec.Code, rec.Body.String())
	}
	return view
}

// b5Static serves page rendered from view, whatever the request: the
// render path alone, with no store and no session.
func b5Static(s *Server, page string, view any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusOK, page, view)
	})
}

func b5Get(b *testing.B, url string, header http.Header) []byte {
	b.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		b.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: status %d: %.300s", req.URL.Path, resp.StatusCode, body)
	}
	return body
}

func envInt(b *testing.B, name string, def int) int {
	b.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive whole number", name, v)
	}
	return n
}

// envDuration reads seconds ("20", "0.5") or a Go duration ("20s").
func envDuration(b *testing.B, name string, def time.Duration) time.Duration {
	b.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		f, ferr := strconv.ParseFloat(v, 64)
		d, err = time.Duration(f*float64(time.Second)), ferr
	}
	if err != nil || d <= 0 || d > 10*time.Minute {
		b.Fatalf("%s=%q: want seconds, more than 0 and at most 600", name, v)
	}
	return d
}
