package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/calendar"
	"github.com/charter-service/charter/internal/casework"
	"github.com/charter-service/charter/internal/message"
	"github.com/charter-service/charter/internal/notify/notifytest"
	"github.com/charter-service/charter/internal/store"
	"github.com/charter-service/charter/internal/store/storetest"
)

// asCharter, when set, makes the test binary run as the charter command:
// the crash test starts workers as separate processes this way, so they
// can be killed without killing the test.
const asCharter = "CHARTER_TEST_RUN_AS_CHARTER"

func TestMain(m *testing.M) {
	if os.Getenv(asCharter) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// crashMessages is how many messages the crash test delivers.
const crashMessages = 5000

// TestWorkerKilledAgainAndAgainDeliversEachMessageOnce queues 5,000
// messages, starts the worker as a separate process, kills it with SIGKILL
// at random moments (at least five times) and starts it again, then
// finishes with two workers at once. Every message must reach the provider
// exactly once, and none be lost, on both databases.
func TestWorkerKilledAgainAndAgainDeliversEachMessageOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("the crash test starts processes; it runs without -short")
	}
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { crashTest(t, d) })
	}
}

func crashTest(t *testing.T, d store.Dialect) {
	ctx := context.Background()
	st, dsn := storetest.OpenDSN(t, d)
	tmpl, err := message.DefaultTemplates()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := app.New(ctx, st, app.Options{Messages: tmpl, Seed: 9,
		Sender: message.Service{Name: "Your payments and our charter", PublicURL: "https://charter.example.org", Phone: DemoPhone},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Load(ctx, "charter.yaml", examples.Charter, "benefits.yaml", examples.Benefits); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	queueEmails(t, svc, crashMessages)
	t.Logf("queued %d messages in %v", crashMessages, time.Since(began).Round(time.Millisecond))

	fake := notifytest.New(notifytest.Options{Latency: time.Millisecond, ReplyDelay: 4 * time.Millisecond})
	defer fake.Close()
	start := func() (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(os.Args[0], "worker", "--db", dsn, "--notify-url", fake.URL,
			"--notify-email-template", "t-email", "--notify-sms-template", "t-sms", "--worker-lease", "1s",
			"--retry-base", "100ms", "--poll", "50ms", "--send-rate", "100000", "--log-level", "warn",
			"--letters-dir", t.TempDir(), "--outbox-dir", t.TempDir())
		cmd.Env = append(os.Environ(), asCharter+"=1", "CHARTER_NOTIFY_KEY="+notifytest.APIKey)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, &out
	}
	counts := func() map[message.Status]int {
		c, err := st.NotificationCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills, inFlight := 0, 0
	for kills < 6 {
		cmd, out := start()
		time.Sleep(time.Duration(200+rng.IntN(500)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		kills++
		c := counts()
		inFlight += c[message.StatusSending]
		t.Logf("kill %d: %v", kills, c)
		if c[message.StatusSent] == crashMessages {
			t.Fatalf("all messages were sent before kill %d: the test did not crash the worker mid-way\n%s", kills, out)
		}
	}
	if inFlight == 0 {
		t.Error("no kill left a message in the middle of sending: the crash path was not exercised")
	}

	// Two workers finish the job together.
	var wg sync.WaitGroup
	var outs []*bytes.Buffer
	var cmds []*exec.Cmd
	for range 2 {
		cmd, out := start()
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	deadline := time.Now().Add(90 * time.Second)
	for counts()[message.StatusSent] < crashMessages && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	for _, cmd := range cmds {
		wg.Go(func() {
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
		})
	}
	wg.Wait()

	c := counts()
	stats := fake.Stats()
	seen := map[string]int{}
	for _, m := range fake.Accepted() {
		seen[m.Reference]++
	}
	t.Logf("%s: %d kills, %d messages in flight at a kill; the provider saw %d requests to send and accepted %d; "+
		"%d retries found their message already accepted; final %v", d, kills, inFlight, stats.Posts, stats.Accepted, stats.Found, c)
	if stats.Found == 0 {
		t.Error("no kill fell between the provider accepting a message and the worker recording it: that path was not tested")
	}
	if c[message.StatusSent] != crashMessages {
		t.Fatalf("sent %d of %d: %v\nworker output:\n%s%s", c[message.StatusSent], crashMessages, c, outs[0], outs[1])
	}
	if stats.Accepted != crashMessages || len(seen) != crashMessages || stats.Dupes != 0 {
		t.Fatalf("the provider accepted %d messages for %d references (%d duplicates), want %d each, once",
			stats.Accepted, len(seen), stats.Dupes, crashMessages)
	}
	for ref, n := range seen {
		if n != 1 {
			t.Errorf("%s reached the provider %d times", ref, n)
		}
	}
}

// queueEmails records events on applications until n emails are queued.
// Each application gets five: two requests, their answers, and its
// withdrawal.
func queueEmails(t *testing.T, svc *app.Service, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n / 5 {
		a, _, err := svc.Create(ctx, "caseworker:test", time.Time{}, &casework.Received{Benefit: "adult-disability-payment",
			Channel: "online", Client: casework.Client{Name: "Client Example", DateOfBirth: calendar.NewDate(1980, 5, 17),
				Email: fmt.Sprintf("client%d@example.org", i), PreferredContact: "email"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range []casework.Body{
			&casework.InformationRequested{RequestID: "R1", What: "a payslip", Why: "to check earnings", From: casework.FromClient},
			&casework.InformationReceived{RequestID: "R1"},
			&casework.InformationRequested{RequestID: "R2", What: "a bank statement", Why: "to check savings", From: casework.FromClient},
			&casework.InformationReceived{RequestID: "R2"},
			&casework.Withdrawn{Reason: "asked to"},
		} {
			if _, _, err := svc.Record(ctx, a.Ref, -1, app.NewEvent{Type: b.Type(), Actor: "caseworker:test", Body: b}, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	c, err := svc.NotificationCounts(ctx)
	if err != nil || c[message.StatusQueued] != n {
		t.Fatalf("queued %v (%v), want %d", c, err, n)
	}
}
