package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// runCmd runs the charter command in-process and returns its exit status
// and output.
func runCmd(t *testing.T, environ map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string { return environ[k] }}
	code := run(context.Background(), e, args)
	return code, stdout.String(), stderr.String()
}

func TestCheck(t *testing.T) {
	code, out, _ := runCmd(t, nil, "check", "../../examples/charter.yaml", "../../examples/benefits.yaml")
	if code != 0 || !strings.Contains(out, "no problems") {
		t.Fatalf("examples: exit %d: %s", code, out)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "charter.yaml")
	data, err := os.ReadFile("../../examples/charter.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Make commitment 1.5 a second 1.4.
	broken := strings.Replace(string(data), "id: \"1.5\"", "id: \"1.4\"", 1)
	if broken == string(data) {
		broken = strings.Replace(string(data), "id: 1.5", "id: 1.4", 1)
	}
	if broken == string(data) {
		t.Fatal("could not find commitment 1.5 in the example")
	}
	if err := os.WriteFile(bad, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCmd(t, nil, "check", bad)
	if code != 1 || !regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(bad)+`:\d+: .*1\.4.*twice`).MatchString(out) {
		t.Fatalf("duplicate id: exit %d, output:\n%s", code, out)
	}
	if code, _, _ := runCmd(t, nil, "check"); code != 2 {
		t.Errorf("check with no files: exit %d, want 2", code)
	}
}

func TestConfigErrorsNameTheSetting(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		says string
	}{
		{map[string]string{"CHARTER_DB": "mysql://x"}, nil, "--db (CHARTER_DB)"},
		{nil, []string{"--addr", "nowhere"}, "--addr (CHARTER_ADDR)"},
		{map[string]string{"CHARTER_LOG_LEVEL": "loud"}, nil, "--log-level (CHARTER_LOG_LEVEL)"},
		{map[string]string{"CHARTER_SHUTDOWN_TIMEOUT": "soon"}, nil, "--shutdown-timeout (CHARTER_SHUTDOWN_TIMEOUT)"},
	}
	for _, c := range cases {
		code, _, errOut := runCmd(t, c.env, append([]string{"migrate"}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.says) {
			t.Errorf("%v %v: exit %d, stderr %q; want 2 naming %s", c.env, c.args, code, errOut, c.says)
		}
	}
}

func TestLoadTokenAndDemoReuse(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "charter.db")
	environ := map[string]string{"CHARTER_DB": db, "CHARTER_LOG_LEVEL": "warn",
		"CHARTER_OUTBOX_DIR": filepath.Join(dir, "outbox"), "CHARTER_LETTERS_DIR": filepath.Join(dir, "letters")}
	if code, out, errOut := runCmd(t, environ, "load", "../../examples/charter.yaml", "../../examples/benefits.yaml"); code != 0 {
		t.Fatalf("load: %d %s %s", code, out, errOut)
	}
	code, out, errOut := runCmd(t, environ, "token", "create", "--role", "caseworker", "--name", "test")
	if code != 0 || !regexp.MustCompile(`^chr_[a-z0-9]+\n$`).MatchString(out) {
		t.Fatalf("token create: exit %d, stdout %q (want the token alone), stderr %s", code, out, errOut)
	}
	if code, _, _ := runCmd(t, environ, "token", "create", "--role", "janitor", "--name", "x"); code != 1 {
		t.Errorf("token with an unknown role: exit %d, want 1", code)
	}
	if code, out, _ := runCmd(t, environ, "token", "revoke", "test"); code != 0 || !strings.Contains(out, "Revoked 1") {
		t.Errorf("revoke: %d %s", code, out)
	}

	// The demo seeds once; a second run on the same database reuses it
	// (the 300 seeded, and the demo client's).
	for i, want := range []string{"writing a year of history", "reusing the 301 applications"} {
		ctx, cancel := context.WithCancel(context.Background())
		var stdout, stderr syncBuffer
		e := env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(k string) string {
			if k == "CHARTER_ADDR" {
				return "127.0.0.1:0"
			}
			return environ[k]
		}}
		done := make(chan int)
		go func() { done <- run(ctx, e, []string{"demo", "--applications", "300"}) }()
		waitFor(t, &stdout, "Demo caseworker token")
		cancel()
		if code := <-done; code != 0 {
			t.Fatalf("demo run %d: exit %d: %s", i+1, code, stderr.String())
		}
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("demo run %d: stderr does not say %q:\n%s", i+1, want, stderr.String())
		}
		// The example review round, its draft and a year of feedback are
		// stored on the first run only.
		review := `review round "Charter review 2026" with 70 answers and 53 coded comments`
		if got := strings.Contains(stderr.String(), review); got != (i == 0) {
			t.Errorf("demo run %d: stderr says %q: %v\n%s", i+1, review, got, stderr.String())
		}
	}
}

// TestGracefulShutdown cancels the server (as SIGTERM does) while a request
// is still sending its body, and checks that request still gets its answer.
func TestGracefulShutdown(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "charter.db")
	environ := map[string]string{"CHARTER_DB": db, "CHARTER_ADDR": "127.0.0.1:0", "CHARTER_LOG_LEVEL": "warn"}
	if code, _, errOut := runCmd(t, environ, "load", "../../examples/charter.yaml", "../../examples/benefits.yaml"); code != 0 {
		t.Fatal(errOut)
	}
	_, token, _ := runCmd(t, environ, "token", "create", "--role", "caseworker", "--name", "t")
	token = strings.TrimSpace(token)

	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	e := env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return environ[k] }}
	done := make(chan int)
	ready := make(chan string, 1)
	go func() {
		cfg, _, _ := flags("serve", e, nil, nil)
		svc, err := open(ctx, cfg, cfg.logger())
		if err != nil {
			t.Error(err)
			done <- 1
			return
		}
		defer svc.Store().Close()
		if err := serve(ctx, e, cfg, svc, cfg.logger(), func(url string) { ready <- url }); err != nil {
			t.Error(err)
			done <- 1
			return
		}
		done <- 0
	}()
	url := <-ready

	body, w := io.Pipe()
	req, _ := http.NewRequest("POST", url+"/api/v1/applications", body)
	req.Header.Set("Authorization", "Bearer "+token)
	answered := make(chan int)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("in-flight request: %v", err)
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	io.WriteString(w, `{"benefit": "carer-support-payment", "client": {"name": "Pat Example", `)
	time.Sleep(200 * time.Millisecond) // the request is now in flight
	cancel()                           // as SIGTERM does
	time.Sleep(200 * time.Millisecond)
	io.WriteString(w, `"date_of_birth": "1970-01-01", "area": "Angus"}}`)
	w.Close()
	if status := <-answered; status != http.StatusCreated {
		t.Errorf("the in-flight request got %d, want 201", status)
	}
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d", code)
	}
}

// syncBuffer is a bytes.Buffer safe to read while a command writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, b *syncBuffer, s string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(b.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %q", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestUserAddAndAudit(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "charter.db")
	environ := map[string]string{"CHARTER_DB": db, "CHARTER_LOG_LEVEL": "warn",
		"CHARTER_OUTBOX_DIR": filepath.Join(dir, "outbox"), "CHARTER_LETTERS_DIR": filepath.Join(dir, "letters")}
	add := func(stdin string, args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		e := env{stdin: strings.NewReader(stdin), stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return environ[k] }}
		return run(context.Background(), e, append([]string{"user", "add"}, args...)), stdout.String(), stderr.String()
	}
	if code, out, errOut := add("a long enough password\n", "--email", "jo@example.org", "--role", "caseworker"); code != 0 || !strings.Contains(out, "Added jo@example.org") {
		t.Fatalf("user add: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := add("short\n", "--email", "sam@example.org", "--role", "caseworker"); code != 1 || !strings.Contains(errOut, "password") {
		t.Errorf("a short password: exit %d, %s", code, errOut)
	}
	if code, _, errOut := add("a long enough password\n", "--email", "jo@example.org", "--role", "manager"); code != 1 || !strings.Contains(errOut, "already") {
		t.Errorf("the same email twice: exit %d, %s", code, errOut)
	}
	if code, out, _ := runCmd(t, environ, "audit", "--case", "7KM-4QX-9DC"); code == 0 && !strings.Contains(out, "Nobody") {
		t.Errorf("audit of an unknown case: %d %s", code, out)
	}
	if code, _, errOut := runCmd(t, environ, "audit", "--case", "7KM-4QX-9DD"); code != 1 || !strings.Contains(errOut, "mistyped") {
		t.Errorf("audit of a mistyped reference: %d %s", code, errOut)
	}
}
