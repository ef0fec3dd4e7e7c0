package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/charter"
	"github.com/charter-service/charter/internal/measure"
)

// cmdCheck validates charter, benefits and measures files, printing
// FILE:LINE: message for every problem. It loads nothing. Each file's kind
// comes from its top-level fields: a measures file has "measures" (a
// charter "sections", a benefit catalogue "benefits"). Measures are checked
// against the charters among the files, and each check notes the
// commitments no measure evidences; without a charter only their form is
// checked.
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
	measures := map[string][]byte{}
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(e.stdout, "%s: cannot read: %v\n", name, err)
			return errProblems
		}
		if isMeasuresFile(data) {
			measures[name] = data
		} else {
			files[name] = data
		}
	}
	problems := charter.Check(files)
	var notes []string
	if len(measures) > 0 {
		var charters []*charter.Charter
		for _, name := range slices.Sorted(maps.Keys(files)) {
			if ch, err := charter.ParseCharter(name, files[name]); err == nil {
				charters = append(charters, ch)
			}
		}
		for _, name := range slices.Sorted(maps.Keys(measures)) {
			if len(charters) == 0 {
				notes = append(notes, name+": note: no charter file was given, so the commitments it names were not checked against one")
				charters = []*charter.Charter{nil}
			}
			for _, ch := range charters {
				set, err := measure.ParseSet(name, measures[name], ch)
				var ps charter.Problems
				switch {
				case errors.As(err, &ps):
					problems = append(problems, ps...)
				case err != nil:
					problems = append(problems, charter.Problem{File: name, Message: err.Error()})
				case ch != nil:
					if un := set.Unmeasured(ch); len(un) > 0 {
						ids := make([]string, len(un))
						for i, c := range un {
							ids[i] = c.ID
						}
						notes = append(notes, fmt.Sprintf("%s: note: %d commitments of charter %s have no measure: %s",
							name, len(un), ch.Version, strings.Join(ids, ", ")))
					}
				}
			}
		}
	}
	for _, p := range problems {
		fmt.Fprintln(e.stdout, p.String())
	}
	for _, n := range notes {
		fmt.Fprintln(e.stdout, n)
	}
	if len(problems) > 0 {
		return errProblems
	}
	fmt.Fprintf(e.stdout, "%d file(s) checked: no problems.\n", len(files)+len(measures))
	return nil
}

// isMeasuresFile reports whether a YAML file is a measures file: its top
// level has "measures".
func isMeasuresFile(data []byte) bool {
	var top map[string]yaml.Node
	return yaml.Unmarshal(data, &top) == nil && top != nil && top["measures"].Kind != 0
}

// cmdLoad validates a charter, benefits and (optionally) measures file
// together and publishes them. A new version is compared with the current
// one: what changed is printed, then what to check (measures linked to
// changed commitments, glossary terms no longer used, benefit stages whose
// numbers changed).
func cmdLoad(ctx context.Context, e env, args []string) error {
	var reason string
	cfg, fs, err := flags("load", e, args, func(fs *flag.FlagSet) {
		fs.StringVar(&reason, "reason", "", "why this version changes the charter: published on the charter's history page (needed for every version after the first)")
	})
	if err != nil {
		return err
	}
	if fs.NArg() != 2 && fs.NArg() != 3 {
		fmt.Fprintln(e.stderr, "usage: charter load [--reason WHY] CHARTER.yaml BENEFITS.yaml [MEASURES.yaml]")
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
	var mName string
	var mData []byte
	if fs.NArg() == 3 {
		mName = fs.Arg(2)
		if mData, err = os.ReadFile(mName); err != nil {
			return err
		}
	}
	svc, err := open(ctx, cfg, cfg.logger())
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	report, err := svc.LoadVersion(ctx, chName, chData, benName, benData,
		app.Publishing{Reason: reason, By: "charter load", MeasuresName: mName, Measures: mData})
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
