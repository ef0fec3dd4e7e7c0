// Package storetest opens throwaway, migrated stores for tests and
// benchmarks: SQLite on a fresh file, PostgreSQL on a fresh database.
//
// PostgreSQL is the server named by the environment variable
// CHARTER_TEST_POSTGRES (default DefaultPostgres); each store gets its own
// database, created with a random name and dropped when the test ends. When
// the environment variable CI is set, a server that does not answer fails
// the test; otherwise the PostgreSQL test is skipped with a message saying
// why, so a laptop without PostgreSQL still runs the SQLite half.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/charter-service/charter/internal/store"
)

// DefaultPostgres is the server used when CHARTER_TEST_POSTGRES is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// EnvPostgres names the environment variable holding the server's URL.
const EnvPostgres = "CHARTER_TEST_POSTGRES"

// Dialects are the databases every contract test runs on, in order.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// ForEach runs fn as one subtest per database ("sqlite", "postgres"), each
// with a fresh, migrated store that is closed (and, for PostgreSQL, dropped)
// when the subtest ends.
func ForEach(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh, migrated store of the given dialect, closed (and
// dropped) when tb ends. For PostgreSQL it skips or fails tb as the package
// comment says when no server answers.
func Open(tb testing.TB, d store.Dialect) *store.Store {
	tb.Helper()
	s, _ := OpenDSN(tb, d)
	return s
}

// OpenDSN is Open, also returning the DSN the store was opened with
// ("sqlite:PATH" or a postgres:// URL), so a benchmark can open its own
// connection to the same database.
func OpenDSN(tb testing.TB, d store.Dialect) (*store.Store, string) {
	tb.Helper()
	dsn := NewDatabase(tb, d)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("storetest: open %s: %v", d, err)
	}
	tb.Cleanup(func() { s.Close() }) // runs before the database is dropped
	applied, err := s.Migrate(ctx)
	if err != nil {
		tb.Fatalf("storetest: migrate %s: %v", d, err)
	}
	if len(applied) == 0 {
		tb.Fatalf("storetest: migrate %s: a fresh database applied no migrations", d)
	}
	return s, dsn
}

// NewDatabase returns the DSN of a fresh, empty (unmigrated) database of the
// given dialect, removed when tb ends: a file in tb.TempDir() for SQLite, a
// database with a random name for PostgreSQL. It skips or fails tb as the
// package comment says when no PostgreSQL server answers.
func NewDatabase(tb testing.TB, d store.Dialect) string {
	tb.Helper()
	switch d {
	case store.SQLite:
		return "sqlite:" + filepath.Join(tb.TempDir(), "charter.db")
	case store.Postgres:
		return createDatabase(tb, postgresServer())
	}
	tb.Fatalf("storetest: unknown dialect %q", d)
	return ""
}

// postgresServer returns the URL of the server to create databases on.
func postgresServer() string {
	if v := os.Getenv(EnvPostgres); v != "" {
		return v
	}
	return DefaultPostgres
}

// inCI reports whether the tests run in continuous integration, where a
// missing database must fail rather than skip.
func inCI() bool { return os.Getenv("CI") != "" }

// createDatabase creates a database with a random name on the server at
// serverURL, registers its removal with tb, and returns its URL.
func createDatabase(tb testing.TB, serverURL string) string {
	tb.Helper()
	admin, err := connect(serverURL)
	if err != nil {
		msg := fmt.Sprintf("storetest: PostgreSQL at %s (from %s, or the default) is not reachable: %v",
			redact(serverURL), EnvPostgres, err)
		if inCI() {
			tb.Fatalf("%s; CI is set, so this is a failure, not a skip", msg)
		}
		tb.Skipf("%s; skipping the PostgreSQL test (set CI to make this a failure)", msg)
	}
	defer admin.Close()

	name := "charter_test_" + randomSuffix(tb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("storetest: create database %s: %v", name, err)
	}
	tb.Cleanup(func() { dropDatabase(tb, serverURL, name) })

	u, err := url.Parse(serverURL)
	if err != nil {
		tb.Fatalf("storetest: %s: %v", EnvPostgres, err)
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

// connect opens the server's maintenance database and checks it answers.
func connect(serverURL string) (*sql.DB, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, fmt.Errorf("want a postgres:// URL")
	}
	db, err := sql.Open("pgx", serverURL)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func dropDatabase(tb testing.TB, serverURL, name string) {
	admin, err := connect(serverURL)
	if err != nil {
		tb.Errorf("storetest: drop database %s: %v", name, err)
		return
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		tb.Errorf("storetest: drop database %s: %v", name, err)
	}
}

func randomSuffix(tb testing.TB) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatalf("storetest: random database name: %v", err)
	}
	return hex.EncodeToString(b[:])
}

// redact hides a password in a database URL before it is shown.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(an unparseable URL)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
