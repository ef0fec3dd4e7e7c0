package storetest

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// fakeTB records how a helper ended a test instead of ending the real one.
type fakeTB struct {
	testing.TB // for the methods not overridden; never reached below
	mu         sync.Mutex
	skipped    string
	failed     string
	cleanups   []func()
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Skipf(format string, args ...any) {
	f.mu.Lock()
	f.skipped = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.failed = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeTB) Errorf(format string, args ...any) { f.Fatalf(format, args...) }

func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

// run calls fn in its own goroutine, as the testing package would, so that
// Skipf and Fatalf can end it.
func (f *fakeTB) run(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
}

// nobody listens on port 1 of the loopback interface.
const unreachable = "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2"

func TestUnreachablePostgresFailsInCI(t *testing.T) {
	t.Setenv("CI", "true")
	f := &fakeTB{TB: t}
	f.run(func() { createDatabase(f, unreachable) })
	if f.failed == "" || f.skipped != "" {
		t.Fatalf("with CI set, an unreachable server must fail the test; failed=%q skipped=%q", f.failed, f.skipped)
	}
	if !strings.Contains(f.failed, "not reachable") {
		t.Errorf("the failure should say the server is not reachable: %q", f.failed)
	}
}

func TestUnreachablePostgresSkipsOutsideCI(t *testing.T) {
	t.Setenv("CI", "")
	f := &fakeTB{TB: t}
	f.run(func() { createDatabase(f, unreachable) })
	if f.skipped == "" || f.failed != "" {
		t.Fatalf("without CI, an unreachable server must skip the test; failed=%q skipped=%q", f.failed, f.skipped)
	}
	if !strings.Contains(f.skipped, "127.0.0.1:1") || !strings.Contains(f.skipped, "skipping") {
		t.Errorf("the skip should name the server and say it skips: %q", f.skipped)
	}
}

func TestRedactHidesPassword(t *testing.T) {
	got := redact("postgres://u:secret@h:5432/db")
	if strings.Contains(got, "secret") {
		t.Errorf("redact kept the password: %s", got)
	}
}

// TestCreatedDatabaseIsDropped checks that a database made for a test is
// gone after the test's cleanups run.
func TestCreatedDatabaseIsDropped(t *testing.T) {
	server := postgresServer()
	admin, err := connect(server)
	if err != nil {
		if inCI() {
			t.Fatalf("PostgreSQL at %s is not reachable and CI is set: %v", redact(server), err)
		}
		t.Skipf("PostgreSQL at %s is not reachable, skipping: %v", redact(server), err)
	}
	defer admin.Close()

	f := &fakeTB{TB: t}
	var dsn string
	f.run(func() { dsn = createDatabase(f, server) })
	if f.failed != "" || f.skipped != "" || dsn == "" {
		t.Fatalf("createDatabase: failed=%q skipped=%q", f.failed, f.skipped)
	}
	name := dsn[strings.LastIndex(dsn, "/")+1:]
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	if !strings.HasPrefix(name, "charter_test_") {
		t.Fatalf("database name %q should start charter_test_", name)
	}
	exists := func() bool {
		var n int
		if err := admin.QueryRow(`SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	if !exists() {
		t.Fatalf("database %s was not created", name)
	}
	f.run(func() {
		for i := len(f.cleanups) - 1; i >= 0; i-- {
			f.cleanups[i]()
		}
	})
	if f.failed != "" {
		t.Fatalf("cleanup: %s", f.failed)
	}
	if exists() {
		t.Errorf("database %s still exists after cleanup", name)
	}
}
