package main

import (
	"context"
	"flag"
	"fmt"
	"os"

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

// cmdLoad validates a charter, benefits and (optionally) measures file
// together and publishes them.
func cmdLoad(ctx context.Context, e env, args []string) error {
	cfg, fs, err := flags("load", e, args, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 2 && fs.NArg() != 3 {
		fmt.Fprintln(e.stderr, "usage: charter load CHARTER.yaml BENEFITS.yaml [MEASURES.yaml]")
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
	results, err := svc.LoadWithMeasures(ctx, chName, chData, benName, benData, mName, mData)
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
	for _, r := range results {
		state := "published"
		if !r.Created {
			state = "already published (unchanged)"
		}
		fmt.Fprintf(e.stdout, "%s version %s: %s\n", r.Kind, r.Version, state)
	}
	return nil
}
