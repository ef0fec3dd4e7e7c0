package main

import (
	"context"
	"fmt"
	"time"
)

// cmdFacts maintains the case facts measures are computed from:
// "charter facts rebuild" works every application's facts out again from
// its events, for when a new release works them out differently.
func cmdFacts(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "rebuild" {
		fmt.Fprintln(e.stderr, "usage: charter facts rebuild [--db DSN]")
		return exitUsage
	}
	cfg, _, err := flags("facts rebuild", e, args[1:], nil)
	if err != nil {
		return err
	}
	svc, err := open(ctx, cfg, cfg.logger())
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	start, last := time.Now(), time.Now()
	n, err := svc.RebuildFacts(ctx, func(done int) {
		if time.Since(last) > 2*time.Second {
			last = time.Now()
			fmt.Fprintf(e.stderr, "facts: %d applications (%s)\n", done, time.Since(start).Round(time.Second))
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Worked out the case facts of %d applications again from their events.\n", n)
	return nil
}
