package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/charter"
)

const reviewUsage = `usage:
  charter review import [--responses FILE.csv] [--comments FILE.csv] ROUND.yaml
  charter review draft DRAFT.yaml
  charter review publish VERSION
  charter review findings ROUND-ID`

// cmdReview imports review rounds and their evidence, stores draft
// revisions, publishes them, and exports findings.
func cmdReview(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, reviewUsage)
		return exitUsage
	}
	var responses, comments string
	cfg, fs, err := flags("review "+args[0], e, args[1:], func(fs *flag.FlagSet) {
		if args[0] == "import" {
			fs.StringVar(&responses, "responses", "", "a CSV file of answers to the round's agree/disagree statements")
			fs.StringVar(&comments, "comments", "", "a CSV file of coded comments")
		}
	})
	if err != nil {
		return err
	}
	switch args[0] {
	case "import", "draft", "publish", "findings":
		if fs.NArg() != 1 {
			fmt.Fprintln(e.stderr, reviewUsage)
			return exitUsage
		}
	default:
		fmt.Fprintln(e.stderr, reviewUsage)
		return exitUsage
	}
	// Read the files before opening the database: a missing file is a
	// mistake in the command, not in the data.
	in := app.ReviewImport{}
	var draft app.File
	read := func(name string) (*app.File, error) {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", name, err)
		}
		return &app.File{Name: name, Data: data}, nil
	}
	switch args[0] {
	case "import":
		r, err := read(fs.Arg(0))
		if err != nil {
			return err
		}
		in.Round = *r
		if responses != "" {
			if in.Responses, err = read(responses); err != nil {
				return err
			}
		}
		if comments != "" {
			if in.Comments, err = read(comments); err != nil {
				return err
			}
		}
	case "draft":
		d, err := read(fs.Arg(0))
		if err != nil {
			return err
		}
		draft = *d
	}
	svc, err := open(ctx, cfg, cfg.logger())
	if err != nil {
		return err
	}
	defer svc.Store().Close()

	switch args[0] {
	case "import":
		rep, err := svc.ImportReview(ctx, in)
		var failed *app.ImportFailed
		if errors.As(err, &failed) {
			for _, p := range failed.Problems {
				fmt.Fprintln(e.stdout, p)
			}
			fmt.Fprintln(e.stdout, "Nothing was imported.")
			return errProblems
		}
		if err != nil {
			return err
		}
		state := "already stored"
		if rep.RoundCreated {
			state = fmt.Sprintf("stored, with %d participants", rep.Participants)
		}
		fmt.Fprintf(e.stdout, "Round %s (%s): %s.\n", rep.RoundID, rep.RoundName, state)
		fmt.Fprintf(e.stdout, "Imported %d answers and %d coded comments.\n", rep.Answers, rep.Comments)
	case "draft":
		saved, err := svc.SaveDraft(ctx, draft)
		if problems, ok := err.(charter.Problems); ok {
			for _, p := range problems {
				fmt.Fprintln(e.stdout, p.String())
			}
			fmt.Fprintln(e.stdout, "The draft was not saved.")
			return errProblems
		}
		if err != nil {
			return err
		}
		state := "saved"
		if saved.Replaced {
			state = "saved, replacing the draft stored before"
		}
		fmt.Fprintf(e.stdout, "Draft revision %s %s: it changes %d commitment(s).\n", saved.Version, state, saved.Changes)
		fmt.Fprintf(e.stdout, "Read it with its evidence at /staff/reviews/drafts/%s, and publish it there or with: charter review publish %s\n",
			saved.Version, saved.Version)
	case "publish":
		report, err := svc.PublishDraft(ctx, fs.Arg(0), "charter review publish")
		if problems, ok := err.(charter.Problems); ok {
			for _, p := range problems {
				fmt.Fprintln(e.stdout, p.String())
			}
			fmt.Fprintln(e.stdout, "Nothing was published.")
			return errProblems
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Charter version %s is published, from today, %s.\n", report.Version, svc.Today().Long())
		printReport(e, report)
	case "findings":
		return svc.FindingsCSV(ctx, fs.Arg(0), e.stdout)
	}
	return nil
}
