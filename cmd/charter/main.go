// Command charter runs the Charter service and its maintenance tasks.
// This file and its neighbours only parse flags and wire packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/charter-service/charter/internal/errs"
)

const usage = `charter: a public service run against its published client charter.

Usage:
  charter serve   [--db DSN] [--addr HOST:PORT]    run the web service and API
  charter demo    [--db DSN] [--addr HOST:PORT]    migrate, load the examples, seed a year of history, serve
  charter worker  [--db DSN]                       deliver messages and act on timers, without serving pages
  charter migrate [--db DSN]                       apply database migrations
  charter check   FILE...                          validate charter, benefits and measures YAML files
  charter load    [--reason WHY] CHARTER.yaml BENEFITS.yaml [MEASURES.yaml]   validate and publish a charter, its benefits and measures
  charter review  import [--responses F.csv] [--comments F.csv] ROUND.yaml   import a review round and its evidence
  charter review  draft DRAFT.yaml                 store a draft revision of the charter
  charter review  publish VERSION                  publish a draft revision as the new charter version
  charter review  findings ROUND-ID                write a round's findings as CSV
  charter import  survey FILE.csv --period P       import survey responses for a period, all or nothing
  charter report  --period 2025-26 --out DIR       write the charter report: index.html, measures.csv, report.json
  charter facts   rebuild                          work out every application's case facts again from its events
  charter seed    --applications N --years Y [--seed S]   write a synthetic history
  charter token   create --role ROLE --name NAME   make an API token (printed alone on stdout)
  charter token   revoke ID|NAME                   revoke a token
  charter token   list                             list tokens (never their secrets)
  charter user    add --email E --role ROLE        add a member of staff (password on stdin, or asked for)
  charter audit   --case REF                       list who looked at or changed a case

Every command takes --db (env CHARTER_DB, default sqlite:charter.db).
Run "charter COMMAND -h" for a command's flags.
`

// env is what a command gets from the outside world, so tests can run
// commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command func(ctx context.Context, e env, args []string) error

var commands = map[string]command{
	"serve":   cmdServe,
	"worker":  cmdWorker,
	"demo":    cmdDemo,
	"migrate": cmdMigrate,
	"check":   cmdCheck,
	"load":    cmdLoad,
	"review":  cmdReview,
	"seed":    cmdSeed,
	"token":   cmdToken,
	"user":    cmdUser,
	"audit":   cmdAudit,
	"facts":   cmdFacts,
	"report":  cmdReport,
	"import":  cmdImport,
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:]))
}

// exitUsage marks errors in how a command was called.
var exitUsage = errors.New("usage")

// errProblems is returned when a command has already printed what is wrong.
var errProblems = errors.New("problems found")

func run(ctx context.Context, e env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stdout, usage)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "charter: there is no command %q\n\n%s", args[0], usage)
		return 2
	}
	err := cmd(ctx, e, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, exitUsage):
		return 2
	case errors.Is(err, errProblems):
		return 1
	}
	if de, ok := errs.As(err); ok && de.Kind != errs.KindInternal {
		fmt.Fprintf(e.stderr, "charter %s: %s\n", args[0], de.Error())
		return 1
	}
	fmt.Fprintf(e.stderr, "charter %s: %v\n", args[0], err)
	return 1
}

// flags parses a command's flags into a validated Config.
func flags(name string, e env, args []string, extra func(fs *flag.FlagSet)) (*Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("charter "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg := &Config{}
	cfg.bind(fs, e.getenv)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, err
		}
		return nil, nil, exitUsage
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintf(e.stderr, "charter %s: the configuration has problems:\n%v\n", name, err)
		return nil, nil, exitUsage
	}
	return cfg, fs, nil
}
