package loadgen

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// counter is a test server that counts requests and remembers the value of
// the X-Index header of each.
type counter struct {
	n     atomic.Int64
	mu    sync.Mutex
	seen  map[string]int
	delay time.Duration
}

func newCounter(t *testing.T, delay time.Duration) (*counter, *httptest.Server) {
	c := &counter{seen: map[string]int{}, delay: delay}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.n.Add(1)
		c.mu.Lock()
		c.seen[r.Header.Get("Cookie")]++
		c.mu.Unlock()
		if c.delay > 0 {
			select {
			case <-time.After(c.delay):
			case <-r.Context().Done():
				return
			}
		}
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
		default:
			w.Write([]byte("<h1>Hello</h1>"))
		}
	}))
	t.Cleanup(srv.Close)
	return c, srv
}

func cookieFor(i int) http.Header {
	return http.Header{"Cookie": {"s=" + strconv.Itoa(i%3)}}
}

func TestOpenLoopSendsOnScheduleWithHeaders(t *testing.T) {
	c, srv := newCounter(t, 0)
	var checks atomic.Int64
	res, err := RunOpen(context.Background(), OpenLoop{
		Request: Request{URL: srv.URL + "/page", Header: cookieFor, CheckEvery: 10,
			Check: func(i int, body []byte) error {
				if i%10 != 0 {
					return errors.New("checked a response outside the sample")
				}
				checks.Add(1)
				if !strings.Contains(string(body), "Hello") {
					return errors.New("no greeting")
				}
				return nil
			}},
		Rate: 200, Duration: 500 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Planned != 100 || res.Count != 100 || res.Errors != 0 || res.Unsent != 0 || res.OK() != 100 {
		t.Fatalf("planned %d, count %d, errors %d, unsent %d, ok %d; want 100, 100, 0, 0, 100: %s",
			res.Planned, res.Count, res.Errors, res.Unsent, res.OK(), res)
	}
	if got := c.n.Load(); got != 100 {
		t.Errorf("the server saw %d requests, want 100", got)
	}
	if res.Checked != 10 || checks.Load() != 10 {
		t.Errorf("checked %d (check called %d times), want 10", res.Checked, checks.Load())
	}
	for _, v := range []string{"s=0", "s=1", "s=2"} {
		if n := c.seen[v]; n < 33 || n > 34 {
			t.Errorf("cookie %s sent %d times, want 33 or 34", v, n)
		}
	}
	// 100 requests due over 0.495 s: the run takes about half a second.
	if res.Elapsed < 490*time.Millisecond || res.Elapsed > 3*time.Second {
		t.Errorf("elapsed %s, want about 0.5s", res.Elapsed)
	}
	if res.Rate < 30 || res.Rate > 205 {
		t.Errorf("rate %.1f/s, want about 200", res.Rate)
	}
	if !(0 < res.P50 && res.P50 <= res.P90 && res.P90 <= res.P99 && res.P99 <= res.Max) {
		t.Errorf("percentiles out of order: %s", res)
	}
}

// A slow server with one request allowed in flight: the requests queue,
// and each latency counts from when the request was due, so the queueing
// shows (no coordinated omission).
func TestOpenLoopCountsQueueingFromTheSchedule(t *testing.T) {
	c, srv := newCounter(t, 40*time.Millisecond)
	res, err := RunOpen(context.Background(), OpenLoop{
		Request: Request{URL: srv.URL}, Rate: 100, Duration: 200 * time.Millisecond, MaxInFlight: 1,
		Grace: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 20 || res.Errors != 0 || c.n.Load() != 20 {
		t.Fatalf("count %d, errors %d, server saw %d; want 20, 0, 20: %s", res.Count, res.Errors, c.n.Load(), res)
	}
	// Served one at a time, the 20th finishes at about 20 × 40 ms = 800 ms
	// though it was due at 190 ms: about 610 ms late. Measured from when it
	// was sent, it would be 40 ms.
	if res.Max < 500*time.Millisecond {
		t.Errorf("max latency %s: the queueing behind the slow server is not counted", res.Max)
	}
	if res.MaxLag < 400*time.Millisecond {
		t.Errorf("max lag %s: the in-flight cap did not hold requests back", res.MaxLag)
	}
	if res.P50 < 150*time.Millisecond {
		t.Errorf("p50 %s: want the queueing in it", res.P50)
	}
}

// A server that never answers: the run still ends, Grace after its
// schedule, with every request an error.
func TestOpenLoopStopsByItself(t *testing.T) {
	_, srv := newCounter(t, time.Hour)
	start := time.Now()
	res, err := RunOpen(context.Background(), OpenLoop{
		Request: Request{URL: srv.URL}, Rate: 50, Duration: 200 * time.Millisecond, MaxInFlight: 4,
		Grace: 300 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the run took %s, want about 0.5s", took)
	}
	if res.Planned != 10 || res.Errors != 10 || res.OK() != 0 {
		t.Errorf("planned %d, errors %d, ok %d; want 10, 10, 0: %s", res.Planned, res.Errors, res.OK(), res)
	}
	if res.Unsent != 6 || res.Count != 4 {
		t.Errorf("unsent %d, finished %d; want 6 never sent (4 in flight, cancelled): %s", res.Unsent, res.Count, res)
	}
	if res.FirstErr == "" {
		t.Error("no first error given")
	}
}

func TestOpenLoopMaxRequests(t *testing.T) {
	c, srv := newCounter(t, 0)
	res, err := RunOpen(context.Background(), OpenLoop{Request: Request{URL: srv.URL}, Rate: 1000,
		Duration: time.Second, MaxRequests: 25})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 25 || c.n.Load() != 25 {
		t.Errorf("count %d, server saw %d; want 25", res.Count, c.n.Load())
	}
	if res.Elapsed > 2*time.Second {
		t.Errorf("elapsed %s: 25 requests at 1000/s take 25 ms", res.Elapsed)
	}
}

func TestErrorsAreCounted(t *testing.T) {
	_, srv := newCounter(t, 0)
	res, err := RunOpen(context.Background(), OpenLoop{Request: Request{URL: srv.URL + "/missing"}, Rate: 100,
		Duration: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 10 || res.Errors != 10 || res.Rate != 0 || !strings.Contains(res.FirstErr, "status 404") {
		t.Errorf("count %d, errors %d, rate %.1f, first error %q; want 10, 10, 0, a 404", res.Count, res.Errors, res.Rate, res.FirstErr)
	}
	res, err = RunClosed(context.Background(), ClosedLoop{Request: Request{URL: srv.URL,
		Check: func(int, []byte) error { return errors.New("not the page") }}, Workers: 2, Duration: time.Second, MaxRequests: 6})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 6 || res.Errors != 6 || res.Checked != 6 || !strings.Contains(res.FirstErr, "not the page") {
		t.Errorf("count %d, errors %d, checked %d, first error %q; want 6, 6, 6, the check's", res.Count, res.Errors, res.Checked, res.FirstErr)
	}
}

func TestClosedLoopIsBoundedByCount(t *testing.T) {
	c, srv := newCounter(t, 0)
	res, err := RunClosed(context.Background(), ClosedLoop{Request: Request{URL: srv.URL, Header: cookieFor},
		Workers: 4, Duration: 10 * time.Second, MaxRequests: 50})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 50 || res.Errors != 0 || c.n.Load() != 50 {
		t.Errorf("count %d, errors %d, server saw %d; want 50, 0, 50", res.Count, res.Errors, c.n.Load())
	}
	if res.Elapsed > 5*time.Second {
		t.Errorf("elapsed %s: it should stop after 50 requests", res.Elapsed)
	}
}

func TestClosedLoopIsBoundedByTime(t *testing.T) {
	c, srv := newCounter(t, time.Millisecond)
	res, err := RunClosed(context.Background(), ClosedLoop{Request: Request{URL: srv.URL}, Workers: 3,
		Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Elapsed < 200*time.Millisecond || res.Elapsed > 2*time.Second {
		t.Errorf("elapsed %s, want a little over 200ms", res.Elapsed)
	}
	if res.Count == 0 || int64(res.Count) != c.n.Load() || res.Errors != 0 {
		t.Errorf("count %d, server saw %d, errors %d", res.Count, c.n.Load(), res.Errors)
	}
	if res.Rate <= 0 || res.P50 < time.Millisecond {
		t.Errorf("rate %.1f, p50 %s", res.Rate, res.P50)
	}
}

// Targets off this machine are refused before anything is resolved or
// sent; the runs return at once with nothing counted.
func TestRefusesNonLoopbackTargets(t *testing.T) {
	for _, target := range []string{
		"http://10.0.0.1/", "http://10.0.0.1:8080/application", "http://example.org/", "http://192.168.1.1/",
		"http://[2001:db8::1]:80/", "http://0.0.0.0:8080/", "http://127.0.0.1.example.org/",
		"https://127.0.0.1/", "ftp://127.0.0.1/", "127.0.0.1:8080", "http:///nohost",
	} {
		if err := CheckLoopback(target); !errors.Is(err, ErrNotLoopback) {
			t.Errorf("CheckLoopback(%q) = %v, want ErrNotLoopback", target, err)
		}
		start := time.Now()
		res, err := RunOpen(context.Background(), OpenLoop{Request: Request{URL: target}, Rate: 10, Duration: time.Second})
		if !errors.Is(err, ErrNotLoopback) || res.Count != 0 || res.Planned != 0 {
			t.Errorf("RunOpen(%q) = %v, %+v; want ErrNotLoopback and nothing sent", target, err, res)
		}
		res, err = RunClosed(context.Background(), ClosedLoop{Request: Request{URL: target}, Workers: 1, Duration: time.Second})
		if !errors.Is(err, ErrNotLoopback) || res.Count != 0 {
			t.Errorf("RunClosed(%q) = %v, %+v; want ErrNotLoopback and nothing sent", target, err, res)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("refusing %q took %s: it should not try to connect", target, took)
		}
	}
	for _, target := range []string{"http://127.0.0.1:8080/x", "http://127.1.2.3/", "http://[::1]:9000/", "http://localhost:80/", "http://LOCALHOST/"} {
		if err := CheckLoopback(target); err != nil {
			t.Errorf("CheckLoopback(%q) = %v, want nil", target, err)
		}
	}
}

// The dialer checks the address it is about to connect to, after name
// resolution: a name that resolves off the machine, or a redirect or proxy
// that leads there, is refused before connecting.
func TestDialerRefusesNonLoopbackAddresses(t *testing.T) {
	for _, addr := range []string{"10.0.0.1:80", "[2001:db8::1]:443", "93.184.215.14:80", "example.org:80", "nonsense"} {
		if err := loopbackOnly("tcp", addr, nil); !errors.Is(err, ErrNotLoopback) {
			t.Errorf("loopbackOnly(%q) = %v, want ErrNotLoopback", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:80", "[::1]:8080", "[::ffff:127.0.0.1]:80"} {
		if err := loopbackOnly("tcp", addr, nil); err != nil {
			t.Errorf("loopbackOnly(%q) = %v, want nil", addr, err)
		}
	}
	// A redirect is not followed: its status is the response.
	srv := httptest.NewServer(http.RedirectHandler("http://10.0.0.1/", http.StatusFound))
	t.Cleanup(srv.Close)
	res, err := RunClosed(context.Background(), ClosedLoop{Request: Request{URL: srv.URL, ExpectStatus: http.StatusFound},
		Workers: 1, Duration: time.Second, MaxRequests: 3})
	if err != nil || res.Count != 3 || res.Errors != 0 {
		t.Errorf("redirect: %v, %s; want 3 answers of 302, not followed", err, res)
	}
}

func TestRejectsUnboundedRuns(t *testing.T) {
	ctx := context.Background()
	u := "http://127.0.0.1:1/"
	for name, o := range map[string]OpenLoop{
		"no duration":   {Request: Request{URL: u}, Rate: 10},
		"too long":      {Request: Request{URL: u}, Rate: 10, Duration: 2 * MaxDuration},
		"no rate":       {Request: Request{URL: u}, Duration: time.Second},
		"under one":     {Request: Request{URL: u}, Rate: 0.5, Duration: time.Second},
		"long timeout":  {Request: Request{URL: u, Timeout: 2 * MaxDuration}, Rate: 10, Duration: time.Second},
		"endless grace": {Request: Request{URL: u}, Rate: 10, Duration: time.Second, Grace: 2 * MaxDuration},
	} {
		if _, err := RunOpen(ctx, o); err == nil {
			t.Errorf("%s: RunOpen accepted it", name)
		}
	}
	for name, c := range map[string]ClosedLoop{
		"no duration": {Request: Request{URL: u}, Workers: 1},
		"no workers":  {Request: Request{URL: u}, Duration: time.Second},
	} {
		if _, err := RunClosed(ctx, c); err == nil {
			t.Errorf("%s: RunClosed accepted it", name)
		}
	}
}

func TestPercentile(t *testing.T) {
	var l []time.Duration
	for i := 1; i <= 100; i++ {
		l = append(l, time.Duration(i))
	}
	for p, want := range map[float64]time.Duration{50: 50, 90: 90, 99: 99, 100: 100, 0.1: 1} {
		if got := percentile(l, p); got != want {
			t.Errorf("p%v = %d, want %d", p, got, want)
		}
	}
	if percentile(nil, 99) != 0 {
		t.Error("p99 of nothing is not 0")
	}
}
