package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/seed"
)

func cmdSeed(ctx context.Context, e env, args []string) error {
	var apps, years int
	var seedValue uint64
	cfg, _, err := flags("seed", e, args, func(fs *flag.FlagSet) {
		fs.IntVar(&apps, "applications", 10000, "how many applications to write")
		fs.IntVar(&years, "years", 1, "how many years of history, ending today")
		fs.Uint64Var(&seedValue, "seed", 1, "random seed: the same seed writes the same history")
	})
	if err != nil {
		return err
	}
	if apps < 1 || years < 1 || years > 20 {
		fmt.Fprintln(e.stderr, "charter seed: --applications must be at least 1 and --years from 1 to 20")
		return exitUsage
	}
	log := cfg.logger()
	svc, err := open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	if _, err := svc.Benefits(); err != nil {
		return fmt.Errorf("load a charter and benefits first (charter load examples/charter.yaml examples/benefits.yaml): %w", err)
	}
	res, err := seedHistory(ctx, e, svc, apps, years, seedValue)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Wrote %d applications with %d events.\n", res.Applications, res.Events)
	return nil
}

// seedHistory writes a synthetic history ending yesterday, reporting
// progress. Ending yesterday keeps the history the same for a given seed
// all day, and leaves today to the people using the demo.
func seedHistory(ctx context.Context, e env, svc *app.Service, apps, years int, seedValue uint64) (app.SeedResult, error) {
	start := time.Now()
	last := start
	return svc.Seed(ctx, seed.Options{Applications: apps, Years: years, Seed: seedValue, End: svc.Today().AddDays(-1)},
		func(done int) {
			if time.Since(last) > 2*time.Second || done == apps {
				last = time.Now()
				fmt.Fprintf(e.stderr, "seed: %d of %d applications (%s)\n", done, apps, time.Since(start).Round(time.Second))
			}
		})
}
