package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/charter"
)

// cmdCheck validates charter and benefits files, printing FILE:LINE: message
// for every problem. It loads nothing.
func cmdCheck(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("charter check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() { fmt.Fprintln(e.stderr, "usage: charter check FILE...") }
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	files := map[string][]byte{}
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(e.stdout, "%s: cannot read: %v\n", name, err)
			return errProblems
		}
		files[name] = data
	}
	problems := charter.Check(files)
	for _, p := range problems {
		fmt.Fprintln(e.stdout, p.String())
	}
	if len(problems) > 0 {
		return errProblems
	}
	fmt.Fprintf(e.stdout, "%d file(s) checked: no problems.\n", len(files))
	return nil
}

// cmdLoad validates a charter and benefits file together and publishes
// them. A new version is compared with the current one: what changed is
// printed, then what to check (measures linked to changed commitments,
// glossary terms no longer used, benefit stages whose numbers changed).
func cmdLoad(ctx context.Context, e env, args []string) error {
	var reason string
	cfg, fs, err := flags("load", e, args, func(fs *flag.FlagSet) {
		fs.StringVar(&reason, "reason", "", "why this version changes the charter: published on the charter's history page (needed for every version after the first)")
	})
	if err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(e.stderr, "usage: charter load [--reason WHY] CHARTER.yaml BENEFITS.yaml")
		return exitUsage
	}
	chName, benName := fs.Arg(0), fs.Arg(1)
	chData, err := os.ReadFile(chName)
	if err != nil {
		return err
	}
	benData, err := os.ReadFile(benName)
	if err != nil {
		return err
	}
	svc, err := open(ctx, cfg, cfg.logger())
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	report, err := svc.LoadVersion(ctx, chName, chData, benName, benData, app.Publishing{Reason: reason, By: "charter load"})
	if problems, ok := err.(charter.Problems); ok {
		for _, p := range problems {
			fmt.Fprintln(e.stdout, p.String())
		}
		fmt.Fprintln(e.stdout, "Nothing was loaded.")
		return errProblems
	}
	if err != nil {
		return err
	}
	for _, r := range report.Results {
		state := "published"
		if !r.Created {
			state = "already published (unchanged)"
		}
		fmt.Fprintf(e.stdout, "%s version %s: %s\n", r.Kind, r.Version, state)
	}
	printReport(e, report)
	return nil
}

// printReport prints what a new charter version changed from the one
// before, and what to check.
func printReport(e env, r *app.PublishReport) {
	if r.Diff != nil {
		changed := r.Diff.Changed()
		fmt.Fprintf(e.stdout, "\nChanges from version %s: %d commitment(s)\n", r.BasedOn, len(changed))
		for _, c := range changed {
			fmt.Fprintf(e.stdout, "  %s (%s): %s\n", c.ID(), c.Key, c.Summary())
		}
	}
	if w := r.Warnings(); len(w) > 0 {
		fmt.Fprintf(e.stdout, "\nCheck before you tell people about version %s:\n", r.Version)
		for _, line := range w {
			fmt.Fprintf(e.stdout, "  - %s\n", line)
		}
	}
}
