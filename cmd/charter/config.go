package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/charter-service/charter/internal/errs"
	"github.com/charter-service/charter/internal/feedback"
)

// Config is everything a command can be told, from flags or CHARTER_*
// environment variables (flags win). It is validated before anything starts.
type Config struct {
	DB              string        // --db, CHARTER_DB
	Addr            string        // --addr, CHARTER_ADDR
	LogLevel        string        // --log-level, CHARTER_LOG_LEVEL
	LogFormat       string        // --log-format, CHARTER_LOG_FORMAT
	Holidays        string        // --holidays, CHARTER_HOLIDAYS: one-off bank holidays file
	ShutdownTimeout time.Duration // --shutdown-timeout, CHARTER_SHUTDOWN_TIMEOUT
	QueueCountCache time.Duration // --queue-count-cache, CHARTER_QUEUE_COUNT_CACHE
	// Complaints are the complaints process's working days:
	// --complaint-stage1-days, --complaint-stage2-acknowledge-days and
	// --complaint-stage2-days (CHARTER_COMPLAINT_STAGE1_DAYS, …).
	Complaints feedback.Timescales
	// Messaging is set by the commands that send messages (messaging.go).
	Messaging *Messaging
}

// bind registers the flags on fs, with defaults from the environment.
func (c *Config) bind(fs *flag.FlagSet, getenv func(string) string) {
	str := func(p *string, name, env, def, usage string) {
		if v := getenv(env); v != "" {
			def = v
		}
		fs.StringVar(p, name, def, usage+" (env "+env+")")
	}
	str(&c.DB, "db", "CHARTER_DB", "sqlite:charter.db", "database: sqlite:PATH or a postgres:// URL")
	str(&c.Addr, "addr", "CHARTER_ADDR", "127.0.0.1:8080", "address to listen on")
	str(&c.LogLevel, "log-level", "CHARTER_LOG_LEVEL", "info", "log level: debug, info, warn, error")
	str(&c.LogFormat, "log-format", "CHARTER_LOG_FORMAT", "text", "log format: text or json")
	str(&c.Holidays, "holidays", "CHARTER_HOLIDAYS", "", "YAML file of one-off bank holidays (default: the built-in list)")
	c.ShutdownTimeout = 20 * time.Second
	if v := getenv("CHARTER_SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			d = -1 // reported by Validate
		}
		c.ShutdownTimeout = d
	}
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.ShutdownTimeout, "how long to let requests finish on SIGTERM (env CHARTER_SHUTDOWN_TIMEOUT)")
	c.QueueCountCache = 10 * time.Second
	if v := getenv("CHARTER_QUEUE_COUNT_CACHE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			d = -1 // reported by Validate
		}
		c.QueueCountCache = d
	}
	fs.DurationVar(&c.QueueCountCache, "queue-count-cache", c.QueueCountCache,
		"how long the work-queue counts may be kept before they are counted again, in the background; 0 counts on every request (env CHARTER_QUEUE_COUNT_CACHE)")
	days := func(p *int, name, env string, def int, usage string) {
		*p = def
		if v := getenv(env); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				n = -1 // reported by Validate
			}
			*p = n
		}
		fs.IntVar(p, name, *p, usage+" (env "+env+")")
	}
	def := feedback.DefaultTimescales()
	days(&c.Complaints.Stage1RespondDays, "complaint-stage1-days", "CHARTER_COMPLAINT_STAGE1_DAYS", def.Stage1RespondDays,
		"working days to answer a complaint at stage 1, from the day it arrives")
	days(&c.Complaints.Stage2AcknowledgeDays, "complaint-stage2-acknowledge-days", "CHARTER_COMPLAINT_STAGE2_ACKNOWLEDGE_DAYS", def.Stage2AcknowledgeDays,
		"working days to acknowledge a complaint at stage 2, from the day the person asks")
	days(&c.Complaints.Stage2RespondDays, "complaint-stage2-days", "CHARTER_COMPLAINT_STAGE2_DAYS", def.Stage2RespondDays,
		"working days to answer a complaint at stage 2, from the day the person asks")
}

// complaintFlags names the flag and variable of each complaint timescale,
// by the field name feedback.Timescales.Validate gives.
var complaintFlags = map[string][2]string{
	"stage1_respond_working_days":     {"complaint-stage1-days", "CHARTER_COMPLAINT_STAGE1_DAYS"},
	"stage2_acknowledge_working_days": {"complaint-stage2-acknowledge-days", "CHARTER_COMPLAINT_STAGE2_ACKNOWLEDGE_DAYS"},
	"stage2_respond_working_days":     {"complaint-stage2-days", "CHARTER_COMPLAINT_STAGE2_DAYS"},
}

// Validate reports every bad setting, naming the flag and variable.
func (c *Config) Validate() error {
	var problems []error
	bad := func(flagName, env, format string, args ...any) {
		problems = append(problems, fmt.Errorf("--%s (%s): %s", flagName, env, fmt.Sprintf(format, args...)))
	}
	switch {
	case strings.HasPrefix(c.DB, "sqlite:"):
		if strings.TrimPrefix(c.DB, "sqlite:") == "" {
			bad("db", "CHARTER_DB", "sqlite: needs a file path, as in sqlite:charter.db")
		}
	case strings.HasPrefix(c.DB, "postgres://"), strings.HasPrefix(c.DB, "postgresql://"):
	default:
		bad("db", "CHARTER_DB", "%q is not sqlite:PATH or a postgres:// URL", redactDSN(c.DB))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("addr", "CHARTER_ADDR", "%q is not host:port", c.Addr)
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		bad("log-level", "CHARTER_LOG_LEVEL", "%v", err)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("log-format", "CHARTER_LOG_FORMAT", "%q is not text or json", c.LogFormat)
	}
	if c.ShutdownTimeout <= 0 {
		bad("shutdown-timeout", "CHARTER_SHUTDOWN_TIMEOUT", "give a positive duration such as 20s")
	}
	if c.QueueCountCache < 0 {
		bad("queue-count-cache", "CHARTER_QUEUE_COUNT_CACHE", "give a duration such as 10s, or 0 to count on every request")
	}
	if err := c.Complaints.Validate(); err != nil {
		e, _ := errs.As(err)
		names := complaintFlags[e.Field]
		bad(names[0], names[1], "%s", e.Message)
	}
	return errors.Join(problems...)
}

// useMessaging checks the messaging settings of a command that sends
// messages and adds them to the configuration.
func (c *Config) useMessaging(m *Messaging, e env, name string) error {
	if m.PublicURL == "" {
		m.PublicURL = "http://" + c.Addr
	}
	if err := m.validate(); err != nil {
		fmt.Fprintf(e.stderr, "charter %s: the configuration has problems:\n%v\n", name, err)
		return exitUsage
	}
	c.Messaging = m
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(s))
	if err != nil {
		return l, fmt.Errorf("%q is not debug, info, warn or error", s)
	}
	return l, nil
}

// logger builds the process logger. Logs never carry personal data: the
// web layer logs route patterns and request ids, not paths or bodies.
func (c *Config) logger() *slog.Logger {
	level, _ := parseLevel(c.LogLevel)
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

func redactDSN(s string) string {
	if i := strings.Index(s, "@"); i > 0 {
		if j := strings.Index(s, "://"); j > 0 && j < i {
			return s[:j+3] + "…" + s[i:]
		}
	}
	return s
}
