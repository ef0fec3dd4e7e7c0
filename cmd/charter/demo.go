package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/charter-service/charter/examples"
	"github.com/charter-service/charter/internal/app"
	"github.com/charter-service/charter/internal/seed"
	"github.com/charter-service/charter/internal/store"
)

// cmdDemo migrates, loads the example charter and benefits, seeds about a
// year of history (once: a second run reuses the data), makes a caseworker
// token and serves.
func cmdDemo(ctx context.Context, e env, args []string) error {
	var apps int
	cfg, m, log, svc, err := openWithMessaging(ctx, e, "demo", args, func(fs *flag.FlagSet) {
		fs.IntVar(&apps, "applications", 20000, "how many applications the year of history holds")
	})
	if err != nil {
		return err
	}
	defer svc.Store().Close()
	if _, err := svc.LoadWithMeasures(ctx, "examples/charter.yaml", examples.Charter, "examples/benefits.yaml", examples.Benefits,
		"examples/measures.yaml", examples.Measures); err != nil {
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
	if err := demoReview(ctx, e, svc); err != nil {
		return err
	}
	// Practitioners to book consultations with, also in a database seeded
	// before there were any.
	if _, err := svc.EnsurePractitioners(ctx, seed.Practitioners()); err != nil {
		return err
	}
	// A database seeded before there were case facts needs them worked out.
	if apps, withFacts, err := svc.Store().FactsCoverage(ctx); err != nil {
		return err
	} else if apps != withFacts {
		fmt.Fprintf(e.stderr, "demo: working out the case facts of %d applications from their events…\n", apps)
		if _, err := svc.RebuildFacts(ctx, nil); err != nil {
			return err
		}
	}
	year, err := seedFramework(ctx, svc)
	if err != nil {
		return fmt.Errorf("the demo's survey and improvement plan: %w", err)
	}
	token, _, err := svc.CreateToken(ctx, "caseworker", "demo caseworker")
	if err != nil {
		return err
	}
	caseworker, err := svc.DemoStaffUser(ctx, "caseworker@example.org", "caseworker")
	if err != nil {
		return err
	}
	manager, err := svc.DemoStaffUser(ctx, "manager@example.org", "manager")
	if err != nil {
		return err
	}
	sample, err := sampleClient(ctx, svc)
	if err != nil {
		return err
	}
	demoRef, demoDOB, err := demoClient(ctx, svc)
	if err != nil {
		return fmt.Errorf("the demo client: %w", err)
	}
	return serve(ctx, e, cfg, svc, log, func(url string) {
		fmt.Fprintf(e.stdout, "\nCharter demo is running at %s\n\n", url)
		fmt.Fprintf(e.stdout, "As a client:   %s/track  reference %s, date of birth %s;\n", url, sample.ref, sample.dob)
		fmt.Fprintf(e.stdout, "               the one-time code is in the server log and on the staff sign-in codes page\n")
		y, mo, d := demoDOB.Date()
		fmt.Fprintf(e.stdout, "Messages:      %s (reference %s, date of birth %d %d %d) is sent what the service tells clients:\n", demoClientName, demoRef, d, mo, y)
		fmt.Fprintf(e.stdout, "               emails in %s, letters (PDF) in %s, and all of them at %s/staff/messages\n",
			filepath.Join(m.OutboxDir, "email"), m.LettersDir, url)
		fmt.Fprintf(e.stdout, "The report:    %s/report/%s  how we did against the charter, and our improvement plan\n", url, year)
		fmt.Fprintf(e.stdout, "As staff:      %s/staff/sign-in\n", url)
		fmt.Fprintf(e.stdout, "               caseworker@example.org  password %s\n", caseworker)
		fmt.Fprintf(e.stdout, "               manager@example.org     password %s\n", manager)
		fmt.Fprintf(e.stdout, "The review:    %s/staff/reviews (as the manager): the findings of the example review round,\n", url)
		fmt.Fprintf(e.stdout, "               and draft revision 2027.1 with its evidence, ready to publish\n")
		fmt.Fprintf(e.stdout, "Feedback:      %s/feedback/send  (staff see it at /staff/feedback and /staff/complaints)\n", url)
		fmt.Fprintf(e.stdout, "The API:       %s/api/openapi.json\n", url)
		fmt.Fprintf(e.stdout, "               curl -H 'Authorization: Bearer %s' %s/api/v1/applications\n\n", token, url)
		fmt.Fprintf(e.stdout, "Demo caseworker token: %s\n\nPress Ctrl+C to stop.\n", token)
	})
}

type sample struct{ ref, dob string }

// sampleClient picks an open application for the person trying the demo.
func sampleClient(ctx context.Context, svc *app.Service) (sample, error) {
	page, err := svc.Queue(ctx, store.QueueQuery{Status: store.QueuePaused, Limit: 1})
	if err != nil {
		return sample{}, err
	}
	if len(page.Items) == 0 {
		if page, err = svc.Queue(ctx, store.QueueQuery{Limit: 1}); err != nil || len(page.Items) == 0 {
			return sample{ref: "(none open)", dob: "-"}, err
		}
	}
	a, _, err := svc.Application(ctx, page.Items[0].Ref)
	if err != nil {
		return sample{}, err
	}
	y, m, d := a.Client.DateOfBirth.Date()
	return sample{ref: a.Ref.String(), dob: fmt.Sprintf("%d %d %d", d, m, y)}, nil
}

// demoReview stores the example review round with its answers and coded
// comments, the example draft revision (unpublished) and a year of
// synthetic feedback and complaints, each only if it is not there yet: a
// second run, or a run after the draft was published, keeps what is there.
func demoReview(ctx context.Context, e env, svc *app.Service) error {
	rounds, err := svc.ReviewRounds(ctx)
	if err != nil {
		return err
	}
	if len(rounds) == 0 {
		rep, err := svc.ImportReview(ctx, app.ReviewImport{
			Round:     app.File{Name: "examples/review-round.yaml", Data: examples.ReviewRound},
			Responses: &app.File{Name: "examples/review-responses.csv", Data: examples.ReviewResponses},
			Comments:  &app.File{Name: "examples/review-comments.csv", Data: examples.ReviewComments}})
		if err != nil {
			return fmt.Errorf("importing the example review round: %w", err)
		}
		fmt.Fprintf(e.stderr, "demo: review round %q with %d answers and %d coded comments\n", rep.RoundName, rep.Answers, rep.Comments)
	}
	drafts, err := svc.Drafts(ctx)
	if err != nil {
		return err
	}
	if len(drafts) == 0 {
		if _, err := svc.SaveDraft(ctx, app.File{Name: "examples/review-draft.yaml", Data: examples.ReviewDraft}); err != nil {
			return fmt.Errorf("saving the example draft revision: %w", err)
		}
	}
	ch, err := svc.Charter()
	if err != nil {
		return err
	}
	n, err := svc.SeedFeedback(ctx, seed.Feedback(ch, svc.Calendar(), svc.Today(), 240, 1))
	if err != nil {
		return fmt.Errorf("writing example feedback: %w", err)
	}
	if n > 0 {
		fmt.Fprintf(e.stderr, "demo: %d pieces of feedback and complaints over the last year\n", n)
	}
	return nil
}
