package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/charter-service/charter/examples"
)

// cmdDemo migrates, loads the example charter and benefits, seeds about a
// year of history (once: a second run reuses the data), makes a caseworker
// token and serves.
func cmdDemo(ctx context.Context, e env, args []string) error {
	var apps int
	cfg, _, err := flags("demo", e, args, func(fs *flag.FlagSet) {
		fs.IntVar(&apps, "applications", 20000, "how many applications the year of history holds")
	})
	if err != nil {
		return err
	}
	log := cfg.logger()
	svc, err := open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	if _, err := svc.Load(ctx, "examples/charter.yaml", examples.Charter, "examples/benefits.yaml", examples.Benefits); err != nil {
		return fmt.Errorf("loading the examples: %w", err)
	}
	n, err := svc.Store().CountApplications(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintf(e.stderr, "demo: writing a year of history (%d applications)…\n", apps)
		if _, err := seedHistory(ctx, e, svc, apps, 1, 1); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(e.stderr, "demo: reusing the %d applications already in %s\n", n, cfg.DB)
	}
	token, _, err := svc.CreateToken(ctx, "caseworker", "demo caseworker")
	if err != nil {
		return err
	}
	return serve(ctx, e, cfg, svc, log, func(url string) {
		fmt.Fprintf(e.stdout, "\nCharter demo is running at %s\n\n", url)
		fmt.Fprintf(e.stdout, "  Charter:      %s/api/v1/charter\n", url)
		fmt.Fprintf(e.stdout, "  Work queue:   curl -H 'Authorization: Bearer %s' %s/api/v1/applications\n", token, url)
		fmt.Fprintf(e.stdout, "  API document: %s/api/openapi.json\n\n", url)
		fmt.Fprintf(e.stdout, "Demo caseworker token: %s\n\nPress Ctrl+C to stop.\n", token)
	})
}
