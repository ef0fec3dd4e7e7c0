// Package loadgen is a small HTTP load generator for benchmarks that run
// on one machine. It sends requests only to loopback addresses: a target
// whose host is not a loopback IP address or "localhost" is refused before
// anything is resolved or sent, and every connection it opens is checked
// again, after name resolution and before connecting, so a name that
// resolves elsewhere, a proxy setting or a redirect cannot take it off the
// machine.
//
// It has two modes:
//
//   - RunOpen is open loop: requests start on a fixed schedule (Rate a
//     second) whether or not earlier ones have finished, and each latency is
//     measured from the moment its request was due, not from when it was
//     sent. A server that stalls therefore shows its stall in every request
//     that queued behind it (no "coordinated omission").
//   - RunClosed is closed loop: a number of workers each send their next
//     request as soon as the last one is answered, for the maximum rate the
//     server sustains at that concurrency.
//
// Every run is bounded in both count and time and stops by itself: the
// open loop sends at most Rate × Duration requests (and at most
// MaxRequests), and cancels whatever is still in flight Grace after
// Duration; the closed loop starts no request after Duration or after
// MaxRequests, and each request has a timeout.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Limits on any one run, whatever it asks for.
const (
	// MaxDuration is the longest a run may be asked to last.
	MaxDuration = time.Hour
	// MaxCount is the most requests a run may be asked to send.
	MaxCount = 10_000_000
	// DefaultMaxRequests bounds a closed-loop run that does not set
	// MaxRequests.
	DefaultMaxRequests = 1_000_000
	// DefaultTimeout is a request's timeout when Request.Timeout is zero.
	DefaultTimeout = 10 * time.Second
	// DefaultGrace is how long after Duration an open-loop run waits for
	// late requests when OpenLoop.Grace is zero.
	DefaultGrace = 10 * time.Second
	// DefaultMaxInFlight caps an open-loop run's concurrent requests when
	// OpenLoop.MaxInFlight is zero.
	DefaultMaxInFlight = 256
	// maxCheckedBody is the most of a response body a Check is given.
	maxCheckedBody = 16 << 20
)

// ErrNotLoopback is returned for a target that is not on this machine.
var ErrNotLoopback = errors.New("loadgen: the target is not a loopback address")

// Request describes the request to send, the same each time apart from its
// headers.
type Request struct {
	Method string // default GET; the request has no body
	URL    string // http:// on a loopback address or localhost
	// Header, if set, gives extra headers for the i-th request (from 0), for
	// example a Cookie header to rotate across sessions. It is called from
	// many goroutines and must not modify what it returns afterwards.
	Header func(i int) http.Header
	// ExpectStatus is the status every response must have (default 200);
	// any other counts as an error. Redirects are never followed.
	ExpectStatus int
	// Check, if set, is given the index and body of a sample of the
	// responses (the first, then one in CheckEvery) and returns an error if
	// the response is not what it should be. It is called from many
	// goroutines.
	Check      func(i int, body []byte) error
	CheckEvery int           // default 1: every response
	Timeout    time.Duration // per request, default DefaultTimeout
}

// OpenLoop is a constant-rate run.
type OpenLoop struct {
	Request
	Rate     float64       // requests started a second
	Duration time.Duration // the schedule's length: Rate × Duration requests
	// MaxRequests, if positive, caps the number of requests below Rate ×
	// Duration.
	MaxRequests int
	// MaxInFlight caps the requests in flight at once (default
	// DefaultMaxInFlight). When it is reached the next request waits for a
	// slot, and its latency still counts from when it was due.
	MaxInFlight int
	// Grace is how long after Duration late requests may still start and
	// finish (default DefaultGrace). Then the run stops: requests not yet
	// sent are counted as Unsent and those in flight are cancelled, all as
	// errors.
	Grace time.Duration
}

// ClosedLoop is a maximum-rate run.
type ClosedLoop struct {
	Request
	Workers     int           // each sends its next request when the last is answered
	Duration    time.Duration // no request starts after this
	MaxRequests int           // no more than this many in all (default DefaultMaxRequests)
}

// Result summarises a run. Latencies cover every request that finished,
// with or without an error.
type Result struct {
	Planned   int           // open loop: requests scheduled; closed loop: the cap
	Count     int           // requests that finished, well or not
	Errors    int           // transport errors, wrong statuses, failed checks, cancelled and unsent requests
	Unsent    int           // open loop: requests the run stopped before sending
	Checked   int           // responses whose body Check looked at
	Elapsed   time.Duration // from the start to the last response
	Rate      float64       // successful responses a second over Elapsed
	MaxLag    time.Duration // open loop: the longest a request waited past when it was due before it was sent
	FirstErr  string        // the first error, if any
	P50, P90  time.Duration
	P99, Max  time.Duration
	Mean      time.Duration
	latencies []time.Duration
}

// OK is the number of requests that finished without an error.
func (r Result) OK() int { return r.Count - (r.Errors - r.Unsent) }

// Percentile returns the p-th percentile latency (0 < p ≤ 100), by the
// nearest-rank method, or 0 if nothing finished.
func (r Result) Percentile(p float64) time.Duration { return percentile(r.latencies, p) }

// String is a one-line summary.
func (r Result) String() string {
	s := fmt.Sprintf("%d requests, %d errors, %.1f/s, p50 %s, p90 %s, p99 %s, max %s",
		r.Count+r.Unsent, r.Errors, r.Rate, ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max))
	if r.FirstErr != "" {
		s += " (first error: " + r.FirstErr + ")"
	}
	return s
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// CheckLoopback returns nil if rawURL is an http:// URL whose host is a
// loopback IP address (127.0.0.0/8, ::1) or "localhost", and an error
// wrapping ErrNotLoopback otherwise. It resolves nothing.
func CheckLoopback(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotLoopback, err)
	}
	if u.Scheme != "http" {
		return fmt.Errorf("%w: %q: only http:// targets are supported", ErrNotLoopback, rawURL)
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return nil // resolved at connect time, and checked there (loopbackOnly)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Unmap().IsLoopback() {
		return fmt.Errorf("%w: %q", ErrNotLoopback, host)
	}
	return nil
}

// loopbackOnly is the dialer's Control hook: it runs after the name is
// resolved and before the connection is made, and refuses any address that
// is not loopback.
func loopbackOnly(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrNotLoopback, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Unmap().IsLoopback() {
		return fmt.Errorf("%w: refusing to connect to %s", ErrNotLoopback, address)
	}
	return nil
}

// newClient returns a client that connects to loopback addresses only, uses
// no proxy, follows no redirects and keeps up to conns connections open.
func newClient(conns int) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, Control: loopbackOnly}
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         d.DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

func (q *Request) validate() error {
	if err := CheckLoopback(q.URL); err != nil {
		return err
	}
	if q.Method == "" {
		q.Method = http.MethodGet
	}
	if q.ExpectStatus == 0 {
		q.ExpectStatus = http.StatusOK
	}
	if q.CheckEvery <= 0 {
		q.CheckEvery = 1
	}
	if q.Timeout <= 0 {
		q.Timeout = DefaultTimeout
	}
	if q.Timeout > MaxDuration {
		return fmt.Errorf("loadgen: a timeout of %s is longer than %s", q.Timeout, MaxDuration)
	}
	return nil
}

func validDuration(d time.Duration) error {
	if d <= 0 || d > MaxDuration {
		return fmt.Errorf("loadgen: the duration must be more than 0 and at most %s, not %s", MaxDuration, d)
	}
	return nil
}

// send makes the i-th request and reads its response to the end.
func (q *Request) send(ctx context.Context, c *http.Client, i int) (checked bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, q.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, q.Method, q.URL, nil)
	if err != nil {
		return false, err
	}
	if q.Header != nil {
		for k, vs := range q.Header(i) {
			req.Header[k] = vs
		}
	}
	resp, err := c.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	check := q.Check != nil && i%q.CheckEvery == 0
	var body []byte
	if check {
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxCheckedBody))
	} else {
		_, err = io.Copy(io.Discard, resp.Body)
	}
	if err != nil {
		return false, fmt.Errorf("reading the response: %w", err)
	}
	if resp.StatusCode != q.ExpectStatus {
		return false, fmt.Errorf("status %d, want %d", resp.StatusCode, q.ExpectStatus)
	}
	if check {
		if err := q.Check(i, body); err != nil {
			return true, fmt.Errorf("check: %w", err)
		}
	}
	return check, nil
}

// outcome is what became of one request.
type outcome struct {
	latency time.Duration
	err     error
	checked bool
	done    bool
}

// RunOpen sends o.Rate requests a second for o.Duration, each started when
// it is due (or as soon after as a slot among MaxInFlight is free), and
// measures each from when it was due. It refuses a non-loopback target with
// an error wrapping ErrNotLoopback before sending anything.
func RunOpen(ctx context.Context, o OpenLoop) (Result, error) {
	if err := o.validate(); err != nil {
		return Result{}, err
	}
	if err := validDuration(o.Duration); err != nil {
		return Result{}, err
	}
	if !(o.Rate > 0) || math.IsInf(o.Rate, 0) {
		return Result{}, fmt.Errorf("loadgen: the rate must be a positive number of requests a second, not %v", o.Rate)
	}
	planned := o.Rate * o.Duration.Seconds()
	if planned > MaxCount {
		planned = MaxCount
	}
	n := int(planned)
	if o.MaxRequests > 0 && n > o.MaxRequests {
		n = o.MaxRequests
	}
	if n < 1 {
		return Result{}, fmt.Errorf("loadgen: %v a second for %s is less than one request", o.Rate, o.Duration)
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = DefaultMaxInFlight
	}
	if o.Grace <= 0 {
		o.Grace = DefaultGrace
	}
	if err := validDuration(o.Grace); err != nil {
		return Result{}, err
	}

	client := newClient(o.MaxInFlight)
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, o.Duration+o.Grace)
	defer cancel()

	out := make([]outcome, n)
	slots := make(chan struct{}, o.MaxInFlight)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var wg sync.WaitGroup
	var maxLag time.Duration
	sent := 0
	start := time.Now()
schedule:
	for i := range n {
		due := start.Add(time.Duration(float64(i) / o.Rate * float64(time.Second)))
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				break schedule
			}
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			break schedule
		}
		if ctx.Err() != nil {
			<-slots
			break
		}
		maxLag = max(maxLag, time.Since(due))
		sent++
		wg.Add(1)
		go func() {
			defer wg.Done()
			checked, err := o.send(ctx, client, i)
			out[i] = outcome{latency: time.Since(due), err: err, checked: checked, done: true}
			<-slots
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	res := summarise(out[:sent], elapsed)
	res.Planned, res.MaxLag = n, maxLag
	res.Unsent = n - sent
	res.Errors += res.Unsent
	if res.Unsent > 0 && res.FirstErr == "" {
		res.FirstErr = fmt.Sprintf("%d requests not sent: the run stopped %s after its schedule ended", res.Unsent, o.Grace)
	}
	return res, nil
}

// RunClosed runs c.Workers workers, each sending a request as soon as its
// last is answered, until c.Duration has passed or c.MaxRequests have been
// started. It refuses a non-loopback target with an error wrapping
// ErrNotLoopback before sending anything.
func RunClosed(ctx context.Context, c ClosedLoop) (Result, error) {
	if err := c.validate(); err != nil {
		return Result{}, err
	}
	if err := validDuration(c.Duration); err != nil {
		return Result{}, err
	}
	if c.Workers < 1 || c.Workers > 10_000 {
		return Result{}, fmt.Errorf("loadgen: workers must be from 1 to 10000, not %d", c.Workers)
	}
	if c.MaxRequests <= 0 {
		c.MaxRequests = DefaultMaxRequests
	}
	c.MaxRequests = min(c.MaxRequests, MaxCount)

	client := newClient(c.Workers)
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, c.Duration+c.Timeout)
	defer cancel()

	var next atomic.Int64
	perWorker := make([][]outcome, c.Workers)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(c.Duration)
	for w := range c.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := int(next.Add(1) - 1)
				if i >= c.MaxRequests {
					return
				}
				t0 := time.Now()
				checked, err := c.send(ctx, client, i)
				perWorker[w] = append(perWorker[w], outcome{latency: time.Since(t0), err: err, checked: checked, done: true})
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	res := summarise(slices.Concat(perWorker...), elapsed)
	res.Planned = c.MaxRequests
	return res, nil
}

func summarise(out []outcome, elapsed time.Duration) Result {
	res := Result{Elapsed: elapsed, latencies: make([]time.Duration, 0, len(out))}
	var total time.Duration
	for _, o := range out {
		if !o.done {
			continue
		}
		res.Count++
		res.latencies = append(res.latencies, o.latency)
		total += o.latency
		if o.checked {
			res.Checked++
		}
		if o.err != nil {
			res.Errors++
			if res.FirstErr == "" {
				res.FirstErr = o.err.Error()
			}
		}
	}
	slices.Sort(res.latencies)
	res.P50, res.P90, res.P99 = percentile(res.latencies, 50), percentile(res.latencies, 90), percentile(res.latencies, 99)
	if res.Count > 0 {
		res.Max = res.latencies[res.Count-1]
		res.Mean = total / time.Duration(res.Count)
	}
	if elapsed > 0 {
		res.Rate = float64(res.Count-res.Errors) / elapsed.Seconds()
	}
	return res
}

// percentile is the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 || p <= 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}
