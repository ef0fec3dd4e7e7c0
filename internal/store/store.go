// Package store keeps Charter's data in SQLite (embedded, pure Go, the
// default) or PostgreSQL (for production and several processes) through one
// code path: the same SQL, the same methods, the same contract tests.
//
// Every public method owns its transaction; private helpers take one. The
// store knows tables and rows, not rules: callers fold events with the
// casework package and hand the store the result to write.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect says which database the store talks to.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store is a handle on the database. Safe for concurrent use.
type Store struct {
	dialect Dialect
	read    *sql.DB // many connections
	write   *sql.DB // SQLite: one connection, so writers queue instead of failing busy
	now     func() time.Time

	stmtMu sync.Mutex
	stmts  *appendStatements // prepared on first append
	// prepared holds other statements run often enough that parsing them
	// each time shows (the outbox's claim and finish), by their text.
	prepared map[string]*sql.Stmt
}

// Open connects to the database named by dsn: "sqlite:PATH" (PATH may be
// ":memory:" only for throwaway use) or a "postgres://" URL.
func Open(ctx context.Context, dsn string) (*Store, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn)
	}
	return nil, fmt.Errorf("database %q: use sqlite:PATH or a postgres:// URL", redact(dsn))
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("database: sqlite: needs a file path, as in sqlite:charter.db")
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", "cache_size(-65536)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	write, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	s := &Store{dialect: SQLite, read: read, write: write, now: time.Now}
	if err := s.ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return s, nil
}

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", redact(dsn), err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	s := &Store{dialect: Postgres, read: db, write: db, now: time.Now}
	if err := s.ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres %s: %w", redact(dsn), err)
	}
	return s, nil
}

func (s *Store) ping(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return err
	}
	return s.read.PingContext(ctx)
}

// Dialect reports which database this is.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close releases the connections.
func (s *Store) Close() error {
	for _, st := range s.prepared {
		st.Close()
	}
	if s.stmts != nil {
		s.stmts.insertApplication.Close()
		s.stmts.updateApplication.Close()
		s.stmts.insertEvent.Close()
		s.stmts.upsertFacts.Close()
	}
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// prepare returns the write pool's prepared statement for q, preparing it
// the first time. Like the append statements, it must be called outside a
// transaction: on SQLite the transaction holds the only write connection.
func (s *Store) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.prepared[q]; ok {
		return st, nil
	}
	st, err := s.write.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	if s.prepared == nil {
		s.prepared = map[string]*sql.Stmt{}
	}
	s.prepared[q] = st
	return st, nil
}

// params numbers n query parameters from first: $first… on PostgreSQL,
// plain ? on SQLite, where numbered ones cost a lookup each that grows with
// the statement (see multiInsert).
func (s *Store) params(first, n int) []string {
	out := make([]string, n)
	for i := range out {
		if s.dialect == Postgres {
			out[i] = "$" + strconv.Itoa(first+i)
		} else {
			out[i] = "?"
		}
	}
	return out
}

// inTx runs fn in a write transaction, committing if it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// isUniqueViolation reports whether err is a primary-key or unique clash.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return lite.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || lite.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
	}
	return false
}

// redact hides a password in a database URL before it is shown or logged.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }
