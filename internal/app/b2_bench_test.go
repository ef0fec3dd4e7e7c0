package app_test

// B2: the outbox under load, on SQLite and PostgreSQL, next to the
// plainest claim loop on the same database in the same run:
//
//	CHARTER_B2_JOBS=1000000 go test -run '^$' -bench B2 -benchtime 1x ./internal/app/
//
// It schedules CHARTER_B2_JOBS messages (default 20,000) in the outbox,
// all in the future, then moves the service's clock so that a tenth fall
// due at once, and measures:
//
//   - drain: messages a second for the worker (claim a batch, send each
//     with a sender that does nothing, record the batch) and for a raw loop
//     (UPDATE … RETURNING a batch, with FOR UPDATE SKIP LOCKED on
//     PostgreSQL, then one UPDATE marking it done), on the same rows, and
//     the ratio (target: at least 0.5);
//   - lateness at a steady 1,000 messages falling due a second for
//     CHARTER_B2_SECONDS (default 3): the time from a message falling due
//     to the worker starting to send it, p50 and p99 (target p99 < 2 s).

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// b2Batch is how many messages the worker and the raw loop claim at once.
const b2Batch = 100

func BenchmarkB2(b *testing.B) {
	jobs := envInt("CHARTER_B2_JOBS", 20000)
	seconds := envInt("CHARTER_B2_SECONDS", 3)
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			for range b.N {
				b2(b, d, jobs, seconds)
			}
		})
	}
}

// offsetClock is the real clock moved on by a settable offset.
type offsetClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *offsetClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *offsetClock) set(off time.Duration) { c.mu.Lock(); c.off = off; c.mu.Unlock() }

// nothing is a sender that does nothing, noting when each message started.
type nothing struct {
	mu      sync.Mutex
	clock   func() time.Time
	started map[string]time.Time
}

func (n *nothing) Send(_ context.Context, m message.Outgoing) (string, error) {
	now := n.clock()
	n.mu.Lock()
	n.started[m.Key] = now
	n.mu.Unlock()
	return "", nil
}

func b2(b *testing.B, d store.Dialect, jobs, seconds int) {
	b.StopTimer()
	ctx := context.Background()
	st, dsn := storetest.OpenDSN(b, d)
	raw := openB2Raw(b, dsn)
	clock := &offsetClock{}
	svc, err := app.New(ctx, st, app.Options{Now: clock.now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}

	// Schedule: a tenth due at T0, a day from now; the rest spread over
	// the days after.
	t0 := time.Now().Add(24 * time.Hour).Truncate(time.Second)
	burst := jobs / 10
	start := time.Now()
	scheduleB2(b, raw, d, jobs, burst, t0)
	b.Logf("%s: scheduled %d messages in %v", d, jobs, time.Since(start).Round(time.Millisecond))

	// The raw loop first, then the same rows again for the worker.
	baseRate, baseP99 := rawDrain(b, raw, d, burst, t0)
	resetB2(b, raw, burst, t0)
	sender := &nothing{clock: clock.now, started: map[string]time.Time{}}
	w := svc.NewWorker(app.DeliveryOptions{Senders: map[message.Channel]app.Sender{message.ChannelEmail: sender},
		Batch: b2Batch, Lease: time.Minute, CheckTimersEvery: -1})
	clock.set(time.Until(t0)) // the clock moves on: the burst is due
	b.StartTimer()
	began := time.Now()
	drained := 0
	for {
		n, err := w.DeliverOnce(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			break
		}
		drained += n
	}
	elapsed := time.Since(began)
	b.StopTimer()
	if drained != burst || len(sender.started) != burst {
		b.Fatalf("the worker drained %d (sent %d), want %d", drained, len(sender.started), burst)
	}
	rate := float64(burst) / elapsed.Seconds()
	lat := latencies(sender.started, func(string) time.Time { return t0 })
	b.ReportMetric(rate, "msgs/s")
	b.ReportMetric(baseRate, "raw-msgs/s")
	b.ReportMetric(rate/baseRate, "ratio")
	fmt.Printf("B2 %s drain of %d due at once (of %d scheduled): worker %.0f msgs/s (p99 lateness %v), raw loop %.0f msgs/s (p99 %v): %.2f× (target ≥ 0.5)\n",
		d, burst, jobs, rate, pct(lat, 99), baseRate, baseP99, rate/baseRate)

	// Steady: 1,000 a second fall due for a few seconds, the worker running.
	steady := min(1000*seconds, burst)
	due := resteadyB2(b, raw, steady, clock.now())
	sender.mu.Lock()
	sender.started = map[string]time.Time{}
	sender.mu.Unlock()
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- svc.NewWorker(app.DeliveryOptions{Senders: map[message.Channel]app.Sender{message.ChannelEmail: sender},
			Batch: b2Batch, Lease: time.Minute, Poll: 200 * time.Millisecond, CheckTimersEvery: -1}).Run(runCtx)
	}()
	deadline := time.Now().Add(time.Duration(seconds)*time.Second + 30*time.Second)
	for time.Now().Before(deadline) {
		sender.mu.Lock()
		n := len(sender.started)
		sender.mu.Unlock()
		if n >= steady {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	sender.mu.Lock()
	defer sender.mu.Unlock()
	if len(sender.started) != steady {
		b.Fatalf("steady: sent %d of %d", len(sender.started), steady)
	}
	lat = latencies(sender.started, func(k string) time.Time { return due[k] })
	b.ReportMetric(float64(pct(lat, 99).Milliseconds()), "p99-lateness-ms")
	fmt.Printf("B2 %s steady 1,000 due a second for %d s: lateness p50 %v, p99 %v, max %v (target p99 < 2s)\n",
		d, seconds, pct(lat, 50), pct(lat, 99), pct(lat, 100))
}

func latencies(started map[string]time.Time, dueOf func(string) time.Time) []time.Duration {
	out := make([]time.Duration, 0, len(started))
	for k, at := range started {
		out = append(out, max(0, at.Sub(dueOf(k))))
	}
	slices.Sort(out)
	return out
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)-1, (len(sorted)*p+99)/100-1)
	return sorted[max(0, i)].Round(time.Millisecond)
}

// openB2Raw opens a plain handle on the benchmark's database, set up as
// the store sets up its write pool.
func openB2Raw(b *testing.B, dsn string) *sql.DB {
	var db *sql.DB
	var err error
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		db, err = sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
		if err == nil {
			db.SetMaxOpenConns(1)
		}
	} else {
		db, err = sql.Open("pgx", dsn)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// scheduleB2 writes the messages straight into the outbox table, in
// multi-row INSERTs in one transaction: ids 1..burst due at t0, the rest
// later.
func scheduleB2(b *testing.B, db *sql.DB, d store.Dialect, jobs, burst int, t0 time.Time) {
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	const per = 500
	now := time.Now().UnixMicro()
	for i := 0; i < jobs; i += per {
		var vals []string
		var args []any
		for j := i; j < min(i+per, jobs); j++ {
			at := t0
			if j >= burst {
				at = t0.Add(24*time.Hour + time.Duration(j)*time.Second)
			}
			n := len(args)
			p := []string{"?", "?", "?", "?"} // numbered parameters cost SQLite a lookup each that grows with the statement
			if d == store.Postgres {
				p = []string{fmt.Sprintf("$%d", n+1), fmt.Sprintf("$%d", n+2), fmt.Sprintf("$%d", n+3), fmt.Sprintf("$%d", n+4)}
			}
			vals = append(vals, "("+p[0]+", 'B2-000-000', 1, 'news', 'email', 'client@example.org', 'News', 'There is news.', false, 'queued', 0, '', 0, "+
				p[1]+", 0, '', "+p[2]+", "+p[3]+")")
			args = append(args, fmt.Sprintf("b2/%d", j+1), at.UnixMicro(), now, now)
		}
		if _, err := tx.Exec(`INSERT INTO notifications (key, app_ref, event_seq, kind, channel, recipient, subject, body,
			large_print, status, status_rank, reason, attempts, send_after, lease_until, provider_id, created_at, updated_at)
			VALUES `+strings.Join(vals, ", "), args...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if d == store.Postgres {
		db.Exec(`ANALYZE notifications`)
	}
}

// rawDrain claims and finishes the burst with the plainest SQL, as of t0,
// and returns the rate and the p99 time from t0 to a message's claim.
func rawDrain(b *testing.B, db *sql.DB, d store.Dialect, burst int, t0 time.Time) (float64, time.Duration) {
	lock := ""
	if d == store.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	claim := `UPDATE notifications SET status = 'sending', attempts = attempts + 1, lease_until = $1
		WHERE id IN (SELECT id FROM notifications WHERE status IN ('queued', 'sending', 'failed_temporary')
			AND send_after <= $2 AND lease_until <= $2 ORDER BY send_after, id LIMIT ` + strconv.Itoa(b2Batch) + lock + `)
		RETURNING id`
	began := time.Now()
	var lat []time.Duration
	for {
		now := t0.Add(time.Since(began))
		rows, err := db.Query(claim, now.Add(time.Minute).UnixMicro(), now.UnixMicro())
		if err != nil {
			b.Fatal(err)
		}
		var ids []string
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		rows.Close()
		if len(ids) == 0 {
			break
		}
		for range ids {
			lat = append(lat, time.Since(began))
		}
		if _, err := db.Exec(`UPDATE notifications SET status = 'sent', status_rank = 2, lease_until = 0 WHERE id IN (` +
			strings.Join(ids, ",") + `)`); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(began)
	if len(lat) != burst {
		b.Fatalf("the raw loop drained %d, want %d", len(lat), burst)
	}
	slices.Sort(lat)
	return float64(burst) / elapsed.Seconds(), pct(lat, 99)
}

// resetB2 puts the burst back in the queue, due at t0.
func resetB2(b *testing.B, db *sql.DB, burst int, t0 time.Time) {
	if _, err := db.Exec(`UPDATE notifications SET status = 'queued', status_rank = 0, attempts = 0, lease_until = 0,
		send_after = $1 WHERE id <= $2`, t0.UnixMicro(), burst); err != nil {
		b.Fatal(err)
	}
}

// resteadyB2 puts n messages back in the queue, one falling due every
// millisecond from a second after now, and returns when each falls due.
func resteadyB2(b *testing.B, db *sql.DB, n int, now time.Time) map[string]time.Time {
	first := now.Add(time.Second)
	if _, err := db.Exec(`UPDATE notifications SET status = 'queued', status_rank = 0, attempts = 0, lease_until = 0,
		send_after = $1 + (id - 1) * 1000 WHERE id <= $2`, first.UnixMicro(), n); err != nil {
		b.Fatal(err)
	}
	due := make(map[string]time.Time, n)
	for i := range n {
		due[fmt.Sprintf("b2/%d", i+1)] = first.Add(time.Duration(i) * time.Millisecond)
	}
	return due
}
